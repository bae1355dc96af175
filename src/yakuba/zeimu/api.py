"""課税台帳 API (``/api/v1/zeimu``): reading an assessment as of a day and withdrawing one.

* ``GET /kazei/{税目}/{年度}/{宛名番号}`` — the assessment in force (``as_of`` for a past day) and the
  whole history (当初 → 更正 …) with every step's amount — ``zeimu.read``;
* ``POST /kazei/{税目}/{年度}/{宛名番号}/torikeshi`` — withdraw it (a 取消 row is appended, with its
  reason) — ``zeimu.write``.

Computed assessments are appended by each tax's own routes (個人住民税: ``/api/v1/zeimu/kojin``).
A 支援措置 subject is answered 404 to a caller without ``juki.shien.read``, as in 住民記録, and every
read touches the person in the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from yakuba.juki.public import guard_read
from yakuba.kernel.clock import japan_date
from yakuba.kernel.wareki import parse_date
from yakuba.security.auth import RequestContext, require
from yakuba.zeimu import queries
from yakuba.zeimu.commands.kazei import record_assessment

router = APIRouter(prefix="/api/v1/zeimu", tags=["税務"])
CATEGORIES = ("zeimu.assessment",)
Zeimoku = Literal["kojin", "kotei", "keiji", "hojin"]
NENDO = Path(ge=2000, le=2100, description="年度（西暦の開始年。令和8年度 = 2026）")
ATENA = Path(pattern=r"^[0-9]{1,15}$", description="宛名番号")


class TorikeshiBody(BaseModel):
    reason: str = Field(min_length=1, max_length=500, description="取消の理由")
    effective_date: dt.date | None = Field(default=None, description="取消の日（省略時は今日）")


@router.get("/kazei/{zeimoku}/{nendo}/{atena_no}", summary="課税台帳の照会（当初・随時・更正の履歴）")
def get_assessment(
    zeimoku: Zeimoku,
    nendo: int = NENDO,
    atena_no: str = ATENA,
    as_of: str | None = Query(None, description="基準日（和暦・西暦）。省略時は最新"),
    ctx: RequestContext = require("zeimu.read", categories=CATEGORIES),
) -> dict[str, Any]:
    """指定の日に効力のあった課税と、その年度の課税の全履歴。"""
    guard_read(ctx, atena_no)
    ctx.touched(atena_no)
    session = ctx.uow.session
    day = parse_date(as_of, field="基準日") if as_of else None
    current = queries.assessment(session, zeimoku, nendo, atena_no, on=day)
    rows = queries.history(session, zeimoku, nendo, atena_no)
    ctx.commit()
    return {
        "zeimoku": zeimoku,
        "nendo": nendo,
        "atena_no": atena_no,
        "as_of": day,
        "in_force": queries.view(current),
        "history": [queries.view(r) for r in rows],
    }


@router.post("/kazei/{zeimoku}/{nendo}/{atena_no}/torikeshi", summary="課税の取消")
def withdraw(
    body: TorikeshiBody,
    zeimoku: Zeimoku,
    nendo: int = NENDO,
    atena_no: str = ATENA,
    ctx: RequestContext = require("zeimu.write", categories=CATEGORIES),
) -> dict[str, Any]:
    """課税を取り消します（年税額 0 の取消を追記。元の課税は履歴に残ります）。"""
    guard_read(ctx, atena_no)
    ctx.touched(atena_no)
    today = japan_date(ctx.yakuba.clock())
    row = record_assessment(
        ctx.uow,
        zeimoku=zeimoku,
        nendo=nendo,
        atena_no=atena_no,
        kubun="torikeshi",
        nenzei=0,
        details={},
        effective_date=body.effective_date or today,
        reason=body.reason,
    )
    view = queries.view(row)
    ctx.commit()
    return view
