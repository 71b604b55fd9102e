"""Hatch build hook: compile the optional C scanner (``cookiegate.html._cscanner``).

Why optional: the pure-Python tokenizer is complete and is the reference, so a machine
without a C compiler or Python headers still gets a working cookiegate, only slower. A failed
compile is reported as a warning and the wheel stays pure Python.

* Regular wheels: the extension is built in a temporary directory and force-included as
  ``cookiegate/html/_cscanner.<ext suffix>``; the wheel is then tagged for this platform.
* Editable installs (``pip install -e .``): the extension is built in place, next to
  ``_cscanner.c`` in ``src/cookiegate/html/``, where the editable import finds it. Rebuild
  after editing the C file by re-running the editable install.

``COOKIEGATE_PURE_PYTHON=1`` at build time skips the compile. The compiler is the one Python
was built with (``sysconfig``'s ``CC``, ``CFLAGS`` and ``LDSHARED``), or ``$CC`` if set.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("src") / "cookiegate" / "html" / "_cscanner.c"
MODULE = "_cscanner"


def _compile(source: Path, target: Path) -> str | None:
    """Compile and link *source* into *target*; None on success, else the error text."""
    include = sysconfig.get_paths()["include"]
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    ldshared = shlex.split(sysconfig.get_config_var("LDSHARED") or f"{cc[0]} -shared")
    if os.environ.get("CC"):
        # a user-chosen compiler links too; keep LDSHARED's flags (e.g. -bundle on macOS)
        ldshared = [*cc, *ldshared[1:]]
    cflags = shlex.split(sysconfig.get_config_var("CCSHARED") or "-fPIC")
    cflags += ["-O2", "-std=c99", "-Wall", f"-I{include}"]
    with tempfile.TemporaryDirectory() as tmp:
        obj = Path(tmp) / f"{MODULE}.o"
        steps = [
            [*cc, *cflags, "-c", str(source), "-o", str(obj)],
            [*ldshared, str(obj), "-o", str(target)],
        ]
        for command in steps:
            try:
                result = subprocess.run(command, capture_output=True, text=True, check=False)
            except OSError as exc:
                return f"{shlex.join(command)}: {exc}"
            if result.returncode != 0:
                return f"{shlex.join(command)}\n{result.stdout}{result.stderr}"
    return None


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Build the C scanner for wheels; never fail the build because of it."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        if os.environ.get("COOKIEGATE_PURE_PYTHON") == "1":
            self.app.display_info("cookiegate: COOKIEGATE_PURE_PYTHON=1, C scanner not built")
            return
        root = Path(self.root)
        source = root / SOURCE
        suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
        if version == "editable":
            target = source.with_name(MODULE + suffix)
        else:
            self._tmp = tempfile.TemporaryDirectory()
            target = Path(self._tmp.name) / (MODULE + suffix)
        error = _compile(source, target) if source.is_file() else f"{source} is missing"
        if error is not None:
            self.app.display_warning(
                "cookiegate: the C scanner could not be built; cookiegate will use its "
                f"pure-Python tokenizer (correct, slower).\n{error}"
            )
            return
        self.app.display_info(f"cookiegate: built C scanner {target.name}")
        if version != "editable":
            build_data["force_include"][str(target)] = f"cookiegate/html/{target.name}"
            build_data["pure_python"] = False
            build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()
