"""地方公共団体の休日: the shipped 祝日 table, the 年末年始 closure, weekends and next_working_day.

Sources: 国民の祝日に関する法律 第2条・第3条; 内閣府「国民の祝日について」 (2027 list announced
2026-02-02 after 国立天文台 暦要項: 春分の日 3月21日 (日) → 3月22日 振替休日, 秋分の日 9月23日);
地方自治法第4条の2; 公職選挙法第22条第1項 (定時登録: 登録月の一日、休日なら直後の休日以外の日).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from yakuba import params
from yakuba.kernel.holidays import holiday_name, is_holiday, is_national_holiday, next_working_day
from yakuba.params import ParameterError

D = dt.date


def _nth_monday(year: int, month: int, n: int) -> dt.date:
    first = D(year, month, 1)
    return first + dt.timedelta(days=(-first.weekday()) % 7 + 7 * (n - 1))


def _by_the_law(year: int) -> dict[dt.date, str]:
    """An independent derivation of a year's holidays from 祝日法 (valid 2020–2099 as written)."""
    y = year - 1980
    shunbun = int(20.8431 + 0.242194 * y - y // 4)  # the usual approximation of the 暦要項 (1980–2099)
    shubun = int(23.2488 + 0.242194 * y - y // 4)
    holidays = {
        D(year, 1, 1): "元日",
        _nth_monday(year, 1, 2): "成人の日",
        D(year, 2, 11): "建国記念の日",
        D(year, 2, 23): "天皇誕生日",
        D(year, 3, shunbun): "春分の日",
        D(year, 4, 29): "昭和の日",
        D(year, 5, 3): "憲法記念日",
        D(year, 5, 4): "みどりの日",
        D(year, 5, 5): "こどもの日",
        _nth_monday(year, 7, 3): "海の日",
        D(year, 8, 11): "山の日",
        _nth_monday(year, 9, 3): "敬老の日",
        D(year, 9, shubun): "秋分の日",
        _nth_monday(year, 10, 2): "スポーツの日",
        D(year, 11, 3): "文化の日",
        D(year, 11, 23): "勤労感謝の日",
    }
    extra: dict[dt.date, str] = {}
    for day in sorted(holidays):
        if day.weekday() == 6:  # 第3条第2項: the nearest following day that is not a 祝日
            substitute = day + dt.timedelta(days=1)
            while substitute in holidays:
                substitute += dt.timedelta(days=1)
            extra[substitute] = "休日（振替休日）"
    day = D(year, 1, 2)
    while day.year == year:  # 第3条第3項: a day between two 祝日
        one = dt.timedelta(days=1)
        if day not in holidays and day - one in holidays and day + one in holidays:
            extra[day] = "休日（国民の休日）"
        day += one
    return holidays | extra


@pytest.mark.parametrize(("year", "count"), [(2024, 21), (2025, 19), (2026, 18), (2027, 17)])
def test_shipped_table_matches_the_law(year: int, count: int) -> None:
    table = {
        D.fromisoformat(item["date"]): item["name"]
        for item in params.get("calendar.holidays", on=D(year, 1, 1))
        if item["date"].startswith(str(year))
    }
    assert table == _by_the_law(year)
    assert len(table) == count


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 11, 23), "勤労感謝の日"),  # Monday
        (D(2026, 9, 22), "休日（国民の休日）"),  # between 敬老の日 9/21 and 秋分の日 9/23
        (D(2026, 5, 6), "休日（振替休日）"),  # 憲法記念日 5/3 was a Sunday
        (D(2027, 3, 22), "休日（振替休日）"),  # 春分の日 3/21 is a Sunday
        (D(2026, 1, 2), "年末年始の休日"),  # Friday, 休日条例
        (D(2026, 12, 29), "年末年始の休日"),  # Tuesday
        (D(2027, 1, 1), "元日"),  # a 祝日 comes before the closure
        (D(2026, 11, 21), "土曜日"),
        (D(2026, 11, 22), "日曜日"),
        (D(2026, 11, 24), None),
        (D(2026, 12, 28), None),  # 仕事納め
        (D(2026, 1, 5), None),  # 仕事始め
    ],
)
def test_holiday_name(day: dt.date, name: str | None) -> None:
    assert holiday_name(day) == name
    assert is_holiday(day) is (name is not None)


def test_national_holidays_exclude_weekends_and_closures() -> None:
    assert is_national_holiday(D(2026, 11, 23))
    assert not is_national_holiday(D(2026, 11, 21))
    assert not is_national_holiday(D(2026, 12, 30))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # 定時登録 (公職選挙法第22条第1項): the 登録日 is the 1st or the first following working day.
        (D(2026, 3, 1), D(2026, 3, 2)),  # Sunday
        (D(2025, 6, 1), D(2025, 6, 2)),  # Sunday
        (D(2024, 9, 1), D(2024, 9, 2)),  # Sunday
        (D(2024, 12, 1), D(2024, 12, 2)),  # Sunday
        (D(2026, 6, 1), D(2026, 6, 1)),  # Monday: the day itself
        (D(2026, 12, 1), D(2026, 12, 1)),  # Tuesday
        # Deadlines (地方自治法第4条の2第4項)
        (D(2027, 1, 1), D(2027, 1, 4)),  # 元日 (Fri), 1/2 Sat, 1/3 Sun (and 年末年始)
        (D(2026, 12, 29), D(2027, 1, 4)),  # the whole 年末年始 closure
        (D(2025, 11, 22), D(2025, 11, 25)),  # Sat, 勤労感謝の日 (Sun), 振替休日 (Mon)
        (D(2026, 5, 2), D(2026, 5, 7)),  # Sat, 5/3 Sun, 5/4, 5/5, 5/6 振替休日
        (D(2026, 9, 19), D(2026, 9, 24)),  # Sat, Sun, 敬老の日, 国民の休日, 秋分の日
    ],
)
def test_next_working_day(day: dt.date, expected: dt.date) -> None:
    assert next_working_day(day) == expected


def test_next_working_day_strictly_after() -> None:
    assert next_working_day(D(2026, 11, 24), strictly_after=True) == D(2026, 11, 25)
    assert next_working_day(D(2026, 11, 20), strictly_after=True) == D(2026, 11, 24)


@pytest.mark.parametrize("day", [D(2028, 3, 1), D(2023, 12, 1)])
def test_a_year_without_a_holiday_table_is_an_error_not_a_working_day(day: dt.date) -> None:
    with pytest.raises(ParameterError):
        is_holiday(day)


def test_a_municipality_sets_its_own_closure_in_its_overlay(tmp_path: Path) -> None:
    (tmp_path / "closures.yaml").write_text(
        "calendar:\n  municipal_closures:\n    description: x\n    reference: 休日条例\n    values:\n"
        "      - from: 1989-01-01\n        value:\n"
        '          - {name: 年末年始の休日, start: "12-28", end: "01-04"}\n'
        '          - {name: 開庁記念日, start: "07-01", end: "07-01"}\n',
        encoding="utf-8",
    )
    merged = params.load([params.loader.DATA_DIR, tmp_path])
    assert holiday_name(D(2026, 12, 28), parameters=merged) == "年末年始の休日"
    assert holiday_name(D(2027, 7, 1), parameters=merged) == "開庁記念日"
    assert next_working_day(D(2026, 12, 28), parameters=merged) == D(2027, 1, 5)
    assert not is_holiday(D(2026, 12, 28))  # the shipped default is unchanged
