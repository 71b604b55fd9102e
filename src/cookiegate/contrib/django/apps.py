"""The Django app behind the ``"cookiegate.contrib.django"`` ``INSTALLED_APPS`` entry.

Being an installed app is what makes ``{% load cookiegate %}`` work (Django looks for tag
libraries in installed apps' ``templatetags`` packages) and lets ``manage.py check``
report deployment mistakes before a visitor meets them.
"""

from __future__ import annotations

from django.apps import AppConfig  # type: ignore[import-untyped]
from django.core import checks  # type: ignore[import-untyped]


class CookieGateAppConfig(AppConfig):  # type: ignore[misc]  # AppConfig is untyped
    """App registry entry; named so it is not mistaken for :class:`cookiegate.Config`."""

    name = "cookiegate.contrib.django"
    # The label must be unique among installed apps; "django" would clash with nothing
    # today but reads as Django's own, so the product name is used.
    label = "cookiegate"
    verbose_name = "cookiegate"

    def ready(self) -> None:
        from .checks import check_settings

        checks.register(check_settings, checks.Tags.compatibility)
