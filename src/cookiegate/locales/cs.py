"""Czech texts.

Terms follow ÚOOÚ (the Czech data protection office): "souhlas", "osobní údaje",
"cookies" (Czech keeps the English plural). "Přijmout vše" and "Odmítnout vše" have
the same shape. {service} follows a colon where Czech would decline the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Používáme cookies",
        "banner_text": (
            "Používáme cookies a podobné technologie nezbytně nutné pro provoz webu. S vaším "
            "souhlasem používáme také volitelné cookies, například k měření návštěvnosti nebo "
            "zobrazení vloženého obsahu. Svou volbu můžete kdykoli změnit."
        ),
        "accept_all": "Přijmout vše",
        "reject_all": "Odmítnout vše",
        "settings": "Nastavení",
        "policy_link": "Zásady ochrany osobních údajů",
        "preferences_title": "Nastavení cookies",
        "preferences_intro": (
            "Vyberte, které volitelné cookies a služby třetích stran smí tento web používat. "
            "Nezbytně nutné cookies jsou vždy zapnuté, protože bez nich web nemůže fungovat."
        ),
        "always_on": "Vždy zapnuto",
        "save": "Uložit mou volbu",
        "withdraw": "Odvolat souhlas",
        "status_undecided": "Zatím jste nic nezvolili.",
        "status_decided": "Vaše aktuální volba je uložena v tomto prohlížeči.",
        "consent_id": "ID souhlasu",
        "gpc_honored": "Signál preference odmítnutí je respektován",
        "do_not_sell": "Neprodávat ani nesdílet mé osobní údaje",
        "do_not_sell_help": (
            "Vypne cookies a služby, které prodávají nebo sdílejí vaše osobní údaje pro cílenou "
            "reklamu."
        ),
        "declaration_title": "Cookies a služby používané na tomto webu",
        "col_service": "Služba",
        "col_provider": "Poskytovatel",
        "col_cookies": "Cookies",
        "col_duration": "Doba uložení",
        "col_purpose": "Účel",
        "col_policy": "Zásady ochrany osobních údajů",
        "first_party": "Tento web",
        "placeholder_text": (
            "Tento obsah poskytuje {service}. Jeho načtením se mohou uložit cookies."
        ),
        "placeholder_load": "Načíst obsah: {service}",
        "error_title": "Vaši volbu se nepodařilo uložit",
        "error_back": "Zpět",
        "saved": "Vaše volba byla uložena.",
        "banner_gpc": (
            "Respektujeme váš signál odmítnutí (GPC): osobní údaje neprodáváme ani nesdílíme."
        ),
        "status_title": "Vaše aktuální volba",
        "allow": "Povolit",
        "services": "Služby",
        "category": "Kategorie",
        "no_cookies": "Žádné neuvedeny",
        "continue": "Zpět na stránku, kde jste byli",
        "placeholder_policy": "Zásady ochrany osobních údajů: {service}",
        "placeholder_blocked": (
            "Váš signál preference odmítnutí respektujeme, proto se tento obsah nenačítá. Můžete "
            "to změnit v nastavení cookies."
        ),
        "error_text": (
            "Vaši volbu se nepodařilo uložit, protože platnost formuláře vypršela nebo formulář "
            "přišel z jiného webu. Nic se nezměnilo. Svou volbu můžete zopakovat níže."
        ),
        "error_invalid": (
            "Vaši volbu se nepodařilo uložit, protože formulář obsahoval něco, co tento web "
            "nerozpoznal. Nic se nezměnilo."
        ),
        "error_retry": "Zopakovat mou volbu",
        "not_found": "Nenalezeno.",
        "reconsent_title": "Změnili jsme některé cookies",
        "reconsent_text": (
            "Od Vaší poslední volby jsme změnili, k čemu slouží níže uvedené kategorie. "
            "Povolujete je? Vaše ostatní volby zůstávají beze změny."
        ),
        "reconsent_accept": "Přijmout",
        "reconsent_reject": "Odmítnout",
        "category_changed": "Změněno od Vaší poslední volby",
    }
)
