"""Arabic texts (Modern Standard Arabic, written right to left).

"ملفات تعريف الارتباط" is the term for cookies used by data protection regulators in
the Arabic-speaking world (for example Saudi Arabia's SDAIA and the UAE), with
"موافقة" for consent and "البيانات الشخصية" for personal data. The page gets
dir="rtl"; Latin names such as {service} and GPC embed correctly in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "نستخدم ملفات تعريف الارتباط",
        "banner_text": (
            "نستخدم ملفات تعريف الارتباط وتقنيات مشابهة ضرورية لتشغيل هذا الموقع. وبموافقتك نستخدم "
            "أيضًا ملفات اختيارية، مثلًا لقياس الزيارات أو لعرض المحتوى المضمَّن. يمكنك تغيير "
            "اختيارك في أي وقت."
        ),
        "accept_all": "قبول الكل",
        "reject_all": "رفض الكل",
        "settings": "الإعدادات",
        "policy_link": "سياسة الخصوصية",
        "preferences_title": "إعدادات ملفات تعريف الارتباط",
        "preferences_intro": (
            "اختر ملفات تعريف الارتباط الاختيارية وخدمات الجهات الخارجية التي يمكن لهذا الموقع "
            "استخدامها. ملفات تعريف الارتباط الضرورية مفعّلة دائمًا لأن الموقع لا يعمل بدونها."
        ),
        "always_on": "مفعّلة دائمًا",
        "save": "حفظ اختياراتي",
        "withdraw": "سحب الموافقة",
        "status_undecided": "لم تحدد اختيارك بعد.",
        "status_decided": "اختيارك الحالي محفوظ في هذا المتصفح.",
        "consent_id": "معرّف الموافقة",
        "gpc_honored": "تُحترم إشارة تفضيل الانسحاب",
        "do_not_sell": "لا تبيعوا معلوماتي الشخصية ولا تشاركوها",
        "do_not_sell_help": (
            "يوقف ملفات تعريف الارتباط والخدمات التي تبيع معلوماتك الشخصية أو تشاركها لأغراض "
            "الإعلانات الموجّهة."
        ),
        "declaration_title": "ملفات تعريف الارتباط والخدمات المستخدمة في هذا الموقع",
        "col_service": "الخدمة",
        "col_provider": "المزوّد",
        "col_cookies": "ملفات تعريف الارتباط",
        "col_duration": "المدة",
        "col_purpose": "الغرض",
        "col_policy": "سياسة الخصوصية",
        "first_party": "هذا الموقع",
        "placeholder_text": (
            "هذا المحتوى مقدَّم من {service}. قد يؤدي تحميله إلى حفظ ملفات تعريف الارتباط."
        ),
        "placeholder_load": "تحميل {service}",
        "error_title": "تعذّر حفظ اختيارك",
        "error_back": "رجوع",
        "saved": "تم حفظ اختياراتك.",
        "banner_gpc": (
            "نحترم إشارة تفضيل الانسحاب (GPC) التي يرسلها متصفحك: لا نبيع بياناتك الشخصية ولا "
            "نشاركها."
        ),
        "status_title": "اختيارك الحالي",
        "allow": "السماح",
        "services": "الخدمات",
        "category": "الفئة",
        "no_cookies": "لم يُصرَّح بأي ملف",
        "continue": "العودة إلى الصفحة التي كنت فيها",
        "placeholder_policy": "سياسة الخصوصية لدى {service}",
        "placeholder_blocked": (
            "نحترم إشارة تفضيل الانسحاب التي يرسلها متصفحك، لذلك لا يُحمَّل هذا المحتوى. يمكنك "
            "تغيير ذلك في إعدادات ملفات تعريف الارتباط."
        ),
        "error_text": (
            "تعذّر حفظ اختيارك لأن صلاحية النموذج انتهت أو لأنه أُرسل من موقع آخر. لم يتغير شيء. "
            "يمكنك تكرار اختيارك أدناه."
        ),
        "error_invalid": (
            "تعذّر حفظ اختيارك لأن النموذج احتوى على شيء لا يتعرّف عليه هذا الموقع. لم يتغير شيء."
        ),
        "error_retry": "تكرار اختياري",
        "not_found": "غير موجود.",
        "reconsent_title": "لقد غيّرنا بعض ملفات تعريف الارتباط",
        "reconsent_text": (
            "منذ اختيارك الأخير، غيّرنا ما تفعله الفئات أدناه. هل تسمح بها؟ تبقى اختياراتك "
            "الأخرى كما هي."
        ),
        "reconsent_accept": "قبول",
        "reconsent_reject": "رفض",
        "category_changed": "تغيّرت منذ اختيارك الأخير",
    }
)
