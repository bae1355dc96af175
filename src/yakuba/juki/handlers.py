"""住民記録 reacts to what other businesses maintain on the 住民票 (住民基本台帳法第7条第9号〜第11号の2).

Today: 選挙人名簿に登録された旨 (第7条第9号), notified by the 選挙管理委員会 (法第10条). Each change is a
職権修正 (事由 C03) of ``linked_items["senkyo"]`` — history kept like any other item. All changes of one
transaction (a whole 定時登録 run) share one 異動, finished just before the commit; their snapshots are
written set-based (``bulk_append``), not one ORM flush per person.
"""

from __future__ import annotations

import datetime as dt

from yakuba.events import MessageBus
from yakuba.juki.base import IdoWriter
from yakuba.juki.bulk_append import Change, append_linked_items
from yakuba.juki.schemas import IdoDates
from yakuba.kernel import clock
from yakuba.senkyo.public import SenkyoRegistrationChanged
from yakuba.uow import UnitOfWork

_WRITER = "juki.linked_items.senkyo"
_PENDING = "juki.linked_items.senkyo.pending"
FLUSH_AT = 5_000  # changes held before writing them: bounds memory during a 定時登録 of a whole town


def _writer(uow: UnitOfWork, today: dt.date) -> IdoWriter:
    """The one 職権修正 異動 of this transaction (created on first need, finished before the commit)."""
    writer = uow.scratch.get(_WRITER)
    if writer is None:
        writer = IdoWriter(
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
        uow.scratch[_WRITER] = writer

        def finish(_uow: UnitOfWork) -> None:
            writer.finish()

        uow.before_commit(finish)
    assert isinstance(writer, IdoWriter)
    return writer


def on_senkyo_registration(event: SenkyoRegistrationChanged, uow: UnitOfWork) -> None:
    """Note the change; it is written with the others of this transaction (:func:`write_pending`).

    A 定時登録 registers most adults of the town in one transaction: one snapshot per person is still
    appended (history stays complete and attributable to the 異動), but in set-based statements.
    """
    pending = uow.scratch.get(_PENDING)
    if pending is None:
        pending = uow.scratch[_PENDING] = []
        uow.before_commit(write_pending)
    wanted = {
        "registered": event.registered,
        "status": event.status,
        "toroku_date": event.toroku_date.isoformat(),
    }
    pending.append((event.atena_no, wanted, event.effective_date))
    if len(pending) >= FLUSH_AT:
        _write(uow, pending)
        pending.clear()


def write_pending(uow: UnitOfWork) -> None:
    """Append the 住民票 snapshots for every change noted in this transaction (a before_commit hook)."""
    pending = uow.scratch.pop(_PENDING, None)
    if pending:
        _write(uow, pending)


def _write(uow: UnitOfWork, pending: list[Change]) -> None:
    today = clock.today()
    changes = [(a, wanted, min(effective, today)) for a, wanted, effective in pending]
    append_linked_items(uow, lambda: _writer(uow, today).ido, "senkyo", changes)


def register_handlers(bus: MessageBus) -> None:
    bus.subscribe(SenkyoRegistrationChanged, on_senkyo_registration)
