"""Google Consent Mode v2: Google tags start in the state the visitor chose.

Opt-in, with ``google_consent_mode:`` in the YAML file (docs/consent-mode.md). Without
it nothing here runs, and the gate's answer to a tag the visitor has not allowed stays
what it always is: the tag is removed.

With it, every gated page that has a script gets one more, placed before its first
``<script>``, so it runs before any Google tag can read the state::

    <script nonce="..." data-cookiegate-consent-mode='{"ad_storage":"denied",...}'>
    (function(){(window.dataLayer=window.dataLayer||[]).push(arguments)})('consent','default',
    JSON.parse(document.currentScript.getAttribute('data-cookiegate-consent-mode')));</script>

Design choices:

- The state travels in the attribute and the code never changes, so the script has one
  hash (:data:`SCRIPT_HASHES`) whatever the visitor chose: a site with a hash-based
  Content-Security-Policy can allow it once.
- The code pushes an ``arguments`` object, which is what ``gtag()`` does (gtag.js ignores
  plain arrays), without declaring a global ``gtag`` function: a page that later
  declares ``let gtag`` or ``const gtag`` would otherwise fail with a redeclaration error.
- The nonce is the application's own: taken from the ``script-src`` (or
  ``script-src-elem``, or ``default-src``) of the Content-Security-Policy the response
  carries. If the application's policy would block the script anyway (it restricts
  inline scripts, has no nonce and does not list the hash), that is logged once, and on
  such pages the services in ``load_before_consent`` are gated like any other, since
  they would start with no state at all, which gtag reads as "granted".
- The state comes from the stored choice and ``Sec-GPC``: a type is ``granted`` when
  every category or service it is mapped to is allowed; the advertising types
  (``ad_storage``, ``ad_user_data``, ``ad_personalization``) are ``denied`` whenever
  selling or sharing is off (GPC, "Do not sell or share"), whatever they are mapped to.
- No ``update`` command is ever needed: every decision is a form POST followed by a new
  page, which starts with the new default.

.. versionadded:: 0.2
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .config import Config, GoogleConsentMode
from .consent import Consent

if TYPE_CHECKING:
    from .csp import AppPolicies

logger = logging.getLogger("cookiegate")

#: Marks the script cookiegate injects; it carries the state, and lets a second pass of
#: the gate (or a page that cached an old copy) be recognised: such copies are replaced.
ATTRIBUTE = "data-cookiegate-consent-mode"

#: The script's code: the same on every page, for every state.
SCRIPT = (
    "(function(){(window.dataLayer=window.dataLayer||[]).push(arguments)})"
    f"('consent','default',JSON.parse(document.currentScript.getAttribute('{ATTRIBUTE}')));"
)

#: ``'sha256-...'`` (and sha384, sha512) sources that allow :data:`SCRIPT` in a policy.
SCRIPT_HASHES: dict[str, str] = {
    name: "'{}-{}'".format(
        name, base64.b64encode(hashlib.new(name, SCRIPT.encode("ascii")).digest()).decode("ascii")
    )
    for name in ("sha256", "sha384", "sha512")
}

_AD_TYPES = frozenset({"ad_storage", "ad_user_data", "ad_personalization"})
_STATE_CACHE_LIMIT = 256


def consent_state(settings: GoogleConsentMode, consent: Consent) -> dict[str, str]:
    """Each Google consent type as ``"granted"`` or ``"denied"`` for this visitor."""
    state: dict[str, str] = {}
    for name, refs in settings.types:
        granted = bool(refs) and all(_allows(consent, ref) for ref in refs)
        if name in _AD_TYPES and consent.sale_blocked:
            granted = False
        state[name] = "granted" if granted else "denied"
    return state


def _allows(consent: Consent, ref: str) -> bool:
    if consent.config.category(ref) is not None:
        return consent.allows(ref)
    return consent.allows_service(ref)


def loads_before_consent(config: Config, service: str, consent: Consent) -> bool:
    """Whether ``service``'s scripts stay on the page although the visitor has not
    allowed it (``load_before_consent``), to run in the denied state.

    Never while selling or sharing is off (GPC, "Do not sell or share") for a service
    in a ``sale_or_share`` category: that opt-out removes the service entirely.
    """
    settings = config.google_consent_mode
    if settings is None or service not in settings.load_before_consent:
        return False
    spec = config.service(service)
    if spec is None:
        return False
    return not (spec.category in config.sale_or_share_categories and consent.sale_blocked)


@dataclass(frozen=True, slots=True)
class Prelude:
    """The script for one response, and whether the application's policy lets it run."""

    markup: str
    runs: bool


class ConsentMode:
    """Builds the consent-mode script of each response for one configuration."""

    def __init__(self, settings: GoogleConsentMode) -> None:
        self.settings = settings
        self._states: dict[str, str] = {}
        self._warned = False

    def prelude(self, consent: Consent, variant: str, app: AppPolicies) -> Prelude:
        """The script for a response to this visitor, with the application's nonce.

        ``variant`` is :func:`cookiegate.etags.consent_variant` of ``consent``, which
        names everything the state depends on, so the state is computed once per variant.
        """
        nonce = app.script_nonce
        runs = app.allows_inline_script(nonce=nonce, hashes=SCRIPT_HASHES.values())
        if not runs and not self._warned:
            self._warned = True
            logger.warning(
                "cookiegate: the application's Content-Security-Policy blocks the inline"
                " Google Consent Mode script, so Google tags would start without a consent"
                " state; on such pages the load_before_consent services are removed until"
                " allowed. Put a nonce in script-src (cookiegate reuses it) or allow %s.",
                SCRIPT_HASHES["sha256"],
            )
        return Prelude(markup=self.markup(self._state(consent, variant), nonce), runs=runs)

    def _state(self, consent: Consent, variant: str) -> str:
        state = self._states.get(variant)
        if state is None:
            state = json.dumps(consent_state(self.settings, consent), separators=(",", ":"))
            if len(self._states) >= _STATE_CACHE_LIMIT:
                self._states.clear()
            self._states[variant] = state
        return state

    @staticmethod
    def markup(state: str, nonce: str | None) -> str:
        """The ``<script>`` element. ``state`` is JSON without ``'``, ``&`` or ``<``
        (fixed names and values), so it sits in a single-quoted attribute as it is; a
        nonce is base64 (checked where it is parsed)."""
        nonce_attr = "" if nonce is None else f' nonce="{nonce}"'
        return f"<script{nonce_attr} {ATTRIBUTE}='{state}'>{SCRIPT}</script>"
