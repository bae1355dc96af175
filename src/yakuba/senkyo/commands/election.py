"""選挙 as the 選管 fixes them, and the 定時登録 plan they shape (公職選挙法第22条)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba.senkyo.models import Election
from yakuba.senkyo.rules import (
    ElectionWindow,
    TeijiPlan,
    teiji_plan,
)
from yakuba.uow import UnitOfWork

KIND_LABELS = {"teiji": "定時登録", "senkyoji": "選挙時登録", "hosei": "補正登録"}
NATIONAL_LEVELS = frozenset({"shugiin", "sangiin"})


class ElectionInput(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="選挙の名称")
    level: str = Field(pattern="^(shugiin|sangiin|todofuken|shichoson)$", description="選挙の種類")
    kouji_date: dt.date = Field(description="公示日・告示日")
    kijitsu: dt.date = Field(description="選挙期日（投票日）")
    kijun_date: dt.date | None = Field(
        default=None, description="選挙時登録の基準日（省略時は公示・告示日の前日）"
    )
    toroku_date: dt.date | None = Field(default=None, description="選挙時登録の登録日（省略時は基準日）")

    @model_validator(mode="after")
    def _dates(self) -> ElectionInput:
        if self.kijitsu <= self.kouji_date:
            raise ValueError("選挙期日は公示・告示日より後の日にしてください")
        kijun = self.kijun_date or self.kouji_date - dt.timedelta(days=1)
        if kijun >= self.kijitsu:
            raise ValueError("基準日は選挙期日より前の日にしてください")
        if self.toroku_date is not None and self.toroku_date < kijun:
            raise ValueError("登録日は基準日以後の日にしてください")
        return self


def define_election(uow: UnitOfWork, command: ElectionInput) -> Election:
    """選挙 and its 選挙時登録 dates as the 選管 fixed them (基準日 usually the day before the 公示/告示)."""
    kijun = command.kijun_date or command.kouji_date - dt.timedelta(days=1)
    row = Election(
        name=command.name,
        level=command.level,
        kouji_date=command.kouji_date,
        kijitsu=command.kijitsu,
        kijun_date=kijun,
        toroku_date=command.toroku_date or kijun,
        operator=uow.actor.login,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def election_windows(session: Session) -> list[ElectionWindow]:
    return [
        ElectionWindow(e.kouji_date, e.kijitsu, e.name, e.level in NATIONAL_LEVELS)
        for e in session.execute(select(Election).order_by(Election.kijitsu)).scalars()
    ]


def plan_teiji(session: Session, year: int, month: int) -> TeijiPlan:
    return teiji_plan(year, month, elections=election_windows(session))
