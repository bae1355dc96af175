"""和暦 conversion.

Sources for the era boundaries:
- 明治: 一世一元の詔 (明治元年9月8日): 慶応4年1月1日 (= 1868-01-25 on the table's Gregorian
  reckoning) 以降を明治元年とする.
- 大正: 改元の詔書 (明治45年7月30日): 明治45年7月30日以後を大正元年とする ⇒ 明治45年7月29日 is
  the last 明治 day.
- 昭和: 改元の詔書 (大正15年12月25日): 大正15年12月25日以後を昭和元年とする.
- 平成: 元号を改める政令 (昭和64年政令第1号), 施行 1989-01-08 ⇒ 昭和64年1月7日 is the last 昭和 day.
- 令和: 元号を改める政令 (平成31年政令第143号), 施行 2019-05-01 ⇒ 平成31年4月30日 is the last 平成 day.
- Display rules (和暦, 元年, 西暦 for 外国人 生年月日・在留期間満了日): 住民記録システム標準仕様書
  第1.0版 j80/j90.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yakuba.errors import FieldProblem, InputError
from yakuba.kernel.wareki import (
    Era,
    EraTable,
    WarekiDate,
    default_table,
    eras,
    format_seireki,
    format_wareki,
    from_wareki,
    parse_date,
    to_wareki,
)
from yakuba.params import ParameterError, default_parameters

D = dt.date
FIRST_DAY = D(1868, 1, 25)
LAST_DAY = D(2100, 12, 31)
all_dates = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)


def _problem(exc: pytest.ExceptionInfo[InputError]) -> FieldProblem:
    assert len(exc.value.problems) == 1
    return exc.value.problems[0]


# -- the table comes from the parameters -----------------------------------------------------------


def test_eras_come_from_the_parameter_table() -> None:
    """標準仕様書 j90: 元号マスタはパラメータ — the table is calendar.eras, latest version."""
    raw = default_parameters().parameter("calendar.eras").values[-1].value
    assert [(e.name, e.abbrev, e.start.isoformat()) for e in eras()] == [
        (r["name"], r["abbrev"], str(r["start"])) for r in raw
    ]


def test_era_ends_are_the_day_before_the_next_start() -> None:
    """Sources in the module docstring (詔書 / 昭和64年政令第1号 / 平成31年政令第143号)."""
    assert [(e.name, e.abbrev, e.start, e.end) for e in eras()] == [
        ("明治", "M", D(1868, 1, 25), D(1912, 7, 29)),
        ("大正", "T", D(1912, 7, 30), D(1926, 12, 24)),
        ("昭和", "S", D(1926, 12, 25), D(1989, 1, 7)),
        ("平成", "H", D(1989, 1, 8), D(2019, 4, 30)),
        ("令和", "R", D(2019, 5, 1), None),
    ]
    assert [e.last_year for e in eras()] == [45, 15, 64, 31, None]


# -- to_wareki / format ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected", "short"),
    [
        # 大正改元の詔書: 明治45年7月30日以後を大正元年
        (D(1912, 7, 29), "明治45年7月29日", "M45.7.29"),
        (D(1912, 7, 30), "大正元年7月30日", "T1.7.30"),
        # 昭和改元の詔書: 大正15年12月25日以後を昭和元年
        (D(1926, 12, 24), "大正15年12月24日", "T15.12.24"),
        (D(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
        # 元号を改める政令 (昭和64年政令第1号)
        (D(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
        (D(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
        # 元号を改める政令 (平成31年政令第143号)
        (D(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
        (D(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
        (D(2025, 4, 1), "令和7年4月1日", "R7.4.1"),
        # 一世一元の詔: 慶応4年1月1日 (1868-01-25) 以降を明治元年
        (D(1868, 1, 25), "明治元年1月25日", "M1.1.25"),
    ],
)
def test_to_wareki_at_era_boundaries(day: dt.date, expected: str, short: str) -> None:
    """元号の境目 (sources in the module docstring); 元年 as official documents write it (j80)."""
    w = to_wareki(day)
    assert w.format() == expected
    assert str(w) == expected
    assert w.format_short() == short
    assert format_wareki(day) == expected


def test_wareki_date_fields() -> None:
    """令和7年4月1日 = 2025-04-01 (平成31年政令第143号: 令和元年 = 2019)."""
    w = to_wareki(D(2025, 4, 1))
    assert (w.era.name, w.era.abbrev, w.year, w.month, w.day) == ("令和", "R", 7, 4, 1)
    assert w.to_date() == D(2025, 4, 1)
    assert isinstance(w, WarekiDate)


def test_before_meiji_is_refused() -> None:
    """The table starts at 明治 (一世一元の詔); 慶応 is not in it, so an earlier day has no 和暦 here."""
    with pytest.raises(InputError) as exc:
        to_wareki(D(1868, 1, 24), field="生年月日")
    assert _problem(exc) == FieldProblem(
        "生年月日", "1868年1月24日は明治より前のため和暦にできません（明治は1868年1月25日から）"
    )


def test_format_seireki() -> None:
    """標準仕様書 j80: 外国人住民の生年月日・在留期間満了日は西暦で表示する."""
    assert format_seireki(D(2025, 4, 1)) == "2025年4月1日"
    assert format_seireki(D(1990, 12, 31)) == "1990年12月31日"


# -- from_wareki -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("era", "year", "month", "day", "expected"),
    [
        ("明治", 45, 7, 29, D(1912, 7, 29)),  # 大正改元の詔書
        ("大正", 1, 7, 30, D(1912, 7, 30)),
        ("大正", 15, 12, 24, D(1926, 12, 24)),  # 昭和改元の詔書
        ("昭和", 1, 12, 25, D(1926, 12, 25)),
        ("S", 64, 1, 7, D(1989, 1, 7)),  # 昭和64年政令第1号
        ("H", 1, 1, 8, D(1989, 1, 8)),
        ("h", 31, 4, 30, D(2019, 4, 30)),  # 平成31年政令第143号
        ("R", 1, 5, 1, D(2019, 5, 1)),
        ("r", 7, 4, 1, D(2025, 4, 1)),
        ("Ｒ", 7, 4, 1, D(2025, 4, 1)),  # full-width abbreviation
        ("ｍ", 1, 1, 25, D(1868, 1, 25)),
        ("令和", 7, 4, 1, D(2025, 4, 1)),
    ],
)
def test_from_wareki(era: str, year: int, month: int, day: int, expected: dt.date) -> None:
    """Era by name or abbreviation, any case, full-width too (sources in the module docstring)."""
    assert from_wareki(era, year, month, day) == expected


def test_from_wareki_accepts_an_era_object() -> None:
    """平成31年政令第143号: 令和元年5月1日 = 2019-05-01."""
    reiwa = eras()[-1]
    assert from_wareki(reiwa, 1, 5, 1) == D(2019, 5, 1)


@pytest.mark.parametrize(
    ("era", "year", "month", "day", "message"),
    [
        ("令和", 7, 2, 30, "令和7年2月30日は存在しない日付です"),
        ("R", 5, 2, 29, "令和5年2月29日は存在しない日付です"),  # 2023 is not a leap year
        ("R", 7, 13, 1, "令和7年13月1日は存在しない日付です"),
        (
            # 昭和64年政令第1号: 平成 from 1989-01-08
            "昭和",
            64,
            1,
            8,
            "昭和64年1月8日は昭和の期間外です（昭和は昭和元年12月25日から昭和64年1月7日まで）。この日は平成元年1月8日です",
        ),
        (
            # 平成31年政令第143号: 令和 from 2019-05-01
            "H",
            31,
            5,
            1,
            "平成31年5月1日は平成の期間外です（平成は平成元年1月8日から平成31年4月30日まで）。この日は令和元年5月1日です",
        ),
        (
            # 昭和改元の詔書: 1926-12-25 is 昭和元年12月25日
            "T",
            15,
            12,
            25,
            "大正15年12月25日は大正の期間外です（大正は大正元年7月30日から大正15年12月24日まで）。この日は昭和元年12月25日です",
        ),
        (
            # 大正改元の詔書: 1912-07-29 is still 明治
            "大正",
            1,
            7,
            29,
            "大正元年7月29日は大正の期間外です（大正は大正元年7月30日から大正15年12月24日まで）。この日は明治45年7月29日です",
        ),
        ("令和", 0, 5, 1, "令和0年という年はありません（最初の年は元年です）"),
        (
            "昭和",
            65,
            1,
            1,
            "昭和65年1月1日は昭和の期間外です（昭和は昭和元年12月25日から昭和64年1月7日まで）。この日は平成2年1月1日です",
        ),
        ("X", 1, 1, 1, "元号「X」は元号表にありません"),
    ],
)
def test_from_wareki_rejects(era: str, year: int, month: int, day: int, message: str) -> None:
    """Strict mode: only days that exist and lie inside their era (sources in the module docstring)."""
    with pytest.raises(InputError) as exc:
        from_wareki(era, year, month, day, field="生年月日")
    assert _problem(exc) == FieldProblem("生年月日", message)


@pytest.mark.parametrize(
    ("era", "year", "month", "day", "expected"),
    [
        ("明治", 45, 7, 30, D(1912, 7, 30)),
        ("大正", 15, 12, 25, D(1926, 12, 25)),
        ("昭和", 64, 1, 8, D(1989, 1, 8)),
        ("平成", 31, 5, 1, D(2019, 5, 1)),
    ],
)
def test_from_wareki_lenient_accepts_era_overlap_days(
    era: str, year: int, month: int, day: int, expected: dt.date
) -> None:
    """標準仕様書 j80: 明治45年7月30日, 大正15年12月25日 may be recorded as in the 戸籍 (non-strict only)."""
    assert from_wareki(era, year, month, day, strict=False) == expected


@pytest.mark.parametrize(
    ("era", "year", "month", "day"), [("令和", 1, 1, 1), ("昭和", 65, 1, 1), ("R", 7, 2, 30)]
)
def test_from_wareki_lenient_still_rejects(era: str, year: int, month: int, day: int) -> None:
    """Only days after an era's end in its last year were ever written (j80 examples); nothing else."""
    with pytest.raises(InputError):
        from_wareki(era, year, month, day, strict=False)


