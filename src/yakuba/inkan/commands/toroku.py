"""印鑑登録申請 (spec-resident.md §2, §6 #13–#14): who may register, the 本人確認, the 印影 and the name it
represents; registered at once with a 顔写真付き本人確認書類 or a 保証人, otherwise a 照会書 is posted and
:mod:`yakuba.inkan.commands.shokai` registers when the 回答書 comes back."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from yakuba import params
from yakuba.errors import InputError, NotFound
from yakuba.inkan import inei as inei_mod
from yakuba.inkan.commands._numbering import new_toroku_no
from yakuba.inkan.commands.card import issue_card
from yakuba.inkan.commands.shimei import record_represents
from yakuba.inkan.events import InkanApplicationReceived, InkanRegistered
from yakuba.inkan.history import append
from yakuba.inkan.models import InkanToroku
from yakuba.inkan.queries import (
    INEI_CONTEXT,
    card_by_no,
    forget_holders,
    get_toroku,
    inei_png,
    open_registration,
)
from yakuba.inkan.rules import (
    capacity_problems,
    check_recorded,
    existing_problem,
    is_valid_on,
    kaito_deadline,
    name_alerts,
    name_items,
    resident_problems,
)
from yakuba.inkan.schemas import Outcome, Shinsei
from yakuba.juki.public import AlertConfirmationRequired, current_row, setai_rows
from yakuba.kernel.wareki import format_wareki
from yakuba.uow import UnitOfWork


def check_eligibility(
    session: Session, atena_no: str, on: dt.date, *, applying: InkanToroku | None = None
) -> Any:
    """The person's current 住民票 row, or InputError naming each reason they cannot register."""
    try:
        row = current_row(session, atena_no)
    except NotFound:
        raise InputError.single(
            "宛名番号",
            f"宛名番号 {atena_no} の人はこの市区町村の住民基本台帳に記録されていないため登録できません",
        ) from None
    problems = resident_problems(row, on)
    existing = open_registration(session, atena_no)
    if existing is not None and existing is not applying:
        problems.append(existing_problem(existing))
    if problems:
        raise InputError(*problems)
    return row


def _hoshonin(session: Session, card_no: str | None, applicant: str, on: dt.date) -> InkanToroku:
    """The 保証人's registration: in force here, its name confirmed, and not the applicant's own."""
    if not card_no:
        raise InputError.single(
            "保証人の印鑑登録証", "保証人による確認では保証人の印鑑登録証の番号を入力してください"
        )
    try:
        card = card_by_no(session, card_no)
    except NotFound:
        raise InputError.single("保証人の印鑑登録証", f"印鑑登録証 {card_no} は登録されていません") from None
    toroku = get_toroku(session, card.toroku_id)
    if card.status != "yuko" or not is_valid_on(toroku, on) or toroku.name_status != "confirmed":
        raise InputError.single(
            "保証人の印鑑登録証", "保証人はこの市区町村で有効な印鑑登録を受けている人でなければなりません"
        )
    if toroku.atena_no == applicant:
        raise InputError.single("保証人の印鑑登録証", "本人が自分の保証人になることはできません")
    return toroku


def _similar_in_setai(
    uow: UnitOfWork, setai_no: str, atena_no: str, seal: inei_mod.Inei, on: dt.date
) -> list[str]:
    """Alerts for a seal the same as or like one another member of the 世帯 has registered."""
    threshold = float(params.get("municipal.inkan.similarity_alert_threshold", on=on))
    alerts: list[str] = []
    for member in setai_rows(uow.session, setai_no):
        if member.atena_no == atena_no:
            continue
        other = open_registration(uow.session, member.atena_no)
        if other is None:
            continue
        png = inei_png(uow, other)
        if other.inei_sha256 == seal.sha256:
            score = 1.0
        else:
            score = inei_mod.similarity(
                seal,
                inei_mod.mask_of_png(png),
                a_mm=seal.measurement.square_mm,
                b_mm=other.square_um / 1000,
            )
        if score >= threshold:
            alerts.append(
                f"同一世帯の {member.shi}{member.mei}（宛名番号 {member.atena_no}）が"
                "登録している印鑑と同一又は類似です"
                f"（類似度 {score:.2f}）。同一又は類似の印鑑は登録できません"
            )
    return alerts


# --------------------------------------------------------------------------------------------- commands


