"""Legal age and 年度.

Sources:
- 年齢計算ニ関スル法律 (明治35年法律第50号) 第1項: 年齢ハ出生ノ日ヨリ之ヲ起算ス; 第2項: 民法第143条ヲ準用ス.
- 民法第143条第2項: 期間は起算日に応当する日の前日に満了する; 但書: 最後の月に応当する日がないときは
  その月の末日に満了する.
- 学校教育法第17条第1項: 満6歳に達した日の翌日以後における最初の学年の初めから (the 4月1日/4月2日 cut-off).
- 地方自治法第208条第1項: 会計年度は毎年4月1日に始まり翌年3月31日に終わる.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from yakuba.errors import FieldProblem, InputError
from yakuba.kernel.age import age_on, attained_age_date, fiscal_year, fiscal_year_range

D = dt.date
ONE = dt.timedelta(days=1)
births = st.dates(min_value=D(1868, 1, 25), max_value=D(2100, 12, 31))


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        # 年齢計算ニ関スル法律 + 民法143条: attained at the end of the day before the anniversary
        (D(2008, 4, 2), D(2026, 3, 31), 17),
        (D(2008, 4, 2), D(2026, 4, 1), 18),
        (D(2008, 4, 2), D(2026, 4, 2), 18),
        # 民法143条2項但書: 2月29日生まれ, non-leap year ⇒ last day of February
        (D(2008, 2, 29), D(2026, 2, 27), 17),
        (D(2008, 2, 29), D(2026, 2, 28), 18),
        (D(2008, 2, 29), D(2026, 3, 1), 18),
        # in a leap year the day before 2月29日 is 2月28日 as well
        (D(2008, 2, 29), D(2012, 2, 27), 3),
        (D(2008, 2, 29), D(2012, 2, 28), 4),
        # 1月1日生まれ attains age 1 on 12月31日 of the same calendar year
        (D(2008, 1, 1), D(2008, 12, 30), 0),
        (D(2008, 1, 1), D(2008, 12, 31), 1),
        # 出生の日から起算 (初日算入)
        (D(2025, 4, 1), D(2025, 4, 1), 0),
        (D(1945, 8, 15), D(2025, 8, 14), 80),
        (D(1945, 8, 15), D(2025, 8, 13), 79),
    ],
)
def test_age_on(birth: dt.date, on: dt.date, expected: int) -> None:
    """年齢計算ニ関スル法律 (明治35年法律第50号) and 民法第143条 (第2項但書 for 2月29日)."""
    assert age_on(birth, on) == expected


@pytest.mark.parametrize(
    ("birth", "years", "expected"),
    [
        (D(2008, 4, 2), 18, D(2026, 4, 1)),  # 民法143条2項本文
        (D(2008, 2, 29), 18, D(2026, 2, 28)),  # 民法143条2項但書
        (D(2008, 2, 29), 4, D(2012, 2, 28)),  # leap year: the day before 2月29日
        (D(2007, 3, 1), 1, D(2008, 2, 29)),  # day before 3月1日 in a leap year
        (D(2007, 3, 1), 2, D(2009, 2, 28)),
        (D(2008, 1, 1), 1, D(2008, 12, 31)),
        (D(2008, 4, 2), 0, D(2008, 4, 2)),  # 出生の日から起算
    ],
)
def test_attained_age_date(birth: dt.date, years: int, expected: dt.date) -> None:
    """年齢計算ニ関スル法律 + 民法第143条: the day on which the age is held."""
    assert attained_age_date(birth, years) == expected


def test_school_entry_cut_off_is_april_1_vs_april_2() -> None:
    """学校教育法第17条: 4月1日生まれ enters a year earlier than 4月2日生まれ, because of 民法143条."""

    def school_year(birth: dt.date) -> int:
        day_after = attained_age_date(birth, 6) + ONE
        fy = fiscal_year(day_after)
        return fy if fiscal_year_range(fy)[0] >= day_after else fy + 1

    assert attained_age_date(D(2019, 4, 1), 6) == D(2025, 3, 31)
    assert school_year(D(2019, 4, 1)) == 2025
    assert school_year(D(2019, 4, 2)) == 2026


def test_age_before_birth_is_refused() -> None:
    """A 基準日 before birth is a data error, never age −1."""
    with pytest.raises(InputError) as exc:
        age_on(D(2025, 4, 2), D(2025, 4, 1))
    assert exc.value.problems == [FieldProblem("基準日", "基準日が生年月日より前です")]


def test_negative_years_refused() -> None:
    """Ages are counted from 0 (年齢計算ニ関スル法律 第1項)."""
    with pytest.raises(InputError):
        attained_age_date(D(2000, 1, 1), -1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 3, 31), 2025),  # 地方自治法第208条
        (D(2026, 4, 1), 2026),
        (D(2026, 12, 31), 2026),
        (D(2027, 1, 1), 2026),
    ],
)
def test_fiscal_year(day: dt.date, expected: int) -> None:
    """地方自治法第208条第1項: 4月1日〜翌年3月31日."""
    assert fiscal_year(day) == expected


def test_fiscal_year_range() -> None:
    """地方自治法第208条第1項; 令和7年度 = 2025-04-01 .. 2026-03-31 (2028 has 2月29日 inside, no effect)."""
    assert fiscal_year_range(2025) == (D(2025, 4, 1), D(2026, 3, 31))
    assert fiscal_year_range(2027) == (D(2027, 4, 1), D(2028, 3, 31))


@given(births, st.integers(min_value=0, max_value=40_000), st.integers(min_value=0, max_value=400))
def test_age_is_monotone(birth: dt.date, offset: int, step: int) -> None:
    """Property: age_on never decreases as the 基準日 moves forward (年齢計算ニ関スル法律)."""
    on1 = birth + dt.timedelta(days=offset)
    on2 = on1 + dt.timedelta(days=step)
    assume(on2.year <= 9000)
    assert age_on(birth, on1) <= age_on(birth, on2)


@given(births, st.integers(min_value=1, max_value=120))
def test_age_increases_by_one_on_attained_date(birth: dt.date, years: int) -> None:
    """Property: the age becomes ``years`` exactly on attained_age_date (民法第143条), not a day earlier."""
    attained = attained_age_date(birth, years)
    assert age_on(birth, attained) == years
    assert age_on(birth, attained - ONE) == years - 1


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)))
def test_fiscal_year_range_contains_day(day: dt.date) -> None:
    """Property: every day lies in the range of its own 年度 (地方自治法第208条)."""
    first, last = fiscal_year_range(fiscal_year(day))
    assert first <= day <= last
    assert (last - first).days in (364, 365)
