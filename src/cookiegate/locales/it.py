"""Italian texts.

Terms follow the Garante's cookie guidelines (2021): "Accetta tutti" and "Rifiuta
tutti" of equal weight, "cookie tecnici" for the strictly necessary ones, "consenso",
"informativa". Italian leaves "cookie" invariable in the plural.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Utilizziamo i cookie",
        "banner_text": (
            "Utilizziamo cookie e tecnologie simili strettamente necessari al funzionamento del "
            "sito. Con il tuo consenso anche cookie facoltativi, ad esempio per misurare le visite "
            "o mostrare contenuti incorporati. Puoi cambiare scelta in qualsiasi momento."
        ),
        "accept_all": "Accetta tutti",
        "reject_all": "Rifiuta tutti",
        "settings": "Personalizza",
        "policy_link": "Informativa sulla privacy",
        "preferences_title": "Impostazioni cookie",
        "preferences_intro": (
            "Scegli quali cookie facoltativi e servizi di terze parti può utilizzare questo sito. "
            "I cookie tecnici strettamente necessari sono sempre attivi, perché senza di essi il "
            "sito non può funzionare."
        ),
        "always_on": "Sempre attivi",
        "save": "Salva le mie scelte",
        "withdraw": "Revoca il consenso",
        "status_undecided": "Non hai ancora fatto una scelta.",
        "status_decided": "La tua scelta attuale è salvata in questo browser.",
        "consent_id": "ID del consenso",
        "gpc_honored": "Segnale di preferenza di opposizione rispettato",
        "do_not_sell": "Non vendere né condividere le mie informazioni personali",
        "do_not_sell_help": (
            "Disattiva i cookie e i servizi che vendono o condividono le tue informazioni "
            "personali per la pubblicità mirata."
        ),
        "declaration_title": "Cookie e servizi utilizzati su questo sito",
        "col_service": "Servizio",
        "col_provider": "Fornitore",
        "col_cookies": "Cookie",
        "col_duration": "Durata",
        "col_purpose": "Finalità",
        "col_policy": "Informativa sulla privacy",
        "first_party": "Questo sito",
        "placeholder_text": (
            "Questo contenuto è fornito da {service}. Caricarlo può comportare l’installazione di "
            "cookie."
        ),
        "placeholder_load": "Carica {service}",
        "error_title": "Non è stato possibile salvare la tua scelta",
        "error_back": "Torna indietro",
        "saved": "Le tue scelte sono state salvate.",
        "banner_gpc": (
            "Rispettiamo il tuo segnale di opposizione (GPC): non vendiamo né condividiamo i tuoi "
            "dati personali."
        ),
        "status_title": "La tua scelta attuale",
        "allow": "Consenti",
        "services": "Servizi",
        "category": "Categoria",
        "no_cookies": "Nessuno dichiarato",
        "continue": "Torna alla pagina che stavi visitando",
        "placeholder_policy": "Informativa sulla privacy di {service}",
        "placeholder_blocked": (
            "Il tuo segnale di preferenza di opposizione è rispettato, quindi questo contenuto non "
            "viene caricato. Puoi modificarlo nelle impostazioni cookie."
        ),
        "error_text": (
            "Non è stato possibile salvare la tua scelta perché il modulo è scaduto o proviene da "
            "un altro sito. Non è cambiato nulla. Puoi ripetere la tua scelta qui sotto."
        ),
        "error_invalid": (
            "Non è stato possibile salvare la tua scelta perché il modulo conteneva dati che "
            "questo sito non riconosce. Non è cambiato nulla."
        ),
        "error_retry": "Ripeti la mia scelta",
        "not_found": "Pagina non trovata.",
        "reconsent_title": "Abbiamo modificato alcuni cookie",
        "reconsent_text": (
            "Dalla tua ultima scelta abbiamo modificato ciò che fanno le categorie qui sotto. "
            "Le consenti? Le altre tue scelte restano invariate."
        ),
        "reconsent_accept": "Accetta",
        "reconsent_reject": "Rifiuta",
        "category_changed": "Modificata dalla tua ultima scelta",
    }
)
