"""Built-in visitor-facing texts, per language.

Sites override any of them per language under ``texts:`` in the YAML file; the keys
below are the complete set, so a typo in an override is a start-up error rather than
a text that silently never shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

if TYPE_CHECKING:  # config.py validates overrides against TEXT_KEYS: avoid an import cycle
    from .config import Config

ENGLISH: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "We use cookies",
        "banner_text": (
            "We use cookies and similar technologies that are strictly necessary to run "
            "this site. With your consent we also use optional ones, for example to "
            "measure visits or show embedded content. You can change your choice at any time."
        ),
        "accept_all": "Accept all",
        "reject_all": "Reject all",
        "settings": "Settings",
        "policy_link": "Privacy policy",
        "preferences_title": "Cookie settings",
        "preferences_intro": (
            "Choose which optional cookies and third-party services this site may use. "
            "Strictly necessary cookies are always on because the site cannot work without them."
        ),
        "always_on": "Always on",
        "save": "Save my choices",
        "withdraw": "Withdraw consent",
        "status_undecided": "You have not made a choice yet.",
        "status_decided": "Your current choice is saved in this browser.",
        "consent_id": "Consent ID",
        "gpc_honored": "Opt-out preference signal honored",
        "do_not_sell": "Do not sell or share my personal information",
        "do_not_sell_help": (
            "Turns off cookies and services that sell or share your personal information "
            "for targeted advertising."
        ),
        "declaration_title": "Cookies and services used on this site",
        "col_service": "Service",
        "col_provider": "Provider",
        "col_cookies": "Cookies",
        "col_duration": "Duration",
        "col_purpose": "Purpose",
        "col_policy": "Privacy policy",
        "first_party": "This site",
        "placeholder_text": "This content is provided by {service}. Loading it may set cookies.",
        "placeholder_load": "Load {service}",
        "error_title": "Your choice could not be saved",
        "error_back": "Go back",
        "saved": "Your choices have been saved.",
        # Kept to two lines on a phone: the banner must stay under a third of the screen.
        "banner_gpc": (
            "Your opt-out preference signal (GPC) is honored: we do not sell or share "
            "your personal data."
        ),
        "status_title": "Your current choice",
        "allow": "Allow",
        "services": "Services",
        "category": "Category",
        "no_cookies": "None declared",
        "continue": "Continue to the page you were on",
        "placeholder_policy": "Privacy policy of {service}",
        "placeholder_blocked": (
            "Your opt-out preference signal is honored, so this content is not loaded. "
            "You can change this in the cookie settings."
        ),
        "error_text": (
            "Your choice could not be saved because the form expired or came from "
            "another site. Nothing has changed. You can repeat your choice below."
        ),
        "error_invalid": (
            "Your choice could not be saved because the form contained something this "
            "site does not recognise. Nothing has changed."
        ),
        "error_retry": "Repeat my choice",
        "not_found": "Not found.",
    }
)

#: Every key a site may override in ``texts:``.
TEXT_KEYS: frozenset[str] = frozenset(ENGLISH)

#: Built-in texts by language tag (lowercase primary subtag).
BUILTIN: Mapping[str, Mapping[str, str]] = MappingProxyType({"en": ENGLISH})

#: Primary subtags of languages written right to left, for ``<html dir>``.
RTL_LANGUAGES: frozenset[str] = frozenset(
    {"ar", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"}
)

# Accept-Language headers are visitor input; a few dozen entries are plenty to find a
# match, and capping keeps a hostile header from costing anything.
_MAX_ACCEPT_LANGUAGE = 4096


def primary_subtag(tag: str) -> str:
    """``"en"`` for ``"en-GB"``, ``"EN_us"`` or ``" en "``: languages match on this only."""
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


def available_languages(config: Config) -> frozenset[str]:
    """Languages with texts: the built-in ones plus any the site wrote ``texts:`` for."""
    return frozenset(BUILTIN) | {primary_subtag(lang) for lang in config.texts}


def resolve_texts(config: Config, lang: str) -> Mapping[str, str]:
    """Every text for ``lang``: built-in English, then built-in ``lang``, then overrides.

    English is the base layer so that a partial translation (or a site overriding only
    ``banner_title``) never leaves a key missing from a template.
    """
    primary = primary_subtag(lang)
    merged: dict[str, str] = dict(ENGLISH)
    merged.update(BUILTIN.get(primary, {}))
    for key, overrides in config.texts.items():
        if primary_subtag(key) == primary:
            merged.update(overrides)
    return MappingProxyType(merged)


def choose_language(config: Config, page_lang: str | None, accept_language: str | None) -> str:
    """The language to talk to the visitor in.

    The page's own ``<html lang>`` wins, because a banner in another language than
    the page around it reads as a mistake; then the browser's ``Accept-Language``
    in preference order; then the site's ``default_language``.
    """
    available = available_languages(config)
    if page_lang and primary_subtag(page_lang) in available:
        return primary_subtag(page_lang)
    for candidate in _accepted(accept_language):
        if candidate in available:
            return candidate
    return primary_subtag(config.default_language) or "en"


def text_direction(lang: str) -> Literal["ltr", "rtl"]:
    """The value of ``dir`` for a page in ``lang``."""
    return "rtl" if primary_subtag(lang) in RTL_LANGUAGES else "ltr"


def _accepted(header: str | None) -> list[str]:
    """Primary subtags from ``Accept-Language``, best first, without ``*`` or ``q=0``."""
    if not header or len(header) > _MAX_ACCEPT_LANGUAGE:
        return []
    parsed = parse_accept_header(header, LanguageAccept)
    ranked = sorted(
        ((value, quality) for value, quality in parsed if value != "*" and quality > 0),
        key=lambda item: -item[1],
    )
    return [primary_subtag(value) for value, _ in ranked]
