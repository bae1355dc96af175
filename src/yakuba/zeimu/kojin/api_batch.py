"""個人住民税 batch control (``/api/v1/zeimu/kojin/batch``): run the 当初課税 and read its report.

The run is the same command the CLI runs (``yakuba zeimu tosho``); it commits chunk by chunk under the
caller's name, and running it again continues where it stopped without assessing anyone twice. A big
city runs it from the CLI (with its progress bar); the API suits a town and the counter's 再実行.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from yakuba.kernel.clock import japan_date
from yakuba.security.auth import RequestContext, require
from yakuba.uow import Actor
from yakuba.zeimu.kojin.commands.tosho import run_tosho

router = APIRouter(prefix="/api/v1/zeimu/kojin/batch", tags=["個人住民税"])


class ToshoBody(BaseModel):
    nendo: int = Field(ge=2024, le=2026, description="年度（令和8年度 = 2026）")


@router.post("/tosho", summary="当初課税の実行（再実行は続きから）と照合結果")
def post_tosho(
    body: ToshoBody, ctx: RequestContext = require("zeimu.write", categories=("zeimu.assessment",))
) -> dict[str, Any]:
    """賦課期日（1月1日）の住民で課税資料のある全員を課税し、件数・合計・非課税の内訳を返します。"""
    principal = ctx.principal
    actor = Actor(login=principal.login, terminal="api", roles=tuple(principal.roles))
    report = run_tosho(ctx.yakuba.uow, nendo=body.nendo, actor=actor, on=japan_date(ctx.yakuba.clock()))
    ctx.audit.record_count = report.assessed
    ctx.commit()
    return report.view() | {"lines": report.lines()}
