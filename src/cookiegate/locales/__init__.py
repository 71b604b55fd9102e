"""The built-in translations of cookiegate's visitor-facing texts, one module per language.

Each module holds a single ``TEXTS`` mapping with exactly the keys of
:data:`cookiegate.texts.TEXT_KEYS`, and nothing else: plain data that a translator can
review without reading any code. Modules are named by the language's BCP 47 primary
subtag; Icelandic is ``is_`` only because ``is`` is a Python keyword.

English lives in :mod:`cookiegate.texts` because it is the reference every translation
is checked against. A module's docstring records which regulator's vocabulary it follows,
so that a reviewer knows what "correct" means for that language.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from . import (
    ar,
    bg,
    cs,
    da,
    de,
    el,
    es,
    et,
    fi,
    fr,
    ga,
    hr,
    hu,
    is_,
    it,
    ja,
    lt,
    lv,
    mt,
    nb,
    nl,
    pl,
    pt,
    ro,
    sk,
    sl,
    sv,
    tr,
    uk,
    zh,
)

#: Translations by language key (see :func:`cookiegate.texts.language_key`).
TRANSLATIONS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "ar": ar.TEXTS,
        "bg": bg.TEXTS,
        "cs": cs.TEXTS,
        "da": da.TEXTS,
        "de": de.TEXTS,
        "el": el.TEXTS,
        "es": es.TEXTS,
        "et": et.TEXTS,
        "fi": fi.TEXTS,
        "fr": fr.TEXTS,
        "ga": ga.TEXTS,
        "hr": hr.TEXTS,
        "hu": hu.TEXTS,
        "is": is_.TEXTS,
        "it": it.TEXTS,
        "ja": ja.TEXTS,
        "lt": lt.TEXTS,
        "lv": lv.TEXTS,
        "mt": mt.TEXTS,
        "nb": nb.TEXTS,
        "nl": nl.TEXTS,
        "pl": pl.TEXTS,
        "pt": pt.TEXTS,
        "ro": ro.TEXTS,
        "sk": sk.TEXTS,
        "sl": sl.TEXTS,
        "sv": sv.TEXTS,
        "tr": tr.TEXTS,
        "uk": uk.TEXTS,
        "zh": zh.TEXTS,
    }
)
