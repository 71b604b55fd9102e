"""``{% load cookiegate %}``: a footer link to the preferences page, and consent filters.

::

    {% load cookiegate %}
    <footer>{% cookie_settings_link %}</footer>

    {% if consent|allows:"analytics" %}{% include "analytics_dashboard_widget.html" %}{% endif %}
    {% if consent|allows_service:"youtube" %}...{% else %}...{% endif %}

Consent is tested with *filters* inside Django's own ``{% if %}`` rather than with a
custom block tag: ``{% else %}``, ``{% elif %}``, ``and``/``or``/``not`` then work as
everywhere else in Django, and there is no second syntax to learn. ``consent`` comes
from the context processor; a missing or non-consent value allows nothing.

Gating in templates is for first-party features. Third-party tags need nothing: the
gate removes them from the HTML whatever the template does.
"""

from __future__ import annotations

from typing import Any

from django import template  # type: ignore[import-untyped]
from django.utils import translation  # type: ignore[import-untyped]
from django.utils.safestring import mark_safe  # type: ignore[import-untyped]

from ....consent import Consent, undecided
from ... import cookie_settings_url, settings_link_html
from .. import fallback_config, request_consent

register = template.Library()


def cookie_settings_link(context: Any, text: str | None = None) -> Any:
    """``{% cookie_settings_link %}`` or ``{% cookie_settings_link "Manage cookies" %}``.

    An ``<a class="cookiegate-settings-link">`` to the preferences page. Its default
    label is cookiegate's "Cookie settings" text in the active Django language when the
    site's ``texts:`` has one, else chosen like the banner's (``Accept-Language``, then
    ``default_language``), marked with ``lang`` when it differs from the page.
    """
    consent, meta = _consent_and_meta(context)
    html = settings_link_html(
        cookie_settings_url(meta, consent.config.preferences_path),
        consent.config,
        page_lang=translation.get_language(),
        accept_language=meta.get("HTTP_ACCEPT_LANGUAGE"),
        text=None if text is None else str(text),
    )
    return mark_safe(html)  # every part is escaped by settings_link_html


def settings_url_tag(context: Any) -> str:
    """``{% cookie_settings_url %}``: the bare URL, for links with your own markup."""
    consent, meta = _consent_and_meta(context)
    return cookie_settings_url(meta, consent.config.preferences_path)


def allows(consent: object, category: object) -> bool:
    """``consent|allows:"analytics"``: whether the visitor allows the category."""
    return isinstance(consent, Consent) and consent.allows(str(category))


def allows_service(consent: object, service: object) -> bool:
    """``consent|allows_service:"youtube"``: whether the visitor allows the service."""
    return isinstance(consent, Consent) and consent.allows_service(str(service))


def _consent_and_meta(context: Any) -> tuple[Consent, dict[str, Any]]:
    # A RequestContext carries the request; a plain Context (an e-mail body, say) has
    # none, and then the link is built from the settings alone.
    request = getattr(context, "request", None)
    if request is None:
        return undecided(fallback_config()), {}
    return request_consent(request), request.META


# Registered by call rather than by decorator: Django is untyped, and a decorator from
# an untyped library would erase these functions' signatures for mypy.
register.simple_tag(cookie_settings_link, takes_context=True, name="cookie_settings_link")
register.simple_tag(settings_url_tag, takes_context=True, name="cookie_settings_url")
register.filter("allows", allows)
register.filter("allows_service", allows_service)
