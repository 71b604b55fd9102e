"""``cookiegate check`` and ``cookiegate demo`` argument handling."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

import cookiegate.demo
from cookiegate.cli import main

GOOD = """\
revision: 2
jurisdiction: opt-out
undeclared_third_party: allow
categories:
  necessary: {title: Necessary, required: true}
  analytics: {title: Analytics}
  social: {title: Social, sale_or_share: true}
services:
  ga: {preset: google-analytics}
  yt: {preset: youtube}
cookies:
  - {name: session, category: necessary}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cookies.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_check_ok_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [
        f"{path}: OK",
        "jurisdiction: opt-out, revision 2",
        "undeclared third-party tags: allow",
        "categories:",
        "  necessary (required): 0 services, 1 cookie",
        "  analytics: 1 service [ga], 4 cookies",
        "  social (sale or share): 1 service [yt], 4 cookies",
    ]


def test_check_errors_go_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "revision: 0\nservices:\n  yt: {preset: youtube, category: socail}\n")
    assert main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"{path}:1: revision: must be at least 1, got 0",
        f"{path}:3: services.yt.category: 'socail' is not a declared category "
        "(did you mean 'social'?)",
    ]


def test_check_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "none.yaml")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_check_warns_about_overlaps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path,
        """\
        first_party_hosts: [static.example.com]
        services:
          wide: {category: functional, hosts: ["*.google.com", "*.example.com"]}
          narrow:
            category: analytics
            hosts: [www.google.com]
            cookies: [{name: "_ga*"}]
        cookies:
          - {name: _ga_x, category: analytics}
        """,
    )
    assert main(["check", str(path)]) == 0
    warnings = [line for line in capsys.readouterr().out.splitlines() if line.startswith("warn")]
    assert warnings == [
        "warning: host patterns '*.google.com' (service 'wide') and 'www.google.com' "
        "(service 'narrow') overlap; the more specific pattern wins, so check that is intended",
        "warning: host patterns '*.example.com' (service 'wide') and 'static.example.com' "
        "(first_party_hosts) overlap; the more specific pattern wins, so check that is intended",
        "warning: cookie '_ga_x' (cookies) and '_ga*' (service 'narrow') cover the same cookie "
        "names; keep one declaration",
    ]


def test_check_without_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(write(tmp_path, GOOD))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(": OK")
    assert not [line for line in out if line.startswith("warning:")]


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "usage: cookiegate" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["demo"], {"host": "127.0.0.1", "port": 8000, "config": None}),
        (
            ["demo", "--host", "0.0.0.0", "--port", "9001", "--config", "site.yaml"],
            {"host": "0.0.0.0", "port": 9001, "config": "site.yaml"},
        ),
    ],
)
def test_demo_arguments(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: dict[str, Any]
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_main(**kwargs: Any) -> int:
        calls.append(kwargs)
        return 7

    monkeypatch.setattr(cookiegate.demo, "main", fake_main)
    assert main(argv) == 7
    assert calls == [expected]


def test_demo_rejects_bad_port(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--port", "http"])
    assert "invalid int value" in capsys.readouterr().err


def test_check_names_the_optional_features_a_file_turns_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cookies.yaml"
    path.write_text(
        "categories:\n  necessary: {title: Necessary, required: true}\n"
        "  analytics: {title: Analytics}\n"
        "consent_log: postgresql://site:secret@db.internal/consent\n"
        "csp: report-only\n"
        "jurisdictions:\n  header: CF-IPCountry\n  rules:\n"
        "    - {where: [EEA], mode: opt-in}\n    - {where: [US-CA], mode: opt-out}\n"
    )
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "jurisdictions: 2 rules on header CF-IPCountry, default opt-in" in out
    assert "consent log: postgresql://site:***@db.internal/consent" in out
    assert "secret" not in out
    assert "content security policy: report-only" in out
    assert "google consent mode" not in out
