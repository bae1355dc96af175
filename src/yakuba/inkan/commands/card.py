"""印鑑登録証: 交付 (with a registration or a 再交付), 亡失届, 再交付, and the return of a card found again.

The 交付 lives here so that 登録 and 再交付 number and log a card the same way."""

from __future__ import annotations

import datetime as dt

from yakuba import params
from yakuba.errors import InputError
from yakuba.inkan.commands._massho import end_registration
from yakuba.inkan.commands._numbering import new_card_no
from yakuba.inkan.history import card_event
from yakuba.inkan.models import InkanCard, InkanToroku
from yakuba.inkan.queries import card_by_no, get_registered, get_toroku, valid_card
from yakuba.inkan.rules import is_valid_on
from yakuba.inkan.schemas import Outcome, Saikofu
from yakuba.uow import UnitOfWork


def issue_card(uow: UnitOfWork, toroku: InkanToroku, on: dt.date, *, reason: str) -> InkanCard:
    """A new card with a new number, valid from ``on``."""
    card = InkanCard(card_no=new_card_no(uow.session), toroku_id=toroku.id, issued_date=on, status="yuko")
    uow.session.add(card)
    uow.session.flush()
    card_event(uow, toroku, "card_kofu", card, on=on, detail={"card_no": card.card_no, "reason": reason})
    return card


def boshitsu(uow: UnitOfWork, toroku_id: int, *, today: dt.date) -> Outcome:
    """亡失届: the card is lost; per ``municipal.inkan.boshitsu_ends_registration`` the registration ends."""
    toroku = get_registered(uow.session, toroku_id)
    card = valid_card(uow.session, toroku.id)
    if card is None:
        raise InputError.single("印鑑登録証", "有効な印鑑登録証がありません（既に亡失届があります）")
    card_event(uow, toroku, "card_boshitsu", card, on=today, detail={"card_no": card.card_no})
    if params.get("municipal.inkan.boshitsu_ends_registration", on=today):
        end_registration(uow, toroku, "boshitsu", today, shokken=False, detail={"card_no": card.card_no})
        return Outcome(
            toroku.id,
            toroku.atena_no,
            "massho",
            toroku_no=toroku.toroku_no,
            end_jiyu="boshitsu",
            message="印鑑登録証の亡失届により印鑑登録を抹消しました。必要なら改めて登録してください",
        )
    return Outcome(
        toroku.id,
        toroku.atena_no,
        "toroku",
        toroku_no=toroku.toroku_no,
        message="印鑑登録証を亡失として無効にしました。再交付まで証明書は交付できません",
    )


def saikofu(uow: UnitOfWork, toroku_id: int, command: Saikofu, *, today: dt.date) -> Outcome:
    """再交付: a new card (new number); a damaged card is surrendered, a lost one was already reported."""
    toroku = get_registered(uow.session, toroku_id)
    if not is_valid_on(toroku, today):
        raise InputError.single("登録番号", "転出予定日以後は再交付できません")
    current = valid_card(uow.session, toroku.id)
    if command.reason == "kison":
        if current is None:
            raise InputError.single(
                "再交付の理由", "返還する印鑑登録証がありません（亡失の場合は亡失届をしてください）"
            )
        card_event(
            uow,
            toroku,
            "card_kaishu",
            current,
            on=today,
            detail={"card_no": current.card_no, "reason": "kison"},
        )
    elif current is not None:
        raise InputError.single(
            "再交付の理由", "有効な印鑑登録証があります。亡失の場合は先に亡失届をしてください"
        )
    card = issue_card(uow, toroku, today, reason=f"saikofu_{command.reason}")
    fee = int(params.get("municipal.inkan.fees.saikofu", on=today))
    return Outcome(
        toroku.id,
        toroku.atena_no,
        "toroku",
        toroku_no=toroku.toroku_no,
        card_no=card.card_no,
        fee=fee,
        message="印鑑登録証を再交付しました",
    )


def card_henkan(uow: UnitOfWork, card_no: str, *, today: dt.date) -> Outcome:
    """亡失した印鑑登録証を発見し返還した (永平寺町規則第7条): the card is recorded as returned."""
    card = card_by_no(uow.session, card_no)
    toroku = get_toroku(uow.session, card.toroku_id)
    if card.status != "boshitsu":
        raise InputError.single("印鑑登録証", "亡失届のあった印鑑登録証ではありません")
    card_event(uow, toroku, "card_kaishu", card, on=today, detail={"card_no": card_no, "reason": "hakken"})
    return Outcome(
        toroku.id, toroku.atena_no, toroku.status, toroku_no=toroku.toroku_no, message="返還を受けました"
    )
