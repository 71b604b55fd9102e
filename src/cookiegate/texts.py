"""Built-in visitor-facing texts, per language.

Sites override any of them per language under ``texts:`` in the YAML file; the keys
below are the complete set, so a typo in an override is a start-up error rather than
a text that silently never shows.

English is written here, as the reference; the translations are plain data in
:mod:`cookiegate.locales`. This module decides which language a visitor sees
(:func:`choose_language`) and layers a site's overrides on the built-in texts
(:func:`resolve_texts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from .locales import TRANSLATIONS

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
        # The re-consent banner: the visitor's choice stands except for the categories
        # listed under this text, which changed since they granted them.
        "reconsent_title": "We have changed some of our cookies",
        "reconsent_text": (
            "Since your last choice, we have changed what the categories below do. "
            "Do you allow them? Your other choices stay as they are."
        ),
        "reconsent_accept": "Accept",
        "reconsent_reject": "Reject",
        "category_changed": "Changed since your last choice",
    }
)

#: Every key a site may override in ``texts:``.
TEXT_KEYS: frozenset[str] = frozenset(ENGLISH)

#: Built-in texts by language key (see :func:`language_key`): English and every
#: translation in :mod:`cookiegate.locales`.
BUILTIN: Mapping[str, Mapping[str, str]] = MappingProxyType({"en": ENGLISH, **TRANSLATIONS})

#: Primary subtags of languages written right to left, for ``<html dir>``.
RTL_LANGUAGES: frozenset[str] = frozenset(
    {"ar", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"}
)

# Where a language has no texts of its own, the one its readers read as well. Nynorsk
# readers all read Bokmål; Traditional Chinese readers read Simplified far more easily
# than the English they would otherwise get. A site's own texts for the first language
# always win over the fallback.
_FALLBACK: Mapping[str, str] = MappingProxyType({"nn": "nb", "zh-hant": "zh"})

# Regions whose Chinese is written in Traditional characters when no script is given.
_HANT_REGIONS = frozenset({"tw", "hk", "mo"})

# Accept-Language headers are visitor input; a few dozen entries are plenty to find a
# match, and capping keeps a hostile header from costing anything.
_MAX_ACCEPT_LANGUAGE = 4096


def primary_subtag(tag: str) -> str:
    """``"en"`` for ``"en-GB"``, ``"EN_us"`` or ``" en "``."""
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


def language_key(tag: str) -> str:
    """The key texts for ``tag`` are stored and looked up under.

    Mostly the primary subtag: a regional variant (``de-AT``, ``pt-BR``) reads the same
    texts. Two exceptions follow what readers can read: ``no`` (the Norwegian
    macrolanguage, in practice Bokmål) is ``nb``, and Chinese is split by script, since
    Simplified and Traditional characters are different writing systems, not spellings:
    ``zh-Hant``, ``zh-TW``, ``zh-HK`` and ``zh-MO`` are ``zh-hant``, everything else
    (``zh``, ``zh-Hans``, ``zh-CN``, ``zh-SG``) is ``zh``.
    """
    subtags = tag.strip().replace("_", "-").lower().split("-")
    primary = subtags[0]
    if primary == "no":
        return "nb"
    if primary == "zh":
        rest = set(subtags[1:])
        traditional = "hant" in rest or ("hans" not in rest and bool(rest & _HANT_REGIONS))
        return "zh-hant" if traditional else "zh"
    return primary


def available_languages(config: Config) -> frozenset[str]:
    """Language keys with texts: the built-in ones plus any the site wrote ``texts:`` for."""
    return frozenset(BUILTIN) | {language_key(tag) for tag in config.texts}


def fallback_chain(lang: str) -> tuple[str, ...]:
    """``lang``'s key, then the key of the language its readers also read, if any."""
    key = language_key(lang)
    fallback = _FALLBACK.get(key)
    return (key, fallback) if fallback else (key,)


def resolve_texts(config: Config, lang: str) -> Mapping[str, str]:
    """Every text for ``lang``: built-in English, then built-in ``lang``, then overrides.

    English is the base layer so that a site's partial translation of a language
    cookiegate does not ship (or a template override asking for a new key) never
    leaves a key missing. Between English and ``lang`` sits the fallback language
    (Bokmål under Nynorsk), so a partial Nynorsk override is completed in Bokmål.
    """
    merged: dict[str, str] = dict(ENGLISH)
    for key in reversed(fallback_chain(lang)):
        merged.update(BUILTIN.get(key, {}))
        for tag, overrides in config.texts.items():
            if language_key(tag) == key:
                merged.update(overrides)
    return MappingProxyType(merged)


def choose_language(config: Config, page_lang: str | None, accept_language: str | None) -> str:
    """The language key to talk to the visitor in.

    The page's own ``<html lang>`` wins: a banner in another language than the page
    around it is one the EDPB's guidelines on deceptive design patterns warn about,
    and the site chose that page for this visitor. Then the browser's
    ``Accept-Language`` in preference order (``*`` stands for the site's default);
    then the site's ``default_language``; and English if even that has no texts.
    """
    available = available_languages(config)
    if page_lang:
        match = _match(page_lang, available)
        if match is not None:
            return match
    accepted, refused = _accepted(accept_language, config.default_language)
    for candidate in accepted:
        match = _match(candidate, available)
        if match is not None and match not in refused:
            return match
    return _match(config.default_language, available) or "en"


def text_direction(lang: str) -> Literal["ltr", "rtl"]:
    """The value of ``dir`` for a page in ``lang``."""
    return "rtl" if primary_subtag(lang) in RTL_LANGUAGES else "ltr"


def _match(tag: str, available: frozenset[str]) -> str | None:
    """The first key in ``tag``'s fallback chain that has texts."""
    return next((key for key in fallback_chain(tag) if key in available), None)


def _accepted(header: str | None, default: str) -> tuple[list[str], frozenset[str]]:
    """Tags from ``Accept-Language`` best first, and the keys it refuses (``q=0``).

    ``*`` means "any other language", so it ranks the site's default language at its
    own quality value, ahead of languages the visitor likes less.
    """
    if not header or len(header) > _MAX_ACCEPT_LANGUAGE:
        return [], frozenset()
    parsed = parse_accept_header(header, LanguageAccept)
    ranked = sorted(
        ((default if value == "*" else value, quality) for value, quality in parsed),
        key=lambda item: -item[1],
    )
    refused = frozenset(language_key(value) for value, quality in ranked if quality <= 0)
    return [value for value, quality in ranked if quality > 0], refused
