"""Dutch texts.

Terms follow the Autoriteit Persoonsgegevens: "toestemming", "persoonsgegevens",
"privacyverklaring"; "Alles accepteren" and "Alles weigeren" carry the same weight.
The visitor is addressed as "u".
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Wij gebruiken cookies",
        "banner_text": (
            "Wij gebruiken cookies en vergelijkbare technieken die strikt noodzakelijk zijn voor "
            "deze website. Met uw toestemming ook optionele cookies, bijvoorbeeld om bezoeken te "
            "meten of ingesloten inhoud te tonen. U kunt uw keuze altijd wijzigen."
        ),
        "accept_all": "Alles accepteren",
        "reject_all": "Alles weigeren",
        "settings": "Instellingen",
        "policy_link": "Privacyverklaring",
        "preferences_title": "Cookie-instellingen",
        "preferences_intro": (
            "Kies welke optionele cookies en diensten van derden deze website mag gebruiken. "
            "Strikt noodzakelijke cookies staan altijd aan, omdat de website zonder deze cookies "
            "niet werkt."
        ),
        "always_on": "Altijd aan",
        "save": "Mijn keuzes opslaan",
        "withdraw": "Toestemming intrekken",
        "status_undecided": "U hebt nog geen keuze gemaakt.",
        "status_decided": "Uw huidige keuze is opgeslagen in deze browser.",
        "consent_id": "Toestemmings-ID",
        "gpc_honored": "Voorkeurssignaal voor opt-out gerespecteerd",
        "do_not_sell": "Mijn persoonsgegevens niet verkopen of delen",
        "do_not_sell_help": (
            "Zet cookies en diensten uit die uw persoonsgegevens verkopen of delen voor gerichte "
            "advertenties."
        ),
        "declaration_title": "Cookies en diensten die deze website gebruikt",
        "col_service": "Dienst",
        "col_provider": "Aanbieder",
        "col_cookies": "Cookies",
        "col_duration": "Bewaartermijn",
        "col_purpose": "Doel",
        "col_policy": "Privacyverklaring",
        "first_party": "Deze website",
        "placeholder_text": (
            "Deze inhoud wordt aangeboden door {service}. Bij het laden kunnen cookies worden "
            "geplaatst."
        ),
        "placeholder_load": "{service} laden",
        "error_title": "Uw keuze kon niet worden opgeslagen",
        "error_back": "Terug",
        "saved": "Uw keuzes zijn opgeslagen.",
        "banner_gpc": (
            "Uw opt-outsignaal (GPC) wordt gerespecteerd: wij verkopen of delen uw "
            "persoonsgegevens niet."
        ),
        "status_title": "Uw huidige keuze",
        "allow": "Toestaan",
        "services": "Diensten",
        "category": "Categorie",
        "no_cookies": "Geen opgegeven",
        "continue": "Terug naar de pagina waar u was",
        "placeholder_policy": "Privacyverklaring van {service}",
        "placeholder_blocked": (
            "Uw voorkeurssignaal voor opt-out wordt gerespecteerd, daarom wordt deze inhoud niet "
            "geladen. U kunt dit wijzigen in de cookie-instellingen."
        ),
        "error_text": (
            "Uw keuze kon niet worden opgeslagen, omdat het formulier is verlopen of van een "
            "andere website kwam. Er is niets veranderd. U kunt uw keuze hieronder herhalen."
        ),
        "error_invalid": (
            "Uw keuze kon niet worden opgeslagen, omdat het formulier iets bevatte dat deze "
            "website niet herkent. Er is niets veranderd."
        ),
        "error_retry": "Mijn keuze herhalen",
        "not_found": "Niet gevonden.",
        "reconsent_title": "Wij hebben enkele cookies gewijzigd",
        "reconsent_text": (
            "Sinds uw laatste keuze hebben wij gewijzigd wat de onderstaande categorieën doen. "
            "Staat u ze toe? Uw andere keuzes blijven ongewijzigd."
        ),
        "reconsent_accept": "Accepteren",
        "reconsent_reject": "Weigeren",
        "category_changed": "Gewijzigd sinds uw laatste keuze",
    }
)