# -- parse_date ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R7.4.1", D(2025, 4, 1)),
        ("r07.04.01", D(2025, 4, 1)),
        ("R7/4/1", D(2025, 4, 1)),
        ("R7-4-1", D(2025, 4, 1)),
        ("令和7年4月1日", D(2025, 4, 1)),
        ("令和元年5月1日", D(2019, 5, 1)),  # 平成31年政令第143号
        ("R元.5.1", D(2019, 5, 1)),
        ("H31.4.30", D(2019, 4, 30)),  # 平成31年政令第143号: last 平成 day
        ("S64.1.7", D(1989, 1, 7)),  # 昭和64年政令第1号: last 昭和 day
        ("H1.1.8", D(1989, 1, 8)),
        ("明治45年7月29日", D(1912, 7, 29)),  # 大正改元の詔書: last 明治 day
        ("大正元年7月30日", D(1912, 7, 30)),
        ("昭和元年12月25日", D(1926, 12, 25)),  # 昭和改元の詔書
        ("2025-04-01", D(2025, 4, 1)),
        ("2025/4/1", D(2025, 4, 1)),
        ("20250401", D(2025, 4, 1)),
        ("2025年4月1日", D(2025, 4, 1)),
        ("Ｒ７．４．１", D(2025, 4, 1)),  # full-width letters, digits and dots
        ("令和７年４月１日", D(2025, 4, 1)),
        ("２０２５－０４－０１", D(2025, 4, 1)),
        ("  R7.4.1　", D(2025, 4, 1)),  # surrounding half- and full-width spaces
        ("令和 7年 4月 1日", D(2025, 4, 1)),
        ("㋿7年4月1日", D(2025, 4, 1)),  # the 令和 ligature folds by NFKC
        ("㍻31年4月30日", D(2019, 4, 30)),
    ],
)
def test_parse_date_accepts_what_clerks_type(text: str, expected: dt.date) -> None:
    """Input forms used at the counter; boundaries from 昭和64年政令第1号 / 平成31年政令第143号."""
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("R7.2.30", "令和7年2月30日は存在しない日付です"),
        ("令和7年2月30日", "令和7年2月30日は存在しない日付です"),
        (
            "S64.1.8",
            "昭和64年1月8日は昭和の期間外です（昭和は昭和元年12月25日から昭和64年1月7日まで）。この日は平成元年1月8日です",
        ),
        (
            "H31.5.1",
            "平成31年5月1日は平成の期間外です（平成は平成元年1月8日から平成31年4月30日まで）。この日は令和元年5月1日です",
        ),
        ("R0.5.1", "令和0年という年はありません（最初の年は元年です）"),
        ("2025-02-29", "2025年2月29日は存在しない日付です"),
        ("20250230", "2025年2月30日は存在しない日付です"),
        ("R7.4/1", "「R7.4/1」は日付として読み取れません（例: R7.4.1、令和7年4月1日、2025-04-01）"),
        ("X7.4.1", "「X7.4.1」は日付として読み取れません（例: R7.4.1、令和7年4月1日、2025-04-01）"),
        ("昭和20年頃", "「昭和20年頃」は日付として読み取れません（例: R7.4.1、令和7年4月1日、2025-04-01）"),
        ("2025 04 01", "「2025 04 01」は日付として読み取れません（例: R7.4.1、令和7年4月1日、2025-04-01）"),
        ("", "「（空欄）」は日付として読み取れません（例: R7.4.1、令和7年4月1日、2025-04-01）"),
    ],
)
def test_parse_date_rejects_with_field(text: str, message: str) -> None:
    """Every rejection names the field — a guessed 生年月日 would be a みなし生年月日 (j80 forbids it)."""
    with pytest.raises(InputError) as exc:
        parse_date(text, field="生年月日")
    assert _problem(exc) == FieldProblem("生年月日", message)


