"""抑止・支援措置 management: only for ``juki.shien.manage``, and only with a declared business purpose.

The access policy requires a purpose for every ``juki.shien.*`` permission, so the menu asks for it
and it travels as ``?purpose=`` on pages and as the ``X-Yakuba-Purpose`` header on the script's posts
(``<meta name="yakuba-purpose">``). Every action calls ``yakuba.juki.yokushi`` — the same service the
API uses — and marks the audit entry as touching a 支援措置 subject where it does.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.datastructures import FormData

from yakuba.errors import InputError, YakubaError
from yakuba.juki import public as juki
from yakuba.juki.public import Jumin, current_row
from yakuba.security.auth import RequestContext, require
from yakuba.ui.common import error_json, form_data, page, redirect_json
from yakuba.ui.form_reader import FormReader
from yakuba.ui.labels import full_name

router = APIRouter(prefix="/ui/shien", include_in_schema=False)
MANAGE = "juki.shien.manage"
VIEWS = {"active": "実施中", "ending_soon": "1か月以内に終了", "expired": "期間終了", "all": "すべて"}


def _back(ctx: RequestContext, message: str, **params: str) -> JSONResponse:
    query = {"purpose": ctx.purpose or "", **params, "done": message}
    return redirect_json("/ui/shien?" + "&".join(f"{k}={quote(v)}" for k, v in query.items() if v))


def _shien_list(ctx: RequestContext, view: str) -> list[Any]:
    session = ctx.uow.session
    today = juki.today_jst(ctx.yakuba.clock())
    if view == "ending_soon":
        return juki.ending_soon(session, today)
    if view == "expired":
        return juki.expired(session, today)
    return juki.list_shien(session, include_ended=view == "all")


@router.get("")
def shien_page(
    request: Request,
    atena_no: str = Query("", max_length=15),
    setai_no: str = Query("", max_length=15),
    view: str = Query("active", pattern="^(active|ending_soon|expired|all)$"),
    done: str = Query("", max_length=120),
    ctx: RequestContext = require(MANAGE, categories=("juki.shien",)),
) -> HTMLResponse:
    """The 抑止 of one person or 世帯 (released ones too) and the 支援措置 list with its end-date alerts."""
    session = ctx.uow.session
    now = ctx.yakuba.clock()
    person = session.get(Jumin, atena_no) if atena_no else None
    name = full_name(current_row(session, atena_no, active=False)) if person is not None else ""
    target_setai = setai_no or (person.setai_no if person else "")
    rows = juki.list_yokushi(session, atena_no=atena_no or None, setai_no=target_setai or None)
    yokushi = [{"row": r, "in_force": juki.is_in_force(r, now)} for r in rows]
    may_read = ctx.allows("juki.shien.read", sensitivity="3A").allowed
    shien = _shien_list(ctx, view) if may_read else []
    today = juki.today_jst(now)
    counts = {
        "ending_soon": len(juki.ending_soon(session, today)),
        "expired": len(juki.expired(session, today)),
    }
    ctx.touched(*sorted({a for s in shien for a in juki.subjects_of(s)}), shien=True)
    if atena_no:
        ctx.touched(atena_no)
    ctx.audit.record_count = len(rows) + len(shien)
    ctx.commit()
    return page(
        request,
        "shien.html",
        ctx,
        atena_no=atena_no,
        setai_no=target_setai,
        person=person,
        person_name=name,
        yokushi=yokushi,
        shien=shien,
        may_read=may_read,
        counts=counts,
        view=view,
        views=VIEWS,
        done=done,
        processes=juki.PROCESSES,
        levels=juki.LEVELS,
        targets=juki.TARGET_KINDS,
        shien_kinds=juki.SHIEN_KINDS,
        shien_processes=juki.SHIEN_PROCESSES,
    )


@router.post("/yokushi")
def set_yokushi(
    form: FormData = Depends(form_data), ctx: RequestContext = require(MANAGE, categories=("juki.resident",))
) -> JSONResponse:
    """Set an 抑止 (error or alert) on a person or a 世帯 for one process."""
    r = FormReader(form)
    now = ctx.yakuba.clock()
    try:
        target_kind = r.choice("target_kind", "対象", juki.TARGET_KINDS, default="person")
        target_no = r.text("target_no", "宛名番号・世帯番号", required=True) or ""
        process = r.choice("process", "抑止する業務", juki.PROCESSES, default="certificate")
        level = r.choice("level", "レベル", juki.LEVELS, default="error")
        reason = r.text("reason", "理由", required=True) or ""
        start = r.date("start_date", "開始日")
        end = r.date("end_date", "終了日")
        r.check()
        row = juki.set_yokushi(
            ctx.uow,
            target_kind=target_kind,
            target_no=target_no,
            process=process,
            level=level,
            reason=reason,
            start_date=start or juki.today_jst(now),
            end_date=end,
            now=now,
        )
    except YakubaError as exc:
        return error_json(ctx, exc)
    if row.target_kind == "person":
        ctx.touched(row.target_no)
    ctx.audit.detail["yokushi_id"] = row.id
    ctx.commit()
    key = "atena_no" if target_kind == "person" else "setai_no"
    return _back(ctx, f"抑止 {row.id} を設定しました", **{key: target_no})


@router.post("/yokushi/{yokushi_id}/{action}")
def change_yokushi(
    yokushi_id: int,
    action: str,
    form: FormData = Depends(form_data),
    ctx: RequestContext = require(MANAGE, categories=("juki.resident",)),
) -> JSONResponse:
    """``release`` ends an 抑止 for good; ``temp-release`` lifts it for a few minutes (reverts by itself)."""
    r = FormReader(form)
    now = ctx.yakuba.clock()
    try:
        if action == "release":
            row = juki.release_yokushi(ctx.uow, yokushi_id, now=now)
            done = f"抑止 {yokushi_id} を解除しました"
        elif action == "temp-release":
            minutes = r.raw("minutes")
            row = juki.temp_release(ctx.uow, yokushi_id, int(minutes) if minutes.isdigit() else None, now=now)
            done = f"抑止 {yokushi_id} を一時解除しました"
        else:
            raise InputError.single("操作", f"「{action}」はできません")
    except YakubaError as exc:
        return error_json(ctx, exc)
    if row.target_kind == "person":
        ctx.touched(row.target_no)
    ctx.audit.detail["yokushi_id"] = row.id
    ctx.commit()
    key = "atena_no" if row.target_kind == "person" else "setai_no"
    return _back(ctx, done, **{key: row.target_no})


def _numbers(text: str) -> list[str]:
    return [n for n in re.split(r"[\s,、，]+", text) if n]


@router.post("/apply")
def apply_shien(
    form: FormData = Depends(form_data), ctx: RequestContext = require(MANAGE, categories=("juki.shien",))
) -> JSONResponse:
    """Register a 支援措置 or 仮支援措置: the 申出者, persons added to the request, the 加害者."""
    r = FormReader(form)
    try:
        atena_no = r.text("atena_no", "申出者の宛名番号", required=True) or ""
        kind = r.choice("kind", "種別", juki.SHIEN_KINDS, default="hon")
        start = r.date("start", "開始日", required=True)
        added = [
            juki.AddedPerson(atena_no=a, relation="併せて支援を求める者") for a in _numbers(r.raw("added"))
        ]
        kagaisha_name = r.text("kagaisha_name", "加害者の氏名")
        processes = r.many("target_processes") or None
        r.check()
        assert start is not None
        row = juki.apply_shien(
            ctx.uow,
            atena_no=atena_no,
            kind=kind,
            start=start,
            added_persons=added or None,
            kagaisha=[juki.Kagaisha(name=kagaisha_name)] if kagaisha_name else None,
            target_processes=processes,
            applicant=juki.ShienApplicant(contact=r.text("contact", "連絡先")),
            now=ctx.yakuba.clock(),
        )
    except YakubaError as exc:
        return error_json(ctx, exc)
    ctx.touched(*sorted(juki.subjects_of(row)), shien=True)
    ctx.audit.detail["shien_id"] = row.id
    ctx.commit()
    return _back(ctx, f"{juki.SHIEN_KINDS[row.kind]} {row.id} を登録しました", atena_no=atena_no)


@router.post("/{shien_id}/{action}")
def change_shien(
    shien_id: int, action: str, ctx: RequestContext = require(MANAGE, categories=("juki.shien",))
) -> JSONResponse:
    """``extend`` (from one month before the end) or ``end`` a 支援措置."""
    now = ctx.yakuba.clock()
    try:
        if action == "extend":
            row = juki.extend_shien(ctx.uow, shien_id, on=juki.today_jst(now), now=now)
            done = f"支援措置 {shien_id} を延長しました（新しい番号 {row.id}）"
        elif action == "end":
            row = juki.end_shien(ctx.uow, shien_id, now=now)
            done = f"支援措置 {shien_id} を終了しました"
        else:
            raise InputError.single("操作", f"「{action}」はできません")
    except YakubaError as exc:
        return error_json(ctx, exc)
    ctx.touched(*sorted(juki.subjects_of(row)), shien=True)
    ctx.audit.detail["shien_id"] = row.id
    ctx.commit()
    return _back(ctx, done)
