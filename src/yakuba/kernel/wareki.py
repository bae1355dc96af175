"""和暦 (Japanese era dates) in both directions, driven by the 元号 table in the parameters.

The standard (住民記録システム標準仕様書, spec-resident §1.7) requires 和暦 on every screen and
certificate and a 元号 master table, and says a new era is added by a *parameter change*, not a code
change. So nothing here knows an era's name or date: everything comes from ``calendar.eras`` in
``params/data/calendar.yaml`` (the latest version of that table), and tests can build an
:class:`EraTable` from any list to prove that a new era needs only data.

Conversion rules:

* An era's year 1 (元年) starts on its start day; year *n* is the Gregorian year ``start.year + n - 1``.
  Dates before 1873 are converted day-for-day on the Gregorian calendar, as the table's own note says.
* An era ends the day before the next one starts (元号を改める政令, 昭和64年政令第1号 / 平成31年政令第143号).
* In strict mode a 和暦 date must fall inside its era: 昭和64年1月8日 and 平成31年5月1日 do not exist.
  The lenient mode only exists for :mod:`yakuba.kernel.fuzzy_date`, where a 戸籍 may legitimately
  carry such a day (明治45年7月30日, 大正15年12月25日) and the record must match it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from yakuba.errors import InputError
from yakuba.params import ParameterError, default_parameters
from yakuba.params.loader import as_date

__all__ = [
    "Era",
    "EraTable",
    "WarekiDate",
    "default_table",
    "eras",
    "format_seireki",
    "format_wareki",
    "from_wareki",
    "normalize_input",
    "parse_date",
    "to_wareki",
]

_ONE_DAY = dt.timedelta(days=1)
ERA_TABLE_KEY = "calendar.eras"


@dataclass(frozen=True)
class Era:
    """One 元号. ``end`` is derived (next start − 1 day) so the table can never have gaps or overlaps."""

    name: str
    abbrev: str
    start: dt.date
    end: dt.date | None = None

    def contains(self, d: dt.date) -> bool:
        return self.start <= d and (self.end is None or d <= self.end)

    def year_of(self, d: dt.date) -> int:
        """The era year number of ``d`` (1 = 元年); meaningful only when the era contains ``d``."""
        return d.year - self.start.year + 1

    def gregorian_year(self, year: int) -> int:
        return self.start.year + year - 1

    @property
    def last_year(self) -> int | None:
        """The highest year number the era reached (昭和 → 64); None while the era is current."""
        return None if self.end is None else self.year_of(self.end)


def year_label(year: int) -> str:
    """「元」 for year 1, because certificates and 戸籍 write 元年, never 1年."""
    return "元" if year == 1 else str(year)


@dataclass(frozen=True)
class WarekiDate:
    """A date split into era / year / month / day, as printed on a certificate."""

    era: Era
    year: int
    month: int
    day: int

    def format(self) -> str:
        """「令和7年4月1日」, with 「元年」 for year 1 as official documents write it."""
        return f"{self.era.name}{year_label(self.year)}年{self.month}月{self.day}日"

    def format_short(self) -> str:
        """「R7.4.1」: the form clerks type and lists print where space is short."""
        return f"{self.era.abbrev}{self.year}.{self.month}.{self.day}"

    def to_date(self) -> dt.date:
        return dt.date(self.era.gregorian_year(self.year), self.month, self.day)

    def __str__(self) -> str:
        return self.format()


def normalize_input(text: str) -> str:
    """Fold what a clerk may type into one form so the patterns stay simple.

    NFKC turns full-width digits, letters and punctuation (「Ｒ７．４．１」) and the ligatures ㍻/㋿ into
    ASCII and plain kanji. Whitespace is dropped except between two digits, so 「令和 7年 4月」 is read
    but 「2025 04 01」 is not silently glued into 20250401.
    """
    folded = unicodedata.normalize("NFKC", text).strip()
    return re.sub(r"(?<!\d)\s+|\s+(?!\d)", "", folded)


def _invalid_day_message(label: str, month: int, day: int) -> str:
    return f"{label}{month}月{day}日は存在しない日付です"


class EraTable:
    """A validated 元号 table and every conversion that depends on it.

    Built from the same list of dicts as ``calendar.eras`` (``name``, ``abbrev``, ``start``) so that a
    test, or a municipality's overlay, can add an era without touching code.
    """

    def __init__(self, entries: Iterable[Mapping[str, Any]]) -> None:
        rows = list(entries)
        if not rows:
            raise ParameterError(f"{ERA_TABLE_KEY}: 元号表が空です")
        parsed: list[tuple[str, str, dt.date]] = []
        for i, row in enumerate(rows):
            where = f"{ERA_TABLE_KEY}[{i}]"
            missing = {"name", "abbrev", "start"} - set(row)
            if missing:
                raise ParameterError(f"{where}: {sorted(missing)} がありません")
            name = unicodedata.normalize("NFKC", str(row["name"])).strip()
            abbrev = unicodedata.normalize("NFKC", str(row["abbrev"])).strip().upper()
            if not name or not abbrev:
                raise ParameterError(f"{where}: name と abbrev は空にできません")
            if any(ch.isdigit() for ch in name + abbrev):
                raise ParameterError(f"{where}: 元号名・略号に数字は使えません")
            start = as_date(row["start"], f"{where}.start")
            if parsed and start <= parsed[-1][2]:
                raise ParameterError(f"{where}: start は前の元号より後の日付でなければなりません")
            parsed.append((name, abbrev, start))
        tokens = [p[0] for p in parsed] + [p[1] for p in parsed]
        if len({t.upper() for t in tokens}) != len(tokens):
            raise ParameterError(f"{ERA_TABLE_KEY}: 元号名・略号が重複しています")
        built: list[Era] = []
        for i, (name, abbrev, start) in enumerate(parsed):
            end = parsed[i + 1][2] - _ONE_DAY if i + 1 < len(parsed) else None
            built.append(Era(name=name, abbrev=abbrev, start=start, end=end))
        self.eras: tuple[Era, ...] = tuple(built)
        self._by_token: dict[str, Era] = {}
        for era in built:
            self._by_token[era.name.upper()] = era
            self._by_token[era.abbrev] = era
        # Longest first so a multi-letter abbreviation is never cut short by a shorter one.
        alternatives = sorted(self._by_token, key=len, reverse=True)
        self.era_pattern = "(?:" + "|".join(re.escape(t) for t in alternatives) + ")"
        era_group = rf"(?P<era>{self.era_pattern})"
        year = r"(?P<year>\d{1,3}|元)"
        self._wareki_kanji = re.compile(
            rf"{era_group}{year}年(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})日", re.I
        )
        self._wareki_short = re.compile(
            rf"{era_group}{year}(?P<sep>[./-])(?P<month>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}})", re.I
        )

    # -- lookup ---------------------------------------------------------------------------------

    def lookup(self, token: str, *, field: str = "元号") -> Era:
        """The era named by its name or abbreviation (「令和」, 「R」, 「r」, 「Ｒ」)."""
        key = unicodedata.normalize("NFKC", token).strip().upper()
        try:
            return self._by_token[key]
        except KeyError:
            raise InputError.single(field, f"元号「{token}」は元号表にありません") from None

    def era_of(self, d: dt.date, *, field: str = "日付") -> Era:
        for era in reversed(self.eras):
            if era.start <= d:
                return era
        first = self.eras[0]
        since = format_seireki(first.start)
        raise InputError.single(
            field,
            f"{format_seireki(d)}は{first.name}より前のため和暦にできません（{first.name}は{since}から）",
        )

    # -- conversions ----------------------------------------------------------------------------

    def to_wareki(self, d: dt.date, *, field: str = "日付") -> WarekiDate:
        era = self.era_of(d, field=field)
        return WarekiDate(era=era, year=era.year_of(d), month=d.month, day=d.day)

    def from_wareki(
        self, era: Era | str, year: int, month: int, day: int, *, field: str = "日付", strict: bool = True
    ) -> dt.date:
        """The Gregorian date of a 和暦 date.

        ``strict=False`` also accepts a real calendar day after the era's end but still in its last
        year (明治45年7月30日, 大正15年12月25日): the old era's year went on being written until the
        change was known, the 戸籍 may record such a day and the record must reproduce it. A day
        before an era's start (令和元年1月1日) was never written that way and stays rejected.
        """
        resolved = era if isinstance(era, Era) else self.lookup(era, field=field)
        label = f"{resolved.name}{year_label(year)}年"
        if year < 1:
            raise InputError.single(
                field, f"{resolved.name}{year}年という年はありません（最初の年は元年です）"
            )
        try:
            result = dt.date(resolved.gregorian_year(year), month, day)
        except (ValueError, OverflowError):
            raise InputError.single(field, _invalid_day_message(label, month, day)) from None
        if resolved.contains(result):
            return result
        last_year = resolved.last_year
        if not strict and last_year is not None and result > resolved.start and year <= last_year:
            return result
        raise InputError.single(field, self._outside_message(resolved, label, month, day, result))

    def _outside_message(self, era: Era, label: str, month: int, day: int, actual: dt.date) -> str:
        span = f"{self.to_wareki(era.start).format()}から"
        if era.end is not None:
            span += f"{self.to_wareki(era.end).format()}まで"
        hint = ""
        if actual >= self.eras[0].start:
            hint = f"。この日は{self.to_wareki(actual).format()}です"
        return f"{label}{month}月{day}日は{era.name}の期間外です（{era.name}は{span}）{hint}"

    def parse_wareki_parts(self, text: str) -> tuple[Era, int, int, int] | None:
        """Split an already-normalised 和暦 text into (era, year, month, day) without checking the day.

        Shared with the 不詳日 parser so that both read exactly the same era spellings.
        """
        match = self._wareki_kanji.fullmatch(text) or self._wareki_short.fullmatch(text)
        if match is None:
            return None
        raw_year = match["year"]
        year = 1 if raw_year == "元" else int(raw_year)
        return self.lookup(match["era"]), year, int(match["month"]), int(match["day"])

    def parse_date(self, text: str, *, field: str = "日付") -> dt.date:
        """Read a date the way clerks type it, in 和暦 or 西暦; anything doubtful is refused.

        A guess would silently write a wrong birth date into the 住民票, so unreadable or impossible
        input always raises :class:`InputError` naming ``field``.
        """
        normalized = normalize_input(text)
        parts = self.parse_wareki_parts(normalized)
        if parts is not None:
            return self.from_wareki(*parts, field=field)
        western = _parse_western(normalized)
        if western is not None:
            y, m, d = western
            try:
                return dt.date(y, m, d)
            except ValueError:
                raise InputError.single(field, _invalid_day_message(f"{y}年", m, d)) from None
        shown = text.strip() or "（空欄）"
        raise InputError.single(
            field, f"「{shown}」は日付として読み取れません（例: R7.4.1、令和7年4月1日、2025-04-01）"
        )

    def format_wareki(self, d: dt.date) -> str:
        return self.to_wareki(d).format()


_WESTERN_PATTERNS = (
    re.compile(r"(?P<y>\d{4})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)


def _parse_western(text: str) -> tuple[int, int, int] | None:
    for pattern in _WESTERN_PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            return int(match["y"]), int(match["m"]), int(match["d"])
    return None


def format_seireki(d: dt.date) -> str:
    """「2025年4月1日」: the standard shows 外国人 生年月日 and 在留期間満了日 in 西暦, all else in 和暦.

    Kept next to :func:`format_wareki` so that the choice between the two is visible at every call site.
    """
    return f"{d.year}年{d.month}月{d.day}日"


_default_cache: tuple[object, EraTable] | None = None


def default_table() -> EraTable:
    """The table from the installation's parameters (latest version of ``calendar.eras``).

    Rebuilt when the parameter object changes (e.g. a test clears ``default_parameters``' cache with
    an overlay), otherwise reused: the table is read on every date conversion.
    """
    global _default_cache
    raw = default_parameters().parameter(ERA_TABLE_KEY).values[-1].value
    if _default_cache is None or _default_cache[0] is not raw:
        _default_cache = (raw, EraTable(raw))
    return _default_cache[1]


def eras() -> tuple[Era, ...]:
    return default_table().eras


def to_wareki(d: dt.date, *, field: str = "日付") -> WarekiDate:
    return default_table().to_wareki(d, field=field)


def from_wareki(
    era: Era | str, year: int, month: int, day: int, *, field: str = "日付", strict: bool = True
) -> dt.date:
    return default_table().from_wareki(era, year, month, day, field=field, strict=strict)


def parse_date(text: str, *, field: str = "日付") -> dt.date:
    return default_table().parse_date(text, field=field)


def format_wareki(d: dt.date) -> str:
    """「令和7年4月1日」: the only form the standard allows on screens and certificates for most dates."""
    return default_table().format_wareki(d)
