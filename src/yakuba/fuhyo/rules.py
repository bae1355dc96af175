"""Pure rules of 戸籍の附票: keys, whether a 本籍 is local, retention, items by date, event → items, which
entry is the person's.

Nothing here touches the database, so each rule is tested on its own.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from yakuba import params
from yakuba.fuhyo.config import municipality
from yakuba.fuhyo.schemas import FuhyoItems
from yakuba.juki.public import ResidentSummary

KINDS = {
    "kisai": "記載",
    "jusho": "住所の変更",
    "kokugai": "国外転出",
    "shusei": "記載の修正",
    "jusho_shojo": "職権消除",
    "shojo": "消除",
    "zaigai": "在外選挙人名簿",
    "torikeshi": "取消し",
}
NO_HONSEKI = frozenset({"", "なし", "不明", "無", "不詳"})
# What every 附票 entry repeats in full (§18: each change is a complete new entry), beside its bookkeeping.
SNAPSHOT = (
    "atena_no",
    "shi",
    "mei",
    "shi_kana",
    "mei_kana",
    "kyu_uji",
    "birth_date",
    "sex",
    "address",
    "jusho_date",
    "kokugai",
    "jusho_shojo_date",
    "jumin_code",
    "zaigai",
    "zaigai_municipality",
    "zaigai_date",
    "removed",
    "removed_date",
    "removed_reason",
)
ITEM_NAMES = tuple(FuhyoItems.model_fields)


def key(text: str | None) -> str:
    """Lookup key of a 本籍 or 筆頭者: NFKC (full-width digits, spaces) without any whitespace."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in folded if not ch.isspace())


def has_honseki(honseki: str | None) -> bool:
    """A 戸籍 to attach a 附票 to: 「なし」「不明」 (e.g. 無籍) or empty means there is none."""
    return key(honseki) not in NO_HONSEKI


def local_prefixes(on: dt.date) -> list[str]:
    configured = params.get("municipal.fuhyo.local_honseki_prefixes", on=on) or []
    return [key(p) for p in configured] or [key(municipality().address_prefix)]


def is_local_honseki(honseki: str | None, on: dt.date) -> bool:
    """Whether the 本籍 is in this municipality (so this office keeps the 附票)."""
    if not has_honseki(honseki):
        return False
    value = key(honseki)
    return any(value.startswith(p) for p in local_prefixes(on))


def local_address(summary: ResidentSummary) -> str:
    """The full address of a resident: 都道府県・市区町村 + 町字 + 番地 (+ 全角空白 + 方書)."""
    body = "".join(p for p in (summary.choaza_name, summary.banchi) if p)
    text = municipality().address_prefix + body
    return f"{text}\u3000{summary.katagaki}" if summary.katagaki else text


def resident_items(summary: ResidentSummary, **changes: object) -> FuhyoItems:
    """The 附票 items of a resident living here, as 住民記録 states them after a 異動."""
    values: dict[str, object] = {
        "shi": summary.shi,
        "mei": summary.mei,
        "shi_kana": summary.shi_kana,
        "mei_kana": summary.mei_kana,
        "kyu_uji": summary.kyu_uji,
        "birth_date": summary.birth_date,
        "sex": summary.sex,
        "address": local_address(summary),
        "jusho_date": summary.jusho_date or summary.jumin_date,
        "kokugai": False,
        "jusho_shojo_date": None,
        "jumin_code": summary.jumin_code,
    }
    values.update(changes)
    return FuhyoItems.model_validate(values)


def kokugai_items(summary: ResidentSummary, yotei_date: dt.date | None) -> FuhyoItems:
    """国外転出者 (§17 第3号・第4号): 「国外転出者である旨」 instead of the address, and the 転出予定日
    as 住所を定めた年月日."""
    return resident_items(summary, address=None, kokugai=True, jusho_date=yotei_date)


def items_of(entry: Any) -> FuhyoItems:
    """The 附票 items of an entry (an ORM row or a pending one)."""
    return FuhyoItems.model_validate({name: getattr(entry, name) for name in ITEM_NAMES})


def _same_name(entry: Any, shi: str, mei: str | None, birth_date: dt.date | None) -> bool:
    return (
        birth_date is not None
        and entry.birth_date == birth_date
        and key(entry.shi) == key(shi)
        and key(entry.mei) == key(mei or "")
    )


def match_person(
    entries: Iterable[Any],
    *,
    jumin_code: str | None = None,
    atena_no: str | None = None,
    shi: str | None = None,
    mei: str | None = None,
    birth_date: dt.date | None = None,
) -> Any | None:
    """The person's current entry: by 住民票コード, then 宛名番号, then 氏名 + 生年月日.

    A person still on the 附票 wins over one removed from it."""
    listed = list(entries)
    tests = []
    if jumin_code:
        tests.append(lambda e: e.jumin_code == jumin_code)
    if atena_no:
        tests.append(lambda e: e.atena_no == atena_no)
    if shi:
        tests.append(lambda e: _same_name(e, shi, mei, birth_date))
    for test in tests:
        found = [e for e in listed if test(e)]
        if found:
            return next((e for e in found if not e.removed), found[0])
    return None


def changed_items(before: FuhyoItems | None, after: FuhyoItems) -> list[str]:
    if before is None:
        return [name for name, value in after.model_dump().items() if value not in (None, "", False)]
    old, new = before.model_dump(), after.model_dump()
    return [name for name in new if old.get(name) != new[name]]


def _as_date(raw: object, where: str) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    return dt.date.fromisoformat(str(raw))


def item_in_force(item: str, *, on: dt.date, removed_date: dt.date | None) -> bool:
    """Whether ``item`` is recorded for a person: not for someone who left the 戸籍 before the item existed.

    住民基本台帳法第17条: 生年月日・性別 from 2022-01-11, 住民票コード from 2024-05-27,
    振り仮名 from 2025-05-26; persons who had already left the 戸籍 before that date do not get it
    (毛呂山町・宜野湾市).
    """
    table = params.get("fuhyo.items_since", on=on)
    since = _as_date(table[item], f"fuhyo.items_since.{item}")
    if on < since:
        return False
    return removed_date is None or removed_date >= since


@dataclass(frozen=True)
class Retention:
    """Retention of a 附票の除票 (住基令 §34: 5 years, 150 years for 除票 made on or after 2014-06-20)."""

    closed_on: dt.date
    years: int
    last_day: dt.date

    def retained(self, on: dt.date) -> bool:
        return on <= self.last_day


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # closed on 2月29日: 起算日 3月1日, its 応当日の前日 is the last day of February
        return dt.date(day.year + years, 3, 1) - dt.timedelta(days=1)


def retention(closed_on: dt.date) -> Retention:
    """The period counts from the day after the 除票 was made (民法第140条) and ends on the day before the
    anniversary date (第143条), so the last day kept is the anniversary of ``closed_on``."""
    years = int(params.get("fuhyo.joshohyo.retention_years", on=closed_on))
    return Retention(closed_on, years, _add_years(closed_on, years))
