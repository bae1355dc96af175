"""How the forms print the common items: 氏名, 生年月日 (和暦 / 西暦), 男女の別, and 【空欄】 for nothing.

The name formatters read any row that has the 住民記録 name columns (:class:`NamedPerson`); the toolkit
knows no business's model. Item rules of one certificate (what is omitted, which address) stay with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from yakuba.kernel.wareki import format_seireki, format_wareki

BLANK = "【空欄】"


class NamedPerson(Protocol):
    """The name columns of a person's row: 住民種別 (``"2"`` 外国人住民), 氏, 名 and the alphabetic name."""

    @property
    def jumin_shubetsu(self) -> str: ...

    @property
    def shi(self) -> str: ...

    @property
    def mei(self) -> str | None: ...

    @property
    def name_roman(self) -> str | None: ...


def wareki(value: dt.date | None, text: str | None = None) -> str:
    """The date in 和暦 (「令和8年11月25日」); ``text`` (a date recorded as text) wins; 【空欄】 for none."""
    if text:
        return text
    return format_wareki(value) if value else BLANK


def seireki(value: dt.date | None, text: str | None = None) -> str:
    """The date in 西暦 (a 外国人住民's 生年月日); ``text`` wins; 【空欄】 for none."""
    if text:
        return text
    return format_seireki(value) if value else BLANK


def sex(code: str) -> str:
    """男 / 女 from the code 1 / 2; 【空欄】 otherwise."""
    return {"1": "男", "2": "女"}.get(code, BLANK)


def _kanji_full_name(row: NamedPerson) -> str:
    return f"{row.shi}\u3000{row.mei}" if row.mei else row.shi


def full_name(row: NamedPerson) -> str:
    """The 氏名 as printed: a 外国人住民's alphabetic name when recorded, else 氏 + 全角空白 + 名."""
    if row.jumin_shubetsu == "2" and row.name_roman:
        return row.name_roman
    return _kanji_full_name(row)


def kanji_name(row: NamedPerson) -> str | None:
    """A 外国人住民's 漢字 name, when it differs from the alphabetic one."""
    if row.jumin_shubetsu != "2" or not row.name_roman:
        return None
    name = _kanji_full_name(row)
    return None if name == row.name_roman else name
