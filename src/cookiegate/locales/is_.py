"""Icelandic texts.

Persónuvernd (the Icelandic data protection authority) writes "vafrakökur" for
cookies and "samþykki" for consent. Service names are foreign words that Icelandic
would inflect, so the texts that embed {service} put it after a colon or in a position
where the uninflected form reads naturally.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Við notum vafrakökur",
        "banner_text": (
            "Við notum nauðsynlegar vafrakökur og sambærilega tækni til að reka þennan vef. Með "
            "samþykki þínu notum við einnig valfrjálsar vafrakökur, til dæmis til að mæla "
            "heimsóknir eða birta innfellt efni. Þú getur breytt vali þínu hvenær sem er."
        ),
        "accept_all": "Samþykkja allar",
        "reject_all": "Hafna öllum",
        "settings": "Stillingar",
        "policy_link": "Persónuverndarstefna",
        "preferences_title": "Stillingar vafrakaka",
        "preferences_intro": (
            "Veldu hvaða valfrjálsu vafrakökur og þjónustur þriðju aðila þessi vefur má nota. "
            "Nauðsynlegar vafrakökur eru alltaf virkar því að vefurinn virkar ekki án þeirra."
        ),
        "always_on": "Alltaf virkar",
        "save": "Vista val mitt",
        "withdraw": "Afturkalla samþykki",
        "status_undecided": "Þú hefur ekki valið enn.",
        "status_decided": "Núverandi val þitt er vistað í þessum vafra.",
        "consent_id": "Auðkenni samþykkis",
        "gpc_honored": "Tekið er mark á afþökkunarmerki",
        "do_not_sell": "Ekki selja eða deila persónuupplýsingum mínum",
        "do_not_sell_help": (
            "Slekkur á vafrakökum og þjónustum sem selja eða deila persónuupplýsingum þínum vegna "
            "sérsniðinna auglýsinga."
        ),
        "declaration_title": "Vafrakökur og þjónustur sem þessi vefur notar",
        "col_service": "Þjónusta",
        "col_provider": "Veitandi",
        "col_cookies": "Vafrakökur",
        "col_duration": "Gildistími",
        "col_purpose": "Tilgangur",
        "col_policy": "Persónuverndarstefna",
        "first_party": "Þessi vefur",
        "placeholder_text": (
            "Þetta efni kemur frá {service}. Ef það er sótt geta vafrakökur verið vistaðar."
        ),
        "placeholder_load": "Sækja efni: {service}",
        "error_title": "Ekki tókst að vista val þitt",
        "error_back": "Til baka",
        "saved": "Val þitt hefur verið vistað.",
        "banner_gpc": (
            "Tekið er mark á afþökkunarmerki þínu (GPC): við hvorki seljum né deilum "
            "persónuupplýsingum þínum."
        ),
        "status_title": "Núverandi val þitt",
        "allow": "Leyfa",
        "services": "Þjónustur",
        "category": "Flokkur",
        "no_cookies": "Engar tilgreindar",
        "continue": "Halda áfram á síðuna sem þú varst á",
        "placeholder_policy": "Persónuverndarstefna: {service}",
        "placeholder_blocked": (
            "Tekið er mark á afþökkunarmerki þínu og því er þetta efni ekki sótt. Þú getur breytt "
            "því í stillingum vafrakaka."
        ),
        "error_text": (
            "Ekki tókst að vista val þitt vegna þess að eyðublaðið rann út eða kom frá öðrum vef. "
            "Engu hefur verið breytt. Þú getur endurtekið val þitt hér fyrir neðan."
        ),
        "error_invalid": (
            "Ekki tókst að vista val þitt vegna þess að eyðublaðið innihélt eitthvað sem þessi "
            "vefur þekkir ekki. Engu hefur verið breytt."
        ),
        "error_retry": "Endurtaka val mitt",
        "not_found": "Fannst ekki.",
        "reconsent_title": "Við höfum breytt sumum vafrakökum",
        "reconsent_text": (
            "Frá síðasta vali þínu höfum við breytt því sem flokkarnir hér fyrir neðan gera. "
            "Leyfir þú þá? Önnur val þín haldast óbreytt."
        ),
        "reconsent_accept": "Leyfa",
        "reconsent_reject": "Hafna",
        "category_changed": "Breytt frá síðasta vali þínu",
    }
)
