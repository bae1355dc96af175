"""The search screen: one box, read by :mod:`yakuba.ui.detect`, with 抑止 markers on every hit.

Reads go through the same chokepoint as the API: 支援措置 subjects are left out for a caller without
``juki.shien.read`` (and the attempt to find them is audited), and 抑止 flags come from
``yokushi_flags`` without their reasons.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from yakuba.errors import InputError
from yakuba.juki import public as juki
from yakuba.juki.public import LEVELS, PROCESSES, can_see_shien, guard_search, hidden_subjects, yokushi_flags
from yakuba.kernel.clock import japan_date
from yakuba.security.auth import RequestContext, require
from yakuba.ui.common import fail, page
from yakuba.ui.detect import Criteria, read_query

router = APIRouter(include_in_schema=False)
LIMIT = 100


def _find(ctx: RequestContext, criteria: Criteria, include_removed: bool) -> list[dict[str, Any]]:
    session = ctx.uow.session
    hidden = hidden_subjects(session, can_see_shien(ctx), japan_date(ctx.yakuba.clock()))
    query: dict[str, Any] = {**criteria.as_query(), "include_removed": include_removed}
    rows = juki.search_residents(session, **query, exclude=hidden, limit=LIMIT)
    if hidden:  # the attempt to find a 支援措置 subject is audited even though nothing is shown
        withheld = juki.search_residents(session, **query, only=hidden)
        if withheld:
            ctx.touched(*(r.atena_no for r in withheld), shien=True)
            ctx.audit.detail["shien_withheld"] = len(withheld)
    visible = set(guard_search(ctx, [r.atena_no for r in rows]))
    rows = [r for r in rows if r.atena_no in visible]
    ctx.touched(*(r.atena_no for r in rows))
    ctx.audit.record_count = len(rows)
    flags = yokushi_flags(session, [(r.atena_no, r.setai_no) for r in rows], now=ctx.yakuba.clock())
    return [
        {
            "row": r,
            "flags": [
                {"label": f"{PROCESSES[f['process']]}（{LEVELS[f['level']]}）", "level": f["level"]}
                for f in flags.get(r.atena_no, [])
            ],
        }
        for r in rows
    ]


@router.get("/ui/search")
def search_page(
    request: Request,
    q: str = Query("", max_length=100),
    removed: bool = Query(False),
    ctx: RequestContext = require("juki.read", categories=("juki.resident",)),
) -> HTMLResponse:
    """Empty box → the form; otherwise the hits, or the reason the box could not be read."""
    if not q.strip():
        ctx.commit()
        return page(request, "search.html", ctx, q="", results=None, removed=removed)
    try:
        criteria = read_query(q)
        results = _find(ctx, criteria, removed)
    except InputError as exc:
        fail(ctx, exc)
        return page(
            request, "search.html", ctx, status_code=422, q=q, results=None, removed=removed, error=exc
        )
    ctx.audit.detail["search"] = criteria.kinds
    ctx.commit()
    return page(
        request,
        "search.html",
        ctx,
        q=q,
        results=results,
        kinds="・".join(criteria.kinds),
        limit=LIMIT,
        removed=removed,
    )
