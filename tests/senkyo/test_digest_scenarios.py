"""spec-resident.md §6 scenarios #16–#19 (選挙人名簿), end to end through 住民記録 commands and events.

#16 千葉県選管 FAQ https://202507-saninsen.pref.chiba.lg.jp/faq/touhyou-dekiru.php ; 公職選挙法第21条第2項
#17 塩尻市 https://www.city.shiojiri.lg.jp/site/senkyo/51356.html ; 名古屋市 FAQ id=2786 ; 第27条・第28条
#18 山梨県選管 https://www.pref.yamanashi.jp/senkyo/documents/senkyoninmeibo.html ;
    平成28年法律第94号 ; 第22条第1項
#19 開成町 https://www.town.kaisei.kanagawa.jp/Info/100 ; 第22条第3項
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from yakuba.juki import service as juki
from yakuba.senkyo.rules import voting_right

from .conftest import dates, person

D = dt.date


def _right(e: Any, level: str, same_prefecture: bool | None = None) -> str:
    return voting_right(
        status=e.status,
        hyoji_jusho_reason=e.hyoji_jusho_reason,
        hyoji_teishi=e.hyoji_teishi,
        level=level,
        same_prefecture=same_prefecture,
    )[0]


def test_16_a_17_year_old_who_moves_and_turns_18_is_registered_in_the_old_town(
    tennyu: Callable[..., str],
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    entry: Callable[[str], Any],
) -> None:
    """Lived here 3+ months, moved at 17, 18 within 4 months of moving, < 3 months in the new town."""
    youth = tennyu(person("佐藤", "健", birth_date=D(2008, 10, 15)), ido=D(2025, 4, 1))
    run(
        juki.tenshutsu,
        juki.Tenshutsu(atena_nos=[youth], destination="千葉県千葉市", dates=dates(D(2026, 9, 20))),
        today=D(2026, 9, 20),
    )
    assert entry(youth) is None  # not registered at 17: nothing to mark
    trial = senkyo(sk.toroku.run_teiji, year=2026, month=12, mode="trial", today=D(2026, 11, 20))
    assert [(i["atena_no"], i["basis"]) for i in trial.new] == [(youth, "kyujusho")]
    assert [i["atena_no"] for i in trial.hyoji] == [youth]  # it will be marked at once
    assert entry(youth) is None  # a trial writes nothing to the roll
    senkyo(sk.toroku.run_teiji, year=2026, month=12, mode="real", today=D(2026, 12, 1))
    e = entry(youth)
    assert (e.status, e.toroku_basis, e.toroku_date) == ("hyoji", "kyujusho", D(2026, 12, 1))
    assert e.hyoji_jusho_date == D(2026, 9, 20)
    assert _right(e, "sangiin") == "yes"  # votes in the old town in national elections
    assert _right(e, "shichoson") == "no"
    senkyo(sk.batch.daily_batch, today=D(2027, 1, 20))
    assert entry(youth).status == "hyoji"
    senkyo(sk.batch.daily_batch, today=D(2027, 1, 21))  # 09-20 + 4 months: 09-21 … 01-20
    assert entry(youth).status == "massho"


def test_16_not_when_four_months_have_passed_or_another_roll_has_them(
    tennyu: Callable[..., str],
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    entry: Callable[[str], Any],
) -> None:
    early = tennyu(person("佐藤", "一", birth_date=D(2008, 10, 15)), ido=D(2025, 4, 1))
    notified = tennyu(person("佐藤", "二", birth_date=D(2008, 10, 15)), ido=D(2025, 4, 1))
    run(
        juki.tenshutsu,
        juki.Tenshutsu(atena_nos=[early], destination="千葉県千葉市", dates=dates(D(2026, 7, 31))),
        today=D(2026, 7, 31),
    )
    run(
        juki.tenshutsu,
        juki.Tenshutsu(atena_nos=[notified], destination="千葉県千葉市", dates=dates(D(2026, 9, 20))),
        today=D(2026, 9, 20),
    )
    senkyo(
        sk.shikaku.record_other_roll,
        sk.shikaku.TsuhoInput(atena_no=notified, received_on=D(2026, 11, 30), note="千葉市選管より"),
    )
    result = senkyo(sk.toroku.run_teiji, year=2026, month=12, mode="real", today=D(2026, 12, 1))
    assert result.new == []
    assert entry(early) is None and entry(notified) is None


def test_17_a_registered_voter_who_moves_away(
    tennyu: Callable[..., str],
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    entry: Callable[[str], Any],
) -> None:
    voter = tennyu(person("鈴木", "一郎"), ido=D(2025, 1, 10))
    senkyo(sk.toroku.run_teiji, year=2025, month=6, mode="real", today=D(2025, 6, 2))
    run(
        juki.tenshutsu,
        juki.Tenshutsu(atena_nos=[voter], destination="東京都八王子市", dates=dates(D(2026, 5, 15))),
        today=D(2026, 5, 15),
    )
    e = entry(voter)
    assert (e.status, e.hyoji_jusho_date) == ("hyoji", D(2026, 5, 15))
    assert _right(e, "shugiin") == "yes"
    assert _right(e, "todofuken") == "kakunin"
    assert _right(e, "todofuken", same_prefecture=True) == "yes"
    assert _right(e, "todofuken", same_prefecture=False) == "no"
    assert _right(e, "shichoson") == "no"
    senkyo(sk.batch.daily_batch, today=D(2026, 9, 15))
    assert entry(voter).status == "hyoji"
    senkyo(sk.batch.daily_batch, today=D(2026, 9, 16))
    assert entry(voter).massho_date == D(2026, 9, 16)


def test_18_teiji_on_a_holiday_keeps_the_kijun_and_moves_the_toroku_day(
    tennyu: Callable[..., str], senkyo: Callable[..., Any], sk: SimpleNamespace, entry: Callable[[str], Any]
) -> None:
    """2026-03-01 is a Sunday: 基準日 2026-03-01, 登録日 2026-03-02; eligibility as of the 1st."""
    in_time = tennyu(person("高橋", "一"), ido=D(2025, 12, 1))
    one_day_late = tennyu(person("高橋", "二"), ido=D(2025, 12, 2))
    result = senkyo(sk.toroku.run_teiji, year=2026, month=3, mode="real", today=D(2026, 3, 2))
    assert (result.run.kijun_date, result.run.toroku_date) == (D(2026, 3, 1), D(2026, 3, 2))
    assert entry(in_time).toroku_date == D(2026, 3, 2)
    assert entry(one_day_late) is None


def test_18_the_holiday_move_does_not_apply_during_an_election(
    tennyu: Callable[..., str], senkyo: Callable[..., Any], sk: SimpleNamespace, entry: Callable[[str], Any]
) -> None:
    senkyo(
        sk.election.define_election,
        sk.election.ElectionInput(
            name="やくば町長選挙", level="shichoson", kouji_date=D(2026, 2, 24), kijitsu=D(2026, 3, 8)
        ),
    )
    turns_18_before_election = tennyu(person("高橋", "三", birth_date=D(2008, 3, 6)), ido=D(2025, 10, 1))
    result = senkyo(sk.toroku.run_teiji, year=2026, month=3, mode="real", today=D(2026, 3, 1))
    assert (result.run.toroku_date, result.run.age_date) == (D(2026, 3, 1), D(2026, 3, 8))
    assert entry(turns_18_before_election).toroku_date == D(2026, 3, 1)


def test_19_senkyoji_toroku_counts_three_months_to_the_day_before_the_koji(
    tennyu: Callable[..., str], senkyo: Callable[..., Any], sk: SimpleNamespace, entry: Callable[[str], Any]
) -> None:
    election = senkyo(
        sk.election.define_election,
        sk.election.ElectionInput(
            name="参議院議員通常選挙", level="sangiin", kouji_date=D(2026, 10, 6), kijitsu=D(2026, 10, 18)
        ),
    )
    assert (election.kijun_date, election.toroku_date) == (D(2026, 10, 5), D(2026, 10, 5))
    filed_in_time = tennyu(person("田中", "一"), ido=D(2026, 7, 5))
    filed_late = tennyu(person("田中", "二"), ido=D(2026, 7, 6))
    eighteen_on_election_day = tennyu(person("田中", "三", birth_date=D(2008, 10, 19)), ido=D(2026, 1, 5))
    eighteen_after = tennyu(person("田中", "四", birth_date=D(2008, 10, 20)), ido=D(2026, 1, 5))
    trial = senkyo(sk.toroku.run_senkyoji, election_id=election.id, mode="trial", today=D(2026, 10, 1))
    expected = {filed_in_time, eighteen_on_election_day}
    assert {i["atena_no"] for i in trial.new} == expected
    real = senkyo(sk.toroku.run_senkyoji, election_id=election.id, mode="real", today=D(2026, 10, 5))
    assert {i["atena_no"] for i in real.new} == expected
    assert entry(filed_late) is None and entry(eighteen_after) is None
    assert entry(eighteen_on_election_day).reason == "senkyoji"
