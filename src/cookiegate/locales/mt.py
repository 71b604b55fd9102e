"""Maltese texts.

Maltese public bodies, including the IDPC, keep the English loanword "cookies";
"kunsens" is consent and "data personali" personal data, as in the Maltese text of
the GDPR. "Aċċetta kollox" and "Irrifjuta kollox" are parallel.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Nużaw il-cookies",
        "banner_text": (
            "Nużaw cookies u teknoloġiji simili strettament meħtieġa għas-sit. Bil-kunsens tiegħek "
            "nużaw ukoll cookies fakultattivi, pereżempju biex inkejlu ż-żjarat jew nuru kontenut "
            "inkorporat. Tista’ tibdel l-għażla tiegħek meta trid."
        ),
        "accept_all": "Aċċetta kollox",
        "reject_all": "Irrifjuta kollox",
        "settings": "Issettjar",
        "policy_link": "Politika tal-privatezza",
        "preferences_title": "Issettjar tal-cookies",
        "preferences_intro": (
            "Agħżel liema cookies fakultattivi u servizzi ta’ partijiet terzi jista’ juża dan "
            "is-sit. Il-cookies strettament meħtieġa huma dejjem attivi għax is-sit ma jistax "
            "jaħdem mingħajrhom."
        ),
        "always_on": "Dejjem attivi",
        "save": "Aħżen l-għażliet tiegħi",
        "withdraw": "Irtira l-kunsens",
        "status_undecided": "Għadek ma għamiltx għażla.",
        "status_decided": "L-għażla attwali tiegħek hija maħżuna f’dan il-browser.",
        "consent_id": "ID tal-kunsens",
        "gpc_honored": "Is-sinjal ta’ preferenza ta’ rifjut huwa rispettat",
        "do_not_sell": "Tbigħx u taqsamx l-informazzjoni personali tiegħi",
        "do_not_sell_help": (
            "Jitfi l-cookies u s-servizzi li jbigħu jew jaqsmu l-informazzjoni personali tiegħek "
            "għal reklamar immirat."
        ),
        "declaration_title": "Cookies u servizzi użati fuq dan is-sit",
        "col_service": "Servizz",
        "col_provider": "Fornitur",
        "col_cookies": "Cookies",
        "col_duration": "Tul ta’ żmien",
        "col_purpose": "Skop",
        "col_policy": "Politika tal-privatezza",
        "first_party": "Dan is-sit",
        "placeholder_text": (
            "Dan il-kontenut huwa pprovdut minn {service}. Jekk jitgħabba, jistgħu jiġu ssettjati "
            "cookies."
        ),
        "placeholder_load": "Għabbi l-kontenut: {service}",
        "error_title": "L-għażla tiegħek ma setgħetx tiġi maħżuna",
        "error_back": "Lura",
        "saved": "L-għażliet tiegħek ġew maħżuna.",
        "banner_gpc": (
            "Is-sinjal ta’ rifjut tiegħek (GPC) huwa rispettat: ma nbigħux u ma naqsmux id-data "
            "personali tiegħek."
        ),
        "status_title": "L-għażla attwali tiegħek",
        "allow": "Ippermetti",
        "services": "Servizzi",
        "category": "Kategorija",
        "no_cookies": "L-ebda waħda ddikjarata",
        "continue": "Lura għall-paġna fejn kont",
        "placeholder_policy": "Politika tal-privatezza: {service}",
        "placeholder_blocked": (
            "Is-sinjal ta’ preferenza ta’ rifjut tiegħek huwa rispettat, għalhekk dan il-kontenut "
            "mhux qed jitgħabba. Tista’ tibdel dan fl-issettjar tal-cookies."
        ),
        "error_text": (
            "L-għażla tiegħek ma setgħetx tiġi maħżuna għax il-formola skadiet jew ġiet minn sit "
            "ieħor. Ma nbidel xejn. Tista’ terġa’ tagħmel l-għażla tiegħek hawn taħt."
        ),
        "error_invalid": (
            "L-għażla tiegħek ma setgħetx tiġi maħżuna għax il-formola kien fiha xi ħaġa li dan "
            "is-sit ma jagħrafx. Ma nbidel xejn."
        ),
        "error_retry": "Erġa’ agħmel l-għażla tiegħi",
        "not_found": "Ma nstabx.",
        "reconsent_title": "Biddilna xi wħud mill-cookies tagħna",
        "reconsent_text": (
            "Mill-aħħar għażla tiegħek, biddilna dak li jagħmlu l-kategoriji ta' hawn taħt. "
            "Tippermettihom? L-għażliet l-oħra tiegħek jibqgħu kif inhuma."
        ),
        "reconsent_accept": "Aċċetta",
        "reconsent_reject": "Irrifjuta",
        "category_changed": "Mibdula mill-aħħar għażla tiegħek",
    }
)