def shinsei(uow: UnitOfWork, command: Shinsei, *, today: dt.date) -> Outcome:
    """印鑑登録申請: register at once (顔写真付き本人確認書類 / 保証人) or post a 照会書."""
    session = uow.session
    problems = capacity_problems(
        ishi_noryoku_nashi=command.ishi_noryoku_nashi,
        seinen_hikokennin=command.seinen_hikokennin,
        kokennin_dohan=command.kokennin_dohan,
        on=today,
    )
    if problems:
        raise InputError(*problems)
    row = check_eligibility(session, command.atena_no, today)
    # 本人確認の方法
    if command.dairinin and command.kakunin_hoho != "shokaisho":
        raise InputError.single("本人確認の方法", "代理人による申請は、本人への照会書と回答書で確認します")
    hoshonin: InkanToroku | None = None
    documents = params.get("inkan.photo_id_documents", on=today)
    if command.kakunin_hoho == "photo_id" and command.kakunin_document not in documents:
        raise InputError.single(
            "本人確認書類",
            f"官公署発行の顔写真付き本人確認書類を選んでください（{'・'.join(documents.values())}）",
        )
    if command.kakunin_hoho == "hoshonin":
        hoshonin = _hoshonin(session, command.hoshonin_card_no, command.atena_no, today)
    # 印影
    try:
        data = base64.b64decode(command.inei_png_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InputError.single("印影", "画像の base64 が正しくありません") from None
    seal = inei_mod.decode(data, dpi=command.dpi, on=today)
    inei_mod.check_size(seal.measurement, on=today)
    if not command.mokushi_kakunin:
        ratio = float(params.get("municipal.inkan.rim_missing_max_ratio", on=today))
        raise InputError.single(
            "印鑑の確認",
            "ゴム印など変形しやすいもの、氏名以外の事項を表すもの、印影が不鮮明なもの、外枠が"
            f"{round(ratio * 100)}%以上欠けたもの、大量生産品でないことを確認してください",
        )
    items = name_items(row)
    check_recorded(items, command.represents)
    if not command.name_confirmed:
        raise InputError.single(
            "氏名の確認",
            "印鑑が住民票に記録された氏名・氏・名・旧氏・通称・片仮名表記を表していることを確認してください",
        )
    alerts = name_alerts(items, command.inbun, command.represents)
    alerts += _similar_in_setai(uow, row.setai_no, command.atena_no, seal, today)
    if alerts and not command.confirm_alerts:
        raise AlertConfirmationRequired(alerts)
    m = seal.measurement
    forget_holders(uow)  # this person now holds a registration: the handlers' skip list is stale
    toroku = InkanToroku(
        atena_no=command.atena_no,
        shinsei_date=today,
        kakunin_hoho=command.kakunin_hoho,
        kakunin_document=command.kakunin_document if command.kakunin_hoho == "photo_id" else None,
        hoshonin_toroku_id=hoshonin.id if hoshonin else None,
        dairinin=command.dairinin,
        inei_enc=uow.field_cipher.encrypt(base64.b64encode(seal.png).decode("ascii"), context=INEI_CONTEXT),
        inei_sha256=seal.sha256,
        dpi=m.dpi,
        width_um=round(m.width_mm * 1000),
        height_um=round(m.height_mm * 1000),
        square_um=round(m.square_mm * 1000),
        inbun=command.inbun,
        created_by=uow.actor.login,
        status="shokai",
        name_status="confirmed",
        last_seq=0,
    )
    session.add(toroku)
    session.flush()
    append(
        uow,
        toroku,
        "shinsei",
        effective_date=today,
        detail={
            "kakunin_hoho": command.kakunin_hoho,
            "kakunin_document": toroku.kakunin_document,
            "hoshonin_toroku_no": hoshonin.toroku_no if hoshonin else None,
            "dairinin": command.dairinin,
            "seinen_hikokennin": command.seinen_hikokennin,
            "kokennin_dohan": command.kokennin_dohan,
            "measurement": asdict(m),
            "confirmed_alerts": alerts,
        },
    )
    record_represents(uow, toroku, command.represents, items, today)
    if row.jumin_jotai == "02" and row.tenshutsu_yotei_date is not None:
        append(uow, toroku, "massho_yotei", effective_date=row.tenshutsu_yotei_date, jiyu="tenshutsu")
    outcome = Outcome(
        toroku_id=toroku.id, atena_no=toroku.atena_no, status="shokai", alerts=alerts, measurement=asdict(m)
    )
    if command.kakunin_hoho == "shokaisho":
        base = today  # the 照会書 is posted on the day of the application (start hasso or shinsei alike)
        toroku.shokaisho_date = today
        toroku.kaito_deadline = kaito_deadline(base, today)
        append(
            uow,
            toroku,
            "shokaisho_hasso",
            effective_date=today,
            detail={"kaito_deadline": toroku.kaito_deadline.isoformat()},
        )
        uow.record(
            InkanApplicationReceived(
                toroku_id=toroku.id,
                atena_no=toroku.atena_no,
                shokaisho_date=today,
                kaito_deadline=toroku.kaito_deadline,
            )
        )
        outcome.kaito_deadline = toroku.kaito_deadline
        outcome.message = (
            f"照会書を送付します。回答書を{format_wareki(toroku.kaito_deadline)}までに持参してください"
            "（期限を過ぎると登録されません）"
        )
        return outcome
    return register(uow, toroku, today, outcome)


def register(uow: UnitOfWork, toroku: InkanToroku, today: dt.date, outcome: Outcome) -> Outcome:
    """登録: a 登録番号 and a card for an application whose 本人確認 is complete (at once or by 回答書)."""
    toroku_no = new_toroku_no(uow.session, today)
    append(uow, toroku, "toroku", effective_date=today, detail={"toroku_no": toroku_no})
    card = issue_card(uow, toroku, today, reason="toroku")
    fee = int(params.get("municipal.inkan.fees.toroku", on=today))
    uow.record(
        InkanRegistered(
            toroku_id=toroku.id,
            atena_no=toroku.atena_no,
            toroku_no=toroku_no,
            toroku_date=today,
            kakunin_hoho=toroku.kakunin_hoho,
        )
    )
    outcome.status = "toroku"
    outcome.toroku_no = toroku_no
    outcome.card_no = card.card_no
    outcome.fee = fee
    outcome.message = f"登録しました（登録番号 {toroku_no}）。印鑑登録証を交付します"
    return outcome
