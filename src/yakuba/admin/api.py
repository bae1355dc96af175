"""Staff account administration over the API (the CLI ``yakuba user`` does the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field
from sqlalchemy import select

from yakuba.security import accounts
from yakuba.security.accounts import LOGIN_PATTERN
from yakuba.security.api import PASSWORD_RULES
from yakuba.security.auth import RequestContext, require
from yakuba.security.models import StaffUser

router = APIRouter(prefix="/api/v1/admin", tags=["管理"])
LOGIN_PATH = Path(pattern=LOGIN_PATTERN.pattern, description="ログインID")


class UserCreate(BaseModel):
    login: str = Field(pattern=LOGIN_PATTERN.pattern, description="ログインID（英小文字・数字・._-）")
    display_name: str = Field(min_length=1, max_length=100, description="氏名")
    roles: list[str] = Field(min_length=1, description="ロール ID の一覧（1つ以上）")
    password: str = Field(max_length=200, description=PASSWORD_RULES.replace("新しい", "初期", 1))
    contractor: bool = Field(default=False, description="委託事業者アカウント")
    until: dt.date | None = Field(default=None, description="有効期限（委託事業者）")
    approver: str | None = Field(default=None, description="承認者のログインID（委託事業者）")
    company: str | None = Field(default=None, description="委託事業者名")


def _user_view(user: StaffUser) -> dict[str, Any]:
    return {
        "login": user.login,
        "display_name": user.display_name,
        "roles": user.roles,
        "is_privileged": user.is_privileged,
        "is_contractor": user.is_contractor,
        "contractor_until": user.contractor_until,
        "approver": user.approver,
        "disabled": user.disabled,
        "totp_enrolled": user.totp_enrolled,
        "locked_until": user.locked_until,
    }


@router.get("/users", summary="職員アカウントの一覧")
def list_users(
    ctx: RequestContext = require("admin.users", categories=("security.users",)),
) -> dict[str, Any]:
    """職員アカウントの一覧（パスワード・秘密鍵は含みません）。"""
    users = ctx.uow.session.execute(select(StaffUser).order_by(StaffUser.login)).scalars().all()
    ctx.audit.record_count = len(users)
    ctx.commit()
    return {"items": [_user_view(u) for u in users]}


@router.post("/users", summary="職員アカウントの作成", status_code=201)
def create_user(
    body: UserCreate, ctx: RequestContext = require("admin.users", categories=("security.users",))
) -> dict[str, Any]:
    """職員アカウントを作成します。初回ログイン時に二要素認証（TOTP）を登録します。"""
    user, _secret = accounts.add_user(
        ctx.uow,
        login=body.login,
        display_name=body.display_name,
        roles=body.roles,
        password=body.password,
        created_by=ctx.principal.login,
        contractor=body.contractor,
        until=body.until,
        approver=body.approver,
        company=body.company,
    )
    ctx.audit.detail["created_user"] = user.login
    ctx.commit()
    return _user_view(user)


@router.post("/users/{login}/disable", summary="職員アカウントの無効化")
def disable_user(
    login: str = LOGIN_PATH,
    ctx: RequestContext = require("admin.users", categories=("security.users",)),
) -> dict[str, Any]:
    """アカウントを無効にし、開いているセッションを終了します。"""
    user = accounts.set_disabled(ctx.uow, login, True)
    ctx.audit.detail["disabled_user"] = login
    ctx.commit()
    return _user_view(user)


@router.post("/users/{login}/unlock", summary="ロックの解除")
def unlock_user(
    login: str = LOGIN_PATH,
    ctx: RequestContext = require("admin.users", categories=("security.users",)),
) -> dict[str, Any]:
    """ログイン失敗によるロックを解除します。"""
    user = accounts.unlock(ctx.uow, login)
    ctx.audit.detail["unlocked_user"] = login
    ctx.commit()
    return _user_view(user)
