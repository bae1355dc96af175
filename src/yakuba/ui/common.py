"""What every screen shares: the templates, the page frame, and how a refusal becomes a page or JSON.

Screens are rendered on the server. Changes are sent by a small script (``static/ui/yakuba.js``) with
``fetch()`` because the CSRF check in :func:`yakuba.security.auth.identify` reads only the
``X-CSRF-Token`` header: the token is put in ``<meta name="csrf-token">`` of every signed-in page and
the script copies it into the header. A POST therefore answers JSON (``redirect``, ``confirm`` or
``errors``), and a GET answers a page.

A refusal caught by a screen must still be audited as a refusal: :func:`fail` rolls the work back and
writes the audit entry with result ``failure`` (the dependency would otherwise log a success).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from pydantic import ValidationError
from starlette.datastructures import FormData

from yakuba.bootstrap import Yakuba
from yakuba.errors import FieldProblem, InputError, YakubaError
from yakuba.juki.public import AlertConfirmationRequired
from yakuba.security.auth import RequestContext
from yakuba.ui import labels

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters.update(
    wareki=labels.wareki,
    seireki=labels.seireki,
    birth=labels.birth,
    moment=labels.moment,
    jiyu=labels.jiyu_name,
    jotai=labels.jotai_name,
    sex=labels.sex_name,
    shubetsu=labels.shubetsu_name,
    full_name=labels.full_name,
    kana_name=labels.kana_name,
    address=labels.address,
)
templates.env.globals.update(status_name=labels.STATUS)


def with_purpose(url: str, purpose: str | None) -> str:
    """Carry a declared purpose to the next screen, so a permitted 支援措置 read stays permitted there."""
    if not purpose:
        return url
    return f"{url}{'&' if '?' in url else '?'}purpose={quote(purpose)}"


@pass_context
def _purl(context: Any, url: str) -> str:
    return with_purpose(url, context.get("purpose"))


templates.env.globals["purl"] = _purl

# Menu entries: (permission, path, label, access key). Shown only to those holding the permission.
NAV: tuple[tuple[str, str, str, str], ...] = (
    ("self.account", "/", "メニュー", "m"),
    ("juki.read", "/ui/search", "住民検索", "s"),
    ("juki.idou.write", "/ui/ido/new/tennyu", "転入", "n"),
    ("juki.read", "/ui/ido", "仮登録一覧", "p"),
    ("zeimu.read", "/ui/zeimu/kojin/simulate", "税額試算", "z"),
    ("audit.read", "/ui/audit", "監査ログ", "a"),
)


def page(
    request: Request,
    template: str,
    ctx: RequestContext | None = None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a page inside the frame; with ``ctx`` the header shows the user, menu and CSRF token."""
    yakuba: Yakuba = request.app.state.yakuba
    context.setdefault("municipality", yakuba.settings.municipality_name)
    if ctx is not None:
        principal = ctx.principal
        context.setdefault("user", principal)
        context.setdefault("csrf_token", principal.csrf_token or "")
        context.setdefault("purpose", ctx.purpose or "")
        context.setdefault("nav", [n for n in NAV if principal.can(n[0])])
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    if ctx is not None:
        for header in ("X-Yakuba-Classification", "X-Yakuba-Marking"):
            if header in ctx.response.headers:
                response.headers[header] = ctx.response.headers[header]
    return response


def fail(ctx: RequestContext, exc: BaseException) -> None:
    """Undo the route's work and audit the refusal (with whoever it touched, e.g. a 支援措置 subject)."""
    ctx.uow.rollback()
    ctx.commit(result="failure", reason=str(exc)[:400])


def problems_of(exc: BaseException) -> list[FieldProblem]:
    if isinstance(exc, InputError):
        return list(exc.problems)
    return [FieldProblem("", str(exc))]


def error_page(request: Request, ctx: RequestContext, exc: YakubaError) -> HTMLResponse:
    """A refusal as a page: the same words as the API (a hidden 支援措置 subject reads as 'not found')."""
    fail(ctx, exc)
    return page(
        request,
        "error.html",
        ctx,
        status_code=exc.http_status,
        problems=problems_of(exc),
    )


def plain_error_page(request: Request, exc: YakubaError) -> HTMLResponse:
    """For the app's exception handler: a refusal raised before a screen ran (no permission, no declared
    purpose) shown as a page to a browser instead of JSON. Already audited by ``require``."""
    return page(request, "error.html", status_code=exc.http_status, problems=problems_of(exc))


def error_json(ctx: RequestContext, exc: YakubaError) -> JSONResponse:
    """A refusal answered to the script: field-named Japanese messages, and alerts to confirm."""
    fail(ctx, exc)
    body: dict[str, Any] = {
        "detail": "入力内容に誤りがあります。" if isinstance(exc, InputError) else str(exc),
        "errors": [{"field": p.field, "message": str(p)} for p in problems_of(exc)],
    }
    if isinstance(exc, AlertConfirmationRequired):
        body["alerts"] = exc.alerts
    return JSONResponse(body, status_code=exc.http_status)


def input_error(exc: ValidationError, names: dict[str, str]) -> InputError:
    """A Pydantic error in Japanese, naming the item by the screen's label rather than the JSON path."""
    from yakuba.validation import problems_from_pydantic

    problems = []
    for error, (_field, message) in zip(exc.errors(), problems_from_pydantic(exc.errors()), strict=True):
        parts = [str(p) for p in error.get("loc", ())]
        label = next((names[p] for p in reversed(parts) if p in names), "・".join(parts) or "入力")
        problems.append(FieldProblem(label, message))
    return InputError(*problems)


async def form_data(request: Request) -> FormData:
    """The posted form, read in the event loop so the route itself can be a plain (threadpool) function:
    routes do blocking database work and PDF signing, which must not run on the loop."""
    return await request.form()


def redirect_json(url: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"redirect": url, **extra})
