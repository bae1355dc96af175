"""The tax kernel's public face: what the four taxes and the other businesses may use (issue 14)."""

from __future__ import annotations

from yakuba.zeimu.money import (
    Rate,
    Yen,
    as_yen_array,
    at_least_zero,
    ceil_div,
    floor_to,
    kakutei_zeigaku,
    kazei_hyojun,
)
from yakuba.zeimu.nendo import fuka_kijitsu, income_year, label, nendo_of

__all__ = [
    "Rate",
    "Yen",
    "as_yen_array",
    "at_least_zero",
    "ceil_div",
    "floor_to",
    "fuka_kijitsu",
    "income_year",
    "kakutei_zeigaku",
    "kazei_hyojun",
    "label",
    "nendo_of",
]
