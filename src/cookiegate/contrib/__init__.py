"""Framework adapters: template helpers for Flask and Django.

cookiegate itself is plain WSGI middleware and needs no framework. These modules only
make the request's decision pleasant to use *inside* a framework's templates:

- :mod:`cookiegate.contrib.flask`: ``init_app(app, gate)`` / ``wrap(app, config)``;
- :mod:`cookiegate.contrib.django`: an ``INSTALLED_APPS`` entry with a context
  processor, the ``{% load cookiegate %}`` tag library and system checks.

Nothing here is imported by :mod:`cookiegate`, so the core never imports a framework
(WhiteNoise keeps its Django glue apart the same way). The helpers below are the part
both adapters share, so a footer link reads and behaves the same in either framework.

.. versionadded:: 0.1
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ..config import Config
from ..consent import Consent, get_consent, undecided, wsgi_text
from ..gpc import gpc_requested
from ..texts import choose_language, primary_subtag, resolve_texts

__all__ = ["cookie_settings_url", "settings_link_html", "standin_consent"]

# The characters views.py leaves unescaped in the URLs it builds: the footer link must
# be byte-identical to the URL the gate matches, or a prefix with a space would 404.
_URL_SAFE = "/?#[]@!$&'()*+,;=:%-._~"

#: The class on every rendered settings link, for sites that style it.
LINK_CLASS = "cookiegate-settings-link"


def cookie_settings_url(environ: Mapping[str, Any], preferences_path: str) -> str:
    """The preferences page as a root-relative URL, under the request's ``SCRIPT_NAME``.

    The gate serves its page under the prefix the application is mounted at, so a link
    built without it would leave a prefix-mounted site (``DispatcherMiddleware``,
    ``ProxyFix(x_prefix=1)``) pointing at somebody else's ``/cookie-settings``.
    """
    prefix = quote(wsgi_text(environ.get("SCRIPT_NAME", "")), safe=_URL_SAFE).rstrip("/")
    return prefix + quote(preferences_path, safe=_URL_SAFE)


def standin_consent(environ: Mapping[str, Any], config: Config) -> Consent:
    """The published consent, or an *undecided* one when no gate saw this request.

    An application runs without the gate in its own unit tests and in management
    commands. Templates should still render there, and "undecided" is the answer that
    can never switch on something the visitor refused: under ``opt-in`` it allows only
    required categories. ``Sec-GPC`` is still honoured, because it is in the request.
    """
    return get_consent(environ) or undecided(config, gpc=gpc_requested(environ))


def settings_link_html(
    url: str,
    config: Config,
    *,
    page_lang: str | None,
    accept_language: str | None,
    text: str | None = None,
) -> str:
    """An escaped ``<a>`` to the preferences page, labelled in the visitor's language.

    The label is the ``preferences_title`` text (built-in "Cookie settings", or the
    site's ``texts:`` override), chosen the way the banner chooses its language: the
    page's language, then ``Accept-Language``, then ``default_language``. When that is
    not the page's language the link carries ``lang``, so a screen reader pronounces an
    English label on a German page as English.
    """
    lang = choose_language(config, page_lang, accept_language)
    label = text if text is not None else resolve_texts(config, lang)["preferences_title"]
    attrs = f' href="{html.escape(url)}" class="{LINK_CLASS}"'
    if text is None and page_lang and primary_subtag(page_lang) != lang:
        attrs += f' lang="{html.escape(lang)}"'
    return f"<a{attrs}>{html.escape(label)}</a>"
