"""The printed value of every 住民票 item of one person, as the standard layouts show it.

* 和暦 everywhere, except a 外国人住民's 生年月日 and 在留期間満了日 (西暦) — spec-resident §1.7.
* 【空欄】 where the record holds nothing; 「省略」 where the item is left out on purpose (§12 options).
* 住所を定めた年月日 = the last move within the municipality, 【空欄】 when there has been none;
  転入前住所 = the address before entering the municipality; 異動前住所 = the address before the last
  move within it (spec-resident-2 §1.5).
* 転出 items (転出先・転出予定日) are printed only on a 除票, or once the 転出予定日 has come.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from yakuba import params
from yakuba.forms import BLANK, wareki
from yakuba.juki.public import Ido, Rireki
from yakuba.kernel.wareki import format_wareki
from yakuba.shomei.options import Resolved

OMITTED = "省略"
NO_FURIGANA = "********"
ACTIVE = frozenset({"01", "02"})


@dataclass(frozen=True)
class Item:
    label: str
    value: str
    wide: bool = False  # takes a whole row


@dataclass
class PersonView:
    """One person's printable items, in print order, plus what the layouts need besides."""

    atena_no: str
    name: str
    is_foreign: bool
    is_removed: bool
    address: str
    katagaki: str
    setainushi: str
    items: list[Item] = field(default_factory=list)
    history: list[str] = field(default_factory=list)

    def value(self, label: str) -> str | None:
        return next((i.value for i in self.items if i.label == label), None)


@dataclass(frozen=True)
class Context:
    """Everything besides the snapshot that decides what is printed."""

    on: dt.date
    prefecture: str
    municipality: str
    options: Resolved
    mynumber: str | None = None  # decrypted by the caller when it may be printed


def or_blank(value: str | None) -> str:
    return value if value and value.strip() else BLANK


def with_kana(name: str, shi_kana: str | None, mei_kana: str | None) -> str:
    """「住民　太郎 (ジュウミン タロウ)」: the only bracket form the standard allows."""
    kana = " ".join(k for k in (shi_kana, mei_kana) if k)
    return f"{name} ({kana})" if kana else name


def furigana(row: Rireki) -> str:
    """Legal 振り仮名: both parts, 「【名空欄】」/「【氏空欄】」 for one, asterisks for none or foreigners."""
    if row.jumin_shubetsu == "2" or not (row.furigana_shi or row.furigana_mei):
        return NO_FURIGANA
    shi = row.furigana_shi or "【氏空欄】"
    mei = row.furigana_mei or "【名空欄】"
    return f"{shi}\u3000{mei}"


def address_of(row: Rireki, ctx: Context) -> str:
    local = f"{row.choaza_name or ''}{row.banchi or ''}"
    return f"{ctx.prefecture}{ctx.municipality}{local}" if local else BLANK


def _address_key(row: Rireki) -> tuple[str | None, str | None, str | None]:
    return (row.choaza_name, row.banchi, row.katagaki)


def ido_mae_address(row: Rireki, history: list[tuple[Rireki, Ido]], ctx: Context) -> str:
    """The address before the last move within the municipality (【空欄】 when there has been none)."""
    earlier = [r for r, _ in history if r.rireki_no < row.rireki_no]
    current = _address_key(row)
    for previous in reversed(earlier):
        if _address_key(previous) != current:
            text = address_of(previous, ctx)
            return f"{text}\u3000{previous.katagaki}" if previous.katagaki else text
    return BLANK


def jusho_date(row: Rireki) -> str:
    became = row.gaikokujin_date if row.jumin_shubetsu == "2" else row.jumin_date
    if row.jusho_date is None or row.jusho_date == became:
        return BLANK
    return format_wareki(row.jusho_date)


def jiyu_name(code: str | None, on: dt.date) -> str:
    if not code:
        return BLANK
    table = params.get("juki.ido_jiyu", on=on)
    entry = table.get(code)
    return str(entry["name"]) if entry else code


def shows_tenshutsu(row: Rireki, on: dt.date) -> bool:
    """Before the 転出予定日 the items entered from the 転出届 are left out (spec-resident §1.9)."""
    if row.jumin_jotai not in ACTIVE:
        return True
    return row.tenshutsu_yotei_date is not None and on >= row.tenshutsu_yotei_date


def history_lines(history: list[tuple[Rireki, Ido]], on: dt.date) -> list[str]:
    """統合記載欄 A: one line per 異動 — 異動日, 事由, 届出日."""
    lines: list[str] = []
    seen: set[int] = set()
    for row, ido in history:
        if ido.id in seen:  # one 異動 may write several snapshots of the same person (転出 → 消除)
            continue
        seen.add(ido.id)
        when = wareki(ido.ido_date, ido.ido_date_text)
        todoke = f"（{format_wareki(ido.todoke_date)}届出）" if ido.todoke_date else ""
        where = (
            f" {row.choaza_name or ''}{row.banchi or ''}" if ido.jiyu_code.startswith(("A", "C01")) else ""
        )
        lines.append(f"{when} {jiyu_name(ido.jiyu_code, on)}{todoke}{where}")
    return lines
