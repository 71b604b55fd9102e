"""Estonian texts.

Terms follow the Estonian Data Protection Inspectorate (AKI): "küpsised", "nõusolek",
"isikuandmed". The visitor is addressed with the polite plural "teie". {service}
follows a colon where Estonian would otherwise inflect the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Kasutame küpsiseid",
        "banner_text": (
            "Kasutame küpsiseid ja sarnaseid tehnoloogiaid, mis on selle veebisaidi toimimiseks "
            "hädavajalikud. Teie nõusolekul kasutame ka valikulisi küpsiseid, näiteks külastuste "
            "mõõtmiseks või manustatud sisu näitamiseks. Saate oma valikut igal ajal muuta."
        ),
        "accept_all": "Nõustu kõigiga",
        "reject_all": "Keeldu kõigist",
        "settings": "Seaded",
        "policy_link": "Privaatsuspoliitika",
        "preferences_title": "Küpsiste seaded",
        "preferences_intro": (
            "Valige, milliseid valikulisi küpsiseid ja kolmandate osapoolte teenuseid see "
            "veebisait võib kasutada. Hädavajalikud küpsised on alati sees, sest veebisait ei "
            "tööta ilma nendeta."
        ),
        "always_on": "Alati sees",
        "save": "Salvesta minu valikud",
        "withdraw": "Võta nõusolek tagasi",
        "status_undecided": "Te pole veel valikut teinud.",
        "status_decided": "Teie praegune valik on salvestatud selles brauseris.",
        "consent_id": "Nõusoleku ID",
        "gpc_honored": "Loobumise eelistussignaali järgitakse",
        "do_not_sell": "Ära müü ega jaga minu isikuandmeid",
        "do_not_sell_help": (
            "Lülitab välja küpsised ja teenused, mis müüvad või jagavad teie isikuandmeid sihitud "
            "reklaami jaoks."
        ),
        "declaration_title": "Sellel veebisaidil kasutatavad küpsised ja teenused",
        "col_service": "Teenus",
        "col_provider": "Pakkuja",
        "col_cookies": "Küpsised",
        "col_duration": "Kestus",
        "col_purpose": "Eesmärk",
        "col_policy": "Privaatsuspoliitika",
        "first_party": "See veebisait",
        "placeholder_text": (
            "Selle sisu pakub {service}. Sisu laadimisel võidakse salvestada küpsiseid."
        ),
        "placeholder_load": "Laadi sisu: {service}",
        "error_title": "Teie valikut ei õnnestunud salvestada",
        "error_back": "Mine tagasi",
        "saved": "Teie valikud on salvestatud.",
        "banner_gpc": (
            "Teie loobumise eelistussignaali (GPC) järgitakse: me ei müü ega jaga teie "
            "isikuandmeid."
        ),
        "status_title": "Teie praegune valik",
        "allow": "Luba",
        "services": "Teenused",
        "category": "Kategooria",
        "no_cookies": "Pole märgitud",
        "continue": "Naase lehele, kus olite",
        "placeholder_policy": "Privaatsuspoliitika: {service}",
        "placeholder_blocked": (
            "Teie loobumise eelistussignaali järgitakse, seetõttu seda sisu ei laadita. Saate seda "
            "muuta küpsiste seadetes."
        ),
        "error_text": (
            "Teie valikut ei õnnestunud salvestada, sest vorm aegus või pärines teiselt "
            "veebisaidilt. Midagi ei muudetud. Saate oma valikut allpool korrata."
        ),
        "error_invalid": (
            "Teie valikut ei õnnestunud salvestada, sest vorm sisaldas midagi, mida see veebisait "
            "ei tunne. Midagi ei muudetud."
        ),
        "error_retry": "Korda minu valikut",
        "not_found": "Ei leitud.",
        "reconsent_title": "Muutsime mõnda oma küpsist",
        "reconsent_text": (
            "Pärast Teie viimast valikut muutsime, mida allpool olevad kategooriad teevad. Kas "
            "lubate neid? Teie muud valikud jäävad samaks."
        ),
        "reconsent_accept": "Nõustu",
        "reconsent_reject": "Keeldu",
        "category_changed": "Muudetud pärast Teie viimast valikut",
    }
)
