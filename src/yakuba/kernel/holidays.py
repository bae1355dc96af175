"""地方公共団体の休日: is a day a working day of the 役所, and which is the next one?

地方自治法第4条の2第2項 lists what a municipality's 休日条例 may make a holiday: 日曜日及び土曜日
(hard-coded here, it is the statute), the holidays of 国民の祝日に関する法律 (``calendar.holidays``:
the 祝日, 振替休日 and 国民の休日, one list per year, because 春分の日・秋分の日 are only fixed each
February for the following year) and days at the year end and start fixed by 条例
(``calendar.municipal_closures``, typically 12月29日〜1月3日).

A date in a year that ``calendar.holidays`` does not list raises ``ParameterError``: treating an
unknown year as having no 祝日 would silently move a deadline.

Deadlines and registration days use :func:`next_working_day` — e.g. 公職選挙法第22条第1項: the
定時登録 is made on 登録月の一日, or when that is a 地方公共団体の休日 on the first following day that
is not; 地方自治法第4条の2第4項: a deadline falling on a 休日 moves to the next day that is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from yakuba.params import ParameterError, ParameterSet, default_parameters

__all__ = [
    "ClosureRule",
    "holiday_name",
    "is_holiday",
    "is_national_holiday",
    "next_working_day",
]

_HOLIDAYS_KEY = "calendar.holidays"
_CLOSURES_KEY = "calendar.municipal_closures"
_WEEKEND = {5: "土曜日", 6: "日曜日"}  # 地方自治法第4条の2第2項第1号
_MAX_SCAN_DAYS = 366


@dataclass(frozen=True)
class ClosureRule:
    """A yearly closure by month-day; ``start`` after ``end`` means it wraps the new year."""

    name: str
    start: tuple[int, int]
    end: tuple[int, int]

    def covers(self, day: dt.date) -> bool:
        md = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end


@dataclass(frozen=True)
class _NationalHolidays:
    by_date: Mapping[dt.date, str]
    years: frozenset[int]


# Parsed forms of the raw parameter values, keyed by the id of the raw value; the raw value is kept
# in the entry so the id cannot be reused while cached.
_parsed: dict[int, tuple[Any, Any]] = {}


def _month_day(raw: Any, where: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in str(raw).split("-"))
        dt.date(2000, month, day)  # a leap year, so 02-29 is accepted
    except ValueError:
        raise ParameterError(f"{where}: {raw!r} は月日（MM-DD）ではありません") from None
    return month, day


def _national(raw: Any) -> _NationalHolidays:
    cached = _parsed.get(id(raw))
    if cached is not None and cached[0] is raw:
        result: _NationalHolidays = cached[1]
        return result
    by_date: dict[dt.date, str] = {}
    for i, item in enumerate(raw):
        where = f"{_HOLIDAYS_KEY}[{i}]"
        try:
            day = dt.date.fromisoformat(str(item["date"]))
            name = str(item["name"])
        except (KeyError, TypeError, ValueError):
            raise ParameterError(f"{where}: date（YYYY-MM-DD）と name が必要です") from None
        if day in by_date:
            raise ParameterError(f"{where}: {day} が重複しています")
        by_date[day] = name
    parsed = _NationalHolidays(by_date, frozenset(d.year for d in by_date))
    _parsed[id(raw)] = (raw, parsed)
    return parsed


def _closures(raw: Any) -> tuple[ClosureRule, ...]:
    cached = _parsed.get(id(raw))
    if cached is not None and cached[0] is raw:
        result: tuple[ClosureRule, ...] = cached[1]
        return result
    rules: list[ClosureRule] = []
    for i, item in enumerate(raw):
        where = f"{_CLOSURES_KEY}[{i}]"
        if not isinstance(item, dict) or not {"name", "start", "end"} <= set(item):
            raise ParameterError(f"{where}: name・start・end が必要です")
        rules.append(
            ClosureRule(
                str(item["name"]),
                _month_day(item["start"], f"{where}.start"),
                _month_day(item["end"], f"{where}.end"),
            )
        )
    parsed = tuple(rules)
    _parsed[id(raw)] = (raw, parsed)
    return parsed


def _national_holiday_name(day: dt.date, parameters: ParameterSet) -> str | None:
    national = _national(parameters.get(_HOLIDAYS_KEY, on=day))
    if day.year not in national.years:
        raise ParameterError(
            f"{day.year}年の国民の祝日が {_HOLIDAYS_KEY}（holidays.yaml）に登録されていないため、"
            f"{day.isoformat()} が休日か判定できません"
        )
    return national.by_date.get(day)


def is_national_holiday(day: dt.date, *, parameters: ParameterSet | None = None) -> bool:
    """True on a 国民の祝日, 振替休日 or 国民の休日 (国民の祝日に関する法律第2条・第3条)."""
    return _national_holiday_name(day, parameters or default_parameters()) is not None


def holiday_name(day: dt.date, *, parameters: ParameterSet | None = None) -> str | None:
    """Why ``day`` is a 地方公共団体の休日 (「勤労感謝の日」「土曜日」…), or None on a working day."""
    parameters = parameters or default_parameters()
    name = _national_holiday_name(day, parameters)
    if name is not None:
        return name
    for rule in _closures(parameters.get(_CLOSURES_KEY, on=day)):
        if rule.covers(day):
            return rule.name
    return _WEEKEND.get(day.weekday())


def is_holiday(day: dt.date, *, parameters: ParameterSet | None = None) -> bool:
    """True on a 地方公共団体の休日: weekend, national holiday or municipal closure (地方自治法第4条の2)."""
    return holiday_name(day, parameters=parameters) is not None


def next_working_day(
    day: dt.date, *, strictly_after: bool = False, parameters: ParameterSet | None = None
) -> dt.date:
    """``day`` itself when it is a working day, otherwise the first following day that is not a 休日.

    That is the rule of 公職選挙法第22条第1項 (「登録月の一日又は同日の直後の地方公共団体の休日以外の日」)
    and of 地方自治法第4条の2第4項 (deadlines). With ``strictly_after`` the search starts the next day.
    """
    parameters = parameters or default_parameters()
    candidate = day + dt.timedelta(days=1) if strictly_after else day
    for _ in range(_MAX_SCAN_DAYS):
        if not is_holiday(candidate, parameters=parameters):
            return candidate
        candidate += dt.timedelta(days=1)
    raise ParameterError(
        f"{day.isoformat()} から1年以内に休日でない日がありません（休日の設定を確認してください）"
    )
