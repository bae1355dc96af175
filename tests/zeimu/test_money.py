"""The statutory rounding of the tax kernel (地方税法第20条の4の2; tax-rules.md §0 and §5)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yakuba.zeimu import money, nendo
from yakuba.zeimu.money import Rate


def test_kazei_hyojun_drops_fractions_under_1000_yen() -> None:
    # 地方税法第20条の4の2第1項: 課税総所得金額 3,054,400 − 控除 → 1,000円未満切捨て
    assert money.kazei_hyojun(2_345_678) == 2_345_000
    assert money.kazei_hyojun(999) == 0
    assert money.kazei_hyojun(-5_000) == 0


def test_kakutei_zeigaku_drops_fractions_under_100_yen() -> None:
    # 同第3項: 所得割 140,699 → 140,600
    assert money.kakutei_zeigaku(140_699) == 140_600
    assert money.kakutei_zeigaku(np.array([99, 100, 12_345])).tolist() == [0, 100, 12_300]


def test_a_credit_rounds_its_fraction_up() -> None:
    # tax-rules.md §0 (expydoc ふるさと example): 11,689.44 → 11,690 and 7,792.96 → 7,793
    assert Rate.of("0.0116894").ceil(1_000_000) == 11_690  # 11,689.4 → 11,690
    assert Rate.of("0.06").ceil(12_345) == 741  # 740.7 → 741
    assert Rate.of("0.06").floor(12_345) == 740


def test_a_float_rate_is_refused() -> None:
    with pytest.raises(TypeError, match="文字列"):
        Rate.of(0.06)
    with pytest.raises(TypeError, match="整数"):
        money.as_yen_array([1.5])


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=50))
def test_the_array_and_the_scalar_round_alike(amounts: list[int]) -> None:
    array = money.as_yen_array(amounts)
    assert money.kazei_hyojun(array).tolist() == [money.kazei_hyojun(a) for a in amounts]
    rate = Rate.of("0.84895")
    assert rate.ceil(array).tolist() == [rate.ceil(a) for a in amounts]


@given(st.integers(min_value=0, max_value=10**12))
def test_rounded_amounts_never_exceed_the_amount_and_lose_less_than_the_unit(amount: int) -> None:
    assert 0 <= amount - money.kazei_hyojun(amount) < 1_000
    assert 0 <= amount - money.kakutei_zeigaku(amount) < 100


def test_nendo_and_its_fuka_kijitsu() -> None:
    # 地方税法第39条・第318条 (1月1日), 第445条 (4月1日); 令和8年度 taxes 2025年分の所得
    assert nendo.fuka_kijitsu("kojin", 2026).isoformat() == "2026-01-01"
    assert nendo.fuka_kijitsu("keiji", 2026).isoformat() == "2026-04-01"
    assert nendo.income_year(2026) == 2025
    assert nendo.label(2026) == "令和8年度"
    assert nendo.label(2019) == "令和元年度"
    assert nendo.label(1988) == "昭和63年度"
