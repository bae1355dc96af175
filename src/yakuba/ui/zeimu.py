"""個人住民税 at the counter: explain a bill that was sent, or work one out for a caller.

* ``GET /ui/zeimu/kojin/{年度}/{宛名番号}`` — the assessment in force (``?as_of=`` a past day: what a
  notice of that day said), its history (当初 → 随時・更正, with reason, date and operator), every step
  of the calculation from the row's stored amounts with today's label, rule and reference, and the
  schedule that was kept with the row.
* ``GET /ui/zeimu/kojin/simulate`` + ``POST`` — the same explanation and the 普通徴収 納期 for figures the
  clerk types in. Nothing is stored; the POST answers JSON (``result`` HTML or field-named ``errors``)
  because the CSRF check reads only the script's header (see :mod:`yakuba.ui.common`).

Both need ``zeimu.read``. The person's name comes through ``juki.public`` after ``guard_read``, so a
支援措置 subject reads as 'not found' to a caller without ``juki.shien.read`` — the same page an
unassessed 宛名番号 gets, which tells the caller nothing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

import yakuba.zeimu.kojin.public as kojin
from yakuba.errors import NotFound, YakubaError
from yakuba.juki.public import get_resident_row, guard_read
from yakuba.kernel.wareki import parse_date
from yakuba.security.auth import RequestContext, require
from yakuba.ui.common import error_json, error_page, form_data, input_error, page, templates
from yakuba.ui.form_reader import FormReader
from yakuba.ui.labels import full_name
from yakuba.zeimu import public as zeimu

router = APIRouter(prefix="/ui/zeimu/kojin", include_in_schema=False)
READ = "zeimu.read"
CATEGORIES = ("zeimu.assessment",)
NENDO = {n: zeimu.label(n) for n in (2026, 2025, 2024)}  # the 年度 the engine has settings for
DEPENDANT_FIELDS = 4  # 扶養親族 rows on the form; the API takes any number
# Form name → label on the screen, used for the typed problems and for Pydantic's.
YEN_FIELDS = {
    "kyuyo_shunyu": "給与収入",
    "nenkin_shunyu": "公的年金等収入",
    "shakai_hokenryo": "社会保険料",
    "furusato_kifu": "ふるさと納税額",
}
LABELS = YEN_FIELDS | {"age": "年齢", "gokei_shotoku": "配偶者の合計所得"}


# -- shown values -----------------------------------------------------------------------------------


def _steps_view(steps: list[kojin.Step]) -> list[dict[str, Any]]:
    """Each step with its amount as the clerk reads it aloud (円, 人, 該当, 区分)."""
    out = []
    for s in steps:
        unit = kojin.step_unit(s.key)
        shown = {
            "yen": f"{s.amount:,}円",
            "ninzu": f"{s.amount}人",
            "flag": "該当" if s.amount else "非該当",
            "kubun": f"{s.amount}",
        }[unit]
        out.append({"key": s.key, "label": s.label, "shown": shown, "rule": s.rule, "reference": s.reference})
    return out


def _schedule_rows(periods: list[str], amounts: list[int], due_dates: list[Any]) -> list[dict[str, Any]]:
    """One row per 期 or month; 特別徴収 has no 納期限 of the taxpayer's own (the employer pays in)."""
    dues = list(due_dates) + [None] * (len(periods) - len(due_dates))
    return [{"period": p, "amount": int(a), "due": d} for p, a, d in zip(periods, amounts, dues, strict=True)]


def _schedule_of(schedule: kojin.Schedule) -> list[dict[str, Any]]:
    return _schedule_rows(list(schedule.months), schedule.amounts.tolist(), list(schedule.due_dates))


# -- an assessed resident ---------------------------------------------------------------------------


def _as_of(text: str) -> dt.date | None:
    return parse_date(text, field="基準日") if text.strip() else None


def _name(ctx: RequestContext, atena_no: str) -> str:
    """The name on the 住民票; a 住登外者 assessed by the tax office has none here."""
    try:
        return full_name(get_resident_row(ctx.uow.session, atena_no))
    except NotFound:
        return ""


@router.get("/simulate")
def simulate_page(
    request: Request, ctx: RequestContext = require(READ, categories=CATEGORIES)
) -> HTMLResponse:
    """The empty simulation form (the R8 年度 preselected: the bills being asked about this year)."""
    ctx.commit()
    return page(request, "zeimu_simulate.html", ctx, nendo_options=NENDO, dependant_rows=DEPENDANT_FIELDS)


@router.get("")
def lookup(
    nendo: int = Query(2026, ge=2024, le=2026),
    atena_no: str = Query(..., pattern=r"^[0-9]{1,15}$"),
    ctx: RequestContext = require(READ, categories=CATEGORIES),
) -> RedirectResponse:
    """The menu's 照会 box: a GET form can only send a query, the page lives at a path."""
    ctx.commit()
    return RedirectResponse(f"/ui/zeimu/kojin/{nendo}/{atena_no}", status_code=303)