def test_parse_date_default_field_name() -> None:
    """Without a field the message still says which item: 「日付」."""
    with pytest.raises(InputError) as exc:
        parse_date("R7.2.30")
    assert _problem(exc).field == "日付"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 大正改元の詔書
        ("M45.7.29", D(1912, 7, 29)),
        ("T1.7.30", D(1912, 7, 30)),
        # 昭和改元の詔書
        ("T15.12.24", D(1926, 12, 24)),
        ("S1.12.25", D(1926, 12, 25)),
        # 昭和64年政令第1号
        ("S64.1.7", D(1989, 1, 7)),
        ("H1.1.8", D(1989, 1, 8)),
        # 平成31年政令第143号
        ("H31.4.30", D(2019, 4, 30)),
        ("R1.5.1", D(2019, 5, 1)),
    ],
)
def test_parse_date_exact_boundaries_valid(text: str, expected: dt.date) -> None:
    """The last and first day of each era (sources in the module docstring)."""
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["M45.7.30", "T1.7.29", "T15.12.25", "S1.12.24", "S64.1.8", "H1.1.7", "H31.5.1", "R1.4.30"]
)
def test_parse_date_exact_boundaries_invalid(text: str) -> None:
    """One day past each boundary is outside the era (sources in the module docstring)."""
    with pytest.raises(InputError):
        parse_date(text, field="生年月日")


