"""異動の取消し (住民記録): put the 附票 back as it was before the cancelled 異動 — the local 附票 gets an
entry restoring the earlier items (or a 消除 when the 異動 was the 記載), and a 本籍地 elsewhere is told
(the earlier items again, or 「記載の取消し」).

Rare (a handful a day): it settles the batch and reads through the ORM, then writes through the batch.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from yakuba.fuhyo.commands.batching import Notice, batch_of, settle
from yakuba.fuhyo.commands.shojo import log_local, remove_entry
from yakuba.fuhyo.commands.soshin import send_notice
from yakuba.fuhyo.models import Kisai, Tsuchi
from yakuba.fuhyo.queries import current_entries, get_fuhyo, last_sent
from yakuba.fuhyo.rules import SNAPSHOT, key
from yakuba.fuhyo.schemas import FuhyoItems
from yakuba.kernel import clock
from yakuba.uow import UnitOfWork

JIYU = "異動の取消し"


def _restore_local(
    uow: UnitOfWork, *, atena_no: str, cancelled_ido_id: int, ido_id: int, on: dt.date | None, today: dt.date
) -> None:
    """Each local 附票 person the cancelled 異動 touched gets back the entry before its first change."""
    session = uow.session
    settle(uow)  # rare: read through the ORM, so write what is pending first
    touched = session.execute(
        select(Kisai)
        .where(Kisai.juki_ido_id == cancelled_ido_id, Kisai.atena_no == atena_no)
        .order_by(Kisai.fuhyo_id, Kisai.person_no, Kisai.entry_no)
    ).scalars()
    firsts: dict[tuple[int, int], Kisai] = {}
    for entry in touched:
        firsts.setdefault((entry.fuhyo_id, entry.person_no), entry)
    for (fuhyo_id, person_no), first in firsts.items():
        settle(uow)
        fuhyo = get_fuhyo(session, fuhyo_id)
        current = next(e for e in current_entries(session, fuhyo_id) if e.person_no == person_no)
        before = session.execute(
            select(Kisai)
            .where(Kisai.fuhyo_id == fuhyo_id, Kisai.person_no == person_no, Kisai.entry_no < first.entry_no)
            .order_by(Kisai.entry_no.desc())
            .limit(1)
        ).scalar_one_or_none()
        notice_id = log_local(
            uow,
            fuhyo,
            current,
            kind="torikeshi",
            jiyu=JIYU,
            effective_date=on,
            today=today,
            juki_ido_id=ido_id,
        )
        if before is None:
            remove_entry(
                uow,
                current,
                reason="記載の取消し",
                on=on,
                today=today,
                source="juki",
                juki_ido_id=ido_id,
                notice_id=notice_id,
            )
            continue
        pending = batch_of(uow)
        pending.ensure_fuhyo(fuhyo.id, fuhyo.honseki, fuhyo.hittosha)
        pending.append(
            fuhyo.id,
            current,
            kind="torikeshi",
            jiyu=JIYU,
            effective_date=on,
            source="juki",
            today=today,
            notice_id=notice_id,
            juki_ido_id=ido_id,
            **{name: getattr(before, name) for name in SNAPSHOT},
        )


def _tell_honsekichi(
    uow: UnitOfWork, *, atena_no: str, cancelled_ido_id: int, ido_id: int, on: dt.date | None, today: dt.date
) -> None:
    """A notice the cancelled 異動 sent elsewhere is followed by the items sent before it (or a 取消し)."""
    session = uow.session
    settle(uow)
    sent = list(
        session.execute(
            select(Tsuchi)
            .where(
                Tsuchi.direction == "out",
                Tsuchi.juki_ido_id == cancelled_ido_id,
                Tsuchi.atena_no == atena_no,
            )
            .order_by(Tsuchi.id)
        ).scalars()
    )
    if not sent:
        return
    first_sent = sent[0]
    prior = last_sent(session, atena_no, before_id=first_sent.id)
    restore = prior if prior is not None and key(prior.honseki) == key(first_sent.honseki) else None
    notice = Notice(
        kind="torikeshi",
        jiyu=JIYU,
        honseki=first_sent.honseki or "",
        hittosha=first_sent.hittosha,
        items=FuhyoItems.model_validate((restore or first_sent).items),
        effective_date=on,
        today=today,
        atena_no=atena_no,
        juki_ido_id=ido_id,
    )
    send_notice(uow, notice, force=True, cancels_kisai=restore is None)


def cancel_ido(
    uow: UnitOfWork, *, atena_no: str, cancelled_ido_id: int, ido_id: int, on: dt.date | None
) -> None:
    """The 附票 side of 住民記録's 取消し of ``cancelled_ido_id`` (itself the 異動 ``ido_id`` on ``on``)."""
    today = clock.today()
    ids = {"cancelled_ido_id": cancelled_ido_id, "ido_id": ido_id}
    _restore_local(uow, atena_no=atena_no, on=on, today=today, **ids)
    _tell_honsekichi(uow, atena_no=atena_no, on=on, today=today, **ids)
