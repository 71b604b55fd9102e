"""Spanish texts.

Terms follow the AEPD's cookie guide: "Aceptar todas" / "Rechazar todas" (cookie is
feminine in Spanish), "Configurar", "consentimiento", "finalidad"; the visitor is
addressed as "usted", as Spanish authorities do. "Do not sell or share" uses the
wording of the California Privacy Protection Agency's Spanish materials.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Utilizamos cookies",
        "banner_text": (
            "Utilizamos cookies y tecnologías similares estrictamente necesarias para este sitio. "
            "Con su consentimiento, también otras opcionales, por ejemplo para medir visitas o "
            "mostrar contenido incrustado. Puede cambiar su elección cuando quiera."
        ),
        "accept_all": "Aceptar todas",
        "reject_all": "Rechazar todas",
        "settings": "Configurar",
        "policy_link": "Política de privacidad",
        "preferences_title": "Configuración de cookies",
        "preferences_intro": (
            "Elija qué cookies opcionales y servicios de terceros puede utilizar este sitio. Las "
            "cookies estrictamente necesarias están siempre activas porque el sitio no puede "
            "funcionar sin ellas."
        ),
        "always_on": "Siempre activas",
        "save": "Guardar mis preferencias",
        "withdraw": "Retirar el consentimiento",
        "status_undecided": "Todavía no ha hecho ninguna elección.",
        "status_decided": "Su elección actual está guardada en este navegador.",
        "consent_id": "ID de consentimiento",
        "gpc_honored": "Señal de preferencia de exclusión voluntaria respetada",
        "do_not_sell": "No vender ni compartir mi información personal",
        "do_not_sell_help": (
            "Desactiva las cookies y los servicios que venden o comparten su información personal "
            "para publicidad dirigida."
        ),
        "declaration_title": "Cookies y servicios utilizados en este sitio",
        "col_service": "Servicio",
        "col_provider": "Proveedor",
        "col_cookies": "Cookies",
        "col_duration": "Duración",
        "col_purpose": "Finalidad",
        "col_policy": "Política de privacidad",
        "first_party": "Este sitio",
        "placeholder_text": (
            "Este contenido lo proporciona {service}. Al cargarlo se pueden instalar cookies."
        ),
        "placeholder_load": "Cargar {service}",
        "error_title": "No se ha podido guardar su elección",
        "error_back": "Volver",
        "saved": "Sus preferencias se han guardado.",
        "banner_gpc": (
            "Respetamos su señal de exclusión voluntaria (GPC): no vendemos ni compartimos sus "
            "datos personales."
        ),
        "status_title": "Su elección actual",
        "allow": "Permitir",
        "services": "Servicios",
        "category": "Categoría",
        "no_cookies": "Ninguna declarada",
        "continue": "Volver a la página en la que estaba",
        "placeholder_policy": "Política de privacidad de {service}",
        "placeholder_blocked": (
            "Se respeta su señal de preferencia de exclusión voluntaria, por lo que este contenido "
            "no se carga. Puede cambiarlo en la configuración de cookies."
        ),
        "error_text": (
            "No se ha podido guardar su elección porque el formulario ha caducado o procede de "
            "otro sitio. No se ha cambiado nada. Puede repetir su elección a continuación."
        ),
        "error_invalid": (
            "No se ha podido guardar su elección porque el formulario contenía algo que este sitio "
            "no reconoce. No se ha cambiado nada."
        ),
        "error_retry": "Repetir mi elección",
        "not_found": "Página no encontrada.",
        "reconsent_title": "Hemos cambiado algunas de nuestras cookies",
        "reconsent_text": (
            "Desde su última elección, hemos cambiado lo que hacen las categorías siguientes. "
            "¿Las permite? Sus demás elecciones se mantienen igual."
        ),
        "reconsent_accept": "Aceptar",
        "reconsent_reject": "Rechazar",
        "category_changed": "Modificada desde su última elección",
    }
)
