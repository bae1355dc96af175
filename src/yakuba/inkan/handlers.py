"""印鑑登録 reacts to 住民記録 (spec-resident.md §2 廃止・抹消 職権): in the same transaction as the 異動.

| 住民記録 event | effect here |
|---|---|
| TenshutsuFiled | valid until the day before the 転出予定日 (``massho_yotei``) |
| ResidentRemoved | 職権抹消 on the 消除 date: 転出 (B01/B02), 死亡 (B03), any other 消除 |
| TenshutsuConfirmed | the earlier 確定 date ends it, or re-dates an end already made on the 予定日 |
| NameChanged; ResidentCorrected of カナ | the staff confirmation that the seal represents the name re-opens |
| IdoCancelled | what the cancelled 異動 caused is reversed (scheduled end, 抹消, re-opened confirmation) |
| ResidentMoved (転居) | nothing: the address is read from 住民記録 when a certificate is printed |
"""

from __future__ import annotations

from yakuba.events import MessageBus
from yakuba.inkan import queries, rules
from yakuba.inkan.commands import massho, shimei
from yakuba.juki.public import (
    IdoCancelled,
    JukiEvent,
    NameChanged,
    ResidentCorrected,
    ResidentRemoved,
    TenshutsuConfirmed,
    TenshutsuFiled,
)
from yakuba.uow import UnitOfWork

TENSHUTSU_JIYU = frozenset({"B01", "B02"})
SHIBO_JIYU = frozenset({"B03"})
ACTIVE_STATES = frozenset({"01", "02"})


def massho_jiyu_for(shojo_jiyu: str) -> str:
    """住民記録の消除事由 → 印鑑登録の抹消事由."""
    if shojo_jiyu in TENSHUTSU_JIYU:
        return "tenshutsu"
    if shojo_jiyu in SHIBO_JIYU:
        return "shibo"
    return "shojo"


def _concerns(uow: UnitOfWork, event: JukiEvent) -> bool:
    """Whether the person has (or had) a 印鑑登録; asked for every queued person at once, then remembered.

    The events still queued in this dispatch round are read (never changed) so that a 世帯 or a daily
    batch costs one query, not one per person."""
    known = uow.scratch.get(queries.HOLDERS_KEY)
    if known is not None and event.atena_no in known:
        return bool(known[event.atena_no])
    queued = [e.atena_no for e in uow.queued if isinstance(e, JukiEvent)]
    return event.atena_no in queries.holders(uow, [event.atena_no, *queued])


def on_tenshutsu_filed(event: TenshutsuFiled, uow: UnitOfWork) -> None:
    if not _concerns(uow, event):
        return
    massho.schedule_tenshutsu(uow, event.atena_no, event.yotei_date, ido_id=event.ido_id)


def on_resident_removed(event: ResidentRemoved, uow: UnitOfWork) -> None:
    on = event.shojo_date or event.resident.shojo_date or event.ido_date
    if on is None:  # a 消除 always has a date; refuse to guess one
        raise ValueError(f"消除日のない消除の通知です（異動 {event.ido_id}）")
    if not _concerns(uow, event):
        return
    massho.end_by_removal(
        uow,
        event.atena_no,
        massho_jiyu_for(event.shojo_jiyu),
        on,
        ido_id=event.ido_id,
        shojo_jiyu=event.shojo_jiyu,
    )


def on_tenshutsu_confirmed(event: TenshutsuConfirmed, uow: UnitOfWork) -> None:
    if not _concerns(uow, event):
        return
    candidates = [
        d for d in (event.resident.shojo_date, event.resident.tenshutsu_yotei_date, event.kakutei_date) if d
    ]
    massho.correct_tenshutsu_date(uow, event.atena_no, min(candidates), ido_id=event.ido_id)


def _reopen(event: NameChanged | ResidentCorrected, uow: UnitOfWork, previous: dict[str, str | None]) -> None:
    toroku = queries.open_registration(uow.session, event.atena_no)
    if toroku is None:
        return
    items = rules.name_items(event.resident)
    shimei.reopen_name(
        uow,
        event.atena_no,
        ido_id=event.ido_id,
        on=event.ido_date,
        detail={
            "previous": previous,
            "now": {k: v for k, v in items.items() if v},
            "matching_now": rules.matching_items(items, toroku.inbun),
        },
    )


def on_name_changed(event: NameChanged, uow: UnitOfWork) -> None:
    if not _concerns(uow, event):
        return
    _reopen(event, uow, {"shi": event.previous_shi, "mei": event.previous_mei})


def on_resident_corrected(event: ResidentCorrected, uow: UnitOfWork) -> None:
    """A カナ correction matters only to a seal registered in the 片仮名表記 (NameChanged covers 氏・名)."""
    if not rules.KANA_ITEMS & set(event.changed_items) or not _concerns(uow, event):
        return
    toroku = queries.open_registration(uow.session, event.atena_no)
    if toroku is None or toroku.represents != "kana":
        return
    _reopen(event, uow, {"changed_items": ",".join(sorted(event.changed_items))})


def on_ido_cancelled(event: IdoCancelled, uow: UnitOfWork) -> None:
    if not _concerns(uow, event):
        return
    massho.undo_ido(
        uow,
        event.atena_no,
        event.cancelled_ido_id,
        resident_active=event.resident.jumin_jotai in ACTIVE_STATES,
    )


def register_handlers(bus: MessageBus) -> None:
    bus.subscribe(TenshutsuFiled, on_tenshutsu_filed)
    bus.subscribe(ResidentRemoved, on_resident_removed)
    bus.subscribe(TenshutsuConfirmed, on_tenshutsu_confirmed)
    bus.subscribe(NameChanged, on_name_changed)
    bus.subscribe(ResidentCorrected, on_resident_corrected)
    bus.subscribe(IdoCancelled, on_ido_cancelled)
