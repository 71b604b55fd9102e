"""Slovenian texts.

Terms follow the Slovenian Information Commissioner (IP RS): "piškotki" for cookies,
"privolitev" for consent, "osebni podatki". {service} follows a colon where Slovenian
would decline the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Uporabljamo piškotke",
        "banner_text": (
            "Uporabljamo piškotke in podobne tehnologije, nujno potrebne za delovanje spletnega "
            "mesta. Z vašo privolitvijo uporabljamo tudi neobvezne piškotke, na primer za merjenje "
            "obiskov ali prikaz vdelane vsebine. Izbiro lahko kadar koli spremenite."
        ),
        "accept_all": "Sprejmi vse",
        "reject_all": "Zavrni vse",
        "settings": "Nastavitve",
        "policy_link": "Politika zasebnosti",
        "preferences_title": "Nastavitve piškotkov",
        "preferences_intro": (
            "Izberite, katere neobvezne piškotke in storitve tretjih oseb lahko uporablja to "
            "spletno mesto. Nujno potrebni piškotki so vedno vklopljeni, ker spletno mesto brez "
            "njih ne more delovati."
        ),
        "always_on": "Vedno vklopljeno",
        "save": "Shrani mojo izbiro",
        "withdraw": "Prekliči privolitev",
        "status_undecided": "Izbire še niste opravili.",
        "status_decided": "Vaša trenutna izbira je shranjena v tem brskalniku.",
        "consent_id": "ID privolitve",
        "gpc_honored": "Signal preference za zavrnitev je upoštevan",
        "do_not_sell": "Ne prodajte in ne delite mojih osebnih podatkov",
        "do_not_sell_help": (
            "Izklopi piškotke in storitve, ki prodajajo ali delijo vaše osebne podatke za ciljno "
            "oglaševanje."
        ),
        "declaration_title": "Piškotki in storitve, ki jih uporablja to spletno mesto",
        "col_service": "Storitev",
        "col_provider": "Ponudnik",
        "col_cookies": "Piškotki",
        "col_duration": "Trajanje",
        "col_purpose": "Namen",
        "col_policy": "Politika zasebnosti",
        "first_party": "To spletno mesto",
        "placeholder_text": (
            "To vsebino zagotavlja {service}. Z njenim nalaganjem se lahko shranijo piškotki."
        ),
        "placeholder_load": "Naloži vsebino: {service}",
        "error_title": "Vaše izbire ni bilo mogoče shraniti",
        "error_back": "Nazaj",
        "saved": "Vaša izbira je shranjena.",
        "banner_gpc": (
            "Vaš signal preference za zavrnitev (GPC) upoštevamo: vaših osebnih podatkov ne "
            "prodajamo in ne delimo."
        ),
        "status_title": "Vaša trenutna izbira",
        "allow": "Dovoli",
        "services": "Storitve",
        "category": "Kategorija",
        "no_cookies": "Ni navedenih",
        "continue": "Nazaj na stran, kjer ste bili",
        "placeholder_policy": "Politika zasebnosti: {service}",
        "placeholder_blocked": (
            "Vaš signal preference za zavrnitev upoštevamo, zato se ta vsebina ne naloži. To lahko "
            "spremenite v nastavitvah piškotkov."
        ),
        "error_text": (
            "Vaše izbire ni bilo mogoče shraniti, ker je obrazec potekel ali je prišel z drugega "
            "spletnega mesta. Nič se ni spremenilo. Svojo izbiro lahko ponovite spodaj."
        ),
        "error_invalid": (
            "Vaše izbire ni bilo mogoče shraniti, ker je obrazec vseboval nekaj, česar to spletno "
            "mesto ne prepozna. Nič se ni spremenilo."
        ),
        "error_retry": "Ponovi mojo izbiro",
        "not_found": "Ni najdeno.",
        "reconsent_title": "Spremenili smo nekatere piškotke",
        "reconsent_text": (
            "Od Vaše zadnje izbire smo spremenili, čemu služijo spodnje kategorije. Ali jih "
            "dovolite? Vaše druge izbire ostajajo nespremenjene."
        ),
        "reconsent_accept": "Sprejmi",
        "reconsent_reject": "Zavrni",
        "category_changed": "Spremenjeno od Vaše zadnje izbire",
    }
)
