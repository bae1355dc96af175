"""The set-based paths of 選挙人名簿管理 give exactly what the one-at-a-time paths gave.

* 定時登録 (公職選挙法第22条第1項) chooses candidates with SQL: the result equals judging every person of
  選挙's copy with ``rules.judge`` (第21条第1項: 年齢・3箇月; 第21条第2項: 旧住所地登録), including the
  boundary days, and the rows, 住民票 snapshots and events of a real run equal those of the per-person path.
* 選挙's copy of 住民記録 is written once per transaction: N events in one transaction leave the same rows as
  N transactions, and a later event of the same person in that transaction sees the pending state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from yakuba.bootstrap import Yakuba
from yakuba.events import OutboxEntry
from yakuba.juki import service as juki
from yakuba.juki.base import IdoWriter
from yakuba.juki.events import EVENT_TYPES, ResidentCorrected
from yakuba.juki.history import latest_row
from yakuba.juki.models import Ido, Rireki
from yakuba.juki.models import Jumin as JukiJumin
from yakuba.juki.schemas import IdoDates
from yakuba.kernel import clock
from yakuba.senkyo.events import SenkyoRegistrationChanged
from yakuba.senkyo.rules import attains_voting_age, judge, resided_long_enough

from .conftest import UME_3, dates, person

D = dt.date
DAYS = st.dates(min_value=D(1990, 1, 1), max_value=D(2040, 12, 31))


@settings(max_examples=300, deadline=None)
@given(on=DAYS, other=DAYS, age=st.sampled_from([18, 20]), months=st.sampled_from([3]))
def test_the_sql_bounds_are_the_rules_themselves(on: dt.date, other: dt.date, age: int, months: int) -> None:
    """第21条第1項: 年齢 and 3箇月 become ``birth_date <= X`` and ``kiroku_start <= Y``, for everyone."""
    from yakuba.senkyo.commands.candidates import latest_birth, latest_start

    birth = other.replace(year=other.year - 40) if other.year > 2030 else other
    assert attains_voting_age(birth, on, age=age) == (birth <= latest_birth(on, age))
    assert resided_long_enough(other, on, months=months) == (other <= latest_start(on, months))


def _town(tennyu: Callable[..., str], run: Callable[..., Any], senkyo: Callable[..., Any], sk: Any) -> None:
    """Persons on both sides of every boundary of the 定時登録 of 2026-06 (基準日 6月1日)."""
    tennyu(person("境", "十八", birth_date=D(2008, 6, 2)), ido=D(2020, 1, 6))  # 18 on 6月1日
    tennyu(person("境", "十七", birth_date=D(2008, 6, 3)), ido=D(2020, 1, 6))  # 18 on 6月2日
    tennyu(person("閏", "年", birth_date=D(2008, 2, 29)), ido=D(2020, 1, 6))
    tennyu(person("転入", "満了", birth_date=D(1980, 1, 1)), ido=D(2026, 2, 20), todoke=D(2026, 3, 1))
    tennyu(person("転入", "不足", birth_date=D(1980, 1, 1)), ido=D(2026, 2, 20), todoke=D(2026, 3, 2))
    tennyu(person("梅", "住人", birth_date=D(1970, 7, 7)), ido=D(2019, 4, 1), address=UME_3)
    for name, day in (("転出", D(2026, 4, 15)), ("転出後", D(2026, 1, 31)), ("短期", D(2026, 4, 20))):
        start = D(2026, 2, 1) if name == "短期" else D(2018, 4, 1)
        moved = tennyu(person(name, "人", birth_date=D(1990, 3, 3)), ido=start)
        run(
            juki.tenshutsu,
            juki.Tenshutsu(atena_nos=[moved], destination="千葉県千葉市", dates=dates(day)),
            today=day,
        )
    stopped = tennyu(person("停止", "人", birth_date=D(1960, 1, 1)), ido=D(2010, 1, 1))
    senkyo(
        sk.shikaku.record_teishi,
        sk.shikaku.TeishiInput(
            atena_no=stopped, start_date=D(2026, 1, 1), basis="公職選挙法第11条第1項第2号"
        ),
    )


def test_candidates_by_sql_equal_judging_everyone(
    yakuba: Yakuba,
    tennyu: Callable[..., str],
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
) -> None:
    """公職選挙法第21条: the SQL choice equals ``rules.judge`` over every person not on the roll."""
    _town(tennyu, run, senkyo, sk)
    kijun, today = D(2026, 6, 1), D(2026, 6, 1)
    with yakuba.uow() as uow:
        found = sk.candidates.candidates(uow.session, kijun=kijun, age_date=kijun, today=today)
        teishi = sk.shikaku.active_teishi(uow.session, kijun)
        expected = []
        for p in uow.session.execute(select(sk.models.Jumin).order_by(sk.models.Jumin.atena_no)).scalars():
            facts = sk.projection.facts(p, disqualified=p.atena_no in teishi)
            judgement = judge(facts, kijun=kijun, age_date=kijun)
            if judgement.eligible:
                expected.append((p.atena_no, judgement.basis))
    got = [(c.person.atena_no, c.judgement.basis) for c in found]
    assert got == expected
    names = {c.person.shi + c.person.mei for c in found}
    assert {"境十八", "閏年", "転入満了", "梅住人", "転出人"} <= names
    assert not {"境十七", "転入不足", "停止人", "短期人"} & names
    assert ("転出人" in names) and any(b == "kyujusho" for _a, b in got)


def _per_person_register(sk: Any) -> Callable[..., None]:
    """The 定時登録 write as it was before the set-based rewrite: one ``meibo.toroku`` per person."""

    def register(uow: Any, chunk: list[Any], *, kind: str, plan: Any, today: dt.date, run_id: int) -> None:
        for c in chunk:
            person = uow.session.get(sk.models.Jumin, c.person.atena_no)
            sk.meibo.toroku(
                uow,
                person,
                reason=kind,
                basis=c.judgement.basis or "genjusho",
                toroku_date=plan.toroku_date,
                shori_date=today,
                tohyoku_code=c.tohyoku_code,
                run_id=run_id,
            )
            if c.judgement.basis == "kyujusho":
                sk.meibo.hyoji_jusho(
                    uow,
                    c.person.atena_no,
                    lost_on=sk.projection.removal_date(person),
                    reason=sk.projection.removal_kind(person) or "tenshutsu",
                    shori_date=today,
                    run_id=run_id,
                )

    return register


def _per_person_juki(event: SenkyoRegistrationChanged, uow: Any) -> None:
    """住民記録's handler as it was: one 職権修正 snapshot per event, flushed at once (IdoWriter)."""
    row = latest_row(uow.session, event.atena_no)
    if row is None:
        return
    wanted = {
        "registered": event.registered,
        "status": event.status,
        "toroku_date": event.toroku_date.isoformat(),
    }
    linked = dict(row.linked_items or {})
    if linked.get("senkyo") == wanted:
        return
    today = clock.today()
    writer = uow.scratch.get("old-writer")
    if writer is None:
        writer = uow.scratch["old-writer"] = IdoWriter(
            uow,
            "C03",
            IdoDates(
                ido_date=today,
                shokken=True,
                confirm_alerts=True,
                note_b="選挙人名簿登録の旨（選挙管理委員会の通知）",
            ),
            today=today,
            details={"source": "senkyo"},
        )
        uow.before_commit(lambda _u: writer.finish())
    changed = writer.change(
        row, effective_date=min(event.effective_date, today), linked_items={**linked, "senkyo": wanted}
    )
    writer.emit(ResidentCorrected, changed, changed_items=["linked_items"])


