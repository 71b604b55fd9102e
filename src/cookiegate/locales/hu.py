"""Hungarian texts.

Terms follow NAIH (the Hungarian data protection authority): "süti" for cookie,
"hozzájárulás" for consent, "személyes adatok", "adatvédelmi tájékoztató". The
visitor is addressed formally ("Ön"). {service} follows a colon, which spares the
a/az article and the suffix harmony Hungarian would need around a foreign name.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Sütiket használunk",
        "banner_text": (
            "A weboldal működéséhez feltétlenül szükséges sütiket és hasonló technológiákat "
            "használunk. Hozzájárulásával választható sütiket is, például a látogatások méréséhez "
            "vagy beágyazott tartalmakhoz. Döntését bármikor módosíthatja."
        ),
        "accept_all": "Összes elfogadása",
        "reject_all": "Összes elutasítása",
        "settings": "Beállítások",
        "policy_link": "Adatvédelmi tájékoztató",
        "preferences_title": "Sütibeállítások",
        "preferences_intro": (
            "Válassza ki, mely választható sütiket és harmadik felektől származó szolgáltatásokat "
            "használhatja ez a weboldal. A feltétlenül szükséges sütik mindig be vannak kapcsolva, "
            "mert nélkülük a weboldal nem működik."
        ),
        "always_on": "Mindig bekapcsolva",
        "save": "Választásaim mentése",
        "withdraw": "Hozzájárulás visszavonása",
        "status_undecided": "Még nem döntött.",
        "status_decided": "Jelenlegi döntését ez a böngésző tárolja.",
        "consent_id": "Hozzájárulás azonosítója",
        "gpc_honored": "A tiltakozási preferenciajelzést tiszteletben tartjuk",
        "do_not_sell": "Ne adják el és ne osszák meg a személyes adataimat",
        "do_not_sell_help": (
            "Kikapcsolja azokat a sütiket és szolgáltatásokat, amelyek célzott hirdetés céljából "
            "eladják vagy megosztják az Ön személyes adatait."
        ),
        "declaration_title": "A weboldalon használt sütik és szolgáltatások",
        "col_service": "Szolgáltatás",
        "col_provider": "Szolgáltató",
        "col_cookies": "Sütik",
        "col_duration": "Időtartam",
        "col_purpose": "Cél",
        "col_policy": "Adatvédelmi tájékoztató",
        "first_party": "Ez a weboldal",
        "placeholder_text": (
            "A tartalom szolgáltatója: {service}. Betöltésekor sütik tárolódhatnak a böngészőben."
        ),
        "placeholder_load": "Tartalom betöltése: {service}",
        "error_title": "A döntését nem sikerült menteni",
        "error_back": "Vissza",
        "saved": "Választásait mentettük.",
        "banner_gpc": (
            "Tiszteletben tartjuk tiltakozási jelzését (GPC): nem adjuk el és nem osztjuk meg "
            "személyes adatait."
        ),
        "status_title": "Jelenlegi döntése",
        "allow": "Engedélyezés",
        "services": "Szolgáltatások",
        "category": "Kategória",
        "no_cookies": "Nincs megadva",
        "continue": "Vissza az előző oldalra",
        "placeholder_policy": "Adatvédelmi tájékoztató: {service}",
        "placeholder_blocked": (
            "Tiszteletben tartjuk tiltakozási preferenciajelzését, ezért ez a tartalom nem "
            "töltődik be. Ezt a sütibeállításokban módosíthatja."
        ),
        "error_text": (
            "A döntését nem sikerült menteni, mert az űrlap lejárt, vagy másik weboldalról "
            "érkezett. Semmi sem változott. Döntését alább megismételheti."
        ),
        "error_invalid": (
            "A döntését nem sikerült menteni, mert az űrlap olyasmit tartalmazott, amit ez a "
            "weboldal nem ismer fel. Semmi sem változott."
        ),
        "error_retry": "Döntésem megismétlése",
        "not_found": "Nem található.",
        "reconsent_title": "Módosítottunk néhány sütit",
        "reconsent_text": (
            "Legutóbbi választása óta módosítottuk, mire használjuk az alábbi kategóriákat. "
            "Engedélyezi őket? A többi választása változatlan marad."
        ),
        "reconsent_accept": "Elfogadás",
        "reconsent_reject": "Elutasítás",
        "category_changed": "Legutóbbi választása óta módosult",
    }
)
