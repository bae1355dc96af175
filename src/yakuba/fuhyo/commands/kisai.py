"""記載・修正 of a local 附票 (住民基本台帳法第18条) from a 附票記載事項通知 — from 住民記録 (the 住所地 is
this office too) or from another municipality — and the notices kept for a clerk (要確認).

:func:`apply_notice` is the one writer of a local 附票's 記載 and 修正: it compares the items with the
person's current entry and appends a complete new entry only when something changed, logging the notice
either way. Handlers and the API's commands (``jushin``) call it alike; it works on the transaction's
batch and is written at commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yakuba.fuhyo.commands.batching import Notice, batch_of
from yakuba.fuhyo.rules import changed_items, items_of, match_person
from yakuba.uow import UnitOfWork


@dataclass
class Outcome:
    """What :func:`apply_notice` did: the notice, its 附票, the entry appended (if any)."""

    notice_id: int
    fuhyo_id: int
    entry: Any | None
    changed: list[str]
    status: str


def apply_notice(
    uow: UnitOfWork,
    notice: Notice,
    *,
    channel: str,
    from_lg_code: str | None = None,
    from_name: str | None = None,
    batch: str | None = None,
    line_no: int | None = None,
) -> Outcome:
    """Reflect one 附票記載事項通知 on the local 附票 (本籍 here): log it, then append if changed."""
    items, honseki, hittosha = notice.items, notice.honseki, notice.hittosha
    assert items is not None and honseki is not None and hittosha is not None
    pending = batch_of(uow)
    logged = pending.log(
        notice,
        direction="in",
        channel=channel,
        status="applied",
        from_lg_code=from_lg_code,
        from_name=from_name,
        batch=batch,
        line_no=line_no,
    )
    fuhyo_id, created = pending.open_or_create(honseki, hittosha, notice.today)
    logged["fuhyo_id"] = fuhyo_id
    person = match_person(
        pending.entries(fuhyo_id),
        jumin_code=items.jumin_code,
        atena_no=notice.atena_no,
        shi=items.shi,
        mei=items.mei,
        birth_date=items.birth_date,
    )
    before = items_of(person) if person is not None and not person.removed else None
    changed = changed_items(before, items)
    same_holder = person is not None and person.atena_no == notice.atena_no
    if before is not None and not changed and same_holder:
        logged["status"] = "unchanged"
        logged["message"] = "記載事項に変更はありません"
        return Outcome(logged["id"], fuhyo_id, None, [], "unchanged")
    note = None
    if created and notice.kind != "kisai":
        note = "附票がなかったため、この通知により作成"
    elif person is None and notice.kind != "kisai":
        note = "附票に記載のない者のため、この通知により記載"
    entry = pending.append(
        fuhyo_id,
        person,
        kind=notice.kind,
        jiyu=notice.jiyu,
        effective_date=notice.effective_date,
        source="juki" if channel == "juki" else "notice",
        today=notice.today,
        items=items,
        notice_id=logged["id"],
        juki_ido_id=notice.juki_ido_id,
        note=note,
        atena_no=notice.atena_no,
        removed=False,
        removed_date=None,
        removed_reason=None,
    )
    logged["changed"] = changed
    logged["message"] = note
    return Outcome(logged["id"], fuhyo_id, entry, changed, "applied")


def hold(uow: UnitOfWork, notice: Notice, *, reason: str) -> int:
    """A notice from 住民記録 that cannot be reflected yet (e.g. no 筆頭者): kept for a clerk (要確認)."""
    row = batch_of(uow).log(notice, direction="in", channel="juki", status="hold", message=reason)
    return int(row["id"])
