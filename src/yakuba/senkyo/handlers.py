"""選挙人名簿管理 reacts to 住民記録 events (in the same transaction as the 異動).

Each event is first added to 選挙's own copy (``projection``); then the roll follows at once where the
law says 「直ちに」: 表示 on a 転出 or 職権消除 with its date (公職選挙法第27条第1項), 抹消 on 死亡
or 国籍喪失 (第28条第1号), 訂正 of 氏名 and 住所 with the 投票区 of the new address (第27条第2項・第17条),
and the undoing of a 表示 or a wrong registration when 住民記録 cancels the 異動 behind it.
Dated changes (the four-month 抹消, 選挙権停止) are the daily batch's work (``batch``).
"""

from __future__ import annotations

import datetime as dt

from yakuba.events import MessageBus
from yakuba.juki.public import (
    IdoCancelled,
    JukiEvent,
    NameChanged,
    NationalityChanged,
    ResidentCorrected,
    ResidentMoved,
    ResidentRegistered,
    ResidentRemoved,
    SetaiChanged,
    TenshutsuConfirmed,
    TenshutsuFiled,
)
from yakuba.kernel import clock
from yakuba.senkyo import meibo, projection
from yakuba.senkyo.commands.batch import LOSS_OF_JUSHO
from yakuba.senkyo.commands.tohyoku import assigner_for
from yakuba.senkyo.models import Jumin
from yakuba.uow import UnitOfWork

# 住民票 items whose change is a 訂正 of the roll entry (第27条第2項); others (linked_items …) are not.
ROLL_ITEMS = frozenset(
    {
        "shi",
        "mei",
        "shi_kana",
        "mei_kana",
        "sex",
        "birth_date",
        "choaza_code",
        "choaza_name",
        "banchi",
        "katagaki",
        "postal_code",
        "jusho_code",
        "setai_no",
    }
)
TEISEI_REASON: dict[type[JukiEvent], str] = {
    ResidentMoved: "jusho",
    NameChanged: "shimei",
    ResidentCorrected: "kisai",
    SetaiChanged: "kisai",
}


def _today() -> dt.date:
    return clock.today()


def on_juki_event(event: JukiEvent, uow: UnitOfWork) -> None:
    """Keep 選挙's copy, then bring the roll along where the law says 「直ちに」.

    The copy is written once per transaction (``projection.record_pending``); the roll is read only for
    the events that can change it, so a 転入 or a 職権修正 of ``linked_items`` costs no query at all.
    """
    session = uow.session
    values = projection.record_pending(uow, event)
    if isinstance(event, ResidentCorrected) and not set(event.changed_items) & ROLL_ITEMS:
        return
    if isinstance(event, ResidentRemoved):
        entry = meibo.current(session, event.atena_no)
        shori = _today()
        on = event.shojo_date or event.ido_date or shori
        kind = projection.REMOVAL_KIND.get(event.shojo_jiyu)
        if not meibo.on_roll(entry):
            return
        if kind in ("shibo", "kokuseki"):
            meibo.massho(uow, event.atena_no, reason=kind, on=on, shori_date=shori)
        elif kind in LOSS_OF_JUSHO:
            meibo.hyoji_jusho(uow, event.atena_no, lost_on=on, reason=kind, shori_date=shori)
        elif (
            kind == "torikeshi"
        ):  # the 記載 itself was cancelled: the person should never have been registered
            meibo.massho(
                uow,
                event.atena_no,
                reason="ayamari",
                on=on,
                shori_date=shori,
                kokuji=True,
                note="住民記録の記載の取消し",
            )
        return
    if isinstance(event, TenshutsuConfirmed):
        # j50: the 転出日 becomes the earlier of the 予定日 and the 転入日; the 表示 and 抹消 date follow.
        entry = meibo.current(session, event.atena_no)
        if meibo.on_roll(entry) and entry is not None and entry.hyoji_jusho_date is not None:
            person = projection.person(session, event.atena_no)
            assert person is not None
            gone = projection.removal_date(person)
            if gone is not None and gone != entry.hyoji_jusho_date:
                meibo.hyoji_jusho(
                    uow,
                    event.atena_no,
                    lost_on=gone,
                    reason=entry.hyoji_jusho_reason or "tenshutsu",
                    shori_date=_today(),
                )
        return
    if isinstance(event, IdoCancelled):
        entry = meibo.current(session, event.atena_no)
        if not meibo.on_roll(entry) or entry is None:
            return
        person = projection.person(session, event.atena_no)
        assert person is not None
        shori = _today()
        on = event.ido_date or shori
        if entry.hyoji_jusho_date is not None and projection.is_present(
            person, max(on, entry.hyoji_jusho_date)
        ):
            if person.kiroku_start is not None and person.kiroku_start <= entry.hyoji_jusho_date:
                meibo.hyoji_shojo(
                    uow, event.atena_no, which="jusho", reason="torikeshi", on=on, shori_date=shori
                )
        elif person.shojo_jiyu == "B09":
            meibo.massho(
                uow,
                event.atena_no,
                reason="ayamari",
                on=on,
                shori_date=shori,
                kokuji=True,
                note="住民記録の記載の取消し",
            )
        else:
            _teisei(uow, event, person, reason="kisai", shori=shori)
        return
    reason = TEISEI_REASON.get(type(event))
    if reason is not None:
        # Every item a 訂正 copies comes from the event itself: no need to read the copy back.
        _teisei(uow, event, Jumin(atena_no=event.atena_no, **values), reason=reason, shori=_today())


def _teisei(uow: UnitOfWork, event: JukiEvent, person: Jumin, *, reason: str, shori: dt.date) -> None:
    entry = meibo.current(uow.session, event.atena_no)
    if not meibo.on_roll(entry) or entry is None:
        return
    on = event.ido_date or shori
    assigner = assigner_for(uow, on)
    code = (
        assigner.code_for(person.choaza_code, person.banchi)
        if assigner.master is not None
        else entry.tohyoku_code
    )
    meibo.teisei(uow, person, reason=reason, on=on, shori_date=shori, tohyoku_code=code, entry=entry)


def register_handlers(bus: MessageBus) -> None:
    """Subscribe to every 住民記録 event 選挙 keeps a copy of."""
    for event_cls in (
        ResidentRegistered,
        ResidentMoved,
        TenshutsuFiled,
        ResidentRemoved,
        TenshutsuConfirmed,
        NameChanged,
        SetaiChanged,
        ResidentCorrected,
        NationalityChanged,
        IdoCancelled,
    ):
        bus.subscribe(event_cls, on_juki_event)
