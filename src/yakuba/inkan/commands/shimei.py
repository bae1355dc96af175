"""氏名等の確認 (spec-resident.md §6 #15): the staff confirmation that the seal represents a recorded name,
made at the 申請, re-opened by a name change in 住民記録, and answered again here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from yakuba.errors import InputError
from yakuba.inkan.commands._massho import end_registration
from yakuba.inkan.events import InkanNameConfirmationReopened, InkanNameConfirmed
from yakuba.inkan.history import append
from yakuba.inkan.models import OPEN_STATUSES, InkanToroku
from yakuba.inkan.queries import events_of, get_toroku, open_registration
from yakuba.inkan.rules import check_recorded, ichibu_ok, name_items
from yakuba.inkan.schemas import Outcome, ShimeiKakunin
from yakuba.juki.public import current_row
from yakuba.uow import UnitOfWork


def record_represents(
    uow: UnitOfWork, toroku: InkanToroku, represents: str, items: Mapping[str, str | None], on: dt.date
) -> None:
    """Log which recorded name form the seal represents (its text, or the 印文 for 「一部の組合せ」)."""
    append(
        uow,
        toroku,
        "shimei_kakunin",
        effective_date=on,
        detail={"represents": represents, "text": items.get(represents) or toroku.inbun},
    )


def confirm_name(uow: UnitOfWork, toroku_id: int, command: ShimeiKakunin, *, today: dt.date) -> Outcome:
    """After a name change (§6 #15): the seal still represents a recorded name, or the registration lapses."""
    toroku = get_toroku(uow.session, toroku_id)
    if toroku.status not in OPEN_STATUSES:
        raise InputError.single("印鑑登録", "抹消された登録です")
    if toroku.name_status != "reopened":
        raise InputError.single("氏名の確認", "氏名等の変更による確認を待っている登録ではありません")
    reopen = next(ev for ev in reversed(events_of(uow.session, toroku.id)) if ev.kind == "shimei_saikakunin")
    if command.still_represents:
        if command.represents is None:
            raise InputError.single("印鑑が表す氏名等", "表している氏名等の種類を選んでください")
        row = current_row(uow.session, toroku.atena_no)
        items = name_items(row)
        check_recorded(items, command.represents)
        if command.represents == "ichibu" and not ichibu_ok(items, toroku.inbun):
            raise InputError.single(
                "印鑑が表す氏名等", f"印文「{toroku.inbun}」の文字が記録された氏名等にありません"
            )
        record_represents(uow, toroku, command.represents, items, today)
        uow.record(
            InkanNameConfirmed(toroku_id=toroku.id, atena_no=toroku.atena_no, represents=command.represents)
        )
        return Outcome(
            toroku.id, toroku.atena_no, toroku.status, toroku_no=toroku.toroku_no, message="確認しました"
        )
    on = reopen.effective_date or today
    end_registration(
        uow,
        toroku,
        "shimei_henko",
        on,
        shokken=True,
        ido_id=reopen.ido_id,
        detail={"confirmed_on": today.isoformat()},
    )
    return Outcome(
        toroku.id,
        toroku.atena_no,
        toroku.status,
        toroku_no=toroku.toroku_no,
        end_jiyu="shimei_henko",
        message="登録印鑑が氏名等を表さなくなったため、氏名等の変更の日で印鑑登録を抹消しました",
    )


def reopen_name(
    uow: UnitOfWork, atena_no: str, *, ido_id: int, on: dt.date | None, detail: dict[str, Any]
) -> None:
    """A name change re-opens the staff confirmation that the seal represents the recorded name (§6 #15)."""
    toroku = open_registration(uow.session, atena_no)
    if toroku is None:
        return
    if any(
        ev.kind == "shimei_saikakunin" and ev.ido_id == ido_id for ev in events_of(uow.session, toroku.id)
    ):
        return  # one 異動 re-opens once (修正 sends ResidentCorrected and NameChanged together)
    still = list(detail.get("matching_now", []))
    append(
        uow,
        toroku,
        "shimei_saikakunin",
        effective_date=on,
        ido_id=ido_id,
        detail={
            **detail,
            "inbun": toroku.inbun,
            "represents_before": toroku.represents,
            "matching_now": still,
        },
    )
    uow.record(InkanNameConfirmationReopened(toroku_id=toroku.id, atena_no=atena_no, ido_id=ido_id))