def _dump(yakuba: Yakuba, sk: Any) -> dict[str, Any]:
    """Every row the run touched, without surrogate keys and timestamps."""
    skip = {"id", "recorded_at", "received_at", "run_id", "ido_id", "last_log_id", "seq"}

    def rows(model: Any, order: Any) -> list[tuple[Any, ...]]:
        with yakuba.uow() as uow:
            found = uow.session.execute(select(model).order_by(*order)).scalars()
            return [
                tuple((c.key, getattr(r, c.key)) for c in model.__table__.columns if c.key not in skip)
                for r in found
            ]

    with yakuba.uow() as uow:
        outbox = [
            (o.event_type, {k: v for k, v in o.payload.items() if k != "ido_id"})
            for o in uow.session.execute(select(OutboxEntry).order_by(OutboxEntry.seq)).scalars()
        ]
        ido = [
            (i.jiyu_code, i.shokken, i.note_b, i.details)
            for i in uow.session.execute(select(Ido).order_by(Ido.id)).scalars()
        ]
    return {
        "meibo_rireki": rows(
            sk.models.MeiboRireki, (sk.models.MeiboRireki.atena_no, sk.models.MeiboRireki.rireki_no)
        ),
        "meibo": rows(sk.models.Meibo, (sk.models.Meibo.atena_no,)),
        "jumin": rows(sk.models.Jumin, (sk.models.Jumin.atena_no,)),
        "jumin_log": rows(sk.models.JuminLog, (sk.models.JuminLog.id,)),
        "rireki": rows(Rireki, (Rireki.atena_no, Rireki.rireki_no)),
        "juki_jumin": rows(JukiJumin, (JukiJumin.atena_no,)),
        "outbox": outbox,
        "ido": ido,
    }


