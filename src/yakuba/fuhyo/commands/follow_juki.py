"""A 住民記録 異動 becomes a 附票記載事項通知 (住民基本台帳法第19条第1項) — reflected on the local 附票 or
sent to the 本籍地 — decided per event, read per batch (docs/decisions/handler-batching.md).

:func:`reflect` is what the handlers call for every 記載・転居・国外転出・職権消除・修正: it loads, on a cache
miss, what this event *and every event still queued* need in one query per table, derives the items, and
hands them to the same commands the API uses (``kisai.apply_notice``, ``soshin.send_notice``,
``kisai.hold``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from yakuba import params
from yakuba.fuhyo.commands.batching import FuhyoBatch, Notice, batch_of
from yakuba.fuhyo.commands.kisai import apply_notice, hold
from yakuba.fuhyo.commands.soshin import send_notice
from yakuba.fuhyo.rules import (
    has_honseki,
    is_local_honseki,
    items_of,
    key,
    kokugai_items,
    match_person,
    resident_items,
)
from yakuba.fuhyo.schemas import FuhyoItems
from yakuba.juki.public import JukiEvent, ResidentRegistered, ResidentSummary
from yakuba.kernel import clock
from yakuba.uow import UnitOfWork

_DAY = "fuhyo.day"
NO_HITTOSHA = "筆頭者が住民票に記載されていないため附票を特定できません（要確認）"


@dataclass
class Day:
    """What every event of a transaction looks up alike: the day, the 事由 names, which 本籍 is local.

    Kept in ``uow.scratch`` so a batch of thousands of events reads the parameters once."""

    today: dt.date
    jiyu_names: dict[str, Any]
    local: dict[str, bool] = field(default_factory=dict)

    def is_local(self, honseki: str | None) -> bool:
        k = honseki or ""
        if k not in self.local:
            self.local[k] = is_local_honseki(honseki, self.today)
        return self.local[k]

    def jiyu(self, event: JukiEvent) -> str:
        entry = self.jiyu_names.get(event.jiyu_code)
        return str(entry["name"]) if entry else event.jiyu_code


def day_of(uow: UnitOfWork) -> Day:
    found = uow.scratch.get(_DAY)
    if isinstance(found, Day):
        return found
    today = clock.today()
    made = Day(today, dict(params.get("juki.ido_jiyu", on=today)))
    uow.scratch[_DAY] = made
    return made


def on_file(s: ResidentSummary) -> bool:
    """A 住民 (not a foreign resident) with a 本籍: someone a 附票 is kept for."""
    return s.jumin_shubetsu == "1" and has_honseki(s.honseki)


def _upcoming(uow: UnitOfWork) -> list[ResidentSummary]:
    """The residents of the events still queued in this dispatch round (a 世帯, or a bulk batch).

    Read, never changed: it lets the first event load what the others will need in one query each.
    """
    return [e.resident for e in uow.queued if isinstance(e, JukiEvent)]


def _prefetch(
    uow: UnitOfWork, pending: FuhyoBatch, day: Day, s: ResidentSummary, *, new_residents: bool = False
) -> None:
    """Load, for this resident and every queued one, what the 附票 handlers read — unless already known."""
    local = day.is_local(s.honseki)
    if local and s.hittosha and s.honseki:
        if (key(s.honseki), key(s.hittosha)) in pending.by_key:
            return
    elif local or s.atena_no in pending.sent:
        return
    people = [p for p in [s, *_upcoming(uow)] if on_file(p)]
    pending.load_sent(
        (p.atena_no for p in people if not day.is_local(p.honseki)), new_residents=new_residents
    )
    pending.load_fuhyo(
        (p.honseki, p.hittosha) for p in people if p.honseki and p.hittosha and day.is_local(p.honseki)
    )


def _previous(pending: FuhyoBatch, s: ResidentSummary, local: bool) -> FuhyoItems | None:
    """What the 本籍地 last knew of this resident: the local entry, or the last notice sent."""
    if local:
        if not s.honseki or not s.hittosha:
            return None
        fuhyo_id = pending.find(s.honseki, s.hittosha)
        if fuhyo_id is None:
            return None
        entry = match_person(pending.entries(fuhyo_id), jumin_code=s.jumin_code, atena_no=s.atena_no)
        return items_of(entry) if entry is not None and not entry.removed else None
    sent = pending.last_sent(s.atena_no)
    if sent is None or key(sent.honseki) != key(s.honseki):
        return None
    return FuhyoItems.model_validate(sent.items)


def derive(s: ResidentSummary, previous: FuhyoItems | None) -> FuhyoItems:
    """The 附票 items a resident's present 住民票 state implies."""
    if s.jumin_jotai == "15":  # 国外転出
        return kokugai_items(s, s.tenshutsu_yotei_date or s.shojo_date)
    if s.jumin_jotai == "02" and previous is not None and previous.kokugai:  # 国外転出届, before the day
        return kokugai_items(s, previous.jusho_date)
    if s.jumin_jotai == "11" and previous is not None:  # 転出: the address stays until the 転入 elsewhere
        return resident_items(
            s, address=previous.address, jusho_date=previous.jusho_date, kokugai=previous.kokugai
        )
    if s.jumin_jotai == "13":  # 職権消除
        return resident_items(s, jusho_shojo_date=s.shojo_date)
    return resident_items(s)


def reflect(
    uow: UnitOfWork,
    event: JukiEvent,
    *,
    kind: str,
    items: FuhyoItems | None = None,
    effective_date: dt.date | None = None,
    force: bool = False,
) -> None:
    """Send the event's 附票 items to where the 附票 is kept (here, or the 本籍地 through the outbox).

    Decided in memory and written at commit (``commands.batching``): no query unless this resident's 附票
    or last notice is not known yet in this transaction."""
    s = event.resident
    if not on_file(s):
        return
    day = day_of(uow)
    local = day.is_local(s.honseki)
    pending = batch_of(uow)
    _prefetch(uow, pending, day, s, new_residents=isinstance(event, ResidentRegistered))
    if items is None:
        items = derive(s, _previous(pending, s, local))
    assert s.honseki is not None
    notice = Notice(
        kind=kind,
        jiyu=day.jiyu(event),
        honseki=s.honseki,
        hittosha=s.hittosha,
        items=items,
        effective_date=effective_date or event.ido_date,
        today=day.today,
        atena_no=s.atena_no,
        juki_ido_id=event.ido_id,
    )
    if not local:
        send_notice(uow, notice, force=force)
    elif not s.hittosha:
        hold(uow, replace(notice, hittosha=None), reason=NO_HITTOSHA)
    else:
        apply_notice(uow, notice, channel="juki")
