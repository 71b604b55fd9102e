"""Settings for the Frame & Margin Django example.

Only what the site needs: no database (the basket lives in Django's signed-cookie
session, so the session cookie ``sessionid`` is the whole basket), the cookiegate app for
its template tags and checks, and its context processor.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Signs Django's own session and CSRF cookies, not cookiegate's (COOKIEGATE_SECRET_KEY).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50)
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "cookiegate.contrib.django",
    "framesite",
]

# No GZipMiddleware: cookiegate wraps this whole stack in wsgi.py, so compression inside
# it would have to be undone (manage.py check warns: cookiegate.W001).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "framesite.urls"
WSGI_APPLICATION = "framesite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "cookiegate.contrib.django.context_processor",
                "framesite.views.site_context",
            ],
        },
    },
]

DATABASES: dict[str, dict[str, str]] = {}
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_SAMESITE = "Lax"

# The same file wsgi.py gives the gate: templates rendered without the gate (the Django
# test client, management commands) then know the site's categories.
COOKIEGATE_CONFIG = BASE_DIR / "cookies.yaml"

LANGUAGE_CODE = "en"
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
# One stylesheet for both example sites.
STATICFILES_DIRS = [BASE_DIR.parent / "flask_site" / "static"]
