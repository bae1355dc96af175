"""The date rules of 公職選挙法 as pure functions (no database).

Sources are in docs/decisions/senkyo-counting.md: 公職選挙法第21条・第22条・第28条, 民法第140条・第143条,
年齢計算ニ関スル法律; the 選管 rule of thumb 「基準日の3か月前の日までに転入届」 (開成町選管
https://www.town.kaisei.kanagawa.jp/Info/100 ; for the 2025 参院選, 公示 7月3日 ⇒ 4月2日までの転入届:
https://newsdig.tbs.co.jp/articles/-/2044530).
"""

from __future__ import annotations

import datetime as dt

import pytest

from yakuba.errors import InputError
from yakuba.senkyo.rules import (
    ElectionWindow,
    PersonFacts,
    attains_voting_age,
    judge,
    massho_date,
    months_passed,
    period_end,
    resided_long_enough,
    teiji_plan,
)

D = dt.date


@pytest.mark.parametrize(
    ("event", "months", "end"),
    [
        (D(2026, 9, 1), 3, D(2026, 12, 1)),  # 民法140: from 9/2; 143②: ends the day before 12/2
        (D(2026, 9, 2), 3, D(2026, 12, 2)),
        (D(2026, 8, 10), 4, D(2026, 12, 10)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # starts 12/1 (a month's beginning): to the end of February
        (D(2026, 11, 29), 3, D(2027, 2, 28)),  # starts 11/30; no 2/30 ⇒ the month's last day (143②但書)
        (D(2027, 11, 29), 3, D(2028, 2, 29)),  # leap year: 2/30 missing ⇒ 2/29
        (D(2026, 10, 30), 4, D(2027, 2, 28)),  # starts 10/31; no 2/31
        (D(2025, 4, 2), 3, D(2025, 7, 2)),
    ],
)
def test_period_end_follows_civil_code_140_and_143(event: dt.date, months: int, end: dt.date) -> None:
    assert period_end(event, months) == end


def test_three_months_from_the_todoke_as_the_senkan_count_it() -> None:
    # 2025 参院選: 公示 7/3, 基準日 7/2 ⇒ 転入届 4/2 まで (TBS / 開成町の説明と同じ結果)
    assert resided_long_enough(D(2025, 4, 2), D(2025, 7, 2), months=3)
    assert not resided_long_enough(D(2025, 4, 3), D(2025, 7, 2), months=3)
    # issue 8: 転入届 2026-09-02 is not enough for 2026-12-01 but is for 2027-03-01; 09-01 is enough.
    assert not resided_long_enough(D(2026, 9, 2), D(2026, 12, 1), months=3)
    assert resided_long_enough(D(2026, 9, 1), D(2026, 12, 1), months=3)
    assert resided_long_enough(D(2026, 9, 2), D(2027, 3, 1), months=3)


def test_four_months_after_the_tenshutsu_day_pass_at_the_start_of_12_11() -> None:
    # 公職選挙法第28条第2号「住所を有しなくなつた日後四箇月を経過するに至つたとき」:
    # 08-11 … 12-10 are the four months.
    assert not months_passed(D(2026, 8, 10), D(2026, 12, 10), months=4)
    assert months_passed(D(2026, 8, 10), D(2026, 12, 11), months=4)
    assert massho_date(D(2026, 8, 10), months=4) == D(2026, 12, 11)


def test_age_18_the_day_before_the_18th_birthday() -> None:
    assert attains_voting_age(D(2008, 12, 2), D(2026, 12, 1), age=18)
    assert not attains_voting_age(D(2008, 12, 3), D(2026, 12, 1), age=18)
    assert attains_voting_age(D(2008, 2, 29), D(2026, 2, 28), age=18)  # 2月29日生まれ
    assert not attains_voting_age(None, D(2026, 12, 1), age=18)


def test_teiji_dates_move_the_toroku_day_off_a_holiday_only() -> None:
    """Digest #18: 基準日 stays the 1st; 登録日 moves to the next working day (公職選挙法第22条第1項)."""
    plan = teiji_plan(2026, 3)  # 2026-03-01 is a Sunday
    assert (plan.kijun_date, plan.toroku_date, plan.age_date) == (D(2026, 3, 1), D(2026, 3, 2), D(2026, 3, 1))
    assert "休日" in plan.note
    assert teiji_plan(2026, 12).toroku_date == D(2026, 12, 1)
    # 「登録月の一日又は同日の直後の地方公共団体の休日以外の日」: the municipality may keep the 1st.
    assert teiji_plan(2026, 3, holiday_shift=False).toroku_date == D(2026, 3, 1)


def test_teiji_during_an_election_keeps_the_1st_and_judges_age_on_election_day() -> None:
    """第22条第1項括弧書・第2項: the 1st between 公示 and the day before 選挙期日."""
    election = ElectionWindow(kouji_date=D(2026, 2, 20), kijitsu=D(2026, 3, 8), name="町長選挙")
    plan = teiji_plan(2026, 3, elections=[election])
    assert (plan.kijun_date, plan.toroku_date, plan.age_date) == (D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 8))


