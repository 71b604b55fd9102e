"""Croatian texts.

Terms follow AZOP (the Croatian data protection agency) and the Croatian text of the
GDPR: "kolačići" for cookies, "privola" for consent, "osobni podaci". {service}
follows a colon where Croatian would decline the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Koristimo kolačiće",
        "banner_text": (
            "Koristimo kolačiće i slične tehnologije koji su nužni za rad ove stranice. Uz vašu "
            "privolu koristimo i neobavezne kolačiće, primjerice za mjerenje posjeta ili prikaz "
            "ugrađenog sadržaja. Svoj odabir možete promijeniti u bilo kojem trenutku."
        ),
        "accept_all": "Prihvati sve",
        "reject_all": "Odbij sve",
        "settings": "Postavke",
        "policy_link": "Politika privatnosti",
        "preferences_title": "Postavke kolačića",
        "preferences_intro": (
            "Odaberite koje neobavezne kolačiće i usluge trećih strana ova stranica smije "
            "koristiti. Nužni kolačići uvijek su uključeni jer stranica bez njih ne može raditi."
        ),
        "always_on": "Uvijek uključeno",
        "save": "Spremi moj odabir",
        "withdraw": "Povuci privolu",
        "status_undecided": "Još niste ništa odabrali.",
        "status_decided": "Vaš trenutačni odabir spremljen je u ovom pregledniku.",
        "consent_id": "ID privole",
        "gpc_honored": "Poštuje se signal preferencije za izuzimanje",
        "do_not_sell": "Nemojte prodavati ni dijeliti moje osobne podatke",
        "do_not_sell_help": (
            "Isključuje kolačiće i usluge koji prodaju ili dijele vaše osobne podatke za ciljano "
            "oglašavanje."
        ),
        "declaration_title": "Kolačići i usluge koje koristi ova stranica",
        "col_service": "Usluga",
        "col_provider": "Pružatelj",
        "col_cookies": "Kolačići",
        "col_duration": "Trajanje",
        "col_purpose": "Svrha",
        "col_policy": "Politika privatnosti",
        "first_party": "Ova stranica",
        "placeholder_text": (
            "Ovaj sadržaj pruža {service}. Njegovo učitavanje može postaviti kolačiće."
        ),
        "placeholder_load": "Učitaj sadržaj: {service}",
        "error_title": "Vaš odabir nije moguće spremiti",
        "error_back": "Natrag",
        "saved": "Vaš je odabir spremljen.",
        "banner_gpc": (
            "Poštuje se vaš signal preferencije za izuzimanje (GPC): ne prodajemo i ne dijelimo "
            "vaše osobne podatke."
        ),
        "status_title": "Vaš trenutačni odabir",
        "allow": "Dopusti",
        "services": "Usluge",
        "category": "Kategorija",
        "no_cookies": "Nijedan nije naveden",
        "continue": "Natrag na stranicu na kojoj ste bili",
        "placeholder_policy": "Politika privatnosti: {service}",
        "placeholder_blocked": (
            "Poštuje se vaš signal preferencije za izuzimanje pa se ovaj sadržaj ne učitava. To "
            "možete promijeniti u postavkama kolačića."
        ),
        "error_text": (
            "Vaš odabir nije moguće spremiti jer je obrazac istekao ili je stigao s druge "
            "stranice. Ništa nije promijenjeno. Svoj odabir možete ponoviti u nastavku."
        ),
        "error_invalid": (
            "Vaš odabir nije moguće spremiti jer je obrazac sadržavao nešto što ova stranica ne "
            "prepoznaje. Ništa nije promijenjeno."
        ),
        "error_retry": "Ponovi moj odabir",
        "not_found": "Nije pronađeno.",
        "reconsent_title": "Promijenili smo neke kolačiće",
        "reconsent_text": (
            "Od Vašeg posljednjeg odabira promijenili smo čemu služe kategorije u nastavku. "
            "Dopuštate li ih? Vaši ostali odabiri ostaju nepromijenjeni."
        ),
        "reconsent_accept": "Prihvati",
        "reconsent_reject": "Odbaci",
        "category_changed": "Promijenjeno od Vašeg posljednjeg odabira",
    }
)
