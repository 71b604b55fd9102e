"""Japanese texts.

Terms follow the Personal Information Protection Commission (PPC) and the
Telecommunications Business Act's external transmission rules: "同意" for consent,
"個人情報" for personal information, "Cookie" in Latin letters as Japanese
authorities write it. The polite form (です・ます) is used throughout.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Cookieの使用について",
        "banner_text": (
            "当サイトでは、サイトの運営に必要不可欠なCookieおよび類似の技術を使用しています。お客様"
            "の同意がある場合は、訪問数の計測や埋め込みコンテンツの表示などのために任意のCookieも使"
            "用します。選択はいつでも変更できます。"
        ),
        "accept_all": "すべて同意する",
        "reject_all": "すべて拒否する",
        "settings": "設定",
        "policy_link": "プライバシーポリシー",
        "preferences_title": "Cookie設定",
        "preferences_intro": (
            "当サイトが使用できる任意のCookieと第三者のサービスを選択してください。必要不可欠な"
            "Cookieはサイトの動作に欠かせないため、常に有効です。"
        ),
        "always_on": "常に有効",
        "save": "選択を保存する",
        "withdraw": "同意を撤回する",
        "status_undecided": "まだ選択されていません。",
        "status_decided": "現在の選択はこのブラウザに保存されています。",
        "consent_id": "同意ID",
        "gpc_honored": "オプトアウト設定シグナルを尊重しています",
        "do_not_sell": "私の個人情報を販売または共有しない",
        "do_not_sell_help": (
            "ターゲティング広告のためにお客様の個人情報を販売または共有するCookieとサービスを無効に"
            "します。"
        ),
        "declaration_title": "当サイトで使用しているCookieとサービス",
        "col_service": "サービス",
        "col_provider": "提供者",
        "col_cookies": "Cookie",
        "col_duration": "保存期間",
        "col_purpose": "目的",
        "col_policy": "プライバシーポリシー",
        "first_party": "当サイト",
        "placeholder_text": (
            "このコンテンツは{service}が提供しています。読み込むとCookieが設定される場合があります"
            "。"
        ),
        "placeholder_load": "{service}を読み込む",
        "error_title": "選択を保存できませんでした",
        "error_back": "戻る",
        "saved": "選択を保存しました。",
        "banner_gpc": (
            "お客様のオプトアウト設定シグナル（GPC）を尊重しています。お客様の個人情報を販売または"
            "共有することはありません。"
        ),
        "status_title": "現在の選択",
        "allow": "許可する",
        "services": "サービス",
        "category": "カテゴリ",
        "no_cookies": "記載なし",
        "continue": "元のページに戻る",
        "placeholder_policy": "{service}のプライバシーポリシー",
        "placeholder_blocked": (
            "オプトアウト設定シグナルを尊重しているため、このコンテンツは読み込まれません。Cookie設"
            "定で変更できます。"
        ),
        "error_text": (
            "フォームの有効期限が切れたか、別のサイトから送信されたため、選択を保存できませんでした"
            "。何も変更されていません。下から選択をやり直せます。"
        ),
        "error_invalid": (
            "フォームに当サイトで認識できない内容が含まれていたため、選択を保存できませんでした。何"
            "も変更されていません。"
        ),
        "error_retry": "選択をやり直す",
        "not_found": "ページが見つかりません。",
        "reconsent_title": "一部のCookieを変更しました",
        "reconsent_text": (
            "前回の選択以降、以下のカテゴリの内容を変更しました。許可しますか？"
            "その他の選択はそのまま維持されます。"
        ),
        "reconsent_accept": "同意する",
        "reconsent_reject": "拒否する",
        "category_changed": "前回の選択以降に変更されました",
    }
)
