"""The 印鑑登録 event log and its projection (docs/decisions/inkan-history-and-storage.md).

Every state change appends an :class:`~yakuba.inkan.models.InkanTorokuEvent` through :func:`append`, which
also applies it to the projection columns with :func:`apply_event` — the one reducer that
:func:`rebuild_state` replays, so the projection can always be checked against the log.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from yakuba.inkan.events import InkanCardChanged
from yakuba.inkan.models import InkanCard, InkanToroku, InkanTorokuEvent
from yakuba.inkan.queries import events_of
from yakuba.uow import UnitOfWork


def apply_event(
    state: Any, kind: str, effective_date: dt.date | None, jiyu: str | None, detail: dict[str, Any]
) -> None:
    """Apply one event to the projection (an ``InkanToroku`` or any object with the same attributes)."""
    if kind == "shinsei":
        state.status = "shokai"
    elif kind == "toroku":
        state.status = "toroku"
        state.toroku_no = detail["toroku_no"]
        state.toroku_date = effective_date
    elif kind == "futoroku":
        state.status = "futoroku"
        state.end_date, state.end_jiyu = effective_date, jiyu
    elif kind == "shimei_kakunin":
        state.represents = detail["represents"]
        state.represents_text = detail.get("text")
        state.name_status = "confirmed"
    elif kind == "shimei_saikakunin":
        state.name_status = "reopened"
    elif kind == "shimei_saikakunin_torikeshi":
        state.name_status = "confirmed"
    elif kind == "massho_yotei":
        state.tenshutsu_yotei_date = effective_date
    elif kind == "massho_yotei_torikeshi":
        state.tenshutsu_yotei_date = None
    elif kind == "massho":
        state.status = "massho"
        state.end_date, state.end_jiyu = effective_date, jiyu
    elif kind == "massho_date_teisei":
        state.end_date = effective_date
    elif kind == "kaifuku":
        state.status = "toroku"
        state.end_date, state.end_jiyu = None, None
        if detail.get("name_status"):
            state.name_status = detail["name_status"]
    # card_* events change inkan_card rows only (see CARD_STATUS)


CARD_STATUS = {
    "card_kofu": "yuko",
    "card_boshitsu": "boshitsu",
    "card_kaishu": "kaishu",
    "card_mukou": "mukou",
    "card_fukki": "yuko",
}
PROJECTED = (
    "status",
    "toroku_no",
    "toroku_date",
    "represents",
    "represents_text",
    "name_status",
    "tenshutsu_yotei_date",
    "end_date",
    "end_jiyu",
)


def rebuild_state(session: Session, toroku_id: int) -> tuple[dict[str, Any], dict[int, str]]:
    """Replay the log: (projection of the registration, card id → status)."""
    state = SimpleNamespace(
        status=None,
        toroku_no=None,
        toroku_date=None,
        represents=None,
        represents_text=None,
        name_status="confirmed",
        tenshutsu_yotei_date=None,
        end_date=None,
        end_jiyu=None,
    )
    cards: dict[int, str] = {}
    for ev in events_of(session, toroku_id):
        apply_event(state, ev.kind, ev.effective_date, ev.jiyu, ev.detail or {})
        if ev.kind in CARD_STATUS and ev.card_id is not None:
            cards[ev.card_id] = CARD_STATUS[ev.kind]
    return {name: getattr(state, name) for name in PROJECTED}, cards


def append(
    uow: UnitOfWork,
    toroku: InkanToroku,
    kind: str,
    *,
    effective_date: dt.date | None = None,
    jiyu: str | None = None,
    ido_id: int | None = None,
    card: InkanCard | None = None,
    detail: dict[str, Any] | None = None,
) -> InkanTorokuEvent:
    """Append one event to the registration's log and apply it to the projection (and to the card)."""
    toroku.last_seq = (toroku.last_seq or 0) + 1
    event = InkanTorokuEvent(
        toroku_id=toroku.id,
        seq=toroku.last_seq,
        kind=kind,
        effective_date=effective_date,
        jiyu=jiyu,
        ido_id=ido_id,
        card_id=card.id if card is not None else None,
        detail=dict(detail or {}),
        recorded_by=uow.actor.login,
        terminal=uow.actor.terminal,
    )
    uow.session.add(event)
    apply_event(toroku, kind, effective_date, jiyu, event.detail)
    if card is not None and kind in CARD_STATUS:
        card.status = CARD_STATUS[kind]
        card.ended_date = None if CARD_STATUS[kind] == "yuko" else effective_date
    # No flush here: the next query autoflushes and the unit of work flushes after each handler, so a
    # 抹消 (a card event and the 抹消 event) costs one round trip instead of one per row.
    return event


def card_event(
    uow: UnitOfWork,
    toroku: InkanToroku,
    kind: str,
    card: InkanCard,
    *,
    on: dt.date,
    detail: dict[str, Any],
    ido_id: int | None = None,
) -> InkanTorokuEvent:
    """A card stops (or starts) being valid: the log entry, and the event other businesses follow.

    The action other businesses see is the kind without its prefix (``card_kaishu`` → ``kaishu``)."""
    event = append(uow, toroku, kind, effective_date=on, card=card, ido_id=ido_id, detail=detail)
    uow.record(
        InkanCardChanged(
            toroku_id=toroku.id,
            atena_no=toroku.atena_no,
            card_no=card.card_no,
            action=kind.removeprefix("card_"),
        )
    )
    return event
