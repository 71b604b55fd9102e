"""Google services.

Google products share hosts, and a host pattern may belong to one preset only, so each
shared host is filed under the product that uses it most:

- ``www.googletagmanager.com`` serves both Tag Manager (``gtm.js``) and the ``gtag.js``
  loader that Google Analytics 4 and Google Ads use; it lives in ``google-tag-manager``.
  Sites using ``gtag.js`` for analytics should grant both services together (or file
  ``google-tag-manager`` under the analytics category, its default).
- ``www.google.com`` serves reCAPTCHA and the Google Maps ``/maps/embed`` iframe; the gate
  matches hosts, not paths, so it lives in ``recaptcha``. ``google-maps`` covers the Maps
  JavaScript API and ``maps.google.com`` embeds.
- ``www.gstatic.com`` (reCAPTCHA's assets) lives in ``recaptcha``; fonts use
  ``fonts.gstatic.com`` and Maps ``maps.gstatic.com``.
"""

from __future__ import annotations

from cookiegate.catalog._model import Preset, cookie

_GOOGLE = "Google Ireland Limited"
_GOOGLE_POLICY = "https://policies.google.com/privacy"

PRESETS = (
    Preset(
        id="google-analytics",
        title="Google Analytics",
        provider=_GOOGLE,
        privacy_policy=_GOOGLE_POLICY,
        category="analytics",
        description="Measures how visitors use the site: pages viewed, time spent, referrers.",
        hosts=("*.google-analytics.com", "*.analytics.google.com"),
        inline=(
            "google-analytics.com/analytics.js",
            "gtag('config'",
            'gtag("config"',
            "ga('create'",
        ),
        cookies=(
            cookie("_ga", "2 years", "Distinguishes visitors"),
            cookie("_ga_*", "2 years", "Keeps the state of the current visit"),
            cookie("_gid", "24 hours", "Distinguishes visitors over one day"),
            cookie("_gat*", "1 minute", "Throttles the request rate"),
        ),
    ),
    Preset(
        id="google-tag-manager",
        title="Google Tag Manager",
        provider=_GOOGLE,
        privacy_policy=_GOOGLE_POLICY,
        category="analytics",
        description="Loads measurement and advertising tags configured in Google Tag Manager.",
        hosts=("*.googletagmanager.com",),
        inline=(
            "googletagmanager.com/gtm.js",
            "googletagmanager.com/gtag/js",
            "googletagmanager.com/ns.html",
        ),
    ),
    Preset(
        id="google-ads",
        title="Google Ads",
        provider=_GOOGLE,
        privacy_policy=_GOOGLE_POLICY,
        category="marketing",
        description="Measures ad conversions and builds remarketing audiences for Google Ads.",
        hosts=("*.googleadservices.com", "*.googlesyndication.com"),
        inline=("googleadservices.com/pagead/conversion", "gtag('config', 'AW-", "adsbygoogle"),
        cookies=(
            cookie("_gcl_*", "90 days", "Stores ad click information to measure conversions"),
        ),
    ),
    Preset(
        id="doubleclick",
        title="Google Marketing Platform (DoubleClick)",
        provider=_GOOGLE,
        privacy_policy=_GOOGLE_POLICY,
        category="marketing",
        description="Shows and measures personalised ads across websites.",
        hosts=("*.doubleclick.net", "*.googletagservices.com"),
        inline=("googletagservices.com/tag/js/gpt.js", "googletag.defineSlot("),
        cookies=(
            cookie("IDE", "13 months", "Shows and measures personalised ads"),
            cookie("test_cookie", "15 minutes", "Checks whether the browser accepts cookies"),
            cookie("DSID", "2 weeks", "Links ad activity across devices of a signed-in user"),
        ),
    ),
    Preset(
        id="google-fonts",
        title="Google Fonts",
        provider=_GOOGLE,
        privacy_policy=_GOOGLE_POLICY,
        category="functional",
        description="Web fonts loaded from Google's servers, which receive the visitor's IP address.",
        hosts=("fonts.googleapis.com", "fonts.gstatic.com"),
    ),
    Preset(
        id="youtube",
        title="YouTube",
        provider=_GOOGLE,
        privacy_policy=_GOOGLE_POLICY,
        category="social",
        description="Embedded YouTube videos.",
        hosts=(
            "youtube.com",
            "*.youtube.com",
            "youtube-nocookie.com",
            "*.youtube-nocookie.com",
            "youtu.be",
            "*.ytimg.com",
            "*.googlevideo.com",
        ),
        inline=("youtube.com/iframe_api",),
        cookies=(
            cookie("YSC", "session", "Counts video views"),
            cookie(
                "VISITOR_INFO1_LIVE",
                "6 months",
                "Estimates bandwidth and remembers player settings",
            ),
            cookie(
                "VISITOR_PRIVACY_METADATA", "6 months", "Stores the visitor's cookie consent state"
            ),
            cookie("PREF", "8 months", "Remembers player preferences"),
        ),
        placeholder=True,
    ),
    Preset(
        id="google-maps",
        title="Google Maps",
        provider=_GOOGLE,
        privacy_policy=_GOOGLE_POLICY,
        category="functional",
        description="Interactive maps from Google.",
        hosts=("maps.googleapis.com", "maps.google.com", "maps.gstatic.com"),
        inline=("maps.googleapis.com/maps/api/js",),
        cookies=(cookie("NID", "6 months", "Remembers preferences across Google services"),),
        placeholder=True,
    ),
    Preset(
        id="recaptcha",
        title="Google reCAPTCHA",
        provider=_GOOGLE,
        privacy_policy=_GOOGLE_POLICY,
        category="functional",
        description="Protects forms against spam and abuse.",
        hosts=("www.google.com", "www.recaptcha.net", "www.gstatic.com"),
        inline=("grecaptcha.",),
        cookies=(cookie("_GRECAPTCHA", "6 months", "Risk analysis for the spam check"),),
    ),
)
