"""不詳日 and 戸籍-only dates: a date the record must keep even though it is not an exact calendar day.

住民記録システム標準仕様書 (第1.0版 j80/j90; spec-resident §1.7) allows, for 生年月日, 住民となった年月日,
住所を定めた年月日, 外国人住民となった年月日 and the dates of 出生・死亡・失踪 only, a 不詳日 such as
「昭和20年頃」 and non-calendar dates copied from the 戸籍 (2月29日 of a non-leap year, 明治45年7月30日,
大正15年12月25日), and requires the system to keep *both* a date value and the 不詳 text. The 共通機能
convention (spec-resident-2 §4.2) stores that as DATE + ``…_不詳フラグ`` (X1, 0/1) + ``…_不詳表記`` (Ｎ72).
:class:`RecordedDate` is that triple; callers for other fields use :func:`yakuba.kernel.wareki.parse_date`,
which refuses all of this.

Representative date rule (see docs/decisions/fuzzy-dates.md):

* a 不詳日 stands for a period; its date value is the **earliest day of that period that lies
  inside the stated era** — 「昭和20年頃」 → 1945-01-01, 「昭和20年8月下旬」 → 1945-08-21,
  「令和元年頃」 → 2019-05-01, a range → its first day, 「昭和20年冬」 → 1945-12-01
  (冬 = 12月〜翌2月, 気象庁の季節区分);
* 「年月日不詳」 has no date value (None): any date would be invented, and the standard forbids
  みなし生年月日;
* 2月29日 of a non-leap year → 2月28日 of that year (the last real day of the stated month);
* an era-overlap day (明治45年7月30日) → the actual calendar day (1912-07-30).

The text is stored as entered (only surrounding blanks are dropped): it is reprinted on certificates and
sent unchanged to other systems, so it must read exactly like the 戸籍 or the 届書.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from yakuba.errors import InputError
from yakuba.kernel.wareki import (
    Era,
    EraTable,
    default_table,
    format_seireki,
    normalize_input,
    year_label,
)

__all__ = ["FUMEI_TEXT_MAX", "DateKind", "RecordedDate", "parse_recorded_date"]

FUMEI_TEXT_MAX = 72
"""不詳表記 is Ｎ72 in the 共通機能 data definitions: 72 characters, not bytes."""

_ONE_DAY = dt.timedelta(days=1)


class DateKind(StrEnum):
    """Why a date carries text: the flag alone cannot tell 「頃」 from a 戸籍 day not on the calendar."""

    EXACT = "exact"
    FUMEI = "fumei"  # 不詳日: 「昭和20年頃」 etc.
    NON_CALENDAR = "non_calendar"  # 戸籍どおりの暦にない日: 「昭和23年2月29日」, 「明治45年7月30日」


@dataclass(frozen=True)
class RecordedDate:
    """DATE + 不詳フラグ + 不詳表記 of one date item.

    ``value`` is the representative date (None only for 「年月日不詳」); ``text`` is the 不詳表記 and is
    present exactly when the date is not an exact calendar day.
    """

    value: dt.date | None
    text: str | None = None
    kind: DateKind = DateKind.EXACT

    def __post_init__(self) -> None:
        if self.kind is DateKind.EXACT:
            if self.value is None or self.text is not None:
                raise ValueError("正確な日付は日付値を持ち、不詳表記を持ちません")
            return
        if not self.text:
            raise ValueError("不詳日・暦にない日付には不詳表記が必要です")
        if len(self.text) > FUMEI_TEXT_MAX:
            raise ValueError(f"不詳表記は{FUMEI_TEXT_MAX}文字以内です")
        if self.kind is DateKind.NON_CALENDAR and self.value is None:
            raise ValueError("暦にない日付にも代表日が必要です")

    @classmethod
    def exact(cls, value: dt.date) -> RecordedDate:
        return cls(value=value)

    @property
    def is_fumei(self) -> bool:
        """True whenever the text, not the date, is what must be shown and exchanged."""
        return self.kind is not DateKind.EXACT

    @property
    def fumei_flag(self) -> str:
        """``…_不詳フラグ`` (X1): "1" when 不詳表記 carries the value, else "0".

        A 戸籍-only day is flagged too: the DATE column cannot hold 2月29日 of 1947, and a receiver that
        sees flag 0 would ignore the 不詳表記 and show the wrong day.
        """
        return "1" if self.is_fumei else "0"

    def display(self, *, seireki: bool = False, table: EraTable | None = None) -> str:
        """The text for screens and certificates: the 不詳表記 verbatim, else the date.

        ``seireki`` is for the two items the standard shows in 西暦 (外国人 生年月日, 在留期間満了日).
        """
        if self.text is not None:
            return self.text
        assert self.value is not None  # guaranteed by __post_init__ for EXACT
        if seireki:
            return format_seireki(self.value)
        return (table or default_table()).format_wareki(self.value)


# -- parsing -------------------------------------------------------------------------------------

_Period = tuple[dt.date, dt.date]
_SEASONS: dict[str, tuple[int, int]] = {"春": (3, 5), "夏": (6, 8), "秋": (9, 11), "冬": (12, 2)}
_JUN: dict[str, tuple[int, int | None]] = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, None)}


@dataclass(frozen=True)
class _Year:
    """The year a 不詳 text names, with the era bounds that clip every period inside it."""

    label: str  # 「昭和20年」, for messages
    gregorian: int
    era: Era | None
    field: str

    def clip(self, start: dt.date, end: dt.date, what: str) -> _Period:
        lo, hi = start, end
        if self.era is not None:
            lo = max(lo, self.era.start)
            if self.era.end is not None:
                hi = min(hi, self.era.end)
        if lo > hi:
            era_name = self.era.name if self.era is not None else ""
            raise InputError.single(self.field, f"{what}は{era_name}の期間外です")
        return lo, hi

    def whole(self) -> _Period:
        return self.clip(dt.date(self.gregorian, 1, 1), dt.date(self.gregorian, 12, 31), self.label)

    def month(self, month: int) -> _Period:
        if not 1 <= month <= 12:
            raise InputError.single(self.field, f"{self.label}{month}月は存在しない月です")
        last = calendar.monthrange(self.gregorian, month)[1]
        return self.clip(
            dt.date(self.gregorian, month, 1),
            dt.date(self.gregorian, month, last),
            f"{self.label}{month}月",
        )

    def day(self, month: int, day: int) -> dt.date:
        what = f"{self.label}{month}月{day}日"
        try:
            d = dt.date(self.gregorian, month, day)
        except ValueError:
            raise InputError.single(self.field, f"{what}は存在しない日付です") from None
        self.clip(d, d, what)
        return d


def _year(match: re.Match[str], table: EraTable, field: str) -> _Year:
    if match["wyear"] is not None:
        gy = int(match["wyear"])
        if gy < 1:
            raise InputError.single(field, f"{gy}年という年はありません")
        return _Year(label=f"{gy}年", gregorian=gy, era=None, field=field)
    era = table.lookup(match["era"], field=field)
    year = 1 if match["year"] == "元" else int(match["year"])
    if year < 1:
        raise InputError.single(field, f"{era.name}{year}年という年はありません（最初の年は元年です）")
    gy = era.gregorian_year(year)
    if gy > dt.MAXYEAR:
        raise InputError.single(field, f"{era.name}{year}年は存在しない年です")
    return _Year(label=f"{era.name}{year_label(year)}年", gregorian=gy, era=era, field=field)


def _int(match: re.Match[str], name: str) -> int:
    return int(match[name])


def _from_year(y: _Year, m: re.Match[str]) -> dt.date:
    return y.whole()[0]


def _from_month(y: _Year, m: re.Match[str]) -> dt.date:
    return y.month(_int(m, "m"))[0]


def _from_day(y: _Year, m: re.Match[str]) -> dt.date:
    return y.day(_int(m, "m"), _int(m, "d"))


def _from_season(y: _Year, m: re.Match[str]) -> dt.date:
    first, last = _SEASONS[m["season"]]
    start = dt.date(y.gregorian, first, 1)
    end_year = y.gregorian + 1 if last < first else y.gregorian
    end = dt.date(end_year, last, calendar.monthrange(end_year, last)[1]) if end_year <= dt.MAXYEAR else start
    return y.clip(start, end, f"{y.label}{m['season']}")[0]


def _from_jun(y: _Year, m: re.Match[str]) -> dt.date:
    month = _int(m, "m")
    y.month(month)  # rejects 13月 and months outside the era with the clearer message
    first, last = _JUN[m["jun"]]
    end_day = calendar.monthrange(y.gregorian, month)[1] if last is None else last
    return y.clip(dt.date(y.gregorian, month, first), dt.date(y.gregorian, month, end_day), m[0])[0]


def _from_range(y: _Year, m: re.Match[str]) -> dt.date:
    month = _int(m, "m")
    start = y.day(month, _int(m, "d"))
    raw_end_month = m.groupdict().get("m2")
    end_month = int(raw_end_month) if raw_end_month is not None else month
    end_day = _int(m, "d2")
    try:
        end = dt.date(y.gregorian, end_month, end_day)
    except ValueError:
        raise InputError.single(
            y.field, f"期間の終わり（{end_month}月{end_day}日）は存在しない日付です"
        ) from None
    if end < start:
        raise InputError.single(y.field, f"期間の終わり（{end_month}月{end_day}日）が始まりより前です")
    return start


_Handler = Callable[[_Year, re.Match[str]], dt.date]


def _patterns(table: EraTable) -> list[tuple[re.Pattern[str], _Handler]]:
    """The allowed 不詳日 patterns of the standard (j80/j90), any era, 元年 allowed.

    The 西暦 year form (「1945年頃」) is accepted too, for 外国人住民 whose dates are shown in 西暦.
    """
    y = rf"(?:(?P<era>{table.era_pattern})(?P<year>\d{{1,3}}|元)|(?P<wyear>\d{{4}}))年"
    m = r"(?P<m>\d{1,2})月"
    d = r"(?P<d>\d{1,2})日"
    rows: list[tuple[str, _Handler]] = [
        (rf"{y}頃", _from_year),
        (rf"{y}{m}頃", _from_month),
        (rf"{y}{m}{d}頃", _from_day),
        (rf"推定{y}{m}{d}", _from_day),
        (rf"推定{y}{m}", _from_month),
        (rf"{y}(?P<season>[春夏秋冬])", _from_season),
        (rf"{y}{m}(?P<jun>上旬|中旬|下旬)(?:頃)?", _from_jun),
        (rf"{y}月日不詳", _from_year),
        (rf"{y}{m}日不詳", _from_month),
        (rf"{y}{m}{d}から(?P<m2>\d{{1,2}})月(?P<d2>\d{{1,2}})日頃までの間", _from_range),
        (rf"{y}{m}推定{d}から(?P<d2>\d{{1,2}})日までの間", _from_range),
        (rf"{y}{m}{d}頃から(?P<d2>\d{{1,2}})日頃までの間", _from_range),
    ]
    return [(re.compile(source, re.I), handler) for source, handler in rows]


@lru_cache(maxsize=8)
def _patterns_for(table: EraTable) -> list[tuple[re.Pattern[str], _Handler]]:
    """Compiled once per table: every 生年月日 typed at the counter goes through these."""
    return _patterns(table)


def _non_calendar(table: EraTable, normalized: str, field: str) -> dt.date | None:
    """The representative day of a 戸籍 day that is not on the calendar, or None if it is not one."""
    parts = table.parse_wareki_parts(normalized)
    if parts is None:
        return None
    era, year, month, day = parts
    try:
        return table.from_wareki(era, year, month, day, field=field, strict=False)
    except InputError:
        pass
    if month == 2 and day == 29 and year >= 1 and not calendar.isleap(era.gregorian_year(year)):
        return table.from_wareki(era, year, 2, 28, field=field, strict=False)
    return None


def parse_recorded_date(text: str, *, field: str, table: EraTable | None = None) -> RecordedDate:
    """Read a date item that may be 不詳 or a 戸籍-only day; refuse anything else with the field named.

    Only call this for the items the standard lets be 不詳 (生年月日, 住民となった年月日, …); every other
    date goes through :func:`~yakuba.kernel.wareki.parse_date`, which accepts exact dates only.
    """
    era_table = table or default_table()
    stored = text.strip()
    try:
        return RecordedDate.exact(era_table.parse_date(text, field=field))
    except InputError as exact_error:
        first_error = exact_error
    normalized = normalize_input(text)
    if normalized == "年月日不詳":
        return RecordedDate(value=None, text=_checked_text(stored, field), kind=DateKind.FUMEI)
    for pattern, handler in _patterns_for(era_table):
        match = pattern.fullmatch(normalized)
        if match is not None:
            value = handler(_year(match, era_table, field), match)
            return RecordedDate(value=value, text=_checked_text(stored, field), kind=DateKind.FUMEI)
    representative = _non_calendar(era_table, normalized, field)
    if representative is not None:
        return RecordedDate(
            value=representative, text=_checked_text(stored, field), kind=DateKind.NON_CALENDAR
        )
    if era_table.parse_wareki_parts(normalized) is not None:
        raise first_error  # looked like a date but is impossible: say which day does not exist
    shown = stored or "（空欄）"
    raise InputError.single(
        field,
        f"「{shown}」は日付または不詳日の表記として読み取れません"
        "（例: 昭和20年8月15日、昭和20年頃、推定昭和20年8月、昭和20年8月上旬、年月日不詳）",
    )


def _checked_text(stored: str, field: str) -> str:
    if len(stored) > FUMEI_TEXT_MAX:
        raise InputError.single(field, f"不詳表記は{FUMEI_TEXT_MAX}文字以内で入力してください")
    return stored
