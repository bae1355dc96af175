"""Login, TOTP enrolment, logout and the caller's own account (JSON API).

Login is two factors at every login: password, then the TOTP code. An account that has not yet
enrolled gets a session limited to enrolment, and the QR code to scan.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from yakuba import params
from yakuba.bootstrap import Yakuba
from yakuba.errors import YakubaError
from yakuba.security.accounts import (
    AuthenticationError,
    authenticate,
    change_password,
    complete_enrolment,
    end_session,
    principal_for,
    resolve_session,
    start_session,
    totp_secret,
)
from yakuba.security.auth import (
    SESSION_COOKIE,
    RequestContext,
    _record,
    client_ip,
    require,
    write_separately,
)
from yakuba.security.models import StaffUser
from yakuba.security.totp import provisioning_uri, qr_svg

router = APIRouter(prefix="/api/v1/auth", tags=["認証"])


class TooManyAttempts(YakubaError):
    http_status = 429


class LoginRequest(BaseModel):
    login: str = Field(max_length=64, description="ログインID")
    password: str = Field(max_length=200, description="パスワード")
    code: str | None = Field(default=None, max_length=10, description="認証アプリの確認コード（6桁）")


PASSWORD_RULES = (
    "新しいパスワード。最小文字数はパラメータ security.auth.password_min_length（既定 12）、"
    "英小文字・英大文字・数字・記号のうち2種類以上、ログインIDを含まないこと"
)


class PasswordChange(BaseModel):
    current: str = Field(max_length=200, description="現在のパスワード")
    new: str = Field(max_length=200, description=PASSWORD_RULES)


class EnrolRequest(BaseModel):
    code: str = Field(max_length=10, description="認証アプリの確認コード（6桁）")


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    yakuba: Yakuba = request.app.state.yakuba
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        secure=yakuba.settings.cookie_secure,
        samesite="strict",
        path="/",
    )


def login_flow(request: Request, login: str, password: str, code: str | None) -> dict[str, Any]:
    """Shared by the JSON API and the login screen: returns the stage reached and the new cookie value."""
    yakuba: Yakuba = request.app.state.yakuba
    limiter = request.app.state.login_limiter
    now = yakuba.clock()
    if not limiter.allow(
        client_ip(request), limit=params.get("security.auth.login_rate_per_minute", on=now.date())
    ):
        write_separately(
            yakuba,
            _record(
                request,
                None,
                category="auth",
                permission=None,
                purpose=None,
                result="denied",
                reason="ログイン試行回数の上限（1分あたり）を超過",
                login=login[:64],
            ),
        )
        raise TooManyAttempts("ログインの試行が多すぎます。1分ほど待ってからやり直してください")
    with yakuba.uow() as uow:
        try:
            user, must_enrol = authenticate(uow, login=login, password=password, code=code, now=now)
        except AuthenticationError as exc:
            uow.commit()  # keep the failure count
            write_separately(
                yakuba,
                _record(
                    request,
                    None,
                    category="auth",
                    permission=None,
                    purpose=None,
                    result="failure",
                    reason=exc.reason,
                    login=login[:64],
                ),
            )
            raise
        stage = "enrol" if must_enrol else "full"
        token, csrf = start_session(uow, user, client_ip=client_ip(request), stage=stage, now=now)
        result: dict[str, Any] = {"stage": stage, "token": token, "csrf_token": csrf, "login": user.login}
        if must_enrol:
            uri = provisioning_uri(
                totp_secret(uow, user), login=user.login, issuer=f"yakuba {yakuba.settings.municipality_name}"
            )
            result.update(otpauth_uri=uri, qr_svg=qr_svg(uri))
        uow.commit()
    principal = principal_for(user, via="session", on=now.date())
    write_separately(
        yakuba,
        _record(
            request,
            principal,
            category="auth",
            permission=None,
            purpose=None,
            result="success",
            reason="パスワード確認・TOTP 登録待ち" if must_enrol else "パスワード＋確認コードでログイン",
        ),
    )
    return result


def enrol_flow(request: Request, token: str | None, code: str) -> str:
    """Finish TOTP enrolment; the session becomes a full one. Returns the CSRF token."""
    yakuba: Yakuba = request.app.state.yakuba
    if not token:
        raise AuthenticationError("セッションなし", public="ログインしてください")
    with yakuba.uow() as uow:
        now = yakuba.clock()
        row, user = resolve_session(uow.session, token, now=now)
        if row.stage != "enrol":
            raise AuthenticationError("登録段階ではないセッション", public="すでに登録済みです")
        complete_enrolment(uow, user, code, now=now)
        row.stage = "full"
        csrf = row.csrf_token
        uow.commit()
    write_separately(
        yakuba,
        _record(
            request,
            principal_for(user, via="session", on=now.date()),
            category="auth",
            permission=None,
            purpose=None,
            result="success",
            reason="二要素認証（TOTP）を登録",
        ),
    )
    return csrf


@router.post("/login", summary="ログイン（パスワード＋確認コード）")
def login(body: LoginRequest, request: Request, response: Response) -> dict[str, Any]:
    """パスワードと認証アプリの確認コードでログインします。未登録の職員には登録用 QR コードを返します。"""
    result = login_flow(request, body.login, body.password, body.code)
    set_session_cookie(request, response, result.pop("token"))
    return result


@router.post("/enrol", summary="二要素認証の登録")
def enrol(body: EnrolRequest, request: Request) -> dict[str, str]:
    """QR コードを読み取った認証アプリの確認コードで、二要素認証の登録を完了します。"""
    csrf = enrol_flow(request, request.cookies.get(SESSION_COOKIE), body.code)
    return {"stage": "full", "csrf_token": csrf}


@router.post("/logout", summary="ログアウト")
def logout(request: Request, response: Response) -> dict[str, str]:
    """セッションを終了します。"""
    yakuba: Yakuba = request.app.state.yakuba
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with yakuba.uow() as uow:
            end_session(uow.session, token)
            uow.commit()
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"status": "ok"}


@router.get("/me", summary="ログイン中の職員")
def me(ctx: RequestContext = require("self.account")) -> dict[str, Any]:
    """ログイン中の職員の ID・ロール・権限を返します。"""
    p = ctx.principal
    return {
        "login": p.login,
        "display_name": p.display_name,
        "roles": list(p.roles),
        "permissions": sorted(p.permissions),
        "is_contractor": p.is_contractor,
        "csrf_token": p.csrf_token,
    }


@router.post("/password", summary="パスワードの変更")
def password(body: PasswordChange, ctx: RequestContext = require("self.account")) -> dict[str, str]:
    """ログイン中の職員が自分のパスワードを変更します。"""
    user = ctx.uow.session.get(StaffUser, ctx.principal.login)
    assert user is not None
    change_password(ctx.uow, user, current=body.current, new=body.new, now=ctx.yakuba.clock())
    ctx.audit.detail["password_changed"] = True
    ctx.commit()
    return {"status": "ok"}
