"""Yen are integers, and the statutory rounding lives here and nowhere else (tax-rules.md §0, §5).

地方税法第20条の4の2 drops fractions under ¥1,000 from a 課税標準 and under ¥100 from a 確定税額;
a 税額控除 computed with a rate keeps whole yen by rounding its fraction **up** (the taxpayer's favour,
e.g. ふるさと特例 11,689.44 → 11,690). Rates are exact fractions (``Rate``), never floats, so 84.895 %
of ¥123,457 is computed as 123,457 × 84,895 // 100,000 in integers.

Every function takes a Python ``int`` (a one-person simulation) or a NumPy ``int64`` array (a whole
municipality in one call) and returns the same kind, so the batch and the counter use one code path.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np

Yen = TypeVar("Yen", int, np.ndarray)  # whole yen: a Python int or an int64 array of them

KAZEI_HYOJUN_UNIT = 1_000  # 課税標準: 1,000円未満切捨て (地方税法第20条の4の2第1項)
ZEIGAKU_UNIT = 100  # 確定税額: 100円未満切捨て (同第3項)


def at_least_zero(amount: Yen) -> Yen:
    """``max(0, amount)`` elementwise: an income, a base or a tax never goes below nothing."""
    if isinstance(amount, np.ndarray):
        return np.maximum(amount, 0)
    return max(0, amount)


def floor_to(amount: Yen, unit: int) -> Yen:
    """Drop the fraction under ``unit`` yen (amounts below zero become zero first)."""
    positive = at_least_zero(amount)
    return (positive // unit) * unit


def kazei_hyojun(amount: Yen) -> Yen:
    """A 課税標準 (課税総所得金額, 課税標準額 …): fractions under ¥1,000 dropped."""
    return floor_to(amount, KAZEI_HYOJUN_UNIT)


def kakutei_zeigaku(amount: Yen) -> Yen:
    """A 確定税額 (所得割, 固定資産税額 …): fractions under ¥100 dropped."""
    return floor_to(amount, ZEIGAKU_UNIT)


@dataclass(frozen=True)
class Rate:
    """An exact rate, ``numerator / denominator`` — parameters give it as text ("0.06", "0.84895")."""

    numerator: int
    denominator: int

    @classmethod
    def of(cls, value: Any) -> Rate:
        """From a parameter value: a decimal string or int (a float is refused: it is not exact)."""
        if isinstance(value, float):
            raise TypeError(f"税率 {value!r} は文字列で指定してください（浮動小数点は正確でありません）")
        exact = Fraction(Decimal(str(value)))
        return cls(exact.numerator, exact.denominator)

    def floor(self, amount: Yen) -> Yen:
        """``amount × rate`` with the fraction under ¥1 dropped (算出税額 before the ¥100 rounding)."""
        return (amount * self.numerator) // self.denominator

    def ceil(self, amount: Yen) -> Yen:
        """``amount × rate`` with the fraction under ¥1 rounded up (税額控除, ½ and ¼ of 保険料控除)."""
        return -((-amount * self.numerator) // self.denominator)

    def __mul__(self, other: Rate) -> Rate:
        exact = Fraction(self.numerator, self.denominator) * Fraction(other.numerator, other.denominator)
        return Rate(exact.numerator, exact.denominator)

    def __str__(self) -> str:
        return str(Decimal(self.numerator) / Decimal(self.denominator))


def ceil_div(amount: Yen, divisor: int) -> Yen:
    """``amount ÷ divisor`` rounded up (e.g. ½ of a 保険料 when the law rounds in the taxpayer's favour)."""
    return -((-amount) // divisor)


def as_yen_array(values: Any) -> np.ndarray:
    """Integer yen as an int64 array; a float input is refused rather than silently truncated."""
    array = np.asarray(values)
    if array.dtype.kind == "f":
        raise TypeError("金額は整数（円）で渡してください")
    return array.astype(np.int64, copy=False)
