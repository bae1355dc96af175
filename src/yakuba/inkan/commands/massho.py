"""職権抹消: by the clerk for a reason 住民記録 does not signal, and by 住民記録's own 異動 — a 転出届 (valid
until the 転出予定日), a 消除, a 転入通知 that confirms an earlier 転出 — and the undoing of a cancelled 異動.
The handlers (:mod:`yakuba.inkan.handlers`) call these in the transaction of the 異動."""

from __future__ import annotations

import datetime as dt

from yakuba.errors import InputError
from yakuba.inkan.commands._massho import end_registration
from yakuba.inkan.events import InkanEndDateCorrected, InkanRegistrationRestored
from yakuba.inkan.history import append
from yakuba.inkan.models import OPEN_STATUSES
from yakuba.inkan.queries import card_by_no, events_of, get_registered, open_registration, registrations_of
from yakuba.inkan.schemas import Outcome, ShokkenMassho
from yakuba.uow import UnitOfWork


def shokken_massho(uow: UnitOfWork, toroku_id: int, command: ShokkenMassho, *, today: dt.date) -> Outcome:
    """職権抹消 for a reason 住民記録 does not signal (e.g. 登録資格の喪失が判明)."""
    toroku = get_registered(uow.session, toroku_id)
    on = command.end_date or today
    if on > today:
        raise InputError.single("抹消日", "未来の日付は指定できません")
    end_registration(uow, toroku, "shikaku_soshitsu", on, shokken=True, detail={"reason": command.reason})
    return Outcome(
        toroku.id, toroku.atena_no, "massho", toroku_no=toroku.toroku_no, end_jiyu="shikaku_soshitsu"
    )


def schedule_tenshutsu(uow: UnitOfWork, atena_no: str, yotei: dt.date, *, ido_id: int) -> None:
    """転出届: the registration stays valid until the day before the 転出予定日, then ends on it."""
    toroku = open_registration(uow.session, atena_no)
    if toroku is None:
        return
    append(uow, toroku, "massho_yotei", effective_date=yotei, jiyu="tenshutsu", ido_id=ido_id)


def end_by_removal(
    uow: UnitOfWork, atena_no: str, jiyu: str, on: dt.date, *, ido_id: int, shojo_jiyu: str
) -> None:
    """消除 (転出・死亡・その他): 職権抹消 on the 消除 date."""
    toroku = open_registration(uow.session, atena_no)
    if toroku is None:
        return
    end_registration(uow, toroku, jiyu, on, shokken=True, ido_id=ido_id, detail={"shojo_jiyu": shojo_jiyu})


def correct_tenshutsu_date(uow: UnitOfWork, atena_no: str, removal: dt.date, *, ido_id: int) -> None:
    """転入通知: the 転出 is confirmed on an earlier day than the 予定日 — end (or re-date the end) on it."""
    toroku = open_registration(uow.session, atena_no)
    if toroku is not None:
        end_registration(
            uow, toroku, "tenshutsu", removal, shokken=True, ido_id=ido_id, detail={"kakutei": True}
        )
        return
    ended = [
        t
        for t in registrations_of(uow.session, atena_no)
        if t.status == "massho" and t.end_jiyu == "tenshutsu"
    ]
    if not ended:
        return
    last = ended[-1]
    if last.end_date is not None and removal >= last.end_date:
        return
    previous = last.end_date
    append(
        uow,
        last,
        "massho_date_teisei",
        effective_date=removal,
        jiyu="tenshutsu",
        ido_id=ido_id,
        detail={"previous": previous.isoformat() if previous else None},
    )
    uow.record(
        InkanEndDateCorrected(
            toroku_id=last.id,
            atena_no=atena_no,
            toroku_no=last.toroku_no or "",
            previous_end_date=previous,
            end_date=removal,
        )
    )


def undo_ido(uow: UnitOfWork, atena_no: str, cancelled_ido_id: int, *, resident_active: bool) -> None:
    """異動の取消し: reverse what that 異動 caused here (scheduled end, 抹消, re-opened confirmation)."""
    for toroku in registrations_of(uow.session, atena_no):
        events = events_of(uow.session, toroku.id)
        caused = [ev for ev in events if ev.ido_id == cancelled_ido_id]
        if not caused:
            continue
        kinds = {ev.kind for ev in caused}
        if "massho" in kinds and toroku.status == "massho" and resident_active:
            if open_registration(uow.session, atena_no) is not None:
                continue  # the person registered again meanwhile: the old registration stays ended
            massho = next(ev for ev in reversed(caused) if ev.kind == "massho")
            reopened_before = "shimei_saikakunin" in kinds
            append(
                uow,
                toroku,
                "kaifuku",
                ido_id=cancelled_ido_id,
                detail={"massho_seq": massho.seq, "name_status": "confirmed" if reopened_before else None},
            )
            for card_no in (massho.detail or {}).get("cards", []):
                card = card_by_no(uow.session, card_no)
                if card.status == "mukou":
                    append(
                        uow,
                        toroku,
                        "card_fukki",
                        card=card,
                        ido_id=cancelled_ido_id,
                        detail={"card_no": card_no},
                    )
            uow.record(
                InkanRegistrationRestored(
                    toroku_id=toroku.id, atena_no=atena_no, toroku_no=toroku.toroku_no or ""
                )
            )
        elif (
            "massho_yotei" in kinds
            and toroku.status in OPEN_STATUSES
            and toroku.tenshutsu_yotei_date is not None
        ):
            append(uow, toroku, "massho_yotei_torikeshi", ido_id=cancelled_ido_id)
        elif "shimei_saikakunin" in kinds and toroku.name_status == "reopened":
            append(uow, toroku, "shimei_saikakunin_torikeshi", ido_id=cancelled_ido_id)
