"""Entity tags that name the consent state a gated page was made for.

The app's ``ETag`` describes the page it rendered; the visitor receives that page
*gated*, which differs per consent state. If a conditional request (``If-None-Match``)
reached the app unchanged, the app could answer ``304 Not Modified`` after the visitor
changed their choice, and the browser would show a page gated for the old choice (or,
after a withdrawal, one with the trackers still in it). ``Vary: Cookie, Sec-GPC`` keeps
well-behaved caches apart; this keeps the rest honest:

* on HTML responses the app's tag gets a suffix naming the consent state:
  ``"abc"`` becomes ``"abc-cg1f2e3d4c"`` (and is then weakened, since the body changed);
* on requests, a tag with the *current* state's suffix is handed to the app without it,
  so the app can still answer 304; a tag for another state is removed, so it cannot.
"""

from __future__ import annotations

import hashlib
import re

from .consent import Consent

_SUFFIX = "-cg"
#: Characters of the consent variant an entity tag carries: a cache that mixed two
#: states up would need a 40-bit collision among one page's few states.
TAG_LENGTH = 10
_TAG = re.compile(r'\s*((?:W/)?"[^"]*")\s*(?:,|$)')


def consent_variant(consent: Consent) -> str:
    """A name for everything in ``consent`` that changes a gated page.

    It is the full SHA-256 of that state, so that tables keyed by it (the gate's
    decisions, the page memo, the CSP per consent) can never mistake one state for
    another; entity tags carry only its first :data:`TAG_LENGTH` characters.
    """
    variant = consent.variant_cache
    if variant is None:
        variant = _variant(consent)
        object.__setattr__(consent, "variant_cache", variant)  # a cache, not state
    return variant


def _variant(consent: Consent) -> str:
    parts = [
        ",".join(consent.granted_categories()),
        ",".join(sorted(s for s in consent.services if consent.allows_service(s))),
        "b" if consent.needs_banner else "",
        "g" if consent.gpc else "",
        # Selling/sharing off also removes load_before_consent services (consent mode).
        "s" if consent.sale_blocked else "",
    ]
    if consent.reask is not None:
        # The banner asks again, or about changed categories only: another page.
        parts.append(",".join((consent.reask, *consent.pending_changes())))
    if consent.regime is not None:
        # The law changes what is allowed before a decision (opt-out, a right to
        # object) and the app may render per law; the place alone changes nothing, so
        # visitors of every country under one rule share cached gate work.
        parts.append(consent.regime.law)
    state = "|".join(parts)
    return hashlib.sha256(state.encode("utf-8")).hexdigest()


def page_variant(page: object) -> str:
    """The consent variant of a gate's page: the one the request already computed when
    the page carries it (``page.variant``), else computed from ``page.consent``."""
    variant = getattr(page, "variant", None)
    if isinstance(variant, str):
        return variant
    consent = getattr(page, "consent")  # noqa: B009 - every gate page has one
    assert isinstance(consent, Consent)
    return consent_variant(consent)


def tag_etag(value: str, variant: str) -> str:
    """The app's ``ETag`` with the consent variant added inside the quotes."""
    stripped = value.strip()
    if not stripped.endswith('"') or '"' not in stripped[:-1]:
        return value  # not a valid entity tag: left for the header fix-ups to drop
    return f'{stripped[:-1]}{_SUFFIX}{variant[:TAG_LENGTH]}"'


def is_tagged_for(value: str, variant: str) -> bool:
    """Whether ``If-None-Match`` names a page gated for ``variant``."""
    return f'{_SUFFIX}{variant[:TAG_LENGTH]}"' in value


def untag_if_none_match(value: str, variant: str) -> str | None:
    """``If-None-Match`` as the app should see it, or None to drop the header.

    ``*`` is kept (it matches any current representation, whatever the gate does).
    """
    if value.strip() == "*":
        return value
    kept: list[str] = []
    suffix = f'{_SUFFIX}{variant[:TAG_LENGTH]}"'
    for match in _TAG.finditer(value):
        tag = match.group(1)
        if tag.endswith(suffix):
            kept.append(tag[: -len(suffix)] + '"')
        elif _SUFFIX not in tag:
            kept.append(tag)
    return ", ".join(kept) or None
