"""年度 and 賦課期日: which law and which day a tax year is judged by (tax-rules.md §0).

A 年度 is held as the Gregorian year it starts in (令和8年度 = 2026, April 2026 – March 2027). The
個人住民税 of a 年度 taxes the income of the calendar year before (令和8年度 ← 2025年分), and each tax
is judged on its 賦課期日 — 1 January for 住民税 and 固定資産税, 1 April for 軽自動車税 種別割 — which
is also the day its dated parameters are read on: a 制度改正 for 令和8年度 is an entry ``from: 2026-01-01``.
"""

from __future__ import annotations

import datetime as dt

from yakuba.kernel import wareki
from yakuba.params import ParameterSet, default_parameters

TAXES = ("kojin", "kotei", "keiji", "hojin")


def income_year(nendo: int) -> int:
    """The calendar year whose income the 個人住民税 of ``nendo`` taxes (前年所得課税)."""
    return nendo - 1


def fuka_kijitsu(tax: str, nendo: int, parameters: ParameterSet | None = None) -> dt.date:
    """The 賦課期日 of ``tax`` in ``nendo`` (month and day are a dated parameter per tax)."""
    parameters = parameters or default_parameters()
    if tax not in TAXES:
        raise ValueError(f"税目 {tax!r} は {', '.join(TAXES)} のいずれかです")
    first_day = dt.date(nendo, 1, 1)
    month_day: str = parameters.get(f"zeimu.fuka_kijitsu.{tax}", on=first_day)
    month, day = (int(part) for part in month_day.split("-"))
    return dt.date(nendo, month, day)


def nendo_of(day: dt.date) -> int:
    """The 年度 a day falls in (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def label(nendo: int) -> str:
    """``令和8年度`` — the name a notice prints.

    A 年度 takes the era in force at its end when that era had begun by then counting its years from the
    年度's start (2019年4月〜 is 令和元年度, as the government renamed it); otherwise the era of its start.
    """
    end = wareki.to_wareki(dt.date(nendo + 1, 3, 31))
    year = nendo - end.era.start.year + 1
    if year >= 1:
        return f"{end.era.name}{wareki.year_label(year)}年度"
    start = wareki.to_wareki(dt.date(nendo, 4, 1))
    return f"{start.era.name}{wareki.year_label(start.year)}年度"
