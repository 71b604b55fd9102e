"""Danish texts.

Terms follow Datatilsynet: "samtykke", "personoplysninger", "cookies" (Danish
authorities keep the English word). "Accepter alle" and "Afvis alle" are equal in
form; "websted" is the term Danish public bodies use for a website.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Vi bruger cookies",
        "banner_text": (
            "Vi bruger cookies og lignende teknologier, der er strengt nødvendige for at drive "
            "dette websted. Med dit samtykke bruger vi også valgfrie cookies, for eksempel til at "
            "måle besøg eller vise indlejret indhold. Du kan til enhver tid ændre dit valg."
        ),
        "accept_all": "Accepter alle",
        "reject_all": "Afvis alle",
        "settings": "Indstillinger",
        "policy_link": "Privatlivspolitik",
        "preferences_title": "Cookieindstillinger",
        "preferences_intro": (
            "Vælg, hvilke valgfrie cookies og tredjepartstjenester dette websted må bruge. Strengt "
            "nødvendige cookies er altid slået til, fordi webstedet ikke kan fungere uden dem."
        ),
        "always_on": "Altid slået til",
        "save": "Gem mine valg",
        "withdraw": "Træk samtykke tilbage",
        "status_undecided": "Du har endnu ikke truffet et valg.",
        "status_decided": "Dit nuværende valg er gemt i denne browser.",
        "consent_id": "Samtykke-ID",
        "gpc_honored": "Præferencesignal om fravalg respekteres",
        "do_not_sell": "Sælg eller del ikke mine personoplysninger",
        "do_not_sell_help": (
            "Slår cookies og tjenester fra, der sælger eller deler dine personoplysninger til "
            "målrettet annoncering."
        ),
        "declaration_title": "Cookies og tjenester, der bruges på dette websted",
        "col_service": "Tjeneste",
        "col_provider": "Udbyder",
        "col_cookies": "Cookies",
        "col_duration": "Varighed",
        "col_purpose": "Formål",
        "col_policy": "Privatlivspolitik",
        "first_party": "Dette websted",
        "placeholder_text": (
            "Dette indhold leveres af {service}. Hvis det indlæses, kan der blive sat cookies."
        ),
        "placeholder_load": "Indlæs {service}",
        "error_title": "Dit valg kunne ikke gemmes",
        "error_back": "Gå tilbage",
        "saved": "Dine valg er gemt.",
        "banner_gpc": (
            "Dit præferencesignal om fravalg (GPC) respekteres: Vi hverken sælger eller deler dine "
            "personoplysninger."
        ),
        "status_title": "Dit nuværende valg",
        "allow": "Tillad",
        "services": "Tjenester",
        "category": "Kategori",
        "no_cookies": "Ingen angivet",
        "continue": "Fortsæt til den side, du var på",
        "placeholder_policy": "Privatlivspolitik for {service}",
        "placeholder_blocked": (
            "Dit præferencesignal om fravalg respekteres, så dette indhold indlæses ikke. Du kan "
            "ændre det i cookieindstillingerne."
        ),
        "error_text": (
            "Dit valg kunne ikke gemmes, fordi formularen er udløbet eller kom fra et andet "
            "websted. Intet er ændret. Du kan gentage dit valg nedenfor."
        ),
        "error_invalid": (
            "Dit valg kunne ikke gemmes, fordi formularen indeholdt noget, som dette websted ikke "
            "genkender. Intet er ændret."
        ),
        "error_retry": "Gentag mit valg",
        "not_found": "Ikke fundet.",
        "reconsent_title": "Vi har ændret nogle af vores cookies",
        "reconsent_text": (
            "Siden dit seneste valg har vi ændret, hvad kategorierne nedenfor gør. Tillader du "
            "dem? Dine øvrige valg forbliver uændrede."
        ),
        "reconsent_accept": "Godkend",
        "reconsent_reject": "Afvis",
        "category_changed": "Ændret siden dit seneste valg",
    }
)
