"""Facts about a person's 資格 that do not come from 住民記録: 選挙権停止 and notices from other rolls.

選挙権停止 (公職選挙法第11条第1項・第252条、政治資金規正法第28条): a record with the first day without
選挙権 and, when known, the last one. It is learnt from the 本籍地 市町村長 or the 検察庁 (公職選挙法
施行令第1条 for moves). A record is never edited: a wrong one is cancelled by a row pointing at it.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba.errors import InputError, NotFound
from yakuba.senkyo.models import Teishi, Tsuho
from yakuba.uow import UnitOfWork


class TeishiInput(BaseModel):
    atena_no: str = Field(min_length=1, max_length=15, description="宛名番号")
    start_date: dt.date = Field(description="選挙権を有しなくなった日")
    end_date: dt.date | None = Field(default=None, description="選挙権を有しない最後の日（未定なら省略）")
    basis: str = Field(
        min_length=1,
        max_length=100,
        description="根拠（公職選挙法第11条第1項第2号・第252条、政治資金規正法第28条 など）",
    )
    source: str | None = Field(default=None, max_length=200, description="通知元（本籍地の市町村長 など）")

    @model_validator(mode="after")
    def _order(self) -> TeishiInput:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("終わりの日が始まりの日より前です")
        return self


def record_teishi(uow: UnitOfWork, command: TeishiInput) -> Teishi:
    row = Teishi(**command.model_dump(), operator=uow.actor.login)
    uow.session.add(row)
    uow.session.flush()
    return row


def cancel_teishi(uow: UnitOfWork, teishi_id: int, *, reason: str) -> Teishi:
    target = uow.session.get(Teishi, teishi_id)
    if target is None or target.cancels_id is not None:
        raise NotFound(f"選挙権停止の記録 {teishi_id} はありません")
    if _cancelled_ids(uow.session) & {teishi_id}:
        raise InputError.single("選挙権停止", "既に取り消されています")
    row = Teishi(
        atena_no=target.atena_no,
        start_date=target.start_date,
        end_date=target.end_date,
        basis=f"取消し: {reason}",
        cancels_id=target.id,
        operator=uow.actor.login,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def _cancelled_ids(session: Session) -> set[int]:
    found = session.execute(select(Teishi.cancels_id).where(Teishi.cancels_id.is_not(None))).scalars()
    return {i for i in found if i is not None}


def active_teishi(session: Session, on: dt.date) -> dict[str, Teishi]:
    """Persons without 選挙権 on ``on``, with the period that applies."""
    cancelled = _cancelled_ids(session)
    rows = session.execute(
        select(Teishi)
        .where(Teishi.cancels_id.is_(None), Teishi.start_date <= on)
        .order_by(Teishi.start_date, Teishi.id)
    ).scalars()
    return {r.atena_no: r for r in rows if r.id not in cancelled and (r.end_date is None or r.end_date >= on)}


def teishi_of(session: Session, atena_no: str) -> list[Teishi]:
    return list(
        session.execute(select(Teishi).where(Teishi.atena_no == atena_no).order_by(Teishi.id)).scalars()
    )


class TsuhoInput(BaseModel):
    atena_no: str = Field(min_length=1, max_length=15, description="宛名番号（転出した人）")
    received_on: dt.date = Field(description="通知を受けた日")
    note: str | None = Field(default=None, max_length=1000, description="通知元の市町村・内容")


def record_other_roll(uow: UnitOfWork, command: TsuhoInput) -> Tsuho:
    """他の市町村の選挙人名簿に登録された旨の通知（公職選挙法第21条第2項を適用しない）."""
    row = Tsuho(kind="tashi_toroku", operator=uow.actor.login, **command.model_dump())
    uow.session.add(row)
    uow.session.flush()
    return row


def other_roll(session: Session, on: dt.date) -> set[str]:
    return set(
        session.execute(
            select(Tsuho.atena_no).where(Tsuho.kind == "tashi_toroku", Tsuho.received_on <= on)
        ).scalars()
    )
