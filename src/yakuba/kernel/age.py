"""Ages and 年度 as the law counts them, not as a birthday party does.

年齢計算ニ関スル法律 (明治35年法律第50号) counts age from the day of birth (初日算入) and applies 民法第143条:
a period of years ends at the end of the day *before* the anniversary of the starting day. So a person
attains a new age at the end of the day before the birthday, and on that day already has it — which is
why someone born on 4月2日 starts school a year before someone born on 4月3日. Eligibility rules
(選挙権, 児童手当, 介護保険の第1号被保険者 …) all depend on this, so there is one function for it.

For a 2月29日 birth the anniversary has no corresponding day in a non-leap year; 民法第143条第2項但書
ends the period on the last day of that month (2月28日). In a leap year the day before 2月29日 is also
2月28日, so such a person always attains a new age on 2月28日.
"""

from __future__ import annotations

import datetime as dt

from yakuba.errors import InputError

__all__ = ["age_on", "attained_age_date", "fiscal_year", "fiscal_year_range"]

_ONE_DAY = dt.timedelta(days=1)
_FISCAL_YEAR_START_MONTH = 4  # 地方自治法第208条第1項: 会計年度は4月1日に始まり翌年3月31日に終わる


def attained_age_date(birth: dt.date, years: int) -> dt.date:
    """The day on which a person born on ``birth`` first has ``years`` years of age.

    年齢計算ニ関スル法律 and 民法第143条: the end of the day before the anniversary, so that day itself.

    ``years == 0`` is the birth day itself: the count starts that day.
    """
    if years < 0:
        raise InputError.single("年齢", f"年齢{years}歳は計算できません")
    if years == 0:
        return birth
    year = birth.year + years
    if year > dt.MAXYEAR:
        raise InputError.single("年齢", f"{years}歳に達する日は計算できません")
    try:
        anniversary = dt.date(year, birth.month, birth.day)
    except ValueError:
        # 2月29日生まれ, non-leap year: no corresponding day, so the period ends on the month's last day
        # (民法第143条第2項但書).
        return dt.date(year, 2, 28)
    return anniversary - _ONE_DAY


def age_on(birth: dt.date, on: dt.date) -> int:
    """The legal age (満年齢) on ``on`` of a person born on ``birth``.

    A date before the birth is refused rather than answered with −1: it is always a data error
    (wrong 基準日 or wrong 生年月日), and a negative age would slip through ``>=`` checks unnoticed.
    """
    if on < birth:
        raise InputError.single("基準日", "基準日が生年月日より前です")
    # The new age can be attained as early as 12月31日 of the previous calendar year (born 1月1日),
    # so start one above the calendar difference and step down at most twice.
    years = on.year - birth.year + 1
    while years > 0 and (birth.year + years > dt.MAXYEAR or on < attained_age_date(birth, years)):
        years -= 1
    return years


def fiscal_year(d: dt.date) -> int:
    """The 年度 containing ``d`` (April to March), named by the calendar year in which it starts."""
    return d.year if d.month >= _FISCAL_YEAR_START_MONTH else d.year - 1


def fiscal_year_range(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of 年度 ``year``: 4月1日 to the next 3月31日, both inclusive."""
    return dt.date(year, _FISCAL_YEAR_START_MONTH, 1), dt.date(year + 1, 3, 31)
