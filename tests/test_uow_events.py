"""The unit of work: one transaction per command, events dispatched inside it and kept in the outbox."""

from __future__ import annotations

from typing import ClassVar

import pytest
from sqlalchemy import func, select

from yakuba.bootstrap import Yakuba
from yakuba.events import DomainEvent, OutboxEntry
from yakuba.juki.models import Numbering
from yakuba.uow import UnitOfWork


class SomethingHappened(DomainEvent):
    event_type: ClassVar[str] = "test.something_happened"
    business: ClassVar[str] = "test"
    n: int


class FollowUp(DomainEvent):
    event_type: ClassVar[str] = "test.follow_up"
    business: ClassVar[str] = "test"
    n: int


def test_events_are_dispatched_in_the_transaction_and_appended_in_order(yakuba: Yakuba) -> None:
    seen: list[str] = []

    def on_something(event: SomethingHappened, uow: UnitOfWork) -> None:
        seen.append(f"something {event.n}")
        uow.session.add(Numbering(name=f"handler-{event.n}", last_serial=event.n))
        uow.record(FollowUp(n=event.n))

    yakuba.bus.subscribe(SomethingHappened, on_something)
    yakuba.bus.subscribe(FollowUp, lambda e, _uow: seen.append(f"follow-up {e.n}"))
    with yakuba.uow() as uow:
        uow.record(SomethingHappened(n=1))
        uow.record(SomethingHappened(n=2))
        uow.commit()
    assert seen == ["something 1", "something 2", "follow-up 1", "follow-up 2"]
    with yakuba.uow() as uow:
        rows = uow.session.execute(select(OutboxEntry).order_by(OutboxEntry.seq)).scalars().all()
        assert [(r.event_type, r.payload["n"]) for r in rows] == [
            ("test.something_happened", 1),
            ("test.something_happened", 2),
            ("test.follow_up", 1),
            ("test.follow_up", 2),
        ]
        seqs = [r.seq for r in rows]
        assert seqs == sorted(seqs) and len(set(seqs)) == 4
        assert uow.session.execute(select(func.count()).select_from(Numbering)).scalar_one() == 2


def test_a_failing_handler_rolls_back_the_whole_command(yakuba: Yakuba) -> None:
    def broken(_event: SomethingHappened, _uow: UnitOfWork) -> None:
        raise RuntimeError("handler failed")

    yakuba.bus.subscribe(SomethingHappened, broken)
    with pytest.raises(RuntimeError), yakuba.uow() as uow:
        uow.session.add(Numbering(name="made-by-the-command", last_serial=1))
        uow.record(SomethingHappened(n=1))
        uow.commit()
    with yakuba.uow() as uow:
        assert uow.session.execute(select(func.count()).select_from(Numbering)).scalar_one() == 0
        assert uow.session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one() == 0


def test_without_commit_nothing_is_kept(yakuba: Yakuba) -> None:
    with yakuba.uow() as uow:
        uow.session.add(Numbering(name="forgotten", last_serial=1))
        uow.record(SomethingHappened(n=1))
    with yakuba.uow() as uow:
        assert uow.session.execute(select(func.count()).select_from(Numbering)).scalar_one() == 0


def test_seals_run_last_after_handlers_and_hooks(yakuba: Yakuba) -> None:
    """The audit chain head is taken in a seal: after every handler and hook, so it is held briefly."""
    order: list[str] = []

    def on_something(event: SomethingHappened, uow: UnitOfWork) -> None:
        order.append(f"handler {event.n}")
        if event.n == 1:
            uow.before_commit(lambda u: (order.append("hook"), u.record(SomethingHappened(n=2))))

    yakuba.bus.subscribe(SomethingHappened, on_something)
    with yakuba.uow() as uow:
        uow.seal(lambda _u: order.append("seal"))
        uow.record(SomethingHappened(n=1))
        uow.commit()
    assert order == ["handler 1", "hook", "handler 2", "seal"]


def test_a_seal_may_not_record_events(yakuba: Yakuba) -> None:
    with yakuba.uow() as uow:
        uow.session.add(Numbering(name="sealed", last_serial=1))
        uow.seal(lambda u: u.record(SomethingHappened(n=1)))
        with pytest.raises(RuntimeError, match="封印"):
            uow.commit()
    with yakuba.uow() as uow:
        assert uow.session.execute(select(func.count()).select_from(Numbering)).scalar_one() == 0


def test_deferred_outbox_rows_keep_the_order_and_vanish_with_a_rollback(yakuba: Yakuba) -> None:
    """A bulk load hands events out household by household and writes their outbox rows once a batch."""
    yakuba.bus.subscribe(SomethingHappened, lambda e, u: u.record(FollowUp(n=e.n)))
    with yakuba.uow() as uow:
        for n in (1, 2):
            uow.record(SomethingHappened(n=n))
            uow.dispatch(defer_outbox=True)
        assert uow.session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one() == 0
        uow.commit()
    with yakuba.uow() as uow:
        rows = uow.session.execute(select(OutboxEntry).order_by(OutboxEntry.seq)).scalars().all()
        assert [(r.event_type, r.payload["n"]) for r in rows] == [
            ("test.something_happened", 1),
            ("test.follow_up", 1),
            ("test.something_happened", 2),
            ("test.follow_up", 2),
        ]
    with yakuba.uow() as uow:
        uow.record(SomethingHappened(n=3))
        uow.dispatch(defer_outbox=True)
        uow.rollback()
        uow.commit()
    with yakuba.uow() as uow:
        assert uow.session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one() == 4
