"""The tables of the 個人住民税 as vectorised functions over int64 arrays (tax-rules.md §1.3–§1.7).

Each table is parsed once from its dated parameter (``zeimu_kojin.yaml``) and then applied to a
whole municipality at a time with ``np.searchsorted`` — no per-person Python loop — so the batch
assessment and the one-person simulation run exactly the same arithmetic. Rates are exact
fractions (:class:`yakuba.zeimu.money.Rate`); every product is an integer floor or ceil, never a float.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from yakuba.zeimu.money import Rate

I64 = np.int64


def ints(values: Sequence[int]) -> np.ndarray:
    """A parameter list as an int64 array (thresholds, amounts)."""
    return np.asarray(list(values), dtype=I64)


def mul_floor(amount: np.ndarray, numerators: np.ndarray, denominators: np.ndarray) -> np.ndarray:
    """``amount × n / d`` per element with the fraction under ¥1 dropped (所得 amounts)."""
    return (amount * numerators) // denominators


def mul_ceil(amount: np.ndarray, numerators: np.ndarray, denominators: np.ndarray) -> np.ndarray:
    """``amount × n / d`` per element rounded up (½ and ¼ of 保険料, 税額控除)."""
    return -((-amount * numerators) // denominators)


@dataclass(frozen=True)
class RateRows:
    """A step table ``from ≤ x → floor(base(x) × rate) + add`` (給与所得, 公的年金等雑所得).

    ``unit`` > 1 means the rate applies to x dropped to a multiple of ``unit`` (所得税法別表第五's
    「4で除して千円未満の端数を切り捨てた金額に4を乗じた金額」). The result is never below zero.
    """

    starts: np.ndarray
    numerators: np.ndarray
    denominators: np.ndarray
    adds: np.ndarray
    units: np.ndarray

    @classmethod
    def parse(cls, rows: Sequence[Mapping[str, Any]]) -> RateRows:
        rates = [Rate.of(row["rate"]) for row in rows]
        return cls(
            starts=ints([row["from"] for row in rows]),
            numerators=ints([rate.numerator for rate in rates]),
            denominators=ints([rate.denominator for rate in rates]),
            adds=ints([row["add"] for row in rows]),
            units=ints([row.get("unit", 1) for row in rows]),
        )

    def apply(self, amount: np.ndarray, *, clip: bool = True) -> np.ndarray:
        """The row's value for each amount; ``clip`` = never below zero (off when more is added after)."""
        row = np.searchsorted(self.starts, amount, side="right") - 1
        row = np.maximum(row, 0)
        unit = self.units[row]
        base = (amount // unit) * unit
        result = mul_floor(base, self.numerators[row], self.denominators[row]) + self.adds[row]
        return np.maximum(result, 0) if clip else result


@dataclass(frozen=True)
class CappedRows:
    """``x ≤ upto → ceil(x × rate) + add`` per row, ``cap`` above the last row (生命保険料・地震保険料)."""

    uptos: np.ndarray
    numerators: np.ndarray
    denominators: np.ndarray
    adds: np.ndarray
    cap: int

    @classmethod
    def parse(cls, table: Mapping[str, Any]) -> CappedRows:
        rows = table["rows"]
        rates = [Rate.of(row["rate"]) for row in rows]
        return cls(
            uptos=ints([row["upto"] for row in rows]),
            numerators=ints([rate.numerator for rate in rates]),
            denominators=ints([rate.denominator for rate in rates]),
            adds=ints([row["add"] for row in rows]),
            cap=int(table["cap"]),
        )

    def apply(self, amount: np.ndarray) -> np.ndarray:
        row = np.searchsorted(self.uptos, amount, side="left")  # first row with x ≤ upto
        inside = row < len(self.uptos)
        row = np.minimum(row, len(self.uptos) - 1)
        value = mul_ceil(amount, self.numerators[row], self.denominators[row]) + self.adds[row]
        return np.where(inside, np.minimum(value, self.cap), self.cap).astype(I64)


@dataclass(frozen=True)
class AmountRows:
    """``x ≤ upto → amount`` by the first matching row, ``beyond`` above the last (基礎控除, 特定親族)."""

    uptos: np.ndarray
    amounts: np.ndarray
    beyond: int = 0

    @classmethod
    def parse(cls, rows: Sequence[Mapping[str, Any]], beyond: int = 0) -> AmountRows:
        return cls(ints([row["upto"] for row in rows]), ints([row["amount"] for row in rows]), beyond)

    def apply(self, amount: np.ndarray) -> np.ndarray:
        row = np.searchsorted(self.uptos, amount, side="left")
        inside = row < len(self.uptos)
        row = np.minimum(row, len(self.uptos) - 1)
        return np.where(inside, self.amounts[row], self.beyond).astype(I64)


def split_rates(node: Mapping[str, Any], shitei_toshi: bool) -> tuple[Rate, Rate]:
    """The (市, 県) pair of a ``{standard: {shi, ken}, shitei_toshi: {shi, ken}}`` parameter."""
    pair = node["shitei_toshi" if shitei_toshi else "standard"]
    return Rate.of(pair["shi"]), Rate.of(pair["ken"])


def rate_ceil(rate: Rate, amount: np.ndarray) -> np.ndarray:
    """A 税額控除 share ``amount × rate`` rounded up to the yen (tax-rules.md §5.3)."""
    return -((-amount * rate.numerator) // rate.denominator)


def rate_floor(rate: Rate, amount: np.ndarray) -> np.ndarray:
    """A tax ``amount × rate`` with the fraction under ¥1 dropped (算出所得割)."""
    return (amount * rate.numerator) // rate.denominator


@dataclass(frozen=True)
class FurusatoBands:
    """ふるさと納税 特例控除の割合 and the 申告特例控除 ratio by (課税総所得金額 − 人的控除差調整額)."""

    uptos: np.ndarray  # the last band is open-ended (stored as int64 max)
    rate_num: np.ndarray
    rate_den: np.ndarray
    shinkoku_num: np.ndarray
    shinkoku_den: np.ndarray
    negative: Rate

    @classmethod
    def parse(cls, bands: Sequence[Mapping[str, Any]], negative_rate: str) -> FurusatoBands:
        rates = [Rate.of(band["rate"]) for band in bands]
        ratios = [Rate.of(band["shinkoku"][0]) * _inverse(Rate.of(band["shinkoku"][1])) for band in bands]
        top = np.iinfo(I64).max
        return cls(
            uptos=ints([top if band["upto"] is None else band["upto"] for band in bands]),
            rate_num=ints([r.numerator for r in rates]),
            rate_den=ints([r.denominator for r in rates]),
            shinkoku_num=ints([r.numerator for r in ratios]),
            shinkoku_den=ints([r.denominator for r in ratios]),
            negative=Rate.of(negative_rate),
        )

    def band(self, base: np.ndarray) -> np.ndarray:
        """Index of the band (−1 when the base is negative: the 90% row)."""
        row = np.searchsorted(self.uptos, base, side="left")
        return np.where(base < 0, -1, np.minimum(row, len(self.uptos) - 1))


def _inverse(rate: Rate) -> Rate:
    return Rate(rate.denominator, rate.numerator)