def test_only_the_four_registration_months() -> None:
    with pytest.raises(InputError, match="登録月ではありません"):
        teiji_plan(2026, 4)


def test_toroku_day_was_the_2nd_before_june_2017() -> None:
    # holiday_shift=False: holidays.yaml holds 2024–2027 only
    assert teiji_plan(2017, 3, holiday_shift=False).toroku_date == D(2017, 3, 2)  # 平成28年法律第94号 施行前
    assert teiji_plan(2017, 6, holiday_shift=False).toroku_date == D(2017, 6, 1)


def _facts(**kw: object) -> PersonFacts:
    values: dict[str, object] = {
        "atena_no": "1",
        "japanese": True,
        "birth_date": D(1980, 1, 1),
        "kiroku_start": D(2026, 1, 5),
        "removal_date": None,
    }
    values.update(kw)
    return PersonFacts(**values)


def test_judge_former_residence_rule() -> None:
    """第21条第2項: 3 months recorded here, gone less than 4 months, on no other roll."""
    kijun = D(2026, 12, 1)
    moved = _facts(removal_date=D(2026, 9, 20), removal_kind="tenshutsu")
    assert judge(moved, kijun=kijun, age_date=kijun).basis == "kyujusho"
    assert not judge(
        _facts(removal_date=D(2026, 7, 31), removal_kind="tenshutsu"), kijun=kijun, age_date=kijun
    ).eligible
    assert not judge(
        _facts(removal_date=D(2026, 9, 20), removal_kind="tenshutsu", other_roll=True),
        kijun=kijun,
        age_date=kijun,
    ).eligible
    short = _facts(kiroku_start=D(2026, 7, 1), removal_date=D(2026, 9, 20), removal_kind="tenshutsu")
    assert not judge(short, kijun=kijun, age_date=kijun).eligible
    died = _facts(removal_date=D(2026, 9, 20), removal_kind="shibo")
    assert not judge(died, kijun=kijun, age_date=kijun).eligible
    # 施行前 (2016-06-19): no registration of those who had left
    assert not judge(
        _facts(kiroku_start=D(2015, 1, 5), removal_date=D(2016, 4, 20), removal_kind="tenshutsu"),
        kijun=D(2016, 6, 1),
        age_date=D(2016, 6, 1),
    ).eligible


def test_judge_reasons_are_given() -> None:
    result = judge(_facts(japanese=False, disqualified=True), kijun=D(2026, 12, 1), age_date=D(2026, 12, 1))
    assert not result.eligible
    assert "日本国民ではない" in result.reasons
    assert any("選挙権停止" in r for r in result.reasons)


def test_a_year_without_holiday_data_is_an_input_error_not_a_crash() -> None:
    with pytest.raises(InputError, match="国民の祝日"):
        teiji_plan(2031, 3)