def _empty(yakuba: Yakuba) -> None:
    from tests.conftest import _empty_all_tables

    _empty_all_tables(yakuba)


def test_a_real_teiji_run_writes_what_the_per_person_path_wrote(
    yakuba: Yakuba,
    tennyu: Callable[..., str],
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    monkeypatch: Any,
) -> None:
    """公職選挙法第22条第1項 (定時登録), 第27条第1項 (旧住所地登録の表示), 住基法第7条第11号 (登録の旨).

    The town is built twice; once registered by the set-based run, once by the old per-person code
    (``meibo.toroku`` and an IdoWriter per event). Every row and every event is the same; the trial list
    equals the real registrations; a second real run writes nothing.
    """
    results = []
    for per_person in (False, True):
        _empty(yakuba)
        _town(tennyu, run, senkyo, sk)
        trial = senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="trial", today=D(2026, 6, 1))
        with monkeypatch.context() as m:
            if per_person:
                m.setattr(sk.toroku, "_register", _per_person_register(sk))
                m.setitem(yakuba.bus._handlers, SenkyoRegistrationChanged, [_per_person_juki])
            real = senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="real", today=D(2026, 6, 1))
        assert [i["atena_no"] for i in trial.new] == [i["atena_no"] for i in real.new]
        assert trial.run.lists["shinki"] == real.run.lists["shinki"]
        with yakuba.uow() as uow:
            on_roll = sorted(uow.session.execute(select(sk.models.Meibo.atena_no)).scalars())
            for atena_no in on_roll:
                shown = latest_row(uow.session, atena_no)
                assert shown is not None and shown.linked_items["senkyo"]["registered"] is True
        assert on_roll == sorted(i["atena_no"] for i in real.new)
        results.append(_dump(yakuba, sk))
        again = senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="real", today=D(2026, 6, 2))
        assert again.reused and _dump(yakuba, sk) == results[-1]
    bulk, single = results
    for name in bulk:
        assert bulk[name] == single[name], name


