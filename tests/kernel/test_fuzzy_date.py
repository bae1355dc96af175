"""不詳日 and 戸籍-only dates.

Sources: 住民記録システム標準仕様書 第1.0版 j80/j90 (allowed 不詳日 patterns, non-calendar dates for
生年月日 etc., keep both the date and the text; summary in spec-resident §1.7) and the 共通機能
data definitions (DATE + 不詳フラグ X1 + 不詳表記 Ｎ72; spec-resident-2 §4.2). The representative-date
rule is docs/decisions/fuzzy-dates.md. Era boundaries: 元号を改める政令 (昭和64年政令第1号 /
平成31年政令第143号).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yakuba.errors import FieldProblem, InputError
from yakuba.kernel.fuzzy_date import FUMEI_TEXT_MAX, DateKind, RecordedDate, parse_recorded_date
from yakuba.kernel.wareki import EraTable, eras, format_wareki, to_wareki
from yakuba.params import default_parameters

D = dt.date
FIELD = "生年月日"


def _parse(text: str) -> RecordedDate:
    return parse_recorded_date(text, field=FIELD)


def _problem(exc: pytest.ExceptionInfo[InputError]) -> FieldProblem:
    assert len(exc.value.problems) == 1
    return exc.value.problems[0]


# -- exact dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("昭和20年8月15日", D(1945, 8, 15)), ("S20.8.15", D(1945, 8, 15)), ("2025-04-01", D(2025, 4, 1))],
)
def test_exact_date_has_no_fumei_text(text: str, expected: dt.date) -> None:
    """共通機能 §4.2: 不詳フラグ 0 and no 不詳表記 for an ordinary date."""
    r = _parse(text)
    assert r == RecordedDate(value=expected, text=None, kind=DateKind.EXACT)
    assert (r.is_fumei, r.fumei_flag) == (False, "0")
    assert r.display() == format_wareki(expected)


# -- the allowed 不詳日 patterns (j80/j90) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 「R○年頃」, 「R○年○月頃」, 「R○年○月○日頃」
        ("昭和20年頃", D(1945, 1, 1)),
        ("昭和20年8月頃", D(1945, 8, 1)),
        ("昭和20年8月15日頃", D(1945, 8, 15)),
        # 「推定R○年○月○日」, 「推定R○年○月」
        ("推定昭和20年8月15日", D(1945, 8, 15)),
        ("推定昭和20年8月", D(1945, 8, 1)),
        # 「R○年春」 (季節: 気象庁区分, decision record)
        ("昭和20年春", D(1945, 3, 1)),
        ("昭和20年夏", D(1945, 6, 1)),
        ("昭和20年秋", D(1945, 9, 1)),
        ("昭和20年冬", D(1945, 12, 1)),
        # 「R○年○月上旬」, 「R○年○月中旬頃」
        ("昭和20年8月上旬", D(1945, 8, 1)),
        ("昭和20年8月中旬", D(1945, 8, 11)),
        ("昭和20年8月下旬", D(1945, 8, 21)),
        ("昭和20年8月上旬頃", D(1945, 8, 1)),
        ("昭和20年8月中旬頃", D(1945, 8, 11)),
        ("昭和20年8月下旬頃", D(1945, 8, 21)),
        # 「R○年 月日不詳」, 「R○年○月 日不詳」
        ("昭和20年 月日不詳", D(1945, 1, 1)),
        ("昭和20年　月日不詳", D(1945, 1, 1)),
        ("昭和20年月日不詳", D(1945, 1, 1)),
        ("昭和20年8月 日不詳", D(1945, 8, 1)),
        # the three range forms
        ("昭和20年8月1日から8月15日頃までの間", D(1945, 8, 1)),
        ("昭和20年8月推定1日から15日までの間", D(1945, 8, 1)),
        ("昭和20年8月1日頃から15日頃までの間", D(1945, 8, 1)),
    ],
)
def test_fumei_patterns(text: str, expected: dt.date) -> None:
    """j80/j90 allowed patterns; date value = earliest day of the stated period (decision record)."""
    r = _parse(text)
    assert r == RecordedDate(value=expected, text=text, kind=DateKind.FUMEI)
    assert (r.is_fumei, r.fumei_flag) == (True, "1")
    assert r.display() == text


def test_year_month_day_unknown_has_no_date() -> None:
    """j80 「年月日不詳」: no date value — any value would be a みなし生年月日, which j80 forbids."""
    r = _parse("年月日不詳")
    assert r == RecordedDate(value=None, text="年月日不詳", kind=DateKind.FUMEI)
    assert r.fumei_flag == "1"
    assert r.display() == "年月日不詳"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明治45年頃", D(1912, 1, 1)),
        ("大正元年頃", D(1912, 7, 30)),  # clipped to the era start (大正改元の詔書)
        ("大正15年12月下旬", D(1926, 12, 21)),
        ("昭和元年12月頃", D(1926, 12, 25)),  # 昭和改元の詔書
        ("昭和64年1月頃", D(1989, 1, 1)),  # 昭和64年政令第1号: 1–7 Jan only
        ("平成元年頃", D(1989, 1, 8)),
        ("平成31年春", D(2019, 3, 1)),  # 平成31年政令第143号: 3/1–4/30 is still 平成
        ("令和元年頃", D(2019, 5, 1)),
        ("令和元年5月上旬", D(2019, 5, 1)),
        ("R7年頃", D(2025, 1, 1)),  # the spec writes the pattern with 「R」
        ("r7年4月頃", D(2025, 4, 1)),
        ("推定H31年4月30日", D(2019, 4, 30)),
        ("令和6年2月下旬", D(2024, 2, 21)),
        ("1945年頃", D(1945, 1, 1)),  # 西暦 year, for 外国人住民
        ("推定1990年2月", D(1990, 2, 1)),
    ],
)
def test_any_era_and_clipping(text: str, expected: dt.date) -> None:
    """Any era of the 元号表, 元年, abbreviations; a period is clipped to its era (decision record)."""
    r = _parse(text)
    assert (r.value, r.text, r.kind) == (expected, text, DateKind.FUMEI)


def test_text_is_kept_exactly_as_entered() -> None:
    """j80: the 不詳 text goes to other systems unchanged, so full-width digits and spacing stay."""
    r = _parse("昭和２０年８月　日不詳")
    assert r.text == "昭和２０年８月　日不詳"
    assert r.value == D(1945, 8, 1)
    assert _parse("  昭和20年頃　").text == "昭和20年頃"  # only the surrounding blanks go


# -- 戸籍-only non-calendar dates (j80) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("昭和22年2月29日", D(1947, 2, 28)),  # 1947 is not a leap year
        ("S22.2.29", D(1947, 2, 28)),
        ("明治45年7月30日", D(1912, 7, 30)),  # j80 example; 大正改元の詔書 made it 大正元年7月30日
        ("大正15年12月25日", D(1926, 12, 25)),  # j80 example; 昭和改元の詔書
        ("昭和64年1月8日", D(1989, 1, 8)),  # 昭和64年政令第1号
        ("平成31年5月1日", D(2019, 5, 1)),  # 平成31年政令第143号
    ],
)
def test_non_calendar_dates_kept_as_text(text: str, expected: dt.date) -> None:
    """j80: 2/29 of a non-leap year and era-overlap days may be recorded as in the 戸籍."""
    r = _parse(text)
    assert r == RecordedDate(value=expected, text=text, kind=DateKind.NON_CALENDAR)
    assert (r.is_fumei, r.fumei_flag) == (True, "1")
    assert r.display() == text


def test_leap_day_of_a_leap_year_is_exact() -> None:
    """1948 (昭和23年) is a leap year, so 2月29日 is an ordinary date."""
    assert _parse("昭和23年2月29日") == RecordedDate.exact(D(1948, 2, 29))


# -- rejections ------------------------------------------------------------------------------------

_UNREADABLE = (
    "は日付または不詳日の表記として読み取れません"
    "（例: 昭和20年8月15日、昭和20年頃、推定昭和20年8月、昭和20年8月上旬、年月日不詳）"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("昭和20年ごろ", "「昭和20年ごろ」" + _UNREADABLE),
        ("昭和20年8月初旬", "「昭和20年8月初旬」" + _UNREADABLE),
        ("昭和20年8月1日から15日頃までの間", "「昭和20年8月1日から15日頃までの間」" + _UNREADABLE),
        ("不明", "「不明」" + _UNREADABLE),
        ("", "「（空欄）」" + _UNREADABLE),
        ("昭和22年2月30日", "昭和22年2月30日は存在しない日付です"),
        ("R7.2.30", "令和7年2月30日は存在しない日付です"),
        ("昭和20年13月頃", "昭和20年13月は存在しない月です"),
        ("昭和20年2月30日頃", "昭和20年2月30日は存在しない日付です"),
        ("昭和64年春", "昭和64年春は昭和の期間外です"),
        ("昭和65年頃", "昭和65年は昭和の期間外です"),
        ("平成31年5月頃", "平成31年5月は平成の期間外です"),
        ("令和0年頃", "令和0年という年はありません（最初の年は元年です）"),
        ("昭和20年8月15日から8月1日頃までの間", "期間の終わり（8月1日）が始まりより前です"),
        ("昭和20年8月推定1日から32日までの間", "期間の終わり（8月32日）は存在しない日付です"),
        (
            # a day before an era's start was never written in that era
            "令和元年1月1日",
            "令和元年1月1日は令和の期間外です（令和は令和元年5月1日から）。この日は平成31年1月1日です",
        ),
    ],
)
def test_rejections_name_the_field(text: str, message: str) -> None:
    """Only the j80/j90 patterns are allowed; everything else is refused naming the field."""
    with pytest.raises(InputError) as exc:
        _parse(text)
    assert _problem(exc) == FieldProblem(FIELD, message)


def test_fumei_text_longer_than_72_is_refused() -> None:
    """共通機能 §4.2: 不詳表記 is Ｎ72 (characters)."""
    text = "昭和20年" + " " * 80 + "月日不詳"
    with pytest.raises(InputError) as exc:
        _parse(text)
    assert _problem(exc) == FieldProblem(FIELD, f"不詳表記は{FUMEI_TEXT_MAX}文字以内で入力してください")
    assert FUMEI_TEXT_MAX == 72


# -- the value object ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"value": None}, "日付値"),
        ({"value": D(2025, 4, 1), "text": "令和7年4月1日"}, "日付値"),
        ({"value": D(1945, 1, 1), "kind": DateKind.FUMEI}, "不詳表記が必要"),
        ({"value": D(1945, 1, 1), "text": "あ" * 73, "kind": DateKind.FUMEI}, "72文字"),
        ({"value": None, "text": "昭和22年2月29日", "kind": DateKind.NON_CALENDAR}, "代表日"),
    ],
)
def test_recorded_date_invariants(kwargs: dict[str, object], fragment: str) -> None:
    """共通機能 §4.2: text exactly when 不詳フラグ is 1; a 戸籍-only day always has a representative date."""
    with pytest.raises(ValueError, match=fragment):
        RecordedDate(**kwargs)


def test_display_in_seireki_for_foreign_residents() -> None:
    """j80: 外国人住民の生年月日 is shown in 西暦; a 不詳 text is shown as entered."""
    assert RecordedDate.exact(D(1990, 2, 1)).display(seireki=True) == "1990年2月1日"
    assert _parse("1990年頃").display(seireki=True) == "1990年頃"


def test_custom_era_table() -> None:
    """j90: a new era is a data change, and the 不詳 patterns follow it."""
    raw = default_parameters().parameter("calendar.eras").values[-1].value
    table = EraTable([*raw, {"name": "未来", "abbrev": "F", "start": "2100-01-01"}])
    r = parse_recorded_date("未来元年頃", field=FIELD, table=table)
    assert (r.value, r.kind) == (D(2100, 1, 1), DateKind.FUMEI)
    assert parse_recorded_date("令和81年12月下旬", field=FIELD, table=table).value == D(2099, 12, 21)
    with pytest.raises(InputError):  # 未来 starts on 1月1日, so 令和82年 never existed: no overlap day
        parse_recorded_date("令和82年1月1日", field=FIELD, table=table)
    assert parse_recorded_date("F1.1.1", field=FIELD, table=table) == RecordedDate.exact(D(2100, 1, 1))
    assert RecordedDate.exact(D(2100, 1, 1)).display(table=table) == "未来元年1月1日"


# -- properties ------------------------------------------------------------------------------------


@settings(max_examples=300)
@given(st.dates(min_value=D(1868, 1, 25), max_value=D(2100, 12, 31)))
def test_exact_dates_round_trip(day: dt.date) -> None:
    """Any date printed in 和暦 reads back as an exact date (Hypothesis)."""
    assert _parse(to_wareki(day).format()) == RecordedDate.exact(day)


@settings(max_examples=300)
@given(st.dates(min_value=D(1868, 1, 25), max_value=D(2100, 12, 31)))
def test_month_period_starts_at_first_day_in_era(day: dt.date) -> None:
    """Rule: earliest day of the stated month inside the era; re-parsing the stored text is stable."""
    w = to_wareki(day)
    text = f"{w.era.name}{w.year}年{w.month}月頃"
    r = _parse(text)
    assert r.value == max(day.replace(day=1), w.era.start)
    assert r.text is not None
    assert _parse(r.text) == r
    assert r.value is not None and r.value <= day


def test_every_era_accepts_every_pattern() -> None:
    """j80/j90: the patterns apply to any era in the 元号表 (written with name or abbreviation)."""
    for era in eras():
        for token in (era.name, era.abbrev):
            assert _parse(f"{token}2年頃").value == D(era.start.year + 1, 1, 1)
            assert _parse(f"推定{token}2年3月").value == D(era.start.year + 1, 3, 1)
