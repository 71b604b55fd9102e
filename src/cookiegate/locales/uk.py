"""Ukrainian texts.

Terms follow the Ukrainian personal data protection law and the Ombudsman's guidance:
"згода", "персональні дані", "файли cookie". {service} follows a colon where
Ukrainian would decline the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "banner_title": "Ми використовуємо файли cookie",
        "banner_text": (
            "Ми використовуємо файли cookie та подібні технології, суворо необхідні для роботи "
            "сайту. З вашої згоди — також необов’язкові, наприклад, для вимірювання відвідувань "
            "або показу вбудованого вмісту. Ви можете будь-коли змінити свій вибір."
        ),
        "accept_all": "Прийняти всі",
        "reject_all": "Відхилити всі",
        "settings": "Налаштування",
        "policy_link": "Політика конфіденційності",
        "preferences_title": "Налаштування файлів cookie",
        "preferences_intro": (
            "Виберіть, які необов’язкові файли cookie та сервіси третіх сторін може "
            "використовувати цей сайт. Суворо необхідні файли cookie завжди ввімкнені, бо без них "
            "сайт не може працювати."
        ),
        "always_on": "Завжди ввімкнені",
        "save": "Зберегти мій вибір",
        "withdraw": "Відкликати згоду",
        "status_undecided": "Ви ще не зробили вибору.",
        "status_decided": "Ваш поточний вибір збережено в цьому браузері.",
        "consent_id": "Ідентифікатор згоди",
        "gpc_honored": "Сигнал про відмову враховано",
        "do_not_sell": "Не продавати й не передавати мою особисту інформацію",
        "do_not_sell_help": (
            "Вимикає файли cookie та сервіси, які продають або передають вашу особисту інформацію "
            "для таргетованої реклами."
        ),
        "declaration_title": "Файли cookie та сервіси, які використовує цей сайт",
        "col_service": "Сервіс",
        "col_provider": "Постачальник",
        "col_cookies": "Файли cookie",
        "col_duration": "Тривалість",
        "col_purpose": "Мета",
        "col_policy": "Політика конфіденційності",
        "first_party": "Цей сайт",
        "placeholder_text": (
            "Цей вміст надає {service}. Під час завантаження можуть зберігатися файли cookie."
        ),
        "placeholder_load": "Завантажити вміст: {service}",
        "error_title": "Не вдалося зберегти ваш вибір",
        "error_back": "Назад",
        "saved": "Ваш вибір збережено.",
        "banner_gpc": (
            "Ми враховуємо ваш сигнал про відмову (GPC): не продаємо й не передаємо ваші дані."
        ),
        "status_title": "Ваш поточний вибір",
        "allow": "Дозволити",
        "services": "Сервіси",
        "category": "Категорія",
        "no_cookies": "Не зазначено",
        "continue": "Повернутися на сторінку, де ви були",
        "placeholder_policy": "Політика конфіденційності: {service}",
        "placeholder_blocked": (
            "Ми враховуємо ваш сигнал про відмову, тому цей вміст не завантажується. Змінити це "
            "можна в налаштуваннях файлів cookie."
        ),
        "error_text": (
            "Не вдалося зберегти ваш вибір, бо термін дії форми минув або її надіслано з іншого "
            "сайту. Нічого не змінено. Ви можете повторити свій вибір нижче."
        ),
        "error_invalid": (
            "Не вдалося зберегти ваш вибір, бо форма містила те, чого цей сайт не розпізнає. "
            "Нічого не змінено."
        ),
        "error_retry": "Повторити мій вибір",
        "not_found": "Не знайдено.",
    }
)
