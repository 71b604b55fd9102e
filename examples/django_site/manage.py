#!/usr/bin/env python
"""Django's command-line utility for the Frame & Margin example site.

``python manage.py runserver`` serves ``framesite.wsgi.application``, the site wrapped in
cookiegate. For a local run without ``COOKIEGATE_SECRET_KEY`` it sets a throwaway key,
and says so: consent choices are then forgotten on restart. ``wsgi.py`` itself never
invents a key, so a production server without one fails at start-up.
"""

from __future__ import annotations

import os
import secrets
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "framesite.settings")
    if not os.environ.get("COOKIEGATE_SECRET_KEY"):
        # Set in the environment so runserver's auto-reloading child uses the same key.
        os.environ["COOKIEGATE_SECRET_KEY"] = secrets.token_urlsafe(32)
        print("COOKIEGATE_SECRET_KEY is not set: using a throwaway key for this run.")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
