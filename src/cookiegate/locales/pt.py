"""Portuguese texts (European Portuguese).

Written for Portugal, the EU official variant, with the CNPD's terms: "consentimento",
"definições", "partilhar". Brazilian readers understand it; a Brazilian site can
override the few words that differ ("configurações", "compartilhar") under texts.pt.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Utilizamos cookies",
        "banner_text": (
            "Utilizamos cookies e tecnologias semelhantes estritamente necessários ao site. Com o "
            "seu consentimento, também cookies opcionais, por exemplo para medir visitas ou "
            "mostrar conteúdos incorporados. Pode alterar a sua escolha a qualquer momento."
        ),
        "accept_all": "Aceitar todos",
        "reject_all": "Rejeitar todos",
        "settings": "Personalizar",
        "policy_link": "Política de privacidade",
        "preferences_title": "Definições de cookies",
        "preferences_intro": (
            "Escolha que cookies opcionais e serviços de terceiros este site pode utilizar. Os "
            "cookies estritamente necessários estão sempre ativos, porque o site não funciona sem "
            "eles."
        ),
        "always_on": "Sempre ativos",
        "save": "Guardar as minhas escolhas",
        "withdraw": "Retirar o consentimento",
        "status_undecided": "Ainda não fez nenhuma escolha.",
        "status_decided": "A sua escolha atual está guardada neste navegador.",
        "consent_id": "ID do consentimento",
        "gpc_honored": "Sinal de preferência de oposição respeitado",
        "do_not_sell": "Não vender nem partilhar as minhas informações pessoais",
        "do_not_sell_help": (
            "Desativa os cookies e os serviços que vendem ou partilham as suas informações "
            "pessoais para publicidade direcionada."
        ),
        "declaration_title": "Cookies e serviços utilizados neste site",
        "col_service": "Serviço",
        "col_provider": "Fornecedor",
        "col_cookies": "Cookies",
        "col_duration": "Duração",
        "col_purpose": "Finalidade",
        "col_policy": "Política de privacidade",
        "first_party": "Este site",
        "placeholder_text": (
            "Este conteúdo é fornecido por {service}. Carregá-lo pode instalar cookies."
        ),
        "placeholder_load": "Carregar {service}",
        "error_title": "Não foi possível guardar a sua escolha",
        "error_back": "Voltar",
        "saved": "As suas escolhas foram guardadas.",
        "banner_gpc": (
            "Respeitamos o seu sinal de oposição (GPC): não vendemos nem partilhamos os seus dados."
        ),
        "status_title": "A sua escolha atual",
        "allow": "Permitir",
        "services": "Serviços",
        "category": "Categoria",
        "no_cookies": "Nenhum declarado",
        "continue": "Voltar à página onde estava",
        "placeholder_policy": "Política de privacidade de {service}",
        "placeholder_blocked": (
            "O seu sinal de preferência de oposição é respeitado, por isso este conteúdo não é "
            "carregado. Pode alterar isto nas definições de cookies."
        ),
        "error_text": (
            "Não foi possível guardar a sua escolha porque o formulário expirou ou veio de outro "
            "site. Nada foi alterado. Pode repetir a sua escolha abaixo."
        ),
        "error_invalid": (
            "Não foi possível guardar a sua escolha porque o formulário continha algo que este "
            "site não reconhece. Nada foi alterado."
        ),
        "error_retry": "Repetir a minha escolha",
        "not_found": "Página não encontrada.",
        "reconsent_title": "Alterámos alguns dos nossos cookies",
        "reconsent_text": (
            "Desde a sua última escolha, alterámos o que fazem as categorias abaixo. "
            "Permite-as? As suas outras escolhas mantêm-se."
        ),
        "reconsent_accept": "Aceitar",
        "reconsent_reject": "Rejeitar",
        "category_changed": "Alterada desde a sua última escolha",
    }
)
