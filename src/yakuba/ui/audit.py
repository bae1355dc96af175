"""監査ログの閲覧と定型点検 (``audit.read``): the same service functions as ``/api/v1/audit``.

Dates are typed in 和暦 or 西暦 and shown in Japan time. Reading the log is itself logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from yakuba.audit import service
from yakuba.errors import InputError, YakubaError
from yakuba.kernel.clock import japan_date
from yakuba.kernel.wareki import parse_date
from yakuba.security.auth import RequestContext, require
from yakuba.ui.common import error_page, page

router = APIRouter(prefix="/ui/audit", include_in_schema=False)
READ = "audit.read"
REVIEWS = {
    "night-holiday": "夜間・休日の操作",
    "failed-logins": "ログイン失敗",
    "mass-searches": "大量検索",
    "shien": "支援措置対象者へのアクセス",
}
CATEGORIES = {"access": "業務アクセス", "auth": "認証", "admin": "管理", "system": "システム"}
RESULTS = {"success": "成功", "denied": "拒否", "failure": "失敗", "error": "エラー"}


def _day(text: str, field: str) -> dt.date | None:
    return parse_date(text, field=field) if text.strip() else None


@router.get("")
def entries_page(
    request: Request,
    login: str = Query("", max_length=64),
    subject: str = Query("", max_length=15),
    start: str = Query("", max_length=40),
    end: str = Query("", max_length=40),
    category: str = Query("", max_length=10),
    result: str = Query("", max_length=10),
    ctx: RequestContext = require(READ, categories=("audit.log",)),
) -> HTMLResponse:
    """The newest 200 entries matching the filters."""
    filters = {
        "login": login,
        "subject": subject,
        "start": start,
        "end": end,
        "category": category,
        "result": result,
    }
    try:
        found = service.search(
            ctx.uow.session,
            login=login or None,
            subject=subject or None,
            start=_day(start, "開始日"),
            end=_day(end, "終了日"),
            category=category or None,
            result=result or None,
            limit=200,
        )
    except (YakubaError, ValueError) as exc:
        error = exc if isinstance(exc, YakubaError) else InputError.single("対象者", str(exc))
        return error_page(request, ctx, error)
    ctx.audit.record_count = len(found)
    ctx.audit.detail["filters"] = {k: v for k, v in filters.items() if v}
    ctx.commit()
    return page(
        request,
        "audit.html",
        ctx,
        entries=found,
        filters=filters,
        categories=CATEGORIES,
        results=RESULTS,
        reviews=REVIEWS,
    )


@router.get("/verify")
def verify_page(
    request: Request, ctx: RequestContext = require(READ, categories=("audit.log",))
) -> HTMLResponse:
    """Recompute the hash chain: the first broken or missing entry, if any."""
    outcome = service.verify(ctx.uow.session)
    ctx.commit()
    return page(request, "audit_verify.html", ctx, outcome=outcome, reviews=REVIEWS)


@router.get("/reviews/{kind}")
def review_page(
    request: Request,
    kind: str,
    start: str = Query("", max_length=40),
    end: str = Query("", max_length=40),
    ctx: RequestContext = require(READ, categories=("audit.log",)),
) -> HTMLResponse:
    """The canned reviews of the specification, over the last 30 days unless told otherwise."""
    today = japan_date(ctx.yakuba.clock())
    try:
        if kind not in REVIEWS:
            raise InputError.single("点検の種類", " / ".join(REVIEWS.values()) + " のいずれかです")
        since = _day(start, "開始日") or today - dt.timedelta(days=30)
        until = _day(end, "終了日") or today
    except YakubaError as exc:
        return error_page(request, ctx, exc)
    session = ctx.uow.session
    rows: list[dict[str, Any]] = []
    summaries: list[service.FailedLoginSummary] = []
    if kind == "night-holiday":
        rows = [
            {"entry": a.entry, "why": a.reason}
            for a in service.night_and_holiday_access(session, since, until)
        ]
    elif kind == "failed-logins":
        summaries = service.failed_logins(session, since)
    elif kind == "mass-searches":
        rows = [{"entry": e, "why": f"{e.record_count}件"} for e in service.mass_searches(session, since)]
    else:
        rows = [{"entry": e, "why": ""} for e in service.shien_access(session, since)]
    ctx.audit.record_count = len(rows) + len(summaries)
    ctx.commit()
    return page(
        request,
        "audit_review.html",
        ctx,
        kind=kind,
        title=REVIEWS[kind],
        reviews=REVIEWS,
        rows=rows,
        summaries=summaries,
        start=start,
        end=end,
        since=since,
        until=until,
        results=RESULTS,
    )
