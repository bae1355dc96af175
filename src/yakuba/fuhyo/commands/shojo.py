"""消除 (住民基本台帳法第18条): a person leaves a local 附票 — the entry stays, marked as removed.

By the 戸籍 (婚姻・転籍・死亡 …, entered by a clerk: :func:`shojo`) or by 住民記録 (死亡・失踪・国籍喪失,
a new 戸籍: :func:`remove_local`). Rare paths: they settle the batch and read through the ORM, then write
through the batch like every other command.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from yakuba.errors import InputError, NotFound
from yakuba.fuhyo.commands.batching import Notice, batch_of, settle
from yakuba.fuhyo.models import Fuhyo
from yakuba.fuhyo.queries import current_entries, get_fuhyo, person_entries
from yakuba.fuhyo.rules import items_of
from yakuba.kernel import clock
from yakuba.uow import UnitOfWork


def log_local(
    uow: UnitOfWork,
    fuhyo: Fuhyo,
    entry: Any,
    *,
    kind: str,
    jiyu: str,
    effective_date: dt.date | None,
    today: dt.date,
    juki_ido_id: int | None,
) -> int:
    """Log a notice from 住民記録 that ends or restores an entry (消除, 取消し) before it is appended."""
    notice = Notice(
        kind=kind,
        jiyu=jiyu,
        honseki=fuhyo.honseki,
        hittosha=fuhyo.hittosha,
        items=None if entry.removed else items_of(entry),
        effective_date=effective_date,
        today=today,
        atena_no=entry.atena_no,
        juki_ido_id=juki_ido_id,
    )
    row = batch_of(uow).log(notice, direction="in", channel="juki", status="applied", fuhyo_id=fuhyo.id)
    return int(row["id"])


def remove_entry(
    uow: UnitOfWork,
    entry: Any,
    *,
    reason: str,
    on: dt.date | None,
    today: dt.date,
    source: str,
    juki_ido_id: int | None = None,
    notice_id: int | None = None,
    note: str | None = None,
) -> Any:
    """消除: the person left the 戸籍 (the entry stays on the 附票, marked as removed)."""
    fuhyo = get_fuhyo(uow.session, entry.fuhyo_id)
    pending = batch_of(uow)
    pending.ensure_fuhyo(fuhyo.id, fuhyo.honseki, fuhyo.hittosha)
    return pending.append(
        fuhyo.id,
        entry,
        kind="shojo",
        jiyu=reason,
        effective_date=on,
        source=source,
        today=today,
        juki_ido_id=juki_ido_id,
        notice_id=notice_id,
        note=note,
        removed=True,
        removed_date=on or today,
        removed_reason=reason,
    )


def shojo(
    uow: UnitOfWork,
    *,
    fuhyo_id: int,
    person_no: int,
    reason: str,
    on: dt.date,
    today: dt.date | None = None,
) -> Any:
    """A person left the 戸籍 (婚姻・転籍・死亡 …, as the 戸籍 states): 職権消除 of their 附票 entry (§18)."""
    if not reason.strip():
        raise InputError.single("消除の事由", "入力してください")
    today = today or clock.today()
    if on > today:
        raise InputError.single("消除の日", "未来の日付は指定できません")
    settle(uow)
    entry = next((e for e in current_entries(uow.session, fuhyo_id) if e.person_no == person_no), None)
    if entry is None:
        raise NotFound(f"附票 {fuhyo_id} に {person_no} 番の人はいません")
    if entry.removed:
        raise InputError.single("人の番号", f"{person_no} 番の人は既に消除されています")
    removed = remove_entry(uow, entry, reason=reason, on=on, today=today, source="manual")
    settle(uow)
    return removed


def remove_local(
    uow: UnitOfWork,
    *,
    atena_no: str,
    jumin_code: str | None,
    reason: str,
    on: dt.date | None,
    juki_ido_id: int | None,
    keep: int | None,
) -> None:
    """End a resident's entries on local 附票 (except the 附票 ``keep``), as 住民記録 reports. Rare: read
    through the ORM."""
    today = clock.today()
    settle(uow)
    for entry in person_entries(uow.session, atena_no=atena_no, jumin_code=jumin_code):
        if entry.removed or entry.fuhyo_id == keep:
            continue
        notice_id = log_local(
            uow,
            get_fuhyo(uow.session, entry.fuhyo_id),
            entry,
            kind="shojo",
            jiyu=reason,
            effective_date=on,
            today=today,
            juki_ido_id=juki_ido_id,
        )
        remove_entry(
            uow,
            entry,
            reason=reason,
            on=on,
            today=today,
            source="juki",
            juki_ido_id=juki_ido_id,
            notice_id=notice_id,
        )
