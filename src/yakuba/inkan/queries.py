"""Read side of 印鑑登録: registrations, cards and the event log by key, the stored 印影, and the views
the API shows. Nothing here changes a row (``holders`` only remembers an answer for the transaction)."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba.errors import InputError, NotFound
from yakuba.inkan.models import OPEN_STATUSES, InkanCard, InkanToroku, InkanTorokuEvent
from yakuba.uow import UnitOfWork

INEI_CONTEXT = "inkan.inei"  # the field-cipher context of the stored 印影


def get_toroku(session: Session, toroku_id: int) -> InkanToroku:
    row = session.get(InkanToroku, toroku_id)
    if row is None:
        raise NotFound(f"印鑑登録（申請）{toroku_id} は見つかりません")
    return row


def get_registered(session: Session, toroku_id: int) -> InkanToroku:
    """A registration that is in force (not an application, not ended): what 廃止・再交付・抹消 act on."""
    toroku = get_toroku(session, toroku_id)
    if toroku.status != "toroku":
        raise InputError.single("印鑑登録", "登録されている印鑑ではありません（照会中・不登録・抹消済み）")
    return toroku


def by_toroku_no(session: Session, toroku_no: str) -> InkanToroku:
    row = session.execute(select(InkanToroku).where(InkanToroku.toroku_no == toroku_no)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"登録番号 {toroku_no} の印鑑登録は見つかりません")
    return row


HOLDERS_KEY = "inkan.holders"
_CHUNK = 500


def holders(uow: UnitOfWork, atena_nos: list[str]) -> set[str]:
    """Which of these persons have (or had) a 印鑑登録 — remembered for the transaction.

    Most 住民記録 events concern persons who never registered a seal; the handlers ask this first, and
    the first event of a dispatch round asks it for every queued person in one query (not one each).
    """
    known: dict[str, bool] = uow.scratch.setdefault(HOLDERS_KEY, {})
    want = sorted({a for a in atena_nos if a not in known})
    for start in range(0, len(want), _CHUNK):
        chunk = want[start : start + _CHUNK]
        found = set(
            uow.session.execute(
                select(InkanToroku.atena_no).where(InkanToroku.atena_no.in_(chunk)).distinct()
            ).scalars()
        )
        known.update((a, a in found) for a in chunk)
    return {a for a in atena_nos if known.get(a)}


def forget_holders(uow: UnitOfWork) -> None:
    """A registration was made in this transaction: ask the database again."""
    uow.scratch.pop(HOLDERS_KEY, None)


def open_registration(session: Session, atena_no: str) -> InkanToroku | None:
    """The person's registration or pending application (at most one: a partial unique index)."""
    return session.execute(
        select(InkanToroku).where(InkanToroku.atena_no == atena_no, InkanToroku.status.in_(OPEN_STATUSES))
    ).scalar_one_or_none()


def registrations_of(session: Session, atena_no: str) -> list[InkanToroku]:
    return list(
        session.execute(
            select(InkanToroku).where(InkanToroku.atena_no == atena_no).order_by(InkanToroku.id)
        ).scalars()
    )


def cards_of(session: Session, toroku_id: int) -> list[InkanCard]:
    return list(
        session.execute(
            select(InkanCard).where(InkanCard.toroku_id == toroku_id).order_by(InkanCard.id)
        ).scalars()
    )


def card_by_no(session: Session, card_no: str) -> InkanCard:
    card = session.execute(select(InkanCard).where(InkanCard.card_no == card_no)).scalar_one_or_none()
    if card is None:
        raise NotFound(f"印鑑登録証 {card_no} は見つかりません")
    return card


def valid_card(session: Session, toroku_id: int) -> InkanCard | None:
    return session.execute(
        select(InkanCard).where(InkanCard.toroku_id == toroku_id, InkanCard.status == "yuko")
    ).scalar_one_or_none()


def events_of(session: Session, toroku_id: int) -> list[InkanTorokuEvent]:
    """The log of one registration in order (the API shows it; the reducer replays it)."""
    return list(
        session.execute(
            select(InkanTorokuEvent)
            .where(InkanTorokuEvent.toroku_id == toroku_id)
            .order_by(InkanTorokuEvent.seq)
        ).scalars()
    )


def inei_png(uow: UnitOfWork, toroku: InkanToroku) -> bytes:
    """The stored impression (decrypted)."""
    token = uow.field_cipher.decrypt(toroku.inei_enc, context=INEI_CONTEXT)
    return base64.b64decode(token)


def summary(toroku: InkanToroku, cards: list[InkanCard] | None = None) -> dict[str, Any]:
    """The registration without the 印影 (for lists and the API)."""
    view: dict[str, Any] = {
        "toroku_id": toroku.id,
        "atena_no": toroku.atena_no,
        "status": toroku.status,
        "toroku_no": toroku.toroku_no,
        "toroku_date": toroku.toroku_date,
        "shinsei_date": toroku.shinsei_date,
        "kakunin_hoho": toroku.kakunin_hoho,
        "shokaisho_date": toroku.shokaisho_date,
        "kaito_deadline": toroku.kaito_deadline,
        "inbun": toroku.inbun,
        "represents": toroku.represents,
        "represents_text": toroku.represents_text,
        "name_status": toroku.name_status,
        "tenshutsu_yotei_date": toroku.tenshutsu_yotei_date,
        "end_date": toroku.end_date,
        "end_jiyu": toroku.end_jiyu,
        "size_mm": {
            "square": toroku.square_um / 1000,
            "width": toroku.width_um / 1000,
            "height": toroku.height_um / 1000,
            "dpi": toroku.dpi,
        },
    }
    if cards is not None:
        view["cards"] = [
            {
                "card_no": c.card_no,
                "status": c.status,
                "issued_date": c.issued_date,
                "ended_date": c.ended_date,
            }
            for c in cards
        ]
    return view


def event_view(ev: InkanTorokuEvent) -> dict[str, Any]:
    """One log entry for the API."""
    return {
        "seq": ev.seq,
        "kind": ev.kind,
        "effective_date": ev.effective_date,
        "jiyu": ev.jiyu,
        "ido_id": ev.ido_id,
        "detail": ev.detail,
        "recorded_at": ev.recorded_at,
        "recorded_by": ev.recorded_by,
    }
