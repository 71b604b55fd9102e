"""Polish texts.

Terms follow UODO and the Polish text of the GDPR: "zgoda", "dane osobowe", "pliki
cookie" (the form Polish law uses). The visitor is addressed with "Ty" capitalised, as
Polish sites commonly do, and past-tense forms that would show gender are avoided.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Używamy plików cookie",
        "banner_text": (
            "Używamy plików cookie i podobnych technologii niezbędnych do działania strony. Za "
            "Twoją zgodą także opcjonalnych, na przykład do pomiaru odwiedzin lub wyświetlania "
            "osadzonych treści. Swój wybór możesz zmienić w każdej chwili."
        ),
        "accept_all": "Akceptuj wszystkie",
        "reject_all": "Odrzuć wszystkie",
        "settings": "Ustawienia",
        "policy_link": "Polityka prywatności",
        "preferences_title": "Ustawienia plików cookie",
        "preferences_intro": (
            "Wybierz, których opcjonalnych plików cookie i usług podmiotów trzecich ta strona może "
            "używać. Niezbędne pliki cookie są zawsze włączone, ponieważ bez nich strona nie może "
            "działać."
        ),
        "always_on": "Zawsze włączone",
        "save": "Zapisz moje wybory",
        "withdraw": "Wycofaj zgodę",
        "status_undecided": "Nie dokonano jeszcze wyboru.",
        "status_decided": "Twój obecny wybór jest zapisany w tej przeglądarce.",
        "consent_id": "Identyfikator zgody",
        "gpc_honored": "Respektujemy sygnał preferencji rezygnacji",
        "do_not_sell": "Nie sprzedawaj ani nie udostępniaj moich danych osobowych",
        "do_not_sell_help": (
            "Wyłącza pliki cookie i usługi, które sprzedają lub udostępniają Twoje dane osobowe w "
            "celu reklamy ukierunkowanej."
        ),
        "declaration_title": "Pliki cookie i usługi używane na tej stronie",
        "col_service": "Usługa",
        "col_provider": "Dostawca",
        "col_cookies": "Pliki cookie",
        "col_duration": "Okres przechowywania",
        "col_purpose": "Cel",
        "col_policy": "Polityka prywatności",
        "first_party": "Ta strona",
        "placeholder_text": (
            "Te treści udostępnia {service}. Ich wczytanie może zapisać pliki cookie."
        ),
        "placeholder_load": "Wczytaj treść: {service}",
        "error_title": "Nie udało się zapisać Twojego wyboru",
        "error_back": "Wróć",
        "saved": "Twoje wybory zostały zapisane.",
        "banner_gpc": (
            "Respektujemy Twój sygnał rezygnacji (GPC): nie sprzedajemy ani nie udostępniamy "
            "Twoich danych osobowych."
        ),
        "status_title": "Twój obecny wybór",
        "allow": "Zezwól",
        "services": "Usługi",
        "category": "Kategoria",
        "no_cookies": "Brak zadeklarowanych",
        "continue": "Wróć do poprzedniej strony",
        "placeholder_policy": "Polityka prywatności: {service}",
        "placeholder_blocked": (
            "Respektujemy Twój sygnał preferencji rezygnacji, dlatego te treści nie są wczytywane. "
            "Możesz to zmienić w ustawieniach plików cookie."
        ),
        "error_text": (
            "Nie udało się zapisać Twojego wyboru, ponieważ formularz wygasł lub pochodzi z innej "
            "strony. Nic nie zostało zmienione. Możesz powtórzyć swój wybór poniżej."
        ),
        "error_invalid": (
            "Nie udało się zapisać Twojego wyboru, ponieważ formularz zawierał coś, czego ta "
            "strona nie rozpoznaje. Nic nie zostało zmienione."
        ),
        "error_retry": "Powtórz mój wybór",
        "not_found": "Nie znaleziono.",
        "reconsent_title": "Zmieniliśmy niektóre pliki cookie",
        "reconsent_text": (
            "Od Twojego ostatniego wyboru zmieniliśmy to, do czego służą poniższe kategorie. "
            "Czy na nie zezwalasz? Pozostałe Twoje wybory pozostają bez zmian."
        ),
        "reconsent_accept": "Akceptuj",
        "reconsent_reject": "Odrzuć",
        "category_changed": "Zmieniono od Twojego ostatniego wyboru",
    }
)
