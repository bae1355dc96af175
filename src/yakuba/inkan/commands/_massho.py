"""The end of a registration, shared by every way it ends (廃止, 亡失, 職権抹消, 氏名等の変更, 消除):
the 抹消 itself, and 不登録 for an application still waiting for its 回答書."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yakuba.inkan.events import InkanNotRegistered, InkanRegistrationEnded
from yakuba.inkan.history import append, card_event
from yakuba.inkan.models import InkanToroku
from yakuba.inkan.queries import cards_of
from yakuba.uow import UnitOfWork


def not_registered(
    uow: UnitOfWork, toroku: InkanToroku, jiyu: str, on: dt.date, *, detail: dict[str, Any]
) -> None:
    """不登録: the application ends without a registration."""
    append(uow, toroku, "futoroku", effective_date=on, jiyu=jiyu, detail=detail)
    uow.record(InkanNotRegistered(toroku_id=toroku.id, atena_no=toroku.atena_no, jiyu=jiyu, end_date=on))


def end_registration(
    uow: UnitOfWork,
    toroku: InkanToroku,
    jiyu: str,
    on: dt.date,
    *,
    shokken: bool,
    ido_id: int | None = None,
    detail: dict[str, Any] | None = None,
    card_action: str = "card_mukou",
) -> None:
    """抹消: the registration ends on ``on``; every valid card stops being valid with it."""
    if toroku.status == "shokai":
        not_registered(uow, toroku, jiyu, on, detail={**(detail or {}), "ido_id": ido_id})
        return
    ended_cards = []
    for card in cards_of(uow.session, toroku.id):
        if card.status == "yuko":
            card_event(uow, toroku, card_action, card, on=on, ido_id=ido_id, detail={"card_no": card.card_no})
            ended_cards.append(card.card_no)
    append(
        uow,
        toroku,
        "massho",
        effective_date=on,
        jiyu=jiyu,
        ido_id=ido_id,
        detail={**(detail or {}), "shokken": shokken, "cards": ended_cards},
    )
    uow.record(
        InkanRegistrationEnded(
            toroku_id=toroku.id,
            atena_no=toroku.atena_no,
            toroku_no=toroku.toroku_no or "",
            jiyu=jiyu,
            end_date=on,
            shokken=shokken,
        )
    )
