"""監査ログの閲覧・点検 API (``/api/v1/audit``): for 監査担当 and システム管理者."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Query

from yakuba.audit import service
from yakuba.audit.models import AuditEntry
from yakuba.kernel.wareki import parse_date
from yakuba.security.auth import RequestContext, require
from yakuba.validation import Offset

router = APIRouter(prefix="/api/v1/audit", tags=["監査"])

# The values audit.models.CATEGORIES and RESULTS allow, declared so the OpenAPI document tells clients
# the truth (tests/audit/test_api_filters.py keeps the two in step).
Category = Literal["access", "auth", "admin", "system"]
Result = Literal["success", "denied", "failure", "error"]
ReviewKind = Literal["night-holiday", "failed-logins", "mass-searches", "shien"]


def _entry(e: AuditEntry) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "occurred_at": e.occurred_at,
        "login": e.login,
        "roles": e.roles,
        "terminal": e.terminal,
        "category": e.category,
        "operation": e.operation,
        "permission": e.permission,
        "subjects": e.subjects,
        "purpose": e.purpose,
        "result": e.result,
        "reason": e.reason,
        "mynumber_revealed": e.mynumber_revealed,
        "contractor": e.contractor,
        "shien_subject": e.shien_subject,
        "record_count": e.record_count,
    }


def _day(text: str | None, field: str, default: dt.date) -> dt.date:
    return parse_date(text, field=field) if text else default


@router.get("/entries", summary="監査ログの検索")
def entries(
    login: str | None = Query(None, description="職員のログインID"),
    subject: str | None = Query(None, description="対象者の宛名番号"),
    start: str | None = Query(None, description="開始日（和暦・西暦）"),
    end: str | None = Query(None, description="終了日（和暦・西暦）"),
    category: Category | None = Query(None, description="種別 access / auth / admin / system"),
    result: Result | None = Query(None, description="結果 success / denied / failure / error"),
    limit: int = Query(100, ge=1, le=1000, description="件数"),
    offset: Offset = 0,
    ctx: RequestContext = require("audit.read", categories=("audit.log",)),
) -> dict[str, Any]:
    """条件に合う監査ログ（新しい順）。閲覧したこと自体も監査ログに残ります。"""
    found = service.search(
        ctx.uow.session,
        login=login,
        subject=subject or None,  # an empty filter is no filter, like the dates
        start=parse_date(start, field="開始日") if start else None,
        end=parse_date(end, field="終了日") if end else None,
        category=category,
        result=result,
        limit=limit,
        offset=offset,
    )
    ctx.audit.record_count = len(found)
    ctx.audit.detail["filters"] = {"login": login, "subject": subject, "start": start, "end": end}
    ctx.commit()
    return {"items": [_entry(e) for e in found], "count": len(found)}


@router.get("/verify", summary="監査ログの改ざん検証")
def verify_chain(ctx: RequestContext = require("audit.read", categories=("audit.log",))) -> dict[str, Any]:
    """ハッシュチェーンを再計算し、改ざん・削除があれば最初の記録を示します。"""
    result = service.verify(ctx.uow.session)
    ctx.commit()
    return {
        "ok": result.ok,
        "checked": result.checked,
        "first_broken_seq": result.first_broken_seq,
        "reason": result.reason,
    }


@router.get("/reviews/{kind}", summary="定型点検（夜間・休日、ログイン失敗、大量検索、支援措置対象者）")
def review(
    kind: ReviewKind,
    start: str | None = Query(None, description="開始日（省略時は30日前）"),
    end: str | None = Query(None, description="終了日（省略時は今日）"),
    ctx: RequestContext = require("audit.read", categories=("audit.log",)),
) -> dict[str, Any]:
    """仕様書の定型分析。

    night-holiday（夜間・休日の操作）, failed-logins（ログイン失敗）, mass-searches（大量検索）,
    shien（支援措置対象者へのアクセス）。
    """
    today = ctx.yakuba.clock().date()
    since = _day(start, "開始日", today - dt.timedelta(days=30))
    until = _day(end, "終了日", today)
    session = ctx.uow.session
    items: list[dict[str, Any]]
    if kind == "night-holiday":
        items = [
            _entry(a.entry) | {"why": a.reason}
            for a in service.night_and_holiday_access(session, since, until)
        ]
    elif kind == "failed-logins":
        items = [
            {"login": f.login, "failures": f.failures, "first_at": f.first_at, "last_at": f.last_at}
            for f in service.failed_logins(session, since)
        ]
    elif kind == "mass-searches":
        items = [_entry(e) for e in service.mass_searches(session, since)]
    elif kind == "shien":
        items = [_entry(e) for e in service.shien_access(session, since)]
    else:
        from yakuba.errors import InputError

        raise InputError.single(
            "点検の種類", "night-holiday / failed-logins / mass-searches / shien のいずれかです"
        )
    ctx.audit.record_count = len(items)
    ctx.commit()
    return {"kind": kind, "start": since, "end": until, "items": items}