# -- round trips -----------------------------------------------------------------------------------


def test_round_trip_every_day_1868_to_2100() -> None:
    """Exhaustive: to_wareki and from_wareki are inverse for every day the table covers up to 2100."""
    table = default_table()
    day = FIRST_DAY
    one = dt.timedelta(days=1)
    count = 0
    while day <= LAST_DAY:
        w = table.to_wareki(day)
        assert table.from_wareki(w.era, w.year, w.month, w.day) == day
        assert w.era.contains(day)
        day += one
        count += 1
    assert count == (LAST_DAY - FIRST_DAY).days + 1


@settings(max_examples=500)
@given(all_dates)
def test_round_trip_property(day: dt.date) -> None:
    """to_wareki/from_wareki round-trip (Hypothesis), 1868-01-25 .. 2100-12-31."""
    w = to_wareki(day)
    assert from_wareki(w.era.name, w.year, w.month, w.day) == day
    assert from_wareki(w.era.abbrev.lower(), w.year, w.month, w.day) == day


@settings(max_examples=500)
@given(all_dates)
def test_parse_of_formatted_is_identity(day: dt.date) -> None:
    """parse_date reads back everything format() and format_short() print (Hypothesis)."""
    w = to_wareki(day)
    assert parse_date(w.format()) == day
    assert parse_date(w.format_short()) == day
    assert parse_date(format_seireki(day)) == day
    assert parse_date(day.isoformat()) == day


