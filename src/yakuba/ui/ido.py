"""異動 screens: entry → confirmation → 仮登録 → 本登録 (or 破棄), and the list of pending 仮登録.

The confirmation is a dry run: the command runs in the request's transaction, which is then rolled
back, so the clerk sees every rule's verdict (and any alert to confirm) before anything is recorded.
Only the audit entry of the check is kept. The real submission is always a 仮登録; 本登録 is a
separate act by someone holding ``juki.idou.confirm`` (j530).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import select
from starlette.datastructures import FormData

from yakuba.errors import NotFound, YakubaError
from yakuba.juki import public as juki
from yakuba.juki.public import (
    ITEM_LABELS,
    AlertConfirmationRequired,
    Ido,
    Jumin,
    Rireki,
    Setai,
    can_see_shien,
    current_row,
    guard_read,
    hidden_subjects,
)
from yakuba.kernel.clock import japan_date
from yakuba.security.auth import RequestContext, require
from yakuba.ui import ido_kinds
from yakuba.ui.common import error_json, error_page, form_data, page, redirect_json, templates, with_purpose
from yakuba.ui.form_reader import FormReader
from yakuba.ui.labels import address, full_name, jiyu_name, jotai_name
from yakuba.ui.person import ordered_members

router = APIRouter(prefix="/ui/ido", include_in_schema=False)
WRITE = "juki.idou.write"
CONFIRM = "juki.idou.confirm"


def _subjects(ctx: RequestContext, ido: Ido) -> list[Rireki]:
    rows = ctx.uow.session.execute(
        select(Rireki).where(Rireki.ido_id == ido.id).order_by(Rireki.sort_order, Rireki.atena_no)
    ).scalars()
    return list(rows)


def _hidden(ctx: RequestContext) -> frozenset[str]:
    return hidden_subjects(ctx.uow.session, can_see_shien(ctx), japan_date(ctx.yakuba.clock()))


@router.get("")
def pending_list(
    request: Request, ctx: RequestContext = require("juki.read", categories=("juki.history",))
) -> HTMLResponse:
    """Every 仮登録 awaiting 本登録, oldest first (those touching hidden subjects are left out)."""
    session = ctx.uow.session
    hidden = _hidden(ctx)
    items: list[tuple[Ido, list[Rireki]]] = []
    for ido in session.execute(select(Ido).where(Ido.status == "kari").order_by(Ido.id)).scalars():
        subjects = _subjects(ctx, ido)
        if not any(s.atena_no in hidden for s in subjects):
            items.append((ido, subjects))
    ctx.touched(*(s.atena_no for _ido, subjects in items for s in subjects))
    ctx.audit.record_count = len(items)
    ctx.commit()
    return page(request, "ido/pending.html", ctx, items=[{"ido": i, "subjects": s} for i, s in items])


@router.get("/{ido_id}")
def ido_page(
    request: Request,
    ido_id: int,
    done: str = Query("", max_length=80),
    ctx: RequestContext = require("juki.read", categories=("juki.history",)),
) -> HTMLResponse:
    """One 異動 with its persons; a 仮登録 offers 本登録 and 破棄 to those allowed to decide."""
    ido = ctx.uow.session.get(Ido, ido_id)
    subjects = _subjects(ctx, ido) if ido is not None else []
    hidden = _hidden(ctx)
    if ido is None or any(s.atena_no in hidden for s in subjects):
        ctx.touched(*(s.atena_no for s in subjects), shien=bool(subjects))
        return error_page(request, ctx, NotFound(f"異動 {ido_id} はありません"))
    ctx.touched(*(s.atena_no for s in subjects))
    ctx.audit.record_count = len(subjects)
    registered = {s.atena_no for s in subjects if ctx.uow.session.get(Jumin, s.atena_no) is not None}
    ctx.commit()
    return page(
        request,
        "ido/result.html",
        ctx,
        registered=registered,
        ido=ido,
        subjects=subjects,
        can_confirm=ctx.principal.can(CONFIRM),
        details=ido.details or {},
        done=done,
    )


def _decide(ctx: RequestContext, ido_id: int, action: str) -> JSONResponse:
    now = ctx.yakuba.clock()
    try:
        ido = (juki.confirm if action == "confirm" else juki.discard)(ctx.uow, ido_id, now=now)
    except YakubaError as exc:
        return error_json(ctx, exc)
    subjects = _subjects(ctx, ido)
    ctx.touched(*(s.atena_no for s in subjects))
    ctx.audit.detail.update(ido_id=ido_id, status=ido.status)
    ctx.commit()
    done = "本登録しました" if action == "confirm" else "破棄しました"
    message = quote(f"異動 {ido_id}（{jiyu_name(ido.jiyu_code)}）を{done}")
    if subjects and action == "confirm":
        return redirect_json(with_purpose(f"/ui/persons/{subjects[0].atena_no}?done={message}", ctx.purpose))
    return redirect_json(with_purpose(f"/ui/ido/{ido_id}?done={message}", ctx.purpose))


@router.post("/{ido_id}/confirm")
def confirm(
    ido_id: int, ctx: RequestContext = require(CONFIRM, categories=("juki.resident",))
) -> JSONResponse:
    """本登録（決裁）: the 仮登録 enters the register, its events reach the other businesses."""
    return _decide(ctx, ido_id, "confirm")


@router.post("/{ido_id}/discard")
def discard(
    ido_id: int, ctx: RequestContext = require(CONFIRM, categories=("juki.resident",))
) -> JSONResponse:
    """破棄: the 仮登録 is not taken into the register (its rows stay in the history)."""
    return _decide(ctx, ido_id, "discard")


def _entry_context(ctx: RequestContext, kind: str, atena_no: str, setai_no: str) -> dict[str, Any]:
    """The resident and 世帯 an entry screen starts from (through the visibility chokepoint)."""
    session = ctx.uow.session
    context: dict[str, Any] = {
        "person": None,
        "members": [],
        "members_options": {},
        "setai_no": setai_no,
        "versions": {},
    }
    if atena_no:
        guard_read(ctx, atena_no)
        person = current_row(session, atena_no, active=kind != "shusei")
        context.update(person=person, setai_no=person.setai_no)
    if context["setai_no"]:
        members = ordered_members(ctx, context["setai_no"])
        if not members and kind != "shusei":
            raise NotFound(f"世帯番号 {context['setai_no']} の世帯は見つかりません")
        setai = session.get(Setai, context["setai_no"])
        context["members"] = members
        context["members_options"] = {m.atena_no: full_name(m) for m in members}
        context["versions"] = {context["setai_no"]: setai.version} if setai else {}
        ctx.touched(*(m.atena_no for m in members))
    return context


@router.get("/new/{kind}")
def entry_page(
    request: Request,
    kind: str,
    atena_no: str = Query("", max_length=15),
    setai_no: str = Query("", max_length=15),
    ctx: RequestContext = require(WRITE, categories=("juki.resident",)),
) -> HTMLResponse:
    """The entry screen of one kind of 異動, started from a resident where the kind needs one."""
    screen = ido_kinds.SCREENS.get(kind)
    try:
        if screen is None:
            raise NotFound(f"異動の画面「{kind}」はありません")
        if screen.needs_person and not atena_no:
            raise NotFound("対象の住民を検索してから入力してください")
        context = _entry_context(ctx, kind, atena_no, setai_no)
    except YakubaError as exc:
        if atena_no:
            ctx.touched(atena_no)
        return error_page(request, ctx, exc)
    ctx.commit()
    return page(
        request,
        "ido/form.html",
        ctx,
        kind=kind,
        screen=screen,
        today=japan_date(ctx.yakuba.clock()),
        items=ITEM_LABELS,
        options={
            "tennyu": ido_kinds.TENNYU_KINDS,
            "setai": ido_kinds.SETAI_KINDS,
            "shojo": ido_kinds.SHOJO_REASONS,
            "shusei": ido_kinds.SHUSEI_KINDS,
            "sex": ido_kinds.SEX,
        },
        shusei_rows=range(ido_kinds.SHUSEI_ROWS),
        **context,
    )


@router.post("/new/{kind}")
def submit(
    kind: str,
    form: FormData = Depends(form_data),
    ctx: RequestContext = require(WRITE, categories=("juki.resident",)),
) -> JSONResponse:
    """``step=check``: dry run → the confirmation; ``step=commit``: record the 仮登録 → its page."""
    reader = FormReader(form)
    today = japan_date(ctx.yakuba.clock())
    try:
        if kind not in ido_kinds.SCREENS:
            raise NotFound(f"異動の画面「{kind}」はありません")
        draft = ido_kinds.build(kind, reader)
        if reader.raw("step") == "commit":
            result = draft.run(ctx.uow, today=today, confirm_alerts=reader.flag("confirm_alerts", "確認"))
        else:
            return _dry_run(ctx, kind, draft, today)
    except YakubaError as exc:
        return error_json(ctx, exc)
    ctx.touched(*result.atena_nos)
    ctx.audit.record_count = len(result.atena_nos)
    ctx.audit.detail.update(ido_id=result.ido_id, jiyu_code=result.jiyu_code, status=result.status)
    ctx.commit()
    done = quote("仮登録しました。本登録（決裁）までは住民票・証明書に反映されません")
    return redirect_json(with_purpose(f"/ui/ido/{result.ido_id}?done={done}", ctx.purpose))


def _after(row: Rireki) -> dict[str, str]:
    """One person as the 住民票 would read after the 異動 (shown on the confirmation)."""
    return {
        "name": full_name(row),
        "zokugara": row.zokugara,
        "address": address(row),
        "jotai": jotai_name(row.jumin_jotai),
        "setai_no": row.setai_no,
    }


def _dry_run(ctx: RequestContext, kind: str, draft: ido_kinds.Draft, today: dt.date) -> JSONResponse:
    alerts: list[str] = []
    after: list[dict[str, str]] = []
    try:
        result = draft.run(ctx.uow, today=today, confirm_alerts=False)
        ido = ctx.uow.session.get(Ido, result.ido_id)
        after = [_after(row) for row in (_subjects(ctx, ido) if ido else [])]
        ctx.touched(*(a for a in result.atena_nos if ctx.uow.session.get(Jumin, a) is not None))
    except AlertConfirmationRequired as exc:
        alerts = exc.alerts
    ctx.uow.rollback()
    ctx.audit.detail["dry_run"] = kind
    ctx.commit()
    html = templates.get_template("ido/_confirm.html").render(
        screen=ido_kinds.SCREENS[kind],
        summary=draft.summary,
        alerts=alerts,
        after=after,
    )
    return JSONResponse({"confirm": html, "alerts": alerts})
