"""Romanian texts.

Terms follow ANSPDCP and the Romanian text of the GDPR: "consimțământ", "date cu
caracter personal", "cookie-uri". Diacritics use the comma-below letters (ș, ț) that
Romanian requires, not the cedilla look-alikes.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Folosim cookie-uri",
        "banner_text": (
            "Folosim cookie-uri și tehnologii similare strict necesare pentru acest site. Cu "
            "consimțământul dumneavoastră, folosim și cookie-uri opționale, de exemplu pentru a "
            "măsura vizitele sau a afișa conținut încorporat. Vă puteți schimba alegerea oricând."
        ),
        "accept_all": "Acceptă toate",
        "reject_all": "Respinge toate",
        "settings": "Setări",
        "policy_link": "Politica de confidențialitate",
        "preferences_title": "Setări cookie-uri",
        "preferences_intro": (
            "Alegeți ce cookie-uri opționale și servicii terțe poate folosi acest site. "
            "Cookie-urile strict necesare sunt mereu active, deoarece site-ul nu poate funcționa "
            "fără ele."
        ),
        "always_on": "Mereu active",
        "save": "Salvează alegerile mele",
        "withdraw": "Retrage consimțământul",
        "status_undecided": "Nu ați făcut încă o alegere.",
        "status_decided": "Alegerea dumneavoastră actuală este salvată în acest browser.",
        "consent_id": "ID-ul consimțământului",
        "gpc_honored": "Semnalul de preferință pentru renunțare este respectat",
        "do_not_sell": "Nu vindeți și nu partajați informațiile mele personale",
        "do_not_sell_help": (
            "Dezactivează cookie-urile și serviciile care vând sau partajează informațiile "
            "dumneavoastră personale pentru publicitate direcționată."
        ),
        "declaration_title": "Cookie-uri și servicii folosite pe acest site",
        "col_service": "Serviciu",
        "col_provider": "Furnizor",
        "col_cookies": "Cookie-uri",
        "col_duration": "Durată",
        "col_purpose": "Scop",
        "col_policy": "Politica de confidențialitate",
        "first_party": "Acest site",
        "placeholder_text": (
            "Acest conținut este furnizat de {service}. Încărcarea lui poate plasa cookie-uri."
        ),
        "placeholder_load": "Încarcă {service}",
        "error_title": "Alegerea dumneavoastră nu a putut fi salvată",
        "error_back": "Înapoi",
        "saved": "Alegerile dumneavoastră au fost salvate.",
        "banner_gpc": (
            "Respectăm semnalul dvs. de renunțare (GPC): nu vindem și nu partajăm datele dvs. "
            "personale."
        ),
        "status_title": "Alegerea dumneavoastră actuală",
        "allow": "Permite",
        "services": "Servicii",
        "category": "Categorie",
        "no_cookies": "Niciunul declarat",
        "continue": "Înapoi la pagina pe care erați",
        "placeholder_policy": "Politica de confidențialitate: {service}",
        "placeholder_blocked": (
            "Semnalul dumneavoastră de preferință pentru renunțare este respectat, așa că acest "
            "conținut nu se încarcă. Puteți schimba acest lucru în setările cookie-urilor."
        ),
        "error_text": (
            "Alegerea dumneavoastră nu a putut fi salvată deoarece formularul a expirat sau "
            "provine de pe alt site. Nu s-a schimbat nimic. Vă puteți repeta alegerea mai jos."
        ),
        "error_invalid": (
            "Alegerea dumneavoastră nu a putut fi salvată deoarece formularul conținea ceva ce "
            "acest site nu recunoaște. Nu s-a schimbat nimic."
        ),
        "error_retry": "Repetă alegerea mea",
        "not_found": "Pagina nu a fost găsită.",
        "reconsent_title": "Am modificat unele cookie-uri",
        "reconsent_text": (
            "De la ultima dumneavoastră alegere, am modificat ce fac categoriile de mai jos. "
            "Le permiteți? Celelalte alegeri ale dumneavoastră rămân neschimbate."
        ),
        "reconsent_accept": "Acceptă",
        "reconsent_reject": "Respinge",
        "category_changed": "Modificată de la ultima dumneavoastră alegere",
    }
)
