"""WSGI entry point: the Django site, wrapped in cookiegate.

cookiegate is the outermost layer of the application, outside all of Django's
middleware, so it sees the final HTML. Compression, if any, goes outside it (the web
server, or a WSGI middleware wrapping ``application``). The consent cookie's key comes
from ``COOKIEGATE_SECRET_KEY``, identical for every worker process.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

from cookiegate import CookieGate

BASE_DIR = Path(__file__).resolve().parent.parent

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "framesite.settings")

application = CookieGate(get_wsgi_application(), BASE_DIR / "cookies.yaml")
