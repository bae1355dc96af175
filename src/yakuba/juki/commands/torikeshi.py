"""異動の取消し (j980): append-only undo — rows restoring the prior state are added; both stay.

取消(増) A09 undoes a 消除, 取消(減) B09 undoes a 記載, 取消(修正) C19 undoes a 修正. A 異動 that has a
later 異動 for the same person cannot be undone until the later one is (the state would be ambiguous).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import select

from yakuba import params
from yakuba.errors import InputError, NotFound
from yakuba.juki.base import IdoResult, IdoWriter
from yakuba.juki.events import IdoCancelled
from yakuba.juki.history import state_of
from yakuba.juki.models import Ido, Rireki
from yakuba.juki.schemas import IdoDates
from yakuba.uow import UnitOfWork

UNDO_JIYU = {"kisai": "B09", "shojo": "A09", "shusei": "C19"}
MAINTAINED_BY_OTHERS = frozenset({"senkyo"})  # 異動 details.source of linked-item maintenance


class Torikeshi(BaseModel):
    """異動の取消し."""

    ido_id: int = Field(description="取り消す異動の番号")
    atena_nos: list[str] | None = Field(default=None, description="一部の人だけ取り消すときの宛名番号")
    dates: IdoDates = Field(description="異動日 = 取消しの日")


def torikeshi(uow: UnitOfWork, command: Torikeshi, *, today: dt.date) -> IdoResult:
    session = uow.session
    target = session.get(Ido, command.ido_id)
    if target is None or target.status != "hon":
        raise NotFound(f"異動 {command.ido_id} は取り消せる本登録の異動ではありません")
    if target.jiyu_code in UNDO_JIYU.values():
        raise InputError.single("異動", "取消しの取消しはできません。改めて異動を入力してください")
    kind = params.get("juki.ido_jiyu", on=today)[target.jiyu_code]["kind"]
    dates = command.dates.model_copy(update={"shokken": True})
    writer = IdoWriter(uow, UNDO_JIYU[kind], dates, today=today, details={"cancels": target.id})
    writer.ido.cancels_ido_id = target.id
    rows = (
        session.execute(select(Rireki).where(Rireki.ido_id == target.id).order_by(Rireki.rireki_no))
        .scalars()
        .all()
    )
    chosen = set(command.atena_nos) if command.atena_nos else {r.atena_no for r in rows}
    for row in rows:
        if row.atena_no not in chosen:
            continue
        last_of_target = max(r.rireki_no for r in rows if r.atena_no == row.atena_no)
        later = session.execute(
            select(Rireki, Ido)
            .join(Ido, Ido.id == Rireki.ido_id)
            .where(Rireki.atena_no == row.atena_no, Rireki.rireki_no > last_of_target)
            .order_by(Rireki.rireki_no)
        ).all()
        # Items other businesses maintain (選挙人名簿登録の旨 …) do not stand in the way of a 取消し.
        if any((ido.details or {}).get("source") not in MAINTAINED_BY_OTHERS for _r, ido in later):
            raise InputError.single(
                "異動", f"宛名番号 {row.atena_no} には後の異動があります。後の異動から順に取り消してください"
            )
        kept = {"linked_items": later[-1][0].linked_items} if later else {}
        if row.rireki_no != last_of_target:
            continue
        first_of_target = min(r.rireki_no for r in rows if r.atena_no == row.atena_no)
        before = session.execute(
            select(Rireki)
            .where(Rireki.atena_no == row.atena_no, Rireki.rireki_no < first_of_target)
            .order_by(Rireki.rireki_no.desc())
            .limit(1)
        ).scalar_one_or_none()
        writer.lock_setai(row.setai_no)
        if before is None:  # the 異動 created the record: undoing it takes the person off the register
            restored = writer.append(
                row.atena_no,
                {
                    **state_of(row),
                    "jumin_jotai": "13",
                    "shojo_jiyu": "B09",
                    "shojo_date": dates.ido_date,
                    **kept,
                },
            )
        else:
            writer.lock_setai(before.setai_no)
            restored = writer.append(row.atena_no, {**state_of(before), **kept})
        writer.emit(IdoCancelled, restored, cancelled_ido_id=target.id)
    if not writer.atena_nos:
        raise InputError.single("宛名番号", "取り消す人がいません")
    return writer.finish()