def test_long_lists_are_kept_bounded_and_the_whole_list_is_the_roll(
    yakuba: Yakuba,
    tennyu: Callable[..., str],
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    monkeypatch: Any,
) -> None:
    """``senkyo_run.lists`` keeps the first LIST_LIMIT items of a list; counts and the roll stay whole."""
    _town(tennyu, run, senkyo, sk)
    whole = senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="trial", today=D(2026, 6, 1))
    assert "truncated" not in whole.run.lists
    monkeypatch.setattr(sk.toroku, "LIST_LIMIT", 2)
    trial = senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="trial", today=D(2026, 6, 1))
    real = senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="real", today=D(2026, 6, 1))
    shinki = len(whole.new)
    assert shinki > 2
    for result in (trial, real):
        assert result.run.counts["shinki"] == shinki == len(result.new)
        assert result.run.lists["shinki"] == whole.run.lists["shinki"][:2]
        assert result.run.lists["truncated"]["shinki"] == shinki
    with yakuba.uow() as uow:
        listed = list(sk.toroku.registered_by_run(uow.session, real.run.id, chunk=2))
    assert [i["atena_no"] for i in listed] == [i["atena_no"] for i in whole.new]
    first = real.run.lists["shinki"]
    assert [(i["atena_no"], i["name"], i["tohyoku_code"]) for i in listed[:2]] == [
        (i["atena_no"], i["name"], i["tohyoku_code"]) for i in first
    ]


def test_events_of_one_transaction_leave_the_rows_of_one_transaction_each(
    yakuba: Yakuba,
    tennyu: Callable[..., str],
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
) -> None:
    """選挙's copy (公職選挙法第21条の資格の元): batched per transaction = one event at a time."""
    _town(tennyu, run, senkyo, sk)
    with yakuba.uow() as uow:
        events = [
            EVENT_TYPES[o.event_type].model_validate(o.payload)
            for o in uow.session.execute(
                select(OutboxEntry).where(OutboxEntry.business == "juki").order_by(OutboxEntry.seq)
            ).scalars()
        ]
    assert len(events) > 10 and len({e.atena_no for e in events}) < len(events)  # persons with 2+ events

    def projection_rows() -> tuple[list[Any], list[Any]]:
        with yakuba.uow() as uow:
            jumin = [
                tuple(getattr(r, c.key) for c in sk.models.Jumin.__table__.columns)
                for r in uow.session.execute(
                    select(sk.models.Jumin).order_by(sk.models.Jumin.atena_no)
                ).scalars()
            ]
            logs = [
                (r.id, r.event_type, r.atena_no, r.payload)
                for r in uow.session.execute(
                    select(sk.models.JuminLog).order_by(sk.models.JuminLog.id)
                ).scalars()
            ]
            return jumin, logs

    def reset() -> None:
        with yakuba.engine.begin() as conn:
            conn.execute(sk.models.Jumin.__table__.delete())
            conn.execute(sk.models.JuminLog.__table__.delete())

    # the reference: one event per transaction through the old one-flush-per-event path
    reset()
    for e in events:
        with yakuba.uow() as uow:
            sk.projection.record(uow.session, e)
            uow.commit()
    reference = projection_rows()
    # one event per transaction through the batched path
    reset()
    for e in events:
        with yakuba.uow() as uow:
            sk.projection.record_pending(uow, e)
            uow.commit()
    assert _without_ids(projection_rows()) == _without_ids(reference)
    # every event in one transaction, reading the pending state after each one
    reset()
    with yakuba.uow() as uow:
        for e in events:
            values = sk.projection.record_pending(uow, e)
            seen = sk.projection.person(uow.session, e.atena_no)
            assert seen is not None and all(getattr(seen, k) == v for k, v in values.items())
        uow.commit()
    assert _without_ids(projection_rows()) == _without_ids(reference)
    # and without reads: everything is written by the before_commit hook, in the order received
    reset()
    with yakuba.uow() as uow:
        for e in events:
            sk.projection.record_pending(uow, e)
        uow.commit()
    assert _without_ids(projection_rows()) == _without_ids(reference)


def _without_ids(rows: tuple[list[Any], list[Any]]) -> tuple[list[Any], list[Any]]:
    """Log ids differ between runs (a sequence): compare by rank, and last_log_id by the rank it points to."""
    jumin, logs = rows
    rank = {row[0]: i for i, row in enumerate(logs)}
    last = len(jumin[0]) - 1 if jumin else 0
    return (
        [(*r[:last], rank[r[last]]) for r in jumin],
        [r[1:] for r in logs],
    )
