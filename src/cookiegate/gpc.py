"""Global Privacy Control: reading ``Sec-GPC`` the way the specification requires.

The spec says a server must ignore the header unless its value is exactly ``1``.
Servers fold repeated headers into one comma-joined ``HTTP_SEC_GPC`` value, so each
comma-separated member is compared on its own: any exact ``1`` means the visitor sent
the signal. Anything else (``0``, ``true``, ``1;x``, garbage) is "no signal", never an
error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def gpc_requested(environ: Mapping[str, Any]) -> bool:
    """Whether the request carries a Global Privacy Control opt-out signal."""
    value = environ.get("HTTP_SEC_GPC")
    if not isinstance(value, str):
        return False
    return any(part.strip(" \t") == "1" for part in value.split(","))
