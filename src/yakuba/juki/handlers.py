"""住民記録 reacts to what other businesses maintain on the 住民票 (住民基本台帳法第7条第9号〜第11号の2).

Today: 選挙人名簿に登録された旨 (第7条第9号), notified by the 選挙管理委員会 (法第10条). Each change is a
職権修正 (事由 C03) of ``linked_items["senkyo"]`` — history kept like any other item. All changes of one
transaction (a whole 定時登録 run) share one 異動, finished just before the commit.
"""

from __future__ import annotations

import datetime as dt

from yakuba.events import MessageBus
from yakuba.juki.base import IdoWriter
from yakuba.juki.events import ResidentCorrected
from yakuba.juki.history import latest_row
from yakuba.juki.schemas import IdoDates
from yakuba.kernel.clock import japan_date
from yakuba.senkyo.events import SenkyoRegistrationChanged
from yakuba.uow import UnitOfWork

_WRITER = "juki.linked_items.senkyo"


def _writer(uow: UnitOfWork, today: dt.date) -> IdoWriter:
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
    today = japan_date(dt.datetime.now(dt.UTC))
    writer = _writer(uow, today)
    changed = writer.change(
        row, effective_date=min(event.effective_date, today), linked_items={**linked, "senkyo": wanted}
    )
    writer.emit(ResidentCorrected, changed, changed_items=["linked_items"])


def register_handlers(bus: MessageBus) -> None:
    bus.subscribe(SenkyoRegistrationChanged, on_senkyo_registration)
