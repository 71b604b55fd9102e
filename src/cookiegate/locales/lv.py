"""Latvian texts.

Terms follow the Latvian Data State Inspectorate (DVI): "sīkdatnes" for cookies,
"piekrišana" for consent, "personas dati". Sentences addressed to the visitor avoid
past participles that would force a grammatical gender.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Mēs izmantojam sīkdatnes",
        "banner_text": (
            "Mēs izmantojam sīkdatnes un līdzīgas tehnoloģijas, kas ir obligāti nepieciešamas šīs "
            "vietnes darbībai. Ar jūsu piekrišanu mēs izmantojam arī neobligātas sīkdatnes, "
            "piemēram, lai mērītu apmeklējumus vai rādītu iegultu saturu. Jūs jebkurā laikā varat "
            "mainīt savu izvēli."
        ),
        "accept_all": "Pieņemt visas",
        "reject_all": "Noraidīt visas",
        "settings": "Iestatījumi",
        "policy_link": "Privātuma politika",
        "preferences_title": "Sīkdatņu iestatījumi",
        "preferences_intro": (
            "Izvēlieties, kuras neobligātās sīkdatnes un trešo pušu pakalpojumus šī vietne drīkst "
            "izmantot. Obligāti nepieciešamās sīkdatnes vienmēr ir ieslēgtas, jo bez tām vietne "
            "nevar darboties."
        ),
        "always_on": "Vienmēr ieslēgtas",
        "save": "Saglabāt manu izvēli",
        "withdraw": "Atsaukt piekrišanu",
        "status_undecided": "Izvēle vēl nav izdarīta.",
        "status_decided": "Jūsu pašreizējā izvēle ir saglabāta šajā pārlūkprogrammā.",
        "consent_id": "Piekrišanas ID",
        "gpc_honored": "Atteikšanās preferences signāls tiek ievērots",
        "do_not_sell": "Nepārdot un nekopīgot manu personisko informāciju",
        "do_not_sell_help": (
            "Izslēdz sīkdatnes un pakalpojumus, kas pārdod vai kopīgo jūsu personisko informāciju "
            "mērķētai reklāmai."
        ),
        "declaration_title": "Šajā vietnē izmantotās sīkdatnes un pakalpojumi",
        "col_service": "Pakalpojums",
        "col_provider": "Nodrošinātājs",
        "col_cookies": "Sīkdatnes",
        "col_duration": "Glabāšanas ilgums",
        "col_purpose": "Mērķis",
        "col_policy": "Privātuma politika",
        "first_party": "Šī vietne",
        "placeholder_text": (
            "Šo saturu nodrošina {service}. Ielādējot to, var tikt saglabātas sīkdatnes."
        ),
        "placeholder_load": "Ielādēt saturu: {service}",
        "error_title": "Jūsu izvēli neizdevās saglabāt",
        "error_back": "Atpakaļ",
        "saved": "Jūsu izvēle ir saglabāta.",
        "banner_gpc": (
            "Jūsu atteikšanās preferences signāls (GPC) tiek ievērots: mēs nepārdodam un "
            "nekopīgojam jūsu personas datus."
        ),
        "status_title": "Jūsu pašreizējā izvēle",
        "allow": "Atļaut",
        "services": "Pakalpojumi",
        "category": "Kategorija",
        "no_cookies": "Nav norādītas",
        "continue": "Atgriezties lapā, kurā bijāt",
        "placeholder_policy": "Privātuma politika: {service}",
        "placeholder_blocked": (
            "Jūsu atteikšanās preferences signāls tiek ievērots, tāpēc šis saturs netiek ielādēts. "
            "To var mainīt sīkdatņu iestatījumos."
        ),
        "error_text": (
            "Jūsu izvēli neizdevās saglabāt, jo veidlapai beidzās derīguma termiņš vai tā tika "
            "nosūtīta no citas vietnes. Nekas nav mainīts. Zemāk varat atkārtot savu izvēli."
        ),
        "error_invalid": (
            "Jūsu izvēli neizdevās saglabāt, jo veidlapā bija kaut kas, ko šī vietne neatpazīst. "
            "Nekas nav mainīts."
        ),
        "error_retry": "Atkārtot manu izvēli",
        "not_found": "Nav atrasts.",
        "reconsent_title": "Mēs mainījām dažas sīkdatnes",
        "reconsent_text": (
            "Kopš Jūsu pēdējās izvēles mēs mainījām to, ko dara tālāk norādītās kategorijas. "
            "Vai atļaujat tās? Pārējās Jūsu izvēles paliek nemainīgas."
        ),
        "reconsent_accept": "Pieņemt",
        "reconsent_reject": "Noraidīt",
        "category_changed": "Mainīts kopš Jūsu pēdējās izvēles",
    }
)
