"""Norwegian Bokmål texts, also served for "no" and, unless a site adds its own, "nn".

Norwegian authorities (Datatilsynet, Nkom) say "informasjonskapsler" for cookies and
"reservasjon" for opting out; "samtykke" and "personopplysninger" are the terms of the
Norwegian personal data act. Nynorsk readers read Bokmål, but a Nynorsk text under
texts.nn takes precedence for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Vi bruker informasjonskapsler",
        "banner_text": (
            "Vi bruker informasjonskapsler og lignende teknologi som er strengt nødvendig for "
            "nettstedet. Med ditt samtykke bruker vi også valgfrie, for eksempel til å måle besøk "
            "eller vise innebygd innhold. Du kan endre valget når som helst."
        ),
        "accept_all": "Godta alle",
        "reject_all": "Avvis alle",
        "settings": "Innstillinger",
        "policy_link": "Personvernerklæring",
        "preferences_title": "Innstillinger for informasjonskapsler",
        "preferences_intro": (
            "Velg hvilke valgfrie informasjonskapsler og tredjepartstjenester dette nettstedet kan "
            "bruke. Strengt nødvendige informasjonskapsler er alltid på, fordi nettstedet ikke "
            "fungerer uten dem."
        ),
        "always_on": "Alltid på",
        "save": "Lagre valgene mine",
        "withdraw": "Trekk tilbake samtykke",
        "status_undecided": "Du har ikke gjort noe valg ennå.",
        "status_decided": "Det nåværende valget ditt er lagret i denne nettleseren.",
        "consent_id": "Samtykke-ID",
        "gpc_honored": "Preferansesignal om reservasjon respektert",
        "do_not_sell": "Ikke selg eller del personopplysningene mine",
        "do_not_sell_help": (
            "Slår av informasjonskapsler og tjenester som selger eller deler personopplysningene "
            "dine for målrettet reklame."
        ),
        "declaration_title": "Informasjonskapsler og tjenester som brukes på dette nettstedet",
        "col_service": "Tjeneste",
        "col_provider": "Leverandør",
        "col_cookies": "Informasjonskapsler",
        "col_duration": "Varighet",
        "col_purpose": "Formål",
        "col_policy": "Personvernerklæring",
        "first_party": "Dette nettstedet",
        "placeholder_text": (
            "Dette innholdet leveres av {service}. Hvis det lastes inn, kan det bli lagret "
            "informasjonskapsler."
        ),
        "placeholder_load": "Last inn {service}",
        "error_title": "Valget ditt kunne ikke lagres",
        "error_back": "Gå tilbake",
        "saved": "Valgene dine er lagret.",
        "banner_gpc": (
            "Reservasjonssignalet ditt (GPC) respekteres: Vi verken selger eller deler "
            "personopplysningene dine."
        ),
        "status_title": "Det nåværende valget ditt",
        "allow": "Tillat",
        "services": "Tjenester",
        "category": "Kategori",
        "no_cookies": "Ingen oppgitt",
        "continue": "Fortsett til siden du var på",
        "placeholder_policy": "Personvernerklæring for {service}",
        "placeholder_blocked": (
            "Preferansesignalet ditt om reservasjon blir respektert, så dette innholdet lastes "
            "ikke inn. Du kan endre dette i innstillingene for informasjonskapsler."
        ),
        "error_text": (
            "Valget ditt kunne ikke lagres fordi skjemaet er utløpt eller kom fra et annet "
            "nettsted. Ingenting er endret. Du kan gjenta valget ditt nedenfor."
        ),
        "error_invalid": (
            "Valget ditt kunne ikke lagres fordi skjemaet inneholdt noe dette nettstedet ikke "
            "gjenkjenner. Ingenting er endret."
        ),
        "error_retry": "Gjenta valget mitt",
        "not_found": "Ikke funnet.",
        "reconsent_title": "Vi har endret noen av informasjonskapslene våre",
        "reconsent_text": (
            "Siden ditt siste valg har vi endret hva kategoriene nedenfor gjør. Tillater du "
            "dem? De andre valgene dine forblir uendret."
        ),
        "reconsent_accept": "Godta",
        "reconsent_reject": "Avvis",
        "category_changed": "Endret siden ditt siste valg",
    }
)