@router.get("/{nendo}/{atena_no}")
def assessment_page(
    request: Request,
    nendo: int,
    atena_no: str,
    as_of: str = Query("", max_length=40),
    ctx: RequestContext = require(READ, categories=CATEGORIES),
) -> HTMLResponse:
    """One taxpayer's 個人住民税 for a 年度: in force (on ``as_of``), its history and how it was reached."""
    session = ctx.uow.session
    try:
        guard_read(ctx, atena_no)
        ctx.touched(atena_no)
        day = _as_of(as_of)
        row = zeimu.assessment(session, "kojin", nendo, atena_no, on=day)
    except YakubaError as exc:
        ctx.touched(atena_no)
        return error_page(request, ctx, exc)
    history = [
        h for h in zeimu.history(session, "kojin", nendo, atena_no) if day is None or h.effective_date <= day
    ]
    details = row.details or {}
    stored = details.get("schedule") or {}
    schedule = _schedule_rows(
        list(stored.get("periods", [])),
        list(stored.get("amounts", [])),
        [dt.date.fromisoformat(d) for d in stored.get("due_dates", [])],
    )
    ctx.audit.record_count = len(history)
    ctx.commit()
    return page(
        request,
        "zeimu.html",
        ctx,
        nendo=nendo,
        nendo_label=zeimu.label(nendo),
        atena_no=atena_no,
        name=_name(ctx, atena_no),
        row=row,
        kubun=zeimu.KUBUN,
        history=list(reversed(history)),  # newest first, like the person screen
        steps=_steps_view(kojin.stored_steps(details.get("steps", {}))),
        schedule=schedule,
        choshu="給与特別徴収" if details.get("choshu") == "tokubetsu" else "普通徴収",
        as_of=as_of,
        as_of_day=day,
    )


# -- the simulation ---------------------------------------------------------------------------------


def _yen(r: FormReader, name: str, label: str, *, required: bool = False) -> int:
    """Whole yen as typed at the counter: 全角 digits, 「,」 and a trailing 「円」 are accepted."""
    text = unicodedata.normalize("NFKC", r.raw(name)).replace(",", "").removesuffix("円").strip()
    if not text:
        if required:
            r.problem(label, "入力してください")
        return 0
    if not text.isdigit():
        r.problem(label, "0以上の整数（円）で入力してください")
        return 0
    return int(text)


def _age(r: FormReader, name: str, label: str, *, required: bool = False) -> int | None:
    text = unicodedata.normalize("NFKC", r.raw(name)).removesuffix("歳").strip()
    if not text:
        if required:
            r.problem(label, "入力してください")
        return None
    if not text.isdigit() or int(text) > 150:
        r.problem(label, "0〜150の整数（歳）で入力してください")
        return None
    return int(text)


def read_taxpayer(form: FormData) -> tuple[int, kojin.TaxpayerInput]:
    """The 年度 and the inputs from the form, every wrong field reported at once under its label."""
    r = FormReader(form)
    nendo = int(r.choice("nendo", "年度", {str(k): v for k, v in NENDO.items()}, default="2026"))
    yen = {name: _yen(r, name, label, required=name == "kyuyo_shunyu") for name, label in YEN_FIELDS.items()}
    age = _age(r, "age", "年齢", required=True)
    spouse = None
    if r.flag("spouse", "配偶者あり"):
        shotoku = _yen(r, "spouse_shotoku", "配偶者の合計所得")
        spouse_age = _age(r, "spouse_age", "配偶者の年齢", required=True)
        if spouse_age is not None:
            spouse = kojin.SpouseInput(gokei_shotoku=shotoku, age=spouse_age)
    dependants = []
    for i in range(1, DEPENDANT_FIELDS + 1):
        dep_age = _age(r, f"dependant_age_{i}", f"扶養親族{i}の年齢")
        dep_shotoku = _yen(r, f"dependant_shotoku_{i}", f"扶養親族{i}の合計所得")
        if dep_age is not None:
            dependants.append(kojin.DependantInput(age=dep_age, gokei_shotoku=dep_shotoku))
    r.check()
    assert age is not None
    try:
        person = kojin.TaxpayerInput(age=age, spouse=spouse, dependants=dependants, **yen)
    except ValidationError as exc:
        raise input_error(exc, LABELS) from None
    return nendo, person


@router.post("/simulate")
def simulate_post(
    form: FormData = Depends(form_data), ctx: RequestContext = require(READ, categories=CATEGORIES)
) -> JSONResponse:
    """Work out the bill for the typed figures and answer the explanation as HTML for the page."""
    try:
        nendo, person = read_taxpayer(form)
        explanation = kojin.simulate(person, nendo=nendo, settings=kojin.KojinSettings.for_nendo(nendo))
        schedule = kojin.collection_schedule(explanation, "futsu")
    except YakubaError as exc:
        return error_json(ctx, exc)
    ctx.commit()
    html = templates.get_template("partials/zeimu_explanation.html").render(
        nendo_label=zeimu.label(nendo),
        nenzei=explanation.nenzei,
        steps=_steps_view(explanation.steps),
        schedule=_schedule_of(schedule),
        choshu="普通徴収",
        heading="試算の結果",
    )
    return JSONResponse({"result": html, "nenzei": explanation.nenzei})
