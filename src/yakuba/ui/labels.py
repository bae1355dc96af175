"""Names the screens show for codes and dates, taken from the same parameters the API uses.

The screens never hard-code a code table: 異動事由, 住民状態, 性別 and 住民種別 come from ``params`` so a
制度改正 (a new dated value) changes the screen with no code change. Dates follow the standard's rule:
和暦 everywhere, except a 外国人住民's 生年月日 and 在留期間の満了の日, which are shown in 西暦.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from yakuba import params
from yakuba.juki.public import ITEM_LABELS
from yakuba.kernel import clock
from yakuba.kernel.clock import JST
from yakuba.kernel.wareki import format_seireki, format_wareki

# 住民票 items the person view shows, in the order of the 住民票 (j10 記載事項) — label per item.
ITEMS: dict[str, str] = {
    **ITEM_LABELS,
    "setai_no": "世帯番号",
    "jumin_shubetsu": "住民種別",
    "jumin_jotai": "住民状態",
    "zokugara": "続柄",
    "setainushi_name": "世帯主",
    "jumin_date": "住民となった年月日",
    "jusho_date": "住所を定めた年月日",
    "todoke_date": "届出日",
    "prev_address": "前住所",
    "prev_postal_code": "前住所の郵便番号",
    "jumin_code": "住民票コード",
    "gaikokujin_date": "外国人住民となった年月日",
    "shojo_jiyu": "消除事由",
    "shojo_date": "消除日",
    "tenshutsu_yotei_address": "転出予定先",
    "tenshutsu_yotei_date": "転出予定日",
    "tenshutsu_kakutei_address": "転出先（確定）",
    "tenshutsu_kakutei_date": "転出日（確定）",
    "tennyu_tsuchi_date": "転入通知日",
    "kyu_uji": "旧氏",
    "kyu_uji_kana": "旧氏のフリガナ",
    "tsusho": "通称",
    "tsusho_kana": "通称のフリガナ",
    "mynumber_enc": "個人番号",
}
# Items the timeline never compares (bookkeeping, or shown elsewhere).
NOT_COMPARED = frozenset({"sort_order", "linked_items", "extra", "mynumber_bidx", "jumin_date_text"})
STATUS = {"kari": "仮登録", "hon": "本登録", "haki": "破棄"}
SEIREKI_ITEMS = frozenset({"zairyu_expiry"})


def _today() -> dt.date:
    return clock.today()


def _code_table(key: str) -> dict[str, Any]:
    return dict(params.get(key, on=_today()))


def jiyu_name(code: str | None) -> str:
    """「転居」 for C01; the code itself when the table does not know it (never a blank cell)."""
    if not code:
        return ""
    entry = _code_table("juki.ido_jiyu").get(code)
    return str(entry["name"]) if entry else code


def jiyu_names() -> dict[str, str]:
    return {code: str(entry["name"]) for code, entry in _code_table("juki.ido_jiyu").items()}


def jotai_name(code: str | None) -> str:
    return str(_code_table("juki.jumin_jotai").get(code or "", code or ""))


def sex_name(code: str | None) -> str:
    return str(_code_table("juki.sex").get(code or "", code or ""))


def shubetsu_name(code: str | None) -> str:
    return str(_code_table("juki.jumin_shubetsu").get(code or "", code or ""))


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(JST).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def wareki(value: Any) -> str:
    """「令和8年11月25日」; empty for no date."""
    day = _as_date(value)
    return format_wareki(day) if day else ""


def seireki(value: Any) -> str:
    day = _as_date(value)
    return format_seireki(day) if day else ""


def birth(row: Any) -> str:
    """生年月日 as the standard prints it: 西暦 for a 外国人住民, 和暦 otherwise; the 不詳 text if any."""
    text = getattr(row, "birth_date_text", None) if not isinstance(row, dict) else row.get("birth_date_text")
    value = getattr(row, "birth_date", None) if not isinstance(row, dict) else row.get("birth_date")
    kind = getattr(row, "jumin_shubetsu", None) if not isinstance(row, dict) else row.get("jumin_shubetsu")
    if text:
        return str(text)
    return seireki(value) if kind == "2" else wareki(value)


def moment(value: dt.datetime | None) -> str:
    """An instant in Japan time: 「令和8年11月25日 10:00:00」 (audit log, 本登録 time)."""
    if value is None:
        return ""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    local = aware.astimezone(JST)
    return f"{format_wareki(local.date())} {local:%H:%M:%S}"


def item_value(name: str, value: Any, row: Any = None) -> str:
    """One 住民票 item as text for the screen, dates in the calendar the standard asks for."""
    if value is None or value == "":
        return ""
    if name == "birth_date" and row is not None:
        return birth(row)
    if name in SEIREKI_ITEMS:
        return seireki(value)
    if isinstance(value, dt.date):
        return wareki(value)
    if name == "sex":
        return sex_name(value)
    if name == "jumin_jotai":
        return jotai_name(value)
    if name == "jumin_shubetsu":
        return shubetsu_name(value)
    if name == "shojo_jiyu":
        return jiyu_name(value)
    return str(value)


def full_name(row: Any) -> str:
    shi = row["shi"] if isinstance(row, dict) else row.shi
    mei = row["mei"] if isinstance(row, dict) else row.mei
    return f"{shi}\u3000{mei}" if mei else str(shi)


def kana_name(row: Any) -> str:
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k, None)
    return "\u3000".join(p for p in (get("shi_kana"), get("mei_kana")) if p)


def address(row: Any) -> str:
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k, None)
    main = f"{get('choaza_name') or ''}{get('banchi') or ''}"
    return f"{main}\u3000{get('katagaki')}" if get("katagaki") else main
