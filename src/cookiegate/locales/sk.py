"""Slovak texts.

Terms follow the Slovak data protection office and the Slovak text of the GDPR:
"súhlas", "osobné údaje", "súbory cookie". {service} follows a colon where Slovak
would decline the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Používame súbory cookie",
        "banner_text": (
            "Používame súbory cookie a podobné technológie nevyhnutné na prevádzku stránky. S "
            "vaším súhlasom aj voliteľné súbory cookie, napríklad na meranie návštevnosti alebo "
            "zobrazenie vloženého obsahu. Voľbu môžete kedykoľvek zmeniť."
        ),
        "accept_all": "Prijať všetky",
        "reject_all": "Odmietnuť všetky",
        "settings": "Nastavenia",
        "policy_link": "Zásady ochrany osobných údajov",
        "preferences_title": "Nastavenia súborov cookie",
        "preferences_intro": (
            "Vyberte, ktoré voliteľné súbory cookie a služby tretích strán smie táto stránka "
            "používať. Nevyhnutne potrebné súbory cookie sú vždy zapnuté, pretože bez nich stránka "
            "nemôže fungovať."
        ),
        "always_on": "Vždy zapnuté",
        "save": "Uložiť moju voľbu",
        "withdraw": "Odvolať súhlas",
        "status_undecided": "Zatiaľ ste si nevybrali.",
        "status_decided": "Vaša aktuálna voľba je uložená v tomto prehliadači.",
        "consent_id": "ID súhlasu",
        "gpc_honored": "Signál preferencie odmietnutia je rešpektovaný",
        "do_not_sell": "Nepredávať ani nezdieľať moje osobné údaje",
        "do_not_sell_help": (
            "Vypne súbory cookie a služby, ktoré predávajú alebo zdieľajú vaše osobné údaje na "
            "cielenú reklamu."
        ),
        "declaration_title": "Súbory cookie a služby používané na tejto stránke",
        "col_service": "Služba",
        "col_provider": "Poskytovateľ",
        "col_cookies": "Súbory cookie",
        "col_duration": "Doba uchovávania",
        "col_purpose": "Účel",
        "col_policy": "Zásady ochrany osobných údajov",
        "first_party": "Táto stránka",
        "placeholder_text": (
            "Tento obsah poskytuje {service}. Jeho načítaním sa môžu uložiť súbory cookie."
        ),
        "placeholder_load": "Načítať obsah: {service}",
        "error_title": "Vašu voľbu sa nepodarilo uložiť",
        "error_back": "Späť",
        "saved": "Vaša voľba bola uložená.",
        "banner_gpc": (
            "Rešpektujeme váš signál odmietnutia (GPC): osobné údaje nepredávame ani nezdieľame."
        ),
        "status_title": "Vaša aktuálna voľba",
        "allow": "Povoliť",
        "services": "Služby",
        "category": "Kategória",
        "no_cookies": "Žiadne uvedené",
        "continue": "Späť na stránku, kde ste boli",
        "placeholder_policy": "Zásady ochrany osobných údajov: {service}",
        "placeholder_blocked": (
            "Váš signál preferencie odmietnutia rešpektujeme, preto sa tento obsah nenačítava. "
            "Môžete to zmeniť v nastaveniach súborov cookie."
        ),
        "error_text": (
            "Vašu voľbu sa nepodarilo uložiť, pretože platnosť formulára vypršala alebo formulár "
            "prišiel z inej stránky. Nič sa nezmenilo. Svoju voľbu môžete zopakovať nižšie."
        ),
        "error_invalid": (
            "Vašu voľbu sa nepodarilo uložiť, pretože formulár obsahoval niečo, čo táto stránka "
            "nerozpoznala. Nič sa nezmenilo."
        ),
        "error_retry": "Zopakovať moju voľbu",
        "not_found": "Nenašlo sa.",
        "reconsent_title": "Zmenili sme niektoré súbory cookie",
        "reconsent_text": (
            "Od Vašej poslednej voľby sme zmenili, na čo slúžia nižšie uvedené kategórie. "
            "Povoľujete ich? Vaše ostatné voľby zostávajú nezmenené."
        ),
        "reconsent_accept": "Prijať",
        "reconsent_reject": "Odmietnuť",
        "category_changed": "Zmenené od Vašej poslednej voľby",
    }
)