# -- a new era is a data change --------------------------------------------------------------------


def _table_with_future_era() -> EraTable:
    raw = default_parameters().parameter("calendar.eras").values[-1].value
    return EraTable([*raw, {"name": "未来", "abbrev": "F", "start": "2100-01-01"}])


def test_new_era_is_a_data_change() -> None:
    """標準仕様書 j90: 元号の追加はパラメータ変更 — a fictional era from 2100-01-01, no code change."""
    table = _table_with_future_era()
    reiwa, future = table.eras[-2], table.eras[-1]
    assert reiwa.end == D(2099, 12, 31)
    assert future == Era(name="未来", abbrev="F", start=D(2100, 1, 1), end=None)
    assert table.to_wareki(D(2099, 12, 31)).format() == "令和81年12月31日"
    assert table.to_wareki(D(2100, 1, 1)).format() == "未来元年1月1日"
    assert table.to_wareki(D(2101, 3, 4)).format_short() == "F2.3.4"
    assert table.from_wareki("f", 1, 1, 1) == D(2100, 1, 1)
    assert table.parse_date("未来元年1月1日") == D(2100, 1, 1)
    assert table.parse_date("F2.3.4") == D(2101, 3, 4)
    with pytest.raises(InputError) as exc:
        table.parse_date("R82.1.1", field="生年月日")
    assert _problem(exc).message.startswith("令和82年1月1日は令和の期間外です")
    # the default table is untouched
    assert to_wareki(D(2100, 1, 1)).format() == "令和82年1月1日"


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        ([], "元号表が空です"),
        ([{"name": "甲", "abbrev": "A"}], "['start'] がありません"),
        (
            [
                {"name": "甲", "abbrev": "A", "start": "2000-01-01"},
                {"name": "乙", "abbrev": "B", "start": "1999-01-01"},
            ],
            "start は前の元号より後の日付",
        ),
        (
            [
                {"name": "甲", "abbrev": "A", "start": "2000-01-01"},
                {"name": "乙", "abbrev": "a", "start": "2001-01-01"},
            ],
            "重複",
        ),
        ([{"name": "甲", "abbrev": "A", "start": "not a date"}], "日付（YYYY-MM-DD）ではありません"),
    ],
)
def test_bad_era_table_is_a_parameter_error(rows: list[dict[str, str]], fragment: str) -> None:
    """A broken 元号表 must fail loudly at load, naming the key, not as a wrong date on a certificate."""
    with pytest.raises(ParameterError, match=None) as exc:
        EraTable(rows)
    assert fragment in str(exc.value)
