"""消除: 死亡 (戸籍法第86条の死亡届による通知、または届出) and 職権消除 (失踪・実態調査).

住民記録システム標準仕様書 第1.0版 j750–j860; 世帯主 absence per j490 (see ``_setai``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from yakuba.juki.base import IdoResult, IdoWriter
from yakuba.juki.commands._setai import after_members_leave
from yakuba.juki.events import ResidentRemoved
from yakuba.juki.schemas import IdoDates
from yakuba.uow import UnitOfWork

SHOJO = {"shibo": ("B03", "12"), "shisso": ("B06", "16"), "jittai": ("B06", "13"), "shokken": ("B06", "13")}


class Shojo(BaseModel):
    """死亡・職権消除."""

    atena_no: str = Field(description="宛名番号")
    reason: Literal["shibo", "shisso", "jittai", "shokken"] = Field(
        description="shibo 死亡 / shisso 失踪宣告 / jittai 実態調査による職権消除 / shokken その他の職権消除"
    )
    dates: IdoDates = Field(description="異動日 = 死亡日・消除の日")


def shojo(uow: UnitOfWork, command: Shojo, *, today: dt.date) -> IdoResult:
    jiyu, jotai = SHOJO[command.reason]
    dates = command.dates if command.reason == "shibo" else command.dates.model_copy(update={"shokken": True})
    writer = IdoWriter(uow, jiyu, dates, today=today, details={"reason": command.reason})
    row = writer.current(command.atena_no)
    writer.lock_setai(row.setai_no)
    removed = writer.change(row, jumin_jotai=jotai, shojo_jiyu=jiyu, shojo_date=dates.ido_date)
    writer.emit(ResidentRemoved, removed, shojo_jiyu=jiyu, shojo_date=dates.ido_date)
    after_members_leave(writer, row.setai_no, {row.atena_no}, on=dates.ido_date)
    return writer.finish()
