"""Finnish texts.

Terms follow the Finnish data protection ombudsman and Traficom: "evästeet",
"suostumus", "tietosuojaseloste". Finnish inflects names by case, so {service} stands
after a colon or as the subject, where its base form is grammatical.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Käytämme evästeitä",
        "banner_text": (
            "Käytämme sivuston toiminnalle välttämättömiä evästeitä ja vastaavia tekniikoita. "
            "Suostumuksellasi käytämme myös valinnaisia, esimerkiksi käyntien mittaamiseen tai "
            "upotetun sisällön näyttämiseen. Voit muuttaa valintaasi milloin vain."
        ),
        "accept_all": "Hyväksy kaikki",
        "reject_all": "Hylkää kaikki",
        "settings": "Asetukset",
        "policy_link": "Tietosuojaseloste",
        "preferences_title": "Evästeasetukset",
        "preferences_intro": (
            "Valitse, mitä valinnaisia evästeitä ja kolmansien osapuolten palveluja tämä sivusto "
            "saa käyttää. Välttämättömät evästeet ovat aina käytössä, koska sivusto ei toimi ilman "
            "niitä."
        ),
        "always_on": "Aina käytössä",
        "save": "Tallenna valintani",
        "withdraw": "Peruuta suostumus",
        "status_undecided": "Et ole vielä tehnyt valintaa.",
        "status_decided": "Nykyinen valintasi on tallennettu tähän selaimeen.",
        "consent_id": "Suostumuksen tunnus",
        "gpc_honored": "Kieltäytymistä ilmaisevaa signaalia noudatetaan",
        "do_not_sell": "Älä myy tai jaa henkilötietojani",
        "do_not_sell_help": (
            "Poistaa käytöstä evästeet ja palvelut, jotka myyvät tai jakavat henkilötietojasi "
            "kohdennettua mainontaa varten."
        ),
        "declaration_title": "Tällä sivustolla käytetyt evästeet ja palvelut",
        "col_service": "Palvelu",
        "col_provider": "Tarjoaja",
        "col_cookies": "Evästeet",
        "col_duration": "Voimassaoloaika",
        "col_purpose": "Käyttötarkoitus",
        "col_policy": "Tietosuojaseloste",
        "first_party": "Tämä sivusto",
        "placeholder_text": (
            "Tämän sisällön tarjoaa {service}. Sisällön lataaminen voi tallentaa evästeitä."
        ),
        "placeholder_load": "Lataa sisältö: {service}",
        "error_title": "Valintaasi ei voitu tallentaa",
        "error_back": "Palaa takaisin",
        "saved": "Valintasi on tallennettu.",
        "banner_gpc": (
            "Kieltäytymistä ilmaisevaa signaaliasi (GPC) noudatetaan: emme myy emmekä jaa "
            "henkilötietojasi."
        ),
        "status_title": "Nykyinen valintasi",
        "allow": "Salli",
        "services": "Palvelut",
        "category": "Luokka",
        "no_cookies": "Ei ilmoitettu",
        "continue": "Jatka sivulle, jolla olit",
        "placeholder_policy": "Tietosuojaseloste: {service}",
        "placeholder_blocked": (
            "Kieltäytymistä ilmaisevaa signaaliasi noudatetaan, joten tätä sisältöä ei ladata. "
            "Voit muuttaa tätä evästeasetuksissa."
        ),
        "error_text": (
            "Valintaasi ei voitu tallentaa, koska lomake vanheni tai tuli toiselta sivustolta. "
            "Mitään ei muutettu. Voit toistaa valintasi alla."
        ),
        "error_invalid": (
            "Valintaasi ei voitu tallentaa, koska lomake sisälsi jotain, mitä tämä sivusto ei "
            "tunnista. Mitään ei muutettu."
        ),
        "error_retry": "Toista valintani",
        "not_found": "Ei löytynyt.",
        "reconsent_title": "Olemme muuttaneet joitakin evästeitämme",
        "reconsent_text": (
            "Viimeisimmän valintasi jälkeen olemme muuttaneet sitä, mihin alla olevia luokkia "
            "käytetään. Sallitko ne? Muut valintasi pysyvät ennallaan."
        ),
        "reconsent_accept": "Hyväksy",
        "reconsent_reject": "Hylkää",
        "category_changed": "Muuttunut viimeisimmän valintasi jälkeen",
    }
)
