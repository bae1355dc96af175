"""表示・表示の消除・抹消 (公職選挙法第27条・第28条, 施行令第16条) from 住民記録 events and the batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from yakuba.juki import service as juki

from .conftest import UME_3, dates, person

D = dt.date


@pytest.fixture
def voter(tennyu: Callable[..., str], senkyo: Callable[..., Any], sk: SimpleNamespace) -> str:
    atena = tennyu(person("中村", "一"), ido=D(2026, 1, 5))
    senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="real", today=D(2026, 6, 1))
    return atena


def test_death_removes_at_once(
    voter: str,
    run: Callable[..., Any],
    entry: Callable[[str], Any],
    outbox: Callable[[str], list[dict[str, Any]]],
) -> None:
    run(
        juki.shojo,
        juki.Shojo(atena_no=voter, reason="shibo", dates=dates(D(2026, 7, 1))),
        today=D(2026, 7, 2),
    )
    e = entry(voter)
    assert (e.status, e.massho_reason, e.massho_date) == ("massho", "shibo", D(2026, 7, 1))
    assert outbox("senkyo.registration_changed")[-1]["reason_label"] == "死亡"


def test_loss_of_nationality_removes_at_once(
    voter: str, run: Callable[..., Any], entry: Callable[[str], Any]
) -> None:
    run(
        juki.kokuseki_soshitsu,
        juki.KokusekiSoshitsu(
            atena_no=voter,
            nationality="アメリカ合衆国",
            category_30_45="経過滞在者",
            dates=dates(D(2026, 7, 1)),
        ),
        today=D(2026, 7, 1),
    )
    e = entry(voter)
    assert (e.status, e.massho_reason) == ("massho", "kokuseki")


def test_shokken_shojo_is_marked_then_removed_after_four_months(
    voter: str,
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    entry: Callable[[str], Any],
) -> None:
    run(
        juki.shojo,
        juki.Shojo(atena_no=voter, reason="jittai", dates=dates(D(2026, 7, 31))),
        today=D(2026, 7, 31),
    )
    assert (entry(voter).status, entry(voter).hyoji_jusho_reason) == ("hyoji", "shokken")
    senkyo(sk.batch.daily_batch, today=D(2026, 11, 30))
    assert entry(voter).status == "hyoji"
    senkyo(sk.batch.daily_batch, today=D(2026, 12, 1))  # 08-01 … 11-30 are the four months
    assert entry(voter).status == "massho"


def test_tenshutsu_filed_ahead_is_marked_on_the_day_it_takes_effect(
    voter: str, run: Callable[..., Any], yakuba: Any, entry: Callable[[str], Any]
) -> None:
    run(
        juki.tenshutsu,
        juki.Tenshutsu(
            atena_nos=[voter], destination="京都府京都市", dates=dates(D(2026, 9, 30), D(2026, 9, 20))
        ),
        today=D(2026, 9, 20),
    )
    assert entry(voter).status == "toroku"  # still a resident until the 転出予定日
    with yakuba.uow() as uow:
        juki.apply_due_tenshutsu(uow, today=D(2026, 9, 30))
        uow.commit()
    assert (entry(voter).status, entry(voter).hyoji_jusho_date) == ("hyoji", D(2026, 9, 30))


def test_daily_batch_marks_a_due_tenshutsu_even_without_the_juki_batch(
    voter: str,
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    entry: Callable[[str], Any],
) -> None:
    run(
        juki.tenshutsu,
        juki.Tenshutsu(
            atena_nos=[voter], destination="京都府京都市", dates=dates(D(2026, 9, 30), D(2026, 9, 20))
        ),
        today=D(2026, 9, 20),
    )
    senkyo(sk.batch.daily_batch, today=D(2026, 10, 1))
    assert (entry(voter).status, entry(voter).hyoji_jusho_date) == ("hyoji", D(2026, 9, 30))


def test_tennyu_tsuchi_with_an_earlier_date_moves_the_hyoji_and_the_massho(
    voter: str,
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    entry: Callable[[str], Any],
) -> None:
    run(
        juki.tenshutsu,
        juki.Tenshutsu(atena_nos=[voter], destination="京都府京都市", dates=dates(D(2026, 8, 20))),
        today=D(2026, 8, 20),
    )
    run(
        juki.receive_tennyu_tsuchi,
        juki.TennyuTsuchi(
            atena_no=voter,
            tennyu_date=D(2026, 8, 10),
            kakutei_address="京都府京都市中京区",
            tsuchi_date=D(2026, 8, 25),
        ),
        today=D(2026, 8, 25),
    )
    assert entry(voter).hyoji_jusho_date == D(2026, 8, 10)  # j50: the earlier date
    senkyo(sk.batch.daily_batch, today=D(2026, 12, 11))
    assert entry(voter).massho_date == D(2026, 12, 11)


def test_cancelled_tenshutsu_removes_the_hyoji(
    voter: str, run: Callable[..., Any], entry: Callable[[str], Any]
) -> None:
    moved = run(
        juki.tenshutsu,
        juki.Tenshutsu(atena_nos=[voter], destination="京都府京都市", dates=dates(D(2026, 8, 10))),
        today=D(2026, 8, 10),
    )
    assert entry(voter).status == "hyoji"
    run(
        juki.torikeshi, juki.Torikeshi(ido_id=moved.ido_id, dates=dates(D(2026, 8, 12))), today=D(2026, 8, 12)
    )
    e = entry(voter)
    assert (e.status, e.hyoji_jusho_date, e.reason) == ("toroku", None, "torikeshi")


def test_cancelled_tennyu_removes_a_wrong_registration_with_kokuji(
    tennyu: Callable[..., str],
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    entry: Callable[[str], Any],
    yakuba: Any,
) -> None:
    wrong = tennyu(person("誤", "登録"), ido=D(2026, 1, 5))
    senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="real", today=D(2026, 6, 1))
    with yakuba.uow() as uow:
        ido_id = (
            uow.session.execute(select(sk.models.JuminLog.ido_id).where(sk.models.JuminLog.atena_no == wrong))
            .scalars()
            .first()
        )
    run(juki.torikeshi, juki.Torikeshi(ido_id=ido_id, dates=dates(D(2026, 6, 10))), today=D(2026, 6, 10))
    e = entry(wrong)
    assert (e.status, e.massho_reason, e.kokuji) == ("massho", "ayamari", True)


def test_teishi_marks_and_unmarks(
    voter: str, senkyo: Callable[..., Any], sk: SimpleNamespace, entry: Callable[[str], Any]
) -> None:
    senkyo(
        sk.shikaku.record_teishi,
        sk.shikaku.TeishiInput(
            atena_no=voter,
            start_date=D(2026, 7, 1),
            end_date=D(2026, 12, 31),
            basis="公職選挙法第11条第1項第2号",
        ),
    )
    senkyo(sk.batch.daily_batch, today=D(2026, 6, 30))
    assert entry(voter).status == "toroku"
    senkyo(sk.batch.daily_batch, today=D(2026, 7, 1))
    assert (entry(voter).status, entry(voter).hyoji_teishi) == ("hyoji", True)
    senkyo(sk.batch.daily_batch, today=D(2027, 1, 1))
    assert (entry(voter).status, entry(voter).reason) == ("toroku", "teishi_shuryo")


def test_disqualified_person_is_not_registered(
    tennyu: Callable[..., str], senkyo: Callable[..., Any], sk: SimpleNamespace, entry: Callable[[str], Any]
) -> None:
    atena = tennyu(person("停止", "中"), ido=D(2026, 1, 5))
    stop = senkyo(
        sk.shikaku.record_teishi,
        sk.shikaku.TeishiInput(atena_no=atena, start_date=D(2026, 1, 1), basis="公職選挙法第252条"),
    )
    senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="real", today=D(2026, 6, 1))
    assert entry(atena) is None
    senkyo(sk.shikaku.cancel_teishi, stop.id, reason="誤った通知")
    senkyo(sk.hosei.hosei_toroku, atena_no=atena, today=D(2026, 6, 10))  # 第26条: 補正登録, 告示
    e = entry(atena)
    assert (e.status, e.reason, e.kokuji, e.toroku_date) == ("toroku", "hosei", True, D(2026, 6, 10))


def test_back_within_four_months_and_qualified_again_removes_the_hyoji(
    tennyu: Callable[..., str],
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    entry: Callable[[str], Any],
) -> None:
    """施行令第16条: the 表示 is removed once the person has the 被登録資格 again."""
    voter = tennyu(person("中村", "一", jumin_code="12345678901"), ido=D(2026, 1, 5))
    senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="real", today=D(2026, 6, 1))
    run(
        juki.tenshutsu,
        juki.Tenshutsu(atena_nos=[voter], destination="京都府京都市", dates=dates(D(2026, 7, 1))),
        today=D(2026, 7, 1),
    )
    run(
        juki.tennyu,
        juki.Tennyu(
            kind="kokunai",
            persons=[person("中村", "一", jumin_code="12345678901")],  # 再転入: same 宛名番号
            address=UME_3,
            prev_address="京都府京都市",
            dates=dates(D(2026, 7, 20)),
        ),
        today=D(2026, 7, 20),
    )
    senkyo(sk.batch.daily_batch, today=D(2026, 10, 19))
    assert entry(voter).status == "hyoji"  # back, but not yet 3 months
    senkyo(sk.batch.daily_batch, today=D(2026, 10, 20))
    e = entry(voter)
    assert (e.status, e.reason) == ("toroku", "shikaku_kaifuku")
    senkyo(sk.batch.daily_batch, today=D(2026, 11, 2))
    assert entry(voter).status == "toroku"  # no 抹消 at the four-month mark any more


def test_daily_batch_twice_changes_nothing(
    voter: str,
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    row_counts: Callable[[], dict[str, int]],
) -> None:
    run(
        juki.tenshutsu,
        juki.Tenshutsu(atena_nos=[voter], destination="京都府京都市", dates=dates(D(2026, 7, 1))),
        today=D(2026, 7, 1),
    )
    senkyo(sk.batch.daily_batch, today=D(2026, 11, 2))
    counts = row_counts()
    again = senkyo(sk.batch.daily_batch, today=D(2026, 11, 2))
    assert again.actions == [] and row_counts() == counts
