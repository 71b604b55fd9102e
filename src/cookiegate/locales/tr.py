"""Turkish texts.

Terms follow KVKK (the Turkish Personal Data Protection Authority) and its cookie
guide: "çerez", "açık rıza" for consent, "kişisel veriler". Turkish attaches case
suffixes to names, so {service} stands before "tarafından" or after a colon, where the
bare name is grammatical.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Çerez kullanıyoruz",
        "banner_text": (
            "Bu sitenin çalışması için kesinlikle gerekli olan çerezleri ve benzeri teknolojileri "
            "kullanıyoruz. Açık rızanızla, örneğin ziyaretleri ölçmek veya yerleştirilmiş "
            "içerikleri göstermek için isteğe bağlı çerezleri de kullanıyoruz. Tercihinizi "
            "istediğiniz zaman değiştirebilirsiniz."
        ),
        "accept_all": "Tümünü kabul et",
        "reject_all": "Tümünü reddet",
        "settings": "Ayarlar",
        "policy_link": "Gizlilik politikası",
        "preferences_title": "Çerez ayarları",
        "preferences_intro": (
            "Bu sitenin hangi isteğe bağlı çerezleri ve üçüncü taraf hizmetlerini "
            "kullanabileceğini seçin. Kesinlikle gerekli çerezler her zaman açıktır, çünkü site "
            "bunlar olmadan çalışamaz."
        ),
        "always_on": "Her zaman açık",
        "save": "Seçimlerimi kaydet",
        "withdraw": "Açık rızamı geri al",
        "status_undecided": "Henüz bir seçim yapmadınız.",
        "status_decided": "Mevcut seçiminiz bu tarayıcıda kayıtlı.",
        "consent_id": "Rıza kimliği",
        "gpc_honored": "Vazgeçme tercihi sinyaline uyuluyor",
        "do_not_sell": "Kişisel bilgilerimi satmayın veya paylaşmayın",
        "do_not_sell_help": (
            "Kişisel bilgilerinizi hedefli reklamcılık için satan veya paylaşan çerezleri ve "
            "hizmetleri kapatır."
        ),
        "declaration_title": "Bu sitede kullanılan çerezler ve hizmetler",
        "col_service": "Hizmet",
        "col_provider": "Sağlayıcı",
        "col_cookies": "Çerezler",
        "col_duration": "Süre",
        "col_purpose": "Amaç",
        "col_policy": "Gizlilik politikası",
        "first_party": "Bu site",
        "placeholder_text": (
            "Bu içerik {service} tarafından sağlanmaktadır. İçerik yüklendiğinde çerezler "
            "kaydedilebilir."
        ),
        "placeholder_load": "İçeriği yükle: {service}",
        "error_title": "Seçiminiz kaydedilemedi",
        "error_back": "Geri dön",
        "saved": "Seçimleriniz kaydedildi.",
        "banner_gpc": (
            "Vazgeçme tercihi sinyalinize (GPC) uyuyoruz: kişisel verilerinizi satmıyor ve "
            "paylaşmıyoruz."
        ),
        "status_title": "Mevcut seçiminiz",
        "allow": "İzin ver",
        "services": "Hizmetler",
        "category": "Kategori",
        "no_cookies": "Belirtilmemiş",
        "continue": "Bulunduğunuz sayfaya dönün",
        "placeholder_policy": "Gizlilik politikası: {service}",
        "placeholder_blocked": (
            "Vazgeçme tercihi sinyalinize uyulduğu için bu içerik yüklenmiyor. Bunu çerez "
            "ayarlarından değiştirebilirsiniz."
        ),
        "error_text": (
            "Formun süresi dolduğu veya form başka bir siteden geldiği için seçiminiz "
            "kaydedilemedi. Hiçbir şey değişmedi. Seçiminizi aşağıda yineleyebilirsiniz."
        ),
        "error_invalid": (
            "Form bu sitenin tanımadığı bir şey içerdiği için seçiminiz kaydedilemedi. Hiçbir şey "
            "değişmedi."
        ),
        "error_retry": "Seçimimi yinele",
        "not_found": "Bulunamadı.",
        "reconsent_title": "Bazı çerezlerimizi değiştirdik",
        "reconsent_text": (
            "Son seçiminizden bu yana aşağıdaki kategorilerin yaptıklarını değiştirdik. "
            "Bunlara izin veriyor musunuz? Diğer seçimleriniz olduğu gibi kalır."
        ),
        "reconsent_accept": "Kabul et",
        "reconsent_reject": "Reddet",
        "category_changed": "Son seçiminizden bu yana değişti",
    }
)
