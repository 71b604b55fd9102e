"""Lithuanian texts.

Terms follow the State Data Protection Inspectorate (VDAI): "slapukai" for cookies,
"sutikimas" for consent, "asmens duomenys". {service} follows a colon where Lithuanian
would otherwise decline the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Naudojame slapukus",
        "banner_text": (
            "Naudojame slapukus ir panašias technologijas, kurios būtinos šiai svetainei veikti. "
            "Jums sutikus, naudojame ir neprivalomus slapukus, pavyzdžiui, lankomumui matuoti ar "
            "įterptam turiniui rodyti. Savo pasirinkimą galite bet kada pakeisti."
        ),
        "accept_all": "Priimti visus",
        "reject_all": "Atmesti visus",
        "settings": "Nustatymai",
        "policy_link": "Privatumo politika",
        "preferences_title": "Slapukų nustatymai",
        "preferences_intro": (
            "Pasirinkite, kuriuos neprivalomus slapukus ir trečiųjų šalių paslaugas ši svetainė "
            "gali naudoti. Būtinieji slapukai visada įjungti, nes be jų svetainė negali veikti."
        ),
        "always_on": "Visada įjungti",
        "save": "Išsaugoti mano pasirinkimą",
        "withdraw": "Atšaukti sutikimą",
        "status_undecided": "Dar nieko nepasirinkote.",
        "status_decided": "Jūsų dabartinis pasirinkimas išsaugotas šioje naršyklėje.",
        "consent_id": "Sutikimo ID",
        "gpc_honored": "Atsisakymo pageidavimo signalo paisoma",
        "do_not_sell": "Neparduoti ir nebendrinti mano asmeninės informacijos",
        "do_not_sell_help": (
            "Išjungia slapukus ir paslaugas, kurios parduoda ar bendrina jūsų asmeninę informaciją "
            "tikslinei reklamai."
        ),
        "declaration_title": "Šioje svetainėje naudojami slapukai ir paslaugos",
        "col_service": "Paslauga",
        "col_provider": "Teikėjas",
        "col_cookies": "Slapukai",
        "col_duration": "Galiojimo trukmė",
        "col_purpose": "Paskirtis",
        "col_policy": "Privatumo politika",
        "first_party": "Ši svetainė",
        "placeholder_text": "Šį turinį teikia {service}. Jį įkėlus gali būti įrašyti slapukai.",
        "placeholder_load": "Įkelti turinį: {service}",
        "error_title": "Jūsų pasirinkimo išsaugoti nepavyko",
        "error_back": "Grįžti",
        "saved": "Jūsų pasirinkimas išsaugotas.",
        "banner_gpc": (
            "Jūsų atsisakymo pageidavimo signalo (GPC) paisoma: neparduodame ir nebendriname jūsų "
            "asmens duomenų."
        ),
        "status_title": "Jūsų dabartinis pasirinkimas",
        "allow": "Leisti",
        "services": "Paslaugos",
        "category": "Kategorija",
        "no_cookies": "Nenurodyta",
        "continue": "Grįžti į puslapį, kuriame buvote",
        "placeholder_policy": "Privatumo politika: {service}",
        "placeholder_blocked": (
            "Jūsų atsisakymo pageidavimo signalo paisoma, todėl šis turinys neįkeliamas. Tai "
            "galite pakeisti slapukų nustatymuose."
        ),
        "error_text": (
            "Jūsų pasirinkimo išsaugoti nepavyko, nes formos galiojimas baigėsi arba ji buvo "
            "atsiųsta iš kitos svetainės. Niekas nepakeista. Savo pasirinkimą galite pakartoti "
            "žemiau."
        ),
        "error_invalid": (
            "Jūsų pasirinkimo išsaugoti nepavyko, nes formoje buvo kažkas, ko ši svetainė "
            "neatpažįsta. Niekas nepakeista."
        ),
        "error_retry": "Pakartoti mano pasirinkimą",
        "not_found": "Nerasta.",
        "reconsent_title": "Pakeitėme kai kuriuos slapukus",
        "reconsent_text": (
            "Nuo paskutinio Jūsų pasirinkimo pakeitėme, ką daro toliau nurodytos kategorijos. "
            "Ar jas leidžiate? Kiti Jūsų pasirinkimai lieka nepakitę."
        ),
        "reconsent_accept": "Priimti",
        "reconsent_reject": "Atmesti",
        "category_changed": "Pakeista nuo paskutinio Jūsų pasirinkimo",
    }
)
