"""支援措置 forwarded by the 住所地 for a person on a local 附票 (事務処理要領 第5-10).

Not batched: a clerk records one at a time, and the row is read back at once. Whether a person is
protected is read by ``queries.forwarded_shien``.
"""

from __future__ import annotations

import datetime as dt

from yakuba.errors import InputError, NotFound
from yakuba.fuhyo.commands.batching import settle
from yakuba.fuhyo.models import ShienForward
from yakuba.fuhyo.queries import current_entries
from yakuba.uow import UnitOfWork


def record_shien_forward(
    uow: UnitOfWork,
    *,
    fuhyo_id: int,
    person_no: int,
    from_lg_code: str,
    start_date: dt.date,
    end_date: dt.date,
    note: str | None = None,
) -> ShienForward:
    """A 支援措置 the 住所地 forwarded for a person on a local 附票. The latest row for the person decides;
    an early end is a new row whose end date is that day."""
    if end_date < start_date:
        raise InputError.single("支援措置の終了日", "開始日より前の日付は指定できません")
    settle(uow)
    if not any(e.person_no == person_no for e in current_entries(uow.session, fuhyo_id)):
        raise NotFound(f"附票 {fuhyo_id} に {person_no} 番の人はいません")
    row = ShienForward(
        fuhyo_id=fuhyo_id,
        person_no=person_no,
        from_lg_code=from_lg_code,
        start_date=start_date,
        end_date=end_date,
        note=note,
        operator=uow.actor.login,
    )
    uow.session.add(row)
    uow.session.flush()
    return row
