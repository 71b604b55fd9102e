"""Swedish texts.

Swedish authorities (IMY, PTS) say "kakor" for cookies, so these texts do too;
"samtycke" and "personuppgifter" are the GDPR's Swedish terms. "Godkänn alla" and
"Avvisa alla" have the same shape and length.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Vi använder kakor",
        "banner_text": (
            "Vi använder kakor och liknande tekniker som är strikt nödvändiga för att webbplatsen "
            "ska fungera. Med ditt samtycke använder vi också valfria kakor, till exempel för att "
            "mäta besök eller visa inbäddat innehåll. Du kan ändra ditt val när som helst."
        ),
        "accept_all": "Godkänn alla",
        "reject_all": "Avvisa alla",
        "settings": "Inställningar",
        "policy_link": "Integritetspolicy",
        "preferences_title": "Inställningar för kakor",
        "preferences_intro": (
            "Välj vilka valfria kakor och tjänster från tredje part som webbplatsen får använda. "
            "Strikt nödvändiga kakor är alltid på eftersom webbplatsen inte fungerar utan dem."
        ),
        "always_on": "Alltid på",
        "save": "Spara mina val",
        "withdraw": "Återkalla samtycke",
        "status_undecided": "Du har inte gjort något val ännu.",
        "status_decided": "Ditt nuvarande val är sparat i den här webbläsaren.",
        "consent_id": "Samtyckes-ID",
        "gpc_honored": "Preferenssignal för att avstå respekteras",
        "do_not_sell": "Sälj eller dela inte mina personuppgifter",
        "do_not_sell_help": (
            "Stänger av kakor och tjänster som säljer eller delar dina personuppgifter för riktad "
            "marknadsföring."
        ),
        "declaration_title": "Kakor och tjänster som används på webbplatsen",
        "col_service": "Tjänst",
        "col_provider": "Leverantör",
        "col_cookies": "Kakor",
        "col_duration": "Lagringstid",
        "col_purpose": "Syfte",
        "col_policy": "Integritetspolicy",
        "first_party": "Den här webbplatsen",
        "placeholder_text": (
            "Innehållet tillhandahålls av {service}. Om det läses in kan kakor sparas."
        ),
        "placeholder_load": "Läs in {service}",
        "error_title": "Ditt val kunde inte sparas",
        "error_back": "Tillbaka",
        "saved": "Dina val har sparats.",
        "banner_gpc": (
            "Din preferenssignal för att avstå (GPC) respekteras: vi varken säljer eller delar "
            "dina personuppgifter."
        ),
        "status_title": "Ditt nuvarande val",
        "allow": "Tillåt",
        "services": "Tjänster",
        "category": "Kategori",
        "no_cookies": "Inga angivna",
        "continue": "Tillbaka till sidan du var på",
        "placeholder_policy": "Integritetspolicy för {service}",
        "placeholder_blocked": (
            "Din preferenssignal för att avstå respekteras, därför läses innehållet inte in. Du "
            "kan ändra detta i inställningarna för kakor."
        ),
        "error_text": (
            "Ditt val kunde inte sparas eftersom formuläret har gått ut eller kom från en annan "
            "webbplats. Inget har ändrats. Du kan göra om ditt val nedan."
        ),
        "error_invalid": (
            "Ditt val kunde inte sparas eftersom formuläret innehöll något som webbplatsen inte "
            "känner igen. Inget har ändrats."
        ),
        "error_retry": "Gör om mitt val",
        "not_found": "Hittades inte.",
        "reconsent_title": "Vi har ändrat några av våra kakor",
        "reconsent_text": (
            "Sedan ditt senaste val har vi ändrat vad kategorierna nedan gör. Tillåter du dem? "
            "Dina övriga val gäller som tidigare."
        ),
        "reconsent_accept": "Godkänn",
        "reconsent_reject": "Avvisa",
        "category_changed": "Ändrad sedan ditt senaste val",
    }
)
