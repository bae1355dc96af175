"""The tax kernel's public face: what the four taxes and the other businesses may use (issue 14)."""

from __future__ import annotations

from yakuba.zeimu.commands.kazei import record_assessment
from yakuba.zeimu.events import KazeiKettei, ZeimuEvent
from yakuba.zeimu.models import KUBUN, KazeiRireki
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
from yakuba.zeimu.queries import assessment, history
from yakuba.zeimu.queries import view as assessment_view

__all__ = [
    "KUBUN",
    "KazeiKettei",
    "KazeiRireki",
    "Rate",
    "Yen",
    "ZeimuEvent",
    "as_yen_array",
    "assessment",
    "assessment_view",
    "at_least_zero",
    "ceil_div",
    "floor_to",
    "fuka_kijitsu",
    "history",
    "income_year",
    "kakutei_zeigaku",
    "kazei_hyojun",
    "label",
    "nendo_of",
    "record_assessment",
]
