"""Run the command line as ``python -m cookiegate``."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
