"""印鑑登録廃止申請 (本人, or a 代理人 with a 委任): the registration ends the day it is asked."""

from __future__ import annotations

import datetime as dt

from yakuba.inkan.commands._massho import end_registration
from yakuba.inkan.queries import get_registered
from yakuba.inkan.schemas import Haishi, Outcome
from yakuba.uow import UnitOfWork


def haishi(uow: UnitOfWork, toroku_id: int, command: Haishi, *, today: dt.date) -> Outcome:
    """廃止申請 (本人 or 代理人 with a 委任): the registration ends today; the card is returned."""
    toroku = get_registered(uow.session, toroku_id)
    end_registration(
        uow,
        toroku,
        "haishi",
        today,
        shokken=False,
        detail={"dairinin": command.dairinin, "card_returned": command.card_returned},
        card_action="card_kaishu" if command.card_returned else "card_mukou",
    )
    return Outcome(
        toroku.id,
        toroku.atena_no,
        "massho",
        toroku_no=toroku.toroku_no,
        end_jiyu="haishi",
        message="印鑑登録を廃止しました",
    )
