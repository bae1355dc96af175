"""Login (password, then TOTP; QR enrolment on first login), logout and the menu by role.

These posts are plain HTML forms: login and logout are open routes (``OPEN_ROUTES``) with no session
yet, so no CSRF header is needed; every other change goes through the script (see ``ui.common``).
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yakuba.bootstrap import Yakuba
from yakuba.errors import YakubaError
from yakuba.security.accounts import AuthenticationError, end_session, role_catalog
from yakuba.security.api import enrol_flow, login_flow, set_session_cookie
from yakuba.security.auth import SESSION_COOKIE, RequestContext, require
from yakuba.ui.common import page

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_page(request: Request) -> HTMLResponse:
    return page(request, "login.html")


@router.post("/login")
def login_submit(
    request: Request,
    login: str = Form(""),
    password: str = Form(""),
    code: str = Form(""),
) -> Response:
    try:
        result = login_flow(request, login, password, code or None)
    except AuthenticationError as exc:
        return page(request, "login.html", status_code=401, error=exc.public, login=login)
    except YakubaError as exc:
        return page(request, "login.html", status_code=exc.http_status, error=str(exc), login=login)
    if result["stage"] == "enrol":
        response: Response = page(
            request, "enrol.html", qr_svg=result["qr_svg"], otpauth_uri=result["otpauth_uri"]
        )
    else:
        response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, result["token"])
    return response


@router.post("/login/enrol")
def enrol_submit(request: Request, code: str = Form("")) -> Response:
    try:
        enrol_flow(request, request.cookies.get(SESSION_COOKIE), code)
    except AuthenticationError as exc:
        return page(request, "login.html", status_code=401, error=exc.public)
    except YakubaError as exc:
        return page(
            request, "login.html", status_code=exc.http_status, error=f"{exc}（もう一度ログインしてください）"
        )
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout_submit(request: Request) -> Response:
    yakuba: Yakuba = request.app.state.yakuba
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with yakuba.uow() as uow:
            end_session(uow.session, token)
            uow.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(request: Request, ctx: RequestContext = require("self.account")) -> HTMLResponse:
    """The menu shows only what the caller's roles allow (the routes check again anyway)."""
    labels = role_catalog(ctx.yakuba.clock().date())
    roles = "・".join(labels.get(r, {}).get("label", r) for r in ctx.principal.roles)
    ctx.commit()
    return page(request, "home.html", ctx, roles=roles)
