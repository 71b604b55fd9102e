"""Chinese texts (Simplified, as used in mainland China and Singapore).

Terms follow the Personal Information Protection Law (PIPL) and TC260 guidance:
"同意" for consent, "个人信息" for personal information; "Cookie" stays in Latin
letters, as Chinese regulators and sites write it. Traditional Chinese is not built
in: sites add it under texts.zh-Hant.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "我们使用 Cookie",
        "banner_text": (
            "我们使用运行本网站所必需的 Cookie 和类似技术。经您同意，我们还会使用可选的 Cookie，例"
            "如用于统计访问量或显示嵌入的内容。您可以随时更改您的选择。"
        ),
        "accept_all": "全部接受",
        "reject_all": "全部拒绝",
        "settings": "设置",
        "policy_link": "隐私政策",
        "preferences_title": "Cookie 设置",
        "preferences_intro": (
            "请选择本网站可以使用哪些可选 Cookie 和第三方服务。严格必要的 Cookie 始终开启，因为没有"
            "它们网站无法运行。"
        ),
        "always_on": "始终开启",
        "save": "保存我的选择",
        "withdraw": "撤回同意",
        "status_undecided": "您尚未做出选择。",
        "status_decided": "您当前的选择已保存在此浏览器中。",
        "consent_id": "同意 ID",
        "gpc_honored": "已遵从退出偏好信号",
        "do_not_sell": "请勿出售或共享我的个人信息",
        "do_not_sell_help": "关闭为定向广告而出售或共享您个人信息的 Cookie 和服务。",
        "declaration_title": "本网站使用的 Cookie 和服务",
        "col_service": "服务",
        "col_provider": "提供方",
        "col_cookies": "Cookie",
        "col_duration": "期限",
        "col_purpose": "用途",
        "col_policy": "隐私政策",
        "first_party": "本网站",
        "placeholder_text": "此内容由 {service} 提供。加载后可能会设置 Cookie。",
        "placeholder_load": "加载 {service}",
        "error_title": "无法保存您的选择",
        "error_back": "返回",
        "saved": "您的选择已保存。",
        "banner_gpc": "我们遵从您的退出偏好信号（GPC）：我们不会出售或共享您的个人信息。",
        "status_title": "您当前的选择",
        "allow": "允许",
        "services": "服务",
        "category": "类别",
        "no_cookies": "未声明",
        "continue": "返回您之前所在的页面",
        "placeholder_policy": "{service} 的隐私政策",
        "placeholder_blocked": (
            "我们遵从您的退出偏好信号，因此不会加载此内容。您可以在 Cookie 设置中更改。"
        ),
        "error_text": (
            "无法保存您的选择，因为表单已过期或来自其他网站。未做任何更改。您可以在下方重新做出选择"
            "。"
        ),
        "error_invalid": "无法保存您的选择，因为表单包含本网站无法识别的内容。未做任何更改。",
        "error_retry": "重新提交我的选择",
        "not_found": "未找到。",
        "reconsent_title": "我们更改了部分 Cookie",
        "reconsent_text": (
            "自您上次选择以来，我们更改了以下类别的用途。您是否允许？您的其他选择保持不变。"
        ),
        "reconsent_accept": "接受",
        "reconsent_reject": "拒绝",
        "category_changed": "自您上次选择以来已更改",
    }
)
