"""個人住民税の徴収 schedules (tax-rules.md §1.11 定額減税, §1.12 徴収, §5 item 5).

Sources: 給与特別徴収 地方税法第321条の3〜第321条の5 [K] and firstitpro
https://firstitpro.com/guide/year_jun_etc.html (端数は6月); R6 定額減税 総務省 事務連絡 2024-01-18 (税務研究会
https://www.zeiken.co.jp/zeimutusin/article/no3787/TA00037870801.php), 階上町
http://www.town.hashikami.lg.jp/news/index.cfm/detail.1.21507.html, Tees FAQ https://faq.tees-k.jp/; 普通徴収
地方税法第320条 and 第20条の5第2項 (期限が休日なら翌日); 年金特徴 第321条の7の2〜第321条の7の8, 富加町
https://www.town.tomika.gifu.jp/docs/405.html (仮徴収 = 前年度の½ ÷ 3, 本徴収 = 残り ÷ 3).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yakuba.params import ParameterSet, load
from yakuba.params.loader import DATA_DIR
from yakuba.zeimu.kojin.choshu import futsu_choshu, nenkin_choshu, noki_dates, tokubetsu_choshu

R6, R7, R8 = 2024, 2025, 2026


def _overlay(tmp_path: Path, leaf: str, value: str) -> ParameterSet:
    """The shipped parameters with one municipal key overridden, as a 団体's overlay folder would."""
    parts = leaf.split(".")
    lines = [f"{'  ' * i}{part}:" for i, part in enumerate(parts)]
    indent = "  " * len(parts)
    lines += [f"{indent}description: test", f"{indent}reference: test", f"{indent}values:"]
    lines += [f"{indent}  - from: 2000-01-01", f"{indent}    value: {value}"]
    (tmp_path / "overlay.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load([DATA_DIR, tmp_path])


# --- 給与特別徴収 (地方税法第321条の5第1項) ---------------------------------------------------------


def test_kyuyo_monthly_is_floored_to_100_and_june_takes_the_fraction() -> None:
    # 100,000 ÷ 12 = 8,333.3 → 8,300; 6月 = 100,000 − 11 × 8,300 = 8,700
    schedule = tokubetsu_choshu(100_000, nendo=R7)
    assert schedule.months == (
        "6月",
        "7月",
        "8月",
        "9月",
        "10月",
        "11月",
        "12月",
        "1月",
        "2月",
        "3月",
        "4月",
        "5月",
    )
    assert schedule.amounts.tolist() == [8_700] + [8_300] * 11
    assert schedule.annual == 100_000 and schedule.total == 100_000 and schedule.excess == 0
    assert schedule.due_dates == ()
    assert schedule.year_months[0] == (2025, 6) and schedule.year_months[7] == (2026, 1)  # 1月 is next year


@pytest.mark.parametrize(
    ("nenzei", "june", "monthly"),
    [
        (1_000, 1_000, 0),  # 1,000 ÷ 12 = 83 < 100: the whole tax in June
        (1_199, 1_199, 0),  # 99.9 < 100: still all in June
        (1_200, 100, 100),  # exactly 100 a month
        (0, 0, 0),
        (5_000, 600, 400),  # 均等割 + 森林環境税 only: 416 → 400, June 5,000 − 4,400
        (120_000, 10_000, 10_000),  # divisible: no fraction
    ],
)
def test_kyuyo_boundaries(nenzei: int, june: int, monthly: int) -> None:
    assert tokubetsu_choshu(nenzei, nendo=R8).amounts.tolist() == [june] + [monthly] * 11


def test_kyuyo_r6_teigaku_genzei_skips_june_and_splits_the_rest_over_11_months() -> None:
    # tax-rules.md §1.11: 120,000 − 減税 10,000 = 110,000 ÷ 11 = 10,000 each July → May, June 0
    schedule = tokubetsu_choshu(120_000, nendo=R6, genzei=10_000)
    assert schedule.amounts.tolist() == [0] + [10_000] * 11
    assert schedule.annual == 110_000


def test_kyuyo_r6_remainder_goes_to_july() -> None:
    # 100,000 − 10,000 = 90,000 ÷ 11 = 8,181.8 → 8,100; 7月 = 90,000 − 10 × 8,100 = 9,000
    assert tokubetsu_choshu(100_000, nendo=R6, genzei=10_000).amounts.tolist() == [0, 9_000] + [8_100] * 10
    # 減税 leaves 5,000 (均等割 only): 454 → 400, July 5,000 − 4,000 = 1,000
    assert tokubetsu_choshu(45_000, nendo=R6, genzei=40_000).amounts.tolist() == [0, 1_000] + [400] * 10
    # 減税 absorbs the whole tax: nothing to collect
    assert tokubetsu_choshu(30_000, nendo=R6, genzei=30_000).amounts.tolist() == [0] * 12


def test_kyuyo_r6_without_genzei_keeps_the_ordinary_12_months() -> None:
    # 定額減税対象外 (均等割のみ, 合計所得 1,805万円超) were collected June → May as usual in 2024
    batch = tokubetsu_choshu(np.array([120_000, 100_000]), nendo=R6, genzei=np.array([10_000, 0]))
    assert batch.amounts.shape == (2, 12)
    assert batch.amounts[0].tolist() == [0] + [10_000] * 11
    assert batch.amounts[1].tolist() == [8_700] + [8_300] * 11
    assert batch.annual.tolist() == [110_000, 100_000]


@pytest.mark.parametrize("nendo", [R7, R8])
def test_kyuyo_after_r6_a_genzei_just_lowers_the_tax_on_the_ordinary_schedule(nendo: int) -> None:
    # R7 spouse 減税 (tax-rules.md §1.11): 「Normal 納期 (no special schedule)」
    assert tokubetsu_choshu(120_000, nendo=nendo, genzei=10_000).amounts.tolist() == [9_900] + [9_100] * 11
    assert tokubetsu_choshu(100_000, nendo=nendo, genzei=0).amounts.tolist() == [8_700] + [8_300] * 11


def test_kyuyo_before_r6_is_ordinary_too() -> None:
    assert tokubetsu_choshu(120_000, nendo=2023, genzei=10_000).amounts.tolist() == [9_900] + [9_100] * 11


# --- 普通徴収 (地方税法第320条) ----------------------------------------------------------------------


def test_futsu_quarters_floored_to_1000_with_the_fraction_in_kibetsu_1() -> None:
    # 123,400 ÷ 4 = 30,850 → 30,000; 第1期 = 123,400 − 90,000 = 33,400
    schedule = futsu_choshu(123_400, nendo=R7)
    assert schedule.months == ("第1期", "第2期", "第3期", "第4期")
    assert schedule.amounts.tolist() == [33_400, 30_000, 30_000, 30_000]
    assert schedule.year_months == ((2025, 6), (2025, 8), (2025, 10), (2026, 1))
    assert futsu_choshu(3_999, nendo=R7).amounts.tolist() == [3_999, 0, 0, 0]  # quarter < ¥1,000
    assert futsu_choshu(4_000, nendo=R7).amounts.tolist() == [1_000] * 4


def test_futsu_due_dates_are_month_ends_moved_off_holidays() -> None:
    # 地方税法第20条の5第2項: 2024-06-30 is a Sunday → 07-01; 2024-08-31 a Saturday → 09-02
    assert futsu_choshu(40_000, nendo=R6).due_dates == (
        dt.date(2024, 7, 1),
        dt.date(2024, 9, 2),
        dt.date(2024, 10, 31),
        dt.date(2025, 1, 31),
    )
    # 令和8年度: 2026-10-31 Saturday → 11-02; 2027-01-31 Sunday → 02-01; the 期 stays 10月 / 1月
    schedule = futsu_choshu(40_000, nendo=R8)
    assert schedule.due_dates == (
        dt.date(2026, 6, 30),
        dt.date(2026, 8, 31),
        dt.date(2026, 11, 2),
        dt.date(2027, 2, 1),
    )
    assert schedule.year_months[2:] == ((2026, 10), (2027, 1))


def test_futsu_due_dates_need_the_holidays_of_the_year() -> None:
    # 2029年1月 is not in calendar.holidays: refuse rather than treat it as having no 祝日
    from yakuba.params import ParameterError

    with pytest.raises(ParameterError, match="祝日"):
        noki_dates(2028)


def test_futsu_unit_and_holiday_shift_are_municipal_choices(tmp_path: Path) -> None:
    hundred = _overlay(tmp_path, "municipal.zeimu.kojin.choshu.futsu.unit", "100")
    # ¥100 unit: 123,600 ÷ 4 = 30,900 exactly; 123,400 ÷ 4 = 30,850 → 30,800, 第1期 31,000
    assert futsu_choshu(123_600, nendo=R7, parameters=hundred).amounts.tolist() == [30_900] * 4
    assert futsu_choshu(123_400, nendo=R7, parameters=hundred).amounts.tolist() == [31_000] + [30_800] * 3
    no_shift = _overlay(tmp_path, "municipal.zeimu.kojin.choshu.futsu.holiday_shift", "false")
    assert noki_dates(R6, parameters=no_shift)[0].due == dt.date(2024, 6, 30)
    last = _overlay(tmp_path, "municipal.zeimu.kojin.choshu.futsu.remainder_kibetsu", "4")
    assert futsu_choshu(123_400, nendo=R7, parameters=last).amounts.tolist() == [30_000] * 3 + [33_400]


def test_futsu_r6_genzei_comes_off_kibetsu_1_then_the_following() -> None:
    # tax-rules.md §1.11: 減税 deducted from 第1期, the rest from 第2期 onwards (合同町, 階上町)
    # before 減税 120,000 → 30,000 × 4; 減税 40,000 takes 第1期 30,000 and 10,000 of 第2期
    schedule = futsu_choshu(120_000, nendo=R6, genzei=40_000)
    assert schedule.amounts.tolist() == [0, 20_000, 30_000, 30_000]
    assert schedule.annual == 80_000
    # a small 減税 stays in 第1期: 123,400 → 33,400 / 30,000 ×3; − 10,000 → 23,400
    assert futsu_choshu(123_400, nendo=R6, genzei=10_000).amounts.tolist() == [23_400, 30_000, 30_000, 30_000]
    # outside R6 the tax after 減税 is split normally: 113,400 → 28,000 × 3 + 29,400
    assert futsu_choshu(123_400, nendo=R7, genzei=10_000).amounts.tolist() == [29_400, 28_000, 28_000, 28_000]


# --- 公的年金からの特別徴収 (地方税法第321条の7の2〜第321条の7の8) -----------------------------------------


@pytest.mark.parametrize(
    ("previous", "annual", "expected"),
    [
        # 富加町's table: N 60,000 → N+1 36,000 → N+2 60,000 → N+3 60,000
        (60_000, 60_000, [10_000] * 6),
        (60_000, 36_000, [10_000] * 3 + [2_000] * 3),
        (36_000, 60_000, [6_000] * 3 + [14_000] * 3),
        (0, 30_000, [0, 0, 0, 10_000, 10_000, 10_000]),  # no 仮徴収: the whole amount as 本徴収
        (0, 10_000, [0, 0, 0, 3_400, 3_300, 3_300]),  # 3,333 → 3,300, October + 100
        (
            61_000,
            61_000,
            [10_300, 10_100, 10_100, 10_300, 10_100, 10_100],
        ),  # 30,500 ÷ 3 → 10,100; +200 April/Oct
    ],
)
def test_nenkin_karichoshu_and_honchoshu(previous: int, annual: int, expected: list[int]) -> None:
    schedule = nenkin_choshu(annual, nendo=R7, previous_annual=previous)
    assert schedule.months == ("4月", "6月", "8月", "10月", "12月", "2月")
    assert schedule.year_months[-1] == (2026, 2)
    assert schedule.amounts.tolist() == expected
    assert schedule.total == annual and schedule.excess == 0


def test_nenkin_karichoshu_larger_than_the_year_is_excess_not_a_negative_honchoshu() -> None:
    # 前年度 60,000 → 仮徴収 30,000, but this 年度 only 12,000: 本徴収 0 and 18,000 過納 (第17条 還付・充当)
    schedule = nenkin_choshu(12_000, nendo=R7, previous_annual=60_000)
    assert schedule.amounts.tolist() == [10_000] * 3 + [0] * 3
    assert schedule.excess == 18_000 and schedule.annual == 12_000


def test_nenkin_r6_genzei_comes_off_october_then_december() -> None:
    # tax-rules.md §1.11 [K]: 年金特徴 — deducted from the first 本徴収 (October) and onwards
    schedule = nenkin_choshu(60_000, nendo=R6, previous_annual=60_000, genzei=25_000)
    assert schedule.amounts.tolist() == [10_000] * 3 + [0, 0, 5_000]
    assert schedule.annual == 35_000 and schedule.excess == 0
    # outside R6 the 減税 just lowers the 本徴収: 60,000 − 25,000 − 30,000 = 5,000 → 1,800 / 1,600 / 1,600
    assert nenkin_choshu(60_000, nendo=R7, previous_annual=60_000, genzei=25_000).amounts.tolist()[3:] == [
        1_800,
        1_600,
        1_600,
    ]


# --- input --------------------------------------------------------------------------------------------


def test_bad_input_is_refused() -> None:
    with pytest.raises(TypeError, match="整数"):
        tokubetsu_choshu(np.array([1.5]), nendo=R7)
    with pytest.raises(ValueError, match="負"):
        futsu_choshu(-1, nendo=R7)
    with pytest.raises(ValueError, match="超えて"):
        tokubetsu_choshu(10_000, nendo=R6, genzei=20_000)
    with pytest.raises(ValueError, match="1次元"):
        tokubetsu_choshu(np.zeros((2, 2), dtype=np.int64), nendo=R7)


# --- invariants (Hypothesis) --------------------------------------------------------------------------

_TAX = st.integers(min_value=0, max_value=10**9)
_NENDO = st.sampled_from([2023, R6, R7, R8])
_NENDO_FUTSU = st.sampled_from([R6, R7, R8])  # 納期限 need the 祝日 of the year: holidays.yaml has 2024〜2027


@st.composite
def _taxes_and_genzei(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    taxes = draw(st.lists(_TAX, min_size=1, max_size=40))
    genzei = [draw(st.integers(min_value=0, max_value=t)) for t in taxes]
    return np.array(taxes, dtype=np.int64), np.array(genzei, dtype=np.int64)


@settings(max_examples=150, deadline=None)
@given(_taxes_and_genzei(), _NENDO)
def test_kyuyo_rows_sum_to_the_tax_after_genzei_and_the_first_month_takes_the_fraction(
    data: tuple[np.ndarray, np.ndarray], nendo: int
) -> None:
    taxes, genzei = data
    schedule = tokubetsu_choshu(taxes, nendo=nendo, genzei=genzei)
    amounts = schedule.amounts
    assert amounts.dtype == np.int64 and amounts.shape == (len(taxes), 12)
    assert (amounts.sum(axis=1) == taxes - genzei).all()
    assert (amounts >= 0).all()
    special = (genzei > 0) if nendo == R6 else np.zeros(len(taxes), dtype=bool)
    first = np.where(special, 1, 0)
    rows = np.arange(len(taxes))
    monthly = amounts[:, 11]  # May is always an ordinary month
    assert (monthly % 100 == 0).all()
    assert (amounts[special, 0] == 0).all()  # R6 減税: no June
    fraction = amounts[rows, first] - monthly
    periods = np.where(special, 11, 12)
    assert ((fraction >= 0) & (fraction < periods * 100)).all()
    for i in rows:  # every month after the first of the row is the same floored share
        assert set(amounts[i, first[i] + 1 :].tolist()) <= {int(monthly[i])}
    # the scalar path (one taxpayer at the counter) agrees with the batch
    one = tokubetsu_choshu(int(taxes[0]), nendo=nendo, genzei=int(genzei[0]))
    assert one.amounts.tolist() == amounts[0].tolist()


@settings(max_examples=150, deadline=None)
@given(_taxes_and_genzei(), _NENDO_FUTSU)
def test_futsu_rows_sum_to_the_tax_after_genzei_and_kibetsu_1_takes_the_fraction(
    data: tuple[np.ndarray, np.ndarray], nendo: int
) -> None:
    taxes, genzei = data
    schedule = futsu_choshu(taxes, nendo=nendo, genzei=genzei)
    amounts = schedule.amounts
    assert amounts.shape == (len(taxes), 4)
    assert (amounts.sum(axis=1) == taxes - genzei).all()
    assert (amounts >= 0).all()
    if nendo == R6:  # 減税 off the split of the tax before it, from 第1期 on: never more than before
        before = futsu_choshu(taxes, nendo=nendo).amounts
        assert (amounts <= before).all()
        assert (before - amounts).sum(axis=1).tolist() == genzei.tolist()
    else:
        assert (amounts[:, 1:] % 1_000 == 0).all()
        assert (amounts[:, 1:] == amounts[:, 1:2]).all()
        fraction = amounts[:, 0] - amounts[:, 1]
        assert ((fraction >= 0) & (fraction < 4_000)).all()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_TAX, _TAX, st.integers(min_value=0, max_value=10**9)), min_size=1, max_size=40),
    _NENDO,
)
def test_nenkin_rows_sum_to_the_year_plus_any_excess(rows: list[tuple[int, int, int]], nendo: int) -> None:
    annual = np.array([a for a, _, _ in rows], dtype=np.int64)
    previous = np.array([p for _, p, _ in rows], dtype=np.int64)
    genzei = np.array([min(g, a) for a, _, g in rows], dtype=np.int64)
    schedule = nenkin_choshu(annual, nendo=nendo, previous_annual=previous, genzei=genzei)
    amounts = schedule.amounts
    assert amounts.shape == (len(rows), 6)
    assert (amounts >= 0).all() and (schedule.excess >= 0).all()
    assert (amounts.sum(axis=1) == annual - genzei + schedule.excess).all()
    assert (amounts[:, :3].sum(axis=1) == previous // 2).all()  # 仮徴収 = 前年度の½, whatever this year
    assert (
        (amounts[:, 0] >= amounts[:, 1]) & (amounts[:, 1] == amounts[:, 2])
    ).all()  # April takes the fraction
    room = annual - genzei - previous // 2
    assert ((schedule.excess == 0) == (room >= 0)).all()
