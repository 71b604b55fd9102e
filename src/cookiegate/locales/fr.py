"""French texts.

Wording follows the CNIL's cookie guidelines and recommendation: "Tout accepter" and
"Tout refuser" side by side, "Paramétrer les cookies", "consentement", "finalité".
French typography wants a no-break space before a colon; it is written as an escape
so that it stays visible in this file.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Nous utilisons des cookies",
        "banner_text": (
            "Nous utilisons des cookies et autres traceurs strictement nécessaires au site. Avec "
            "votre consentement, nous en utilisons d’autres, par exemple pour mesurer l’audience "
            "ou afficher des contenus intégrés. Vous pouvez changer d’avis à tout moment."
        ),
        "accept_all": "Tout accepter",
        "reject_all": "Tout refuser",
        "settings": "Personnaliser",
        "policy_link": "Politique de confidentialité",
        "preferences_title": "Paramétrer les cookies",
        "preferences_intro": (
            "Choisissez les cookies facultatifs et les services tiers que ce site peut utiliser. "
            "Les cookies strictement nécessaires sont toujours actifs, car le site ne peut pas "
            "fonctionner sans eux."
        ),
        "always_on": "Toujours actifs",
        "save": "Enregistrer mes choix",
        "withdraw": "Retirer mon consentement",
        "status_undecided": "Vous n’avez pas encore fait de choix.",
        "status_decided": "Votre choix actuel est enregistré dans ce navigateur.",
        "consent_id": "Identifiant de consentement",
        "gpc_honored": "Signal de préférence de refus respecté",
        "do_not_sell": "Ne pas vendre ni partager mes informations personnelles",
        "do_not_sell_help": (
            "Désactive les cookies et les services qui vendent ou partagent vos informations "
            "personnelles à des fins de publicité ciblée."
        ),
        "declaration_title": "Cookies et services utilisés sur ce site",
        "col_service": "Service",
        "col_provider": "Fournisseur",
        "col_cookies": "Cookies",
        "col_duration": "Durée",
        "col_purpose": "Finalité",
        "col_policy": "Politique de confidentialité",
        "first_party": "Ce site",
        "placeholder_text": (
            "Ce contenu est fourni par {service}. Son chargement peut déposer des cookies."
        ),
        "placeholder_load": "Charger {service}",
        "error_title": "Votre choix n’a pas pu être enregistré",
        "error_back": "Retour",
        "saved": "Vos choix ont été enregistrés.",
        "banner_gpc": (
            "Signal de refus (GPC) respecté\xa0: nous ne vendons ni ne partageons vos données "
            "personnelles."
        ),
        "status_title": "Votre choix actuel",
        "allow": "Autoriser",
        "services": "Services",
        "category": "Catégorie",
        "no_cookies": "Aucun déclaré",
        "continue": "Revenir à la page où vous étiez",
        "placeholder_policy": "Politique de confidentialité de {service}",
        "placeholder_blocked": (
            "Votre signal de préférence de refus est respecté, ce contenu n’est donc pas chargé. "
            "Vous pouvez modifier ce choix dans le paramétrage des cookies."
        ),
        "error_text": (
            "Votre choix n’a pas pu être enregistré, car le formulaire a expiré ou provient d’un "
            "autre site. Rien n’a été modifié. Vous pouvez renouveler votre choix ci-dessous."
        ),
        "error_invalid": (
            "Votre choix n’a pas pu être enregistré, car le formulaire contenait un élément que ce "
            "site ne reconnaît pas. Rien n’a été modifié."
        ),
        "error_retry": "Renouveler mon choix",
        "not_found": "Page introuvable.",
        "reconsent_title": "Nous avons modifié certains cookies",
        "reconsent_text": (
            "Depuis votre dernier choix, nous avons modifié ce que font les catégories "
            "ci-dessous. Les autorisez-vous\u00a0? Vos autres choix restent inchangés."
        ),
        "reconsent_accept": "Accepter",
        "reconsent_reject": "Refuser",
        "category_changed": "Modifiée depuis votre dernier choix",
    }
)
