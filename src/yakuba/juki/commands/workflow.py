"""仮登録 → 審査・決裁 → 本登録 (j530, j480, j570).

A 仮登録 appends its rows but moves no projection: it is not on the 住民票, feeds no other business and
blocks certificates. 本登録 publishes it (projection + the events kept aside); 破棄 discards it — the rows
stay in the history marked by their 異動's status, as nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from yakuba.errors import Conflict, Forbidden, NotFound
from yakuba.juki.events import EVENT_TYPES
from yakuba.juki.history import project
from yakuba.juki.models import Ido, Rireki
from yakuba.uow import UnitOfWork


def _pending(uow: UnitOfWork, ido_id: int) -> Ido:
    ido = uow.session.get(Ido, ido_id)
    if ido is None:
        raise NotFound(f"異動 {ido_id} はありません")
    if ido.status != "kari":
        raise Conflict(f"異動 {ido_id} は仮登録ではありません（{ido.status}）")
    return ido


def confirm(uow: UnitOfWork, ido_id: int, *, now: dt.datetime) -> Ido:
    """本登録: the 決裁 by someone with ``juki.idou.confirm``."""
    ido = _pending(uow, ido_id)
    if ido.operator == uow.actor.login:
        # 審査・決裁 (j530): the person who entered a 仮登録 does not approve it.
        raise Forbidden("自分が入力した仮登録は本登録できません。別の職員の決裁が必要です")
    ido.status = "hon"
    ido.confirmed_at = now
    ido.confirmed_by = uow.actor.login
    rows = uow.session.execute(select(Rireki).where(Rireki.ido_id == ido.id).order_by(Rireki.id)).scalars()
    for row in rows:
        project(uow.session, row)
    for item in (ido.details or {}).get("pending_events", []):
        uow.record(EVENT_TYPES[item["type"]].model_validate(item["payload"]))
    ido.details = {k: v for k, v in (ido.details or {}).items() if k != "pending_events"}
    return ido


def discard(uow: UnitOfWork, ido_id: int, *, now: dt.datetime) -> Ido:
    """破棄: the 仮登録 is not taken into the register."""
    ido = _pending(uow, ido_id)
    ido.status = "haki"
    ido.confirmed_at = now
    ido.confirmed_by = uow.actor.login
    return ido
