"""German texts.

Terms follow the DSK (the German data protection conference) and the German text of
the GDPR: "Einwilligung" for consent, "personenbezogene Daten", "Datenschutzerklärung";
the two banner buttons use the same verb pattern ("Alle akzeptieren" / "Alle ablehnen")
so neither reads as the default. The visitor is addressed formally ("Sie").
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Wir verwenden Cookies",
        "banner_text": (
            "Wir verwenden unbedingt erforderliche Cookies. Mit Ihrer Einwilligung auch "
            "optionale, etwa um Besuche zu messen oder eingebettete Inhalte anzuzeigen. "
            "Sie können Ihre Auswahl jederzeit ändern."
        ),
        "accept_all": "Alle akzeptieren",
        "reject_all": "Alle ablehnen",
        "settings": "Einstellungen",
        "policy_link": "Datenschutzerklärung",
        "preferences_title": "Cookie-Einstellungen",
        "preferences_intro": (
            "Wählen Sie, welche optionalen Cookies und Dienste von Drittanbietern diese Website "
            "verwenden darf. Unbedingt erforderliche Cookies sind immer aktiv, weil die Website "
            "ohne sie nicht funktioniert."
        ),
        "always_on": "Immer aktiv",
        "save": "Auswahl speichern",
        "withdraw": "Einwilligung widerrufen",
        "status_undecided": "Sie haben noch keine Auswahl getroffen.",
        "status_decided": "Ihre aktuelle Auswahl ist in diesem Browser gespeichert.",
        "consent_id": "Einwilligungs-ID",
        "gpc_honored": "Opt-out-Präferenzsignal berücksichtigt",
        "do_not_sell": "Meine personenbezogenen Daten nicht verkaufen oder weitergeben",
        "do_not_sell_help": (
            "Schaltet Cookies und Dienste ab, die Ihre personenbezogenen Daten für zielgerichtete "
            "Werbung verkaufen oder weitergeben."
        ),
        "declaration_title": "Auf dieser Website verwendete Cookies und Dienste",
        "col_service": "Dienst",
        "col_provider": "Anbieter",
        "col_cookies": "Cookies",
        "col_duration": "Speicherdauer",
        "col_purpose": "Zweck",
        "col_policy": "Datenschutzerklärung",
        "first_party": "Diese Website",
        "placeholder_text": (
            "Dieser Inhalt wird von {service} bereitgestellt. Beim Laden können Cookies gesetzt "
            "werden."
        ),
        "placeholder_load": "{service} laden",
        "error_title": "Ihre Auswahl konnte nicht gespeichert werden",
        "error_back": "Zurück",
        "saved": "Ihre Auswahl wurde gespeichert.",
        "banner_gpc": (
            "Ihr Opt-out-Signal (GPC) wird beachtet: kein Verkauf und keine Weitergabe Ihrer Daten."
        ),
        "status_title": "Ihre aktuelle Auswahl",
        "allow": "Erlauben",
        "services": "Dienste",
        "category": "Kategorie",
        "no_cookies": "Keine angegeben",
        "continue": "Zurück zur Seite, auf der Sie waren",
        "placeholder_policy": "Datenschutzerklärung von {service}",
        "placeholder_blocked": (
            "Ihr Opt-out-Präferenzsignal wird berücksichtigt, daher wird dieser Inhalt nicht "
            "geladen. Sie können das in den Cookie-Einstellungen ändern."
        ),
        "error_text": (
            "Ihre Auswahl konnte nicht gespeichert werden, weil das Formular abgelaufen ist oder "
            "von einer anderen Website stammt. Es wurde nichts geändert. Sie können Ihre Auswahl "
            "unten wiederholen."
        ),
        "error_invalid": (
            "Ihre Auswahl konnte nicht gespeichert werden, weil das Formular etwas enthielt, das "
            "diese Website nicht erkennt. Es wurde nichts geändert."
        ),
        "error_retry": "Auswahl wiederholen",
        "not_found": "Nicht gefunden.",
        "reconsent_title": "Wir haben einige Cookies geändert",
        "reconsent_text": (
            "Seit Ihrer letzten Auswahl haben wir geändert, wofür wir die folgenden Kategorien "
            "verwenden. Erlauben Sie diese? Ihre übrige Auswahl bleibt unverändert."
        ),
        "reconsent_accept": "Akzeptieren",
        "reconsent_reject": "Ablehnen",
        "category_changed": "Seit Ihrer letzten Auswahl geändert",
    }
)
