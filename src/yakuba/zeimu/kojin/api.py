"""個人住民税 API (``/api/v1/zeimu/kojin``): explain a bill, and assess a resident into the 課税台帳.

* ``POST /simulate`` — the whole calculation for inputs the clerk types in, step by step with the rule
  and its source, and the collection schedule (普通徴収 4 納期 or 給与特別徴収 12 months). Nothing is
  stored; ``zeimu.read``.
* ``POST /kazei/{年度}/{宛名番号}`` — the same calculation appended to the 課税台帳 as 当初, 随時 or
  更正 (with its reason); the person must have been on the 住民基本台帳 on the 賦課期日 (1 January,
  地方税法第294条). The inputs, every step's amount and the schedule are kept with the row; ``zeimu.write``.

* ``POST /kazei/{年度}/{宛名番号}/tsuchisho`` — the 税額決定・納税通知書 of the assessment in force, a
  signed PDF recorded in the 交付履歴 (``preview=true``: a 見本, nothing recorded); ``zeimu.write``.

* ``POST /shiryo/import?nendo=&source=`` (``text/csv``) — 課税資料 as a file, one row per taxpayer in the
  layout of docs/zeimu-kojin-intake.md; any wrong cell refuses the whole file (422, every problem by line
  and heading) and a file already taken in is 409; ``zeimu.write``.
* ``GET /shiryo/{年度}/{宛名番号}`` — the latest 課税資料 and its history; ``zeimu.read``.

Reads and writes touch the person in the audit log; a 支援措置 subject is 404 to a caller without
``juki.shien.read``, as in 住民記録.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Body, Path, Query, Response
from pydantic import BaseModel, Field

from yakuba.errors import InputError, NotFound
from yakuba.juki.public import guard_read, resident_on
from yakuba.kernel.clock import japan_date
from yakuba.security.auth import RequestContext, require
from yakuba.zeimu import queries
from yakuba.zeimu.commands.kazei import record_assessment
from yakuba.zeimu.kojin import queries as kojin_queries
from yakuba.zeimu.kojin.choshu import Schedule
from yakuba.zeimu.kojin.commands import intake
from yakuba.zeimu.kojin.explain import Choshu, collection_schedule
from yakuba.zeimu.kojin.forms import tsuchisho
from yakuba.zeimu.kojin.public import Explanation, KojinSettings, TaxpayerInput, simulate
from yakuba.zeimu.nendo import fuka_kijitsu, label
from yakuba.zeimu.queries import view

router = APIRouter(prefix="/api/v1/zeimu/kojin", tags=["個人住民税"])
CATEGORIES = ("zeimu.assessment",)
NENDO_FIELD = Field(ge=2024, le=2026, description="年度（西暦の開始年: 令和6年度 = 2024 … 令和8年度 = 2026）")


class SimulateBody(BaseModel):
    nendo: int = NENDO_FIELD
    choshu: Choshu = Field(default="futsu", description="徴収方法 futsu 普通徴収 / tokubetsu 給与特別徴収")
    taxpayer: TaxpayerInput


class KazeiBody(BaseModel):
    kubun: Literal["tosho", "zuiji", "kosei"] = Field(description="区分 当初 / 随時 / 更正")
    reason: str = Field(default="", max_length=500, description="随時・更正の理由")
    effective_date: dt.date | None = Field(default=None, description="決定日・更正日（省略時は今日）")
    choshu: Choshu = Field(default="futsu", description="徴収方法")
    taxpayer: TaxpayerInput


def _schedule_view(schedule: Schedule) -> dict[str, Any]:
    return {
        "periods": list(schedule.months),
        "amounts": [int(a) for a in schedule.amounts.tolist()],
        "due_dates": list(schedule.due_dates),
    }


def _explained(body: SimulateBody | KazeiBody, nendo: int) -> tuple[Explanation, dict[str, Any]]:
    explanation = simulate(body.taxpayer, nendo=nendo, settings=KojinSettings.for_nendo(nendo))
    return explanation, _schedule_view(collection_schedule(explanation, body.choshu))


def _steps(explanation: Explanation) -> list[dict[str, Any]]:
    return [
        {"key": s.key, "label": s.label, "amount": s.amount, "rule": s.rule, "reference": s.reference}
        for s in explanation.steps
    ]


@router.post("/simulate", summary="税額の試算（計算の過程と根拠、納期ごとの額）")
def post_simulate(
    body: SimulateBody, ctx: RequestContext = require("zeimu.read", categories=CATEGORIES)
) -> dict[str, Any]:
    """入力された所得・控除から年税額を計算し、各段階の額・適用した規則・根拠を返します（保存しません）。"""
    explanation, schedule = _explained(body, body.nendo)
    ctx.commit()
    return {
        "nendo": body.nendo,
        "label": label(body.nendo),
        "nenzei": explanation.nenzei,
        "steps": _steps(explanation),
        "schedule": schedule,
    }


@router.post("/kazei/{nendo}/{atena_no}", summary="個人住民税の課税（当初・随時・更正を課税台帳に追記）")
def post_kazei(
    body: KazeiBody,
    nendo: int = Path(ge=2024, le=2026, description="年度"),
    atena_no: str = Path(pattern=r"^[0-9]{1,15}$", description="宛名番号"),
    ctx: RequestContext = require("zeimu.write", categories=CATEGORIES),
) -> dict[str, Any]:
    """計算した課税を課税台帳に追記します。賦課期日（1月1日）に住民基本台帳に記録されていた人に限ります。"""
    guard_read(ctx, atena_no)
    ctx.touched(atena_no)
    kijitsu = fuka_kijitsu("kojin", nendo)
    if not resident_on(ctx.uow.session, atena_no, kijitsu):
        raise InputError.single(
            "宛名番号", f"{atena_no} は賦課期日（{kijitsu.isoformat()}）に住民基本台帳に記録されていません"
        )
    explanation, schedule = _explained(body, nendo)
    row = record_assessment(
        ctx.uow,
        zeimoku="kojin",
        nendo=nendo,
        atena_no=atena_no,
        kubun=body.kubun,
        nenzei=explanation.nenzei,
        details={
            "steps": {s.key: s.amount for s in explanation.steps},
            "choshu": body.choshu,
            "schedule": schedule | {"due_dates": [d.isoformat() for d in schedule["due_dates"]]},
            "input": body.taxpayer.model_dump(mode="json"),
        },
        effective_date=body.effective_date or japan_date(ctx.yakuba.clock()),
        reason=body.reason,
    )
    result = view(row) | {"steps": _steps(explanation), "schedule": schedule}
    ctx.commit()
    return result


@router.post(
    "/kazei/{nendo}/{atena_no}/tsuchisho", summary="税額決定・納税通知書（PDF）", response_class=Response
)
def post_tsuchisho(
    nendo: int = Path(ge=2024, le=2026, description="年度"),
    atena_no: str = Path(pattern=r"^[0-9]{1,15}$", description="宛名番号"),
    preview: bool = Query(False, description="見本（交付履歴に記録しない）"),
    ctx: RequestContext = require("zeimu.write", categories=CATEGORIES),
) -> Response:
    """効力のある課税の納税通知書を作成します（電子署名付き、交付履歴に記録）。"""
    guard_read(ctx, atena_no)
    ctx.touched(atena_no)
    row = queries.assessment(ctx.uow.session, "kojin", nendo, atena_no)
    issued = tsuchisho.issue(
        ctx.uow, row, settings=ctx.yakuba.settings, now=ctx.yakuba.clock(), preview=preview
    )
    ctx.commit()
    headers = {k: v for k, v in ctx.response.headers.items() if k.lower().startswith("x-yakuba")}
    headers["Content-Disposition"] = f'inline; filename="tsuchisho-{nendo}-{atena_no}.pdf"'
    if issued.issuance_id:
        headers["X-Yakuba-Issuance-Id"] = issued.issuance_id
    return Response(issued.pdf, media_type="application/pdf", headers=headers)


@router.post("/shiryo/import", summary="課税資料ファイル（CSV）の取込み", status_code=201)
def import_shiryo(
    body: bytes = Body(..., media_type="text/csv", description="CSV（見出し行あり、1行 = 1人）"),
    nendo: int = Query(ge=2024, le=2026, description="年度"),
    source: Literal["shinkoku", "kyuyo", "nenkin"] = Query(
        description="資料の種類 shinkoku 申告 / kyuyo 給与支払報告書 / nenkin 公的年金等支払報告書"
    ),
    ctx: RequestContext = require("zeimu.write", categories=CATEGORIES),
) -> dict[str, Any]:
    """1行1人の課税資料を追記します。誤りが1つでもあればファイル全体を受け付けず、行と見出しを示します。"""
    today = japan_date(ctx.yakuba.clock())
    encoding = intake.Layout.on(today).encoding
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        raise InputError.single("ファイル", f"文字コード {encoding} として読めません") from None
    result = intake.import_csv(ctx.uow, text, nendo=nendo, source=source, today=today)
    ctx.touched(*result.atena_nos)
    ctx.audit.record_count = result.appended
    ctx.audit.detail.update(batch=result.batch, nendo=nendo, source=source)
    ctx.commit()
    return {"batch": result.batch, "nendo": nendo, "source": source, "appended": result.appended}


@router.get("/shiryo/{nendo}/{atena_no}", summary="課税資料（最新と履歴）")
def get_shiryo(
    nendo: int = Path(ge=2024, le=2026, description="年度"),
    atena_no: str = Path(pattern=r"^[0-9]{1,15}$", description="宛名番号"),
    ctx: RequestContext = require("zeimu.read", categories=CATEGORIES),
) -> dict[str, Any]:
    """その年度の最新の課税資料と、それまでに受け付けた資料の履歴（新しい順）を返します。"""
    guard_read(ctx, atena_no)
    ctx.touched(atena_no)
    history = kojin_queries.shiryo_history(ctx.uow.session, nendo, atena_no)
    if not history:
        raise NotFound(f"{label(nendo)}の宛名番号 {atena_no} の課税資料はありません")
    ctx.commit()
    return {
        "nendo": nendo,
        "atena_no": atena_no,
        "latest": intake.shiryo_view(history[0]),
        "history": [intake.shiryo_view(row) for row in history],
    }
