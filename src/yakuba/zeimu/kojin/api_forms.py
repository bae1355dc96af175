"""個人住民税の帳票 API beyond the 納税通知書: the 特別徴収税額決定通知書 and the 課税（所得）証明書.

* ``POST /kazei/{年度}/{宛名番号}/tokucho?copy=gimusha|nozeisha`` — the 特別徴収税額決定通知書
  (地方税法第321条の4) of a 給与特別徴収 assessment, the employer's or the employee's copy; the body may
  name the 特別徴収義務者 (``tokucho_gimusha``), not yet kept in the 課税台帳. 422 naming ``choshu`` for a
  普通徴収 assessment.
* ``POST /kazei/{年度}/{宛名番号}/shomeisho`` — the 課税（所得）証明書 (地方税法第20条の10) of the
  assessment in force today, with its fee on the 交付履歴 row; 404 without an assessment.

Both are signed PDFs recorded in the 交付履歴 like the 納税通知書 of :mod:`yakuba.zeimu.kojin.api`, and
issuing is ``zeimu.write``: a certified copy with the 公印 is an act of the office, not a read. Kept apart
from that module so that the 帳票 can grow without touching the assessment routes.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Body, Path, Query, Response
from pydantic import BaseModel, Field

from yakuba.juki.public import guard_read
from yakuba.kernel.clock import japan_date
from yakuba.security.auth import RequestContext, require
from yakuba.zeimu import queries
from yakuba.zeimu.kojin.forms import shomeisho, tokucho
from yakuba.zeimu.kojin.forms.issuing import IssuedForm

router = APIRouter(prefix="/api/v1/zeimu/kojin", tags=["個人住民税"])
CATEGORIES = ("zeimu.assessment",)


class TokuchoBody(BaseModel):
    tokucho_gimusha: str = Field(
        default=tokucho.DEFAULT_GIMUSHA, min_length=1, max_length=100, description="特別徴収義務者の名称"
    )


def _pdf(ctx: RequestContext, issued: IssuedForm, filename: str) -> Response:
    headers = {k: v for k, v in ctx.response.headers.items() if k.lower().startswith("x-yakuba")}
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    headers["X-Yakuba-Issuance-Id"] = issued.issuance_id
    return Response(issued.pdf, media_type="application/pdf", headers=headers)


@router.post(
    "/kazei/{nendo}/{atena_no}/tokucho", summary="特別徴収税額決定通知書（PDF）", response_class=Response
)
def post_tokucho(
    body: TokuchoBody | None = Body(default=None),
    nendo: int = Path(ge=2024, le=2026, description="年度"),
    atena_no: str = Path(pattern=r"^[0-9]{1,15}$", description="宛名番号"),
    copy: Literal["gimusha", "nozeisha"] = Query(
        description="gimusha 特別徴収義務者用 / nozeisha 納税義務者用"
    ),
    ctx: RequestContext = require("zeimu.write", categories=CATEGORIES),
) -> Response:
    """給与特別徴収の課税の特別徴収税額決定通知書を作成します（電子署名付き、交付履歴に記録）。"""
    guard_read(ctx, atena_no)
    ctx.touched(atena_no)
    row = queries.assessment(ctx.uow.session, "kojin", nendo, atena_no)
    issued = tokucho.issue(
        ctx.uow,
        row,
        copy=copy,
        gimusha=(body or TokuchoBody()).tokucho_gimusha,
        settings=ctx.yakuba.settings,
        now=ctx.yakuba.clock(),
    )
    ctx.commit()
    return _pdf(ctx, issued, f"tokucho-{copy}-{nendo}-{atena_no}.pdf")


@router.post(
    "/kazei/{nendo}/{atena_no}/shomeisho", summary="課税（所得）証明書（PDF）", response_class=Response
)
def post_shomeisho(
    nendo: int = Path(ge=2024, le=2026, description="年度"),
    atena_no: str = Path(pattern=r"^[0-9]{1,15}$", description="宛名番号"),
    ctx: RequestContext = require("zeimu.write", categories=CATEGORIES),
) -> Response:
    """発行日に効力のある課税の課税（所得）証明書を作成します（手数料を交付履歴に記録）。"""
    guard_read(ctx, atena_no)
    ctx.touched(atena_no)
    now = ctx.yakuba.clock()
    row = queries.assessment(ctx.uow.session, "kojin", nendo, atena_no, on=japan_date(now))
    issued = shomeisho.issue(ctx.uow, row, settings=ctx.yakuba.settings, now=now)
    ctx.commit()
    return _pdf(ctx, issued, f"shomeisho-{nendo}-{atena_no}.pdf")
