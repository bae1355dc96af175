"""在外選挙人名簿への登録・抹消 (住民基本台帳法第17条の2), reported by the 選挙 module (the
市町村選挙管理委員会) through its events or by the API.

本籍 here → an entry is appended to the local 附票. 本籍 elsewhere → the notice goes to that 本籍地
through the outbox (``soshin.send_notice``). Both through the transaction's batch, like every command.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from yakuba.errors import NotFound
from yakuba.fuhyo.commands.batching import Notice, batch_of, stored_notice
from yakuba.fuhyo.commands.soshin import send_notice
from yakuba.fuhyo.models import Tsuchi
from yakuba.fuhyo.rules import is_local_honseki, items_of, match_person
from yakuba.fuhyo.schemas import FuhyoItems, ZaigaiSenkyo
from yakuba.kernel import clock
from yakuba.uow import UnitOfWork


def mark_zaigai_senkyo(uow: UnitOfWork, command: ZaigaiSenkyo, *, today: dt.date | None = None) -> Tsuchi:
    """在外選挙人名簿への登録・抹消 (§17の2): the notice from the 選管, applied (here) or sent (elsewhere)."""
    today = today or clock.today()
    jiyu = "在外選挙人名簿への登録" if command.registered else "在外選挙人名簿からの抹消"
    changes: dict[str, Any] = {
        "zaigai": command.registered,
        "zaigai_municipality": command.senkyo_municipality,
        "zaigai_date": command.on,
    }
    if not is_local_honseki(command.honseki, today):
        items = FuhyoItems(
            shi=command.shi,
            mei=command.mei or "",
            birth_date=command.birth_date,
            jumin_code=command.jumin_code,
        )
        notice = Notice(
            kind="zaigai",
            jiyu=jiyu,
            honseki=command.honseki,
            hittosha=command.hittosha,
            items=items,
            effective_date=command.on,
            today=today,
        )
        sent = send_notice(
            uow,
            notice,
            channel="senkyo",
            force=True,
            zaigai=command.registered,
            zaigai_municipality=command.senkyo_municipality,
        )
        assert sent is not None
        return stored_notice(uow, sent)
    pending = batch_of(uow)
    fuhyo_id = pending.find(command.honseki, command.hittosha)
    if fuhyo_id is None:
        raise NotFound(f"本籍「{command.honseki}」筆頭者「{command.hittosha}」の附票はありません")
    person = match_person(
        pending.entries(fuhyo_id),
        jumin_code=command.jumin_code,
        shi=command.shi,
        mei=command.mei,
        birth_date=command.birth_date,
    )
    if person is None or person.removed:
        raise NotFound("その人は附票に記載されていません")
    notice = Notice(
        kind="zaigai",
        jiyu=jiyu,
        honseki=command.honseki,
        hittosha=command.hittosha,
        items=items_of(person),
        effective_date=command.on,
        today=today,
    )
    logged = pending.log(
        notice, direction="in", channel="senkyo", status="applied", fuhyo_id=fuhyo_id, changed=["zaigai"]
    )
    pending.append(
        fuhyo_id,
        person,
        kind="zaigai",
        jiyu=jiyu,
        effective_date=command.on,
        source="senkyo",
        today=today,
        notice_id=logged["id"],
        **changes,
    )
    return stored_notice(uow, logged["id"])
