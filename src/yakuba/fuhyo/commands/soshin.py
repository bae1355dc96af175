"""附票記載事項通知の送信 (住民基本台帳法第19条第1項): this office is the 住所地 and the 本籍 is elsewhere.

The notice is logged and :class:`FuhyoNoticeToHonsekichi` recorded for the outbox — only when the items
differ from the last notice sent about the resident (the transaction's batch knows it, pending ones
included), unless the notice must go anyway (a 記載, a 取消し, the 在外選挙人名簿).
"""

from __future__ import annotations

from yakuba.fuhyo.commands.batching import Notice, batch_of
from yakuba.fuhyo.config import municipality
from yakuba.fuhyo.events import FuhyoNoticeToHonsekichi
from yakuba.fuhyo.rules import changed_items, key
from yakuba.fuhyo.schemas import FuhyoItems
from yakuba.uow import UnitOfWork


def send_notice(
    uow: UnitOfWork,
    notice: Notice,
    *,
    channel: str = "juki",
    force: bool = False,
    cancels_kisai: bool = False,
    zaigai: bool | None = None,
    zaigai_municipality: str | None = None,
) -> int | None:
    """The 附票記載事項通知 to another 本籍地 (§19①), unless nothing changed since the last one sent about
    this resident (``force`` sends anyway: a 記載, a 取消し). Returns the notice id."""
    items, honseki = notice.items, notice.honseki
    assert items is not None and honseki is not None
    pending = batch_of(uow)
    previous = pending.last_sent(notice.atena_no) if notice.atena_no else None
    same_honseki = previous is not None and key(previous.honseki) == key(honseki)
    before = FuhyoItems.model_validate(previous.items) if previous is not None and same_honseki else None
    changed = changed_items(before, items)
    if before is not None and not changed and not force:
        return None
    muni = municipality()
    logged = pending.log(
        notice,
        direction="out",
        channel=channel,
        status="sent",
        from_lg_code=muni.code,
        from_name=muni.name,
        message="記載の取消し" if cancels_kisai else None,
    )
    logged["changed"] = changed
    uow.record(
        FuhyoNoticeToHonsekichi(
            notice_id=logged["id"],
            from_lg_code=muni.code,
            from_name=muni.name,
            honseki=honseki,
            hittosha=notice.hittosha,
            kind=notice.kind,
            jiyu=notice.jiyu,
            effective_date=notice.effective_date,
            items=items,
            changed=changed,
            zaigai=zaigai,
            zaigai_municipality=zaigai_municipality,
            cancels_kisai=cancels_kisai,
        )
    )
    return int(logged["id"])
