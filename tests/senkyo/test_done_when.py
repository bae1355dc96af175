"""Issue 8 "Done when": the pinned dates, through 住民記録 commands, events and the real tables.

* 年齢: 年齢計算ニ関スル法律 — a person born 2008-12-02 is 18 on 2026-12-01.
* 3箇月: 公職選挙法第21条第1項, counted from the 転入届 (届出日) by 民法第140条・第143条
  (docs/decisions/senkyo-counting.md): 転入届 2026-09-01 suffices for 2026-12-01, 2026-09-02 does not.
* 4箇月: 公職選挙法第28条第2号 「住所を有しなくなつた日後四箇月を経過するに至つたとき」 with 民法第140条・
  第143条: 転出日 2026-08-10 ⇒ the four months are 08-11 … 12-10 ⇒ 抹消 on 2026-12-11, not 12-10.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from yakuba.juki import service as juki

from .conftest import dates, person

D = dt.date


def test_born_2008_12_02_is_registered_at_the_2026_12_01_teiji(
    tennyu: Callable[..., str], senkyo: Callable[..., Any], sk: SimpleNamespace, entry: Callable[[str], Any]
) -> None:
    day_before = tennyu(person("赤井", "一郎", birth_date=D(2008, 12, 2), sex="1"), ido=D(2026, 4, 1))
    birthday = tennyu(person("赤井", "二郎", birth_date=D(2008, 12, 3), sex="1"), ido=D(2026, 4, 1))
    result = senkyo(sk.toroku.run_teiji, year=2026, month=12, mode="real", today=D(2026, 12, 1))
    assert result.run.kijun_date == result.run.toroku_date == D(2026, 12, 1)
    registered = entry(day_before)
    assert registered is not None and registered.status == "toroku"
    assert registered.toroku_date == D(2026, 12, 1) and registered.reason == "teiji"
    assert entry(birthday) is None  # attains 18 on 2026-12-02: the next 定時登録


def test_tennyu_todoke_2026_09_02_is_too_late_for_12_01_but_not_for_03_01(
    tennyu: Callable[..., str], senkyo: Callable[..., Any], sk: SimpleNamespace, entry: Callable[[str], Any]
) -> None:
    # moved in on 08-25 but filed the 転入届 on 09-02: the law counts from the 届出日 (第21条第1項括弧書)
    late = tennyu(person("井上", "花子", sex="2"), ido=D(2026, 8, 25), todoke=D(2026, 9, 2))
    boundary = tennyu(person("上田", "次郎"), ido=D(2026, 9, 1))
    first = senkyo(sk.toroku.run_teiji, year=2026, month=12, mode="real", today=D(2026, 12, 1))
    assert {i["atena_no"] for i in first.new} == {boundary}
    assert entry(late) is None
    second = senkyo(sk.toroku.run_teiji, year=2027, month=3, mode="real", today=D(2027, 3, 1))
    assert {i["atena_no"] for i in second.new} == {late}
    assert entry(late).toroku_date == D(2027, 3, 1)


def test_tenshutsu_2026_08_10_is_marked_at_once_and_removed_on_2026_12_11(
    tennyu: Callable[..., str],
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    entry: Callable[[str], Any],
    outbox: Callable[[str], list[dict[str, Any]]],
) -> None:
    voter = tennyu(person("岡田", "三郎"), ido=D(2026, 3, 1))
    senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="real", today=D(2026, 6, 1))
    assert entry(voter).status == "toroku"
    run(
        juki.tenshutsu,
        juki.Tenshutsu(atena_nos=[voter], destination="神奈川県横浜市", dates=dates(D(2026, 8, 10))),
        today=D(2026, 8, 10),
    )
    marked = entry(voter)  # 公職選挙法第27条第1項: 直ちに表示, with the 転出日
    assert (marked.status, marked.hyoji_jusho_reason, marked.hyoji_jusho_date) == (
        "hyoji",
        "tenshutsu",
        D(2026, 8, 10),
    )
    before = senkyo(sk.batch.daily_batch, today=D(2026, 12, 10))
    assert before.count("massho") == 0 and entry(voter).status == "hyoji"
    after = senkyo(sk.batch.daily_batch, today=D(2026, 12, 11))
    assert after.count("massho") == 1
    removed = entry(voter)
    assert (removed.status, removed.massho_reason, removed.massho_date) == (
        "massho",
        "tenshutsu_4m",
        D(2026, 12, 11),
    )
    assert removed.effective_date == D(2026, 12, 11)
    changes = [p for p in outbox("senkyo.registration_changed") if p["atena_no"] == voter]
    assert [(p["change"], p["registered"]) for p in changes] == [
        ("toroku", True),
        ("hyoji", True),
        ("massho", False),
    ]
    assert changes[-1]["effective_date"] == "2026-12-11"


def test_a_teiji_real_run_is_idempotent(
    tennyu: Callable[..., str],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    row_counts: Callable[[], dict[str, int]],
) -> None:
    for i, birth in enumerate((D(1970, 1, 1), D(1990, 6, 30), D(2008, 11, 30))):
        tennyu(person("木村", f"{i}郎", birth_date=birth), ido=D(2026, 5, 1))
    first = senkyo(sk.toroku.run_teiji, year=2026, month=9, mode="real", today=D(2026, 9, 1))
    assert not first.reused and first.run.counts["shinki"] == 2  # the 2008 birth is 17
    counts = row_counts()
    second = senkyo(sk.toroku.run_teiji, year=2026, month=9, mode="real", today=D(2026, 9, 2))
    assert second.reused and second.run.id == first.run.id
    assert row_counts() == counts  # nothing written the second time: no roll rows, no run, no events
    assert second.view()["lists"] == first.view()["lists"]
