"""Irish texts.

Terms follow the Irish-language versions of the Data Protection Commission's
material and of the GDPR: "fianáin" for cookies, "toiliú" for consent, "sonraí
pearsanta". The banner buttons share one pattern ("... gach ceann") so neither is
favoured. {service} follows a colon or "Is é ... a", which keep the name unmutated.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Úsáidimid fianáin",
        "banner_text": (
            "Úsáidimid fianáin agus teicneolaíochtaí cosúla atá fíor-riachtanach don suíomh. Le do "
            "thoiliú, úsáidimid fianáin roghnacha freisin, mar shampla chun cuairteanna a "
            "chomhaireamh nó ábhar leabaithe a thaispeáint. Is féidir do rogha a athrú am ar bith."
        ),
        "accept_all": "Glac le gach ceann",
        "reject_all": "Diúltaigh do gach ceann",
        "settings": "Socruithe",
        "policy_link": "Beartas príobháideachais",
        "preferences_title": "Socruithe fianán",
        "preferences_intro": (
            "Roghnaigh na fianáin roghnacha agus na seirbhísí tríú páirtí is féidir leis an suíomh "
            "seo a úsáid. Bíonn fianáin fíor-riachtanacha ar siúl i gcónaí mar nach féidir leis an "
            "suíomh oibriú gan iad."
        ),
        "always_on": "Ar siúl i gcónaí",
        "save": "Sábháil mo roghanna",
        "withdraw": "Tarraing siar do thoiliú",
        "status_undecided": "Níl rogha déanta agat fós.",
        "status_decided": "Tá do rogha reatha sábháilte sa bhrabhsálaí seo.",
        "consent_id": "Aitheantas toilithe",
        "gpc_honored": "Urramaítear an comhartha rogha diúltaithe",
        "do_not_sell": "Ná díol ná comhroinn m’fhaisnéis phearsanta",
        "do_not_sell_help": (
            "Múchann sé seo fianáin agus seirbhísí a dhíolann nó a chomhroinneann d’fhaisnéis "
            "phearsanta le haghaidh fógraíocht spriocdhírithe."
        ),
        "declaration_title": "Fianáin agus seirbhísí a úsáidtear ar an suíomh seo",
        "col_service": "Seirbhís",
        "col_provider": "Soláthraí",
        "col_cookies": "Fianáin",
        "col_duration": "Fad",
        "col_purpose": "Cuspóir",
        "col_policy": "Beartas príobháideachais",
        "first_party": "An suíomh seo",
        "placeholder_text": (
            "Is é {service} a sholáthraíonn an t-ábhar seo. D’fhéadfadh fianáin a bheith socraithe "
            "má lódáiltear é."
        ),
        "placeholder_load": "Lódáil ábhar: {service}",
        "error_title": "Níorbh fhéidir do rogha a shábháil",
        "error_back": "Siar",
        "saved": "Sábháladh do roghanna.",
        "banner_gpc": (
            "Urramaítear do chomhartha diúltaithe (GPC): ní dhíolaimid ná ní chomhroinnimid do "
            "shonraí."
        ),
        "status_title": "Do rogha reatha",
        "allow": "Ceadaigh",
        "services": "Seirbhísí",
        "category": "Catagóir",
        "no_cookies": "Níl aon cheann fógartha",
        "continue": "Fill ar an leathanach a raibh tú air",
        "placeholder_policy": "Beartas príobháideachais: {service}",
        "placeholder_blocked": (
            "Urramaítear do chomhartha rogha diúltaithe, mar sin ní lódáiltear an t-ábhar seo. Is "
            "féidir leat é seo a athrú sna socruithe fianán."
        ),
        "error_text": (
            "Níorbh fhéidir do rogha a shábháil mar go ndeachaigh an fhoirm in éag nó gur tháinig "
            "sí ó shuíomh eile. Níor athraíodh aon rud. Is féidir leat do rogha a dhéanamh arís "
            "thíos."
        ),
        "error_invalid": (
            "Níorbh fhéidir do rogha a shábháil mar go raibh rud éigin san fhoirm nach n-aithníonn "
            "an suíomh seo. Níor athraíodh aon rud."
        ),
        "error_retry": "Déan mo rogha arís",
        "not_found": "Níor aimsíodh é.",
        "reconsent_title": "D'athraíomar cuid de na fianáin",
        "reconsent_text": (
            "Ó rinne tú do rogha dheireanach, d'athraíomar a bhfuil ar siúl ag na catagóirí "
            "thíos. An gceadaíonn tú iad? Fanann do roghanna eile mar atá siad."
        ),
        "reconsent_accept": "Ceadaigh",
        "reconsent_reject": "Diúltaigh",
        "category_changed": "Athraithe ó do rogha dheireanach",
    }
)
