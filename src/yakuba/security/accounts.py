"""Staff accounts: creation, password + TOTP authentication with lockout, sessions and tokens.

Rules from the security-policy guideline (令和6年10月版, cross-cutting.md §1.4): individual IDs,
multi-factor login, lockout after repeated failures, session time limits, separate privileged
accounts, and contractor accounts with an expiry date and an approving official.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.errors import Forbidden, InputError, YakubaError
from yakuba.kernel import clock
from yakuba.security.models import ApiToken, LoginSession, StaffUser
from yakuba.security.passwords import hash_password, needs_rehash, password_problems, verify_password
from yakuba.security.totp import new_secret, verify_totp
from yakuba.uow import UnitOfWork

TOTP_CONTEXT = "security_user.totp_secret"
LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
PRIVILEGED_ROLES = frozenset({"sysadmin"})
CONTRACTOR_ROLES = frozenset({"contractor"})


class AuthenticationError(YakubaError):
    """Login refused. ``public`` is safe to show; ``reason`` goes only to the audit log."""

    http_status = 401

    def __init__(
        self, reason: str, public: str = "ログインIDまたはパスワード・確認コードが正しくありません"
    ) -> None:
        super().__init__(public)
        self.reason = reason
        self.public = public


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request."""

    login: str
    display_name: str
    roles: tuple[str, ...]
    permissions: frozenset[str]
    is_contractor: bool
    is_privileged: bool
    via: str  # session / token
    csrf_token: str | None = None

    def can(self, permission: str) -> bool:
        return permission in self.permissions


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns naive datetimes; everything here is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def role_catalog(on: dt.date) -> dict[str, dict[str, Any]]:
    return dict(params.get("security.roles", on=on))


def permission_catalog(on: dt.date) -> dict[str, str]:
    return dict(params.get("security.permissions", on=on))


def permissions_of(roles: list[str] | tuple[str, ...], on: dt.date) -> frozenset[str]:
    catalog = role_catalog(on)
    found: set[str] = set()
    for role in roles:
        found.update(catalog.get(role, {}).get("permissions", []))
    return frozenset(found)


def principal_for(user: StaffUser, *, via: str, csrf_token: str | None = None, on: dt.date) -> Principal:
    return Principal(
        login=user.login,
        display_name=user.display_name,
        roles=tuple(user.roles),
        permissions=permissions_of(user.roles, on),
        is_contractor=user.is_contractor,
        is_privileged=user.is_privileged,
        via=via,
        csrf_token=csrf_token,
    )


def add_user(
    uow: UnitOfWork,
    *,
    login: str,
    display_name: str,
    roles: list[str],
    password: str,
    created_by: str,
    contractor: bool = False,
    until: dt.date | None = None,
    approver: str | None = None,
    company: str | None = None,
    today: dt.date | None = None,
) -> tuple[StaffUser, str]:
    """Create an account and its TOTP secret (returned once, for enrolment by QR code)."""
    today = today or clock.today()
    session = uow.session
    if not LOGIN_PATTERN.match(login):
        raise InputError.single("ログインID", "英小文字・数字・._- の3〜64文字で指定してください")
    if session.get(StaffUser, login) is not None:
        raise InputError.single("ログインID", f"{login} は既に使われています")
    catalog = role_catalog(today)
    if not roles:
        raise InputError.single("ロール", "1つ以上指定してください")
    for role in roles:
        if role not in catalog:
            raise InputError.single("ロール", f"{role} はありません（{', '.join(sorted(catalog))}）")
    if set(roles) & PRIVILEGED_ROLES and set(roles) - PRIVILEGED_ROLES:
        raise InputError.single(
            "ロール", "特権アカウント（システム管理者）は業務のロールと分けて作成してください"
        )
    if contractor:
        if until is None:
            raise InputError.single("有効期限", "委託事業者アカウントには有効期限が必要です")
        if until < today:
            raise InputError.single("有効期限", "過去の日付は指定できません")
        if set(roles) - CONTRACTOR_ROLES:
            raise InputError.single(
                "ロール", "委託事業者アカウントに付与できるのは contractor（委託事業者）だけです"
            )
        approving = session.get(StaffUser, approver) if approver else None
        if approving is None or approving.is_contractor or approving.disabled:
            raise InputError.single("承認者", "在籍する職員のログインIDを指定してください")
    elif set(roles) & CONTRACTOR_ROLES:
        raise InputError.single(
            "ロール", "contractor ロールは委託事業者アカウント（--contractor）にだけ付与できます"
        )
    problems = password_problems(
        password, login=login, min_length=params.get("security.auth.password_min_length", on=today)
    )
    if problems:
        raise InputError(*[("パスワード", p) for p in problems])
    secret = new_secret()
    user = StaffUser(
        login=login,
        display_name=display_name,
        roles=list(roles),
        password_hash=hash_password(password),
        totp_secret_enc=uow.field_cipher.encrypt(secret, context=TOTP_CONTEXT),
        totp_enrolled=False,
        is_privileged=bool(set(roles) & PRIVILEGED_ROLES),
        is_contractor=contractor,
        contractor_until=until if contractor else None,
        contractor_company=company,
        approver=approver if contractor else None,
        disabled=False,
        failed_count=0,
        created_by=created_by,
    )
    session.add(user)
    session.flush()
    return user, secret


def get_user(session: Session, login: str) -> StaffUser:
    user = session.get(StaffUser, login)
    if user is None:
        raise InputError.single("ログインID", f"{login} という職員はいません")
    return user


def set_disabled(uow: UnitOfWork, login: str, disabled: bool) -> StaffUser:
    user = get_user(uow.session, login)
    user.disabled = disabled
    if disabled:
        for s in uow.session.execute(
            select(LoginSession).where(LoginSession.login == login, LoginSession.ended_at.is_(None))
        ).scalars():
            s.ended_at = clock.now()
    return user


def unlock(uow: UnitOfWork, login: str) -> StaffUser:
    user = get_user(uow.session, login)
    user.failed_count = 0
    user.locked_until = None
    return user


def totp_secret(uow: UnitOfWork, user: StaffUser) -> str:
    assert user.totp_secret_enc
    return uow.field_cipher.decrypt(user.totp_secret_enc, context=TOTP_CONTEXT)


def check_account_usable(user: StaffUser, now: dt.datetime) -> None:
    """Raise when the account may not act now (disabled, locked, contractor period over)."""
    if user.disabled:
        raise AuthenticationError(f"無効化されたアカウント {user.login}")
    locked = _aware(user.locked_until)
    if locked is not None and locked > now:
        raise AuthenticationError(
            f"ロック中のアカウント {user.login}（{locked.isoformat()} まで）",
            public="アカウントはロックされています。しばらく待つか管理者に連絡してください",
        )
    if user.is_contractor and (user.contractor_until is None or user.contractor_until < now.date()):
        raise AuthenticationError(
            f"有効期限切れの委託事業者アカウント {user.login}（{user.contractor_until}）",
            public="このアカウントの有効期限が切れています",
        )


def authenticate(
    uow: UnitOfWork, *, login: str, password: str, code: str | None, now: dt.datetime | None = None
) -> tuple[StaffUser, bool]:
    """Check password and (once enrolled) the TOTP code. Returns the user and whether TOTP is still to enrol.

    Failures count towards the lockout; the caller commits so that the count survives the refusal.
    """
    now = now or clock.now()
    user = uow.session.get(StaffUser, login)
    if user is None:
        raise AuthenticationError(f"存在しないログインID {login!r}")
    check_account_usable(user, now)

    def fail(reason: str) -> AuthenticationError:
        assert user is not None
        user.failed_count = (user.failed_count or 0) + 1
        limit = params.get("security.auth.max_failed_logins", on=now.date())
        if user.failed_count >= limit:
            minutes = params.get("security.auth.lockout_minutes", on=now.date())
            user.locked_until = now + dt.timedelta(minutes=minutes)
            reason += f"。{limit} 回連続の失敗によりロック"
        return AuthenticationError(reason)

    if not verify_password(user.password_hash, password):
        raise fail(f"パスワード誤り {login}")
    if needs_rehash(user.password_hash):  # hashing parameters were raised since this hash was made
        user.password_hash = hash_password(password)
    if user.totp_enrolled:
        step = verify_totp(totp_secret(uow, user), code or "", at=now, last_used_step=user.totp_last_step)
        if step is None:
            raise fail(f"確認コード誤り {login}")
        user.totp_last_step = step
    user.failed_count = 0
    user.locked_until = None
    return user, not user.totp_enrolled


def change_password(
    uow: UnitOfWork, user: StaffUser, *, current: str, new: str, now: dt.datetime | None = None
) -> None:
    """The holder changes their own password; other sessions of the account are ended."""
    now = now or clock.now()
    if not verify_password(user.password_hash, current):
        raise InputError.single("現在のパスワード", "正しくありません")
    if current == new:
        raise InputError.single("新しいパスワード", "現在のパスワードと同じものは使えません")
    problems = password_problems(
        new, login=user.login, min_length=params.get("security.auth.password_min_length", on=now.date())
    )
    if problems:
        raise InputError(*[("新しいパスワード", p) for p in problems])
    user.password_hash = hash_password(new)
    user.password_changed_at = now


def complete_enrolment(uow: UnitOfWork, user: StaffUser, code: str, now: dt.datetime | None = None) -> None:
    """First login: the user proves the authenticator app holds the secret shown as a QR code."""
    now = now or clock.now()
    step = verify_totp(totp_secret(uow, user), code, at=now, last_used_step=user.totp_last_step)
    if step is None:
        raise InputError.single("確認コード", "認証アプリに表示された6桁の数字を入力してください")
    user.totp_enrolled = True
    user.totp_last_step = step


def start_session(
    uow: UnitOfWork,
    user: StaffUser,
    *,
    client_ip: str | None,
    stage: str = "full",
    now: dt.datetime | None = None,
) -> tuple[str, str]:
    now = now or clock.now()
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    uow.session.add(
        LoginSession(
            token_hash=digest(token),
            login=user.login,
            csrf_token=csrf,
            client_ip=client_ip,
            stage=stage,
            created_at=now,
            last_seen_at=now,
        )
    )
    return token, csrf


def resolve_session(
    session: Session, token: str, *, now: dt.datetime | None = None, touch: bool = True
) -> tuple[LoginSession, StaffUser]:
    """The live session for a cookie value; raises when missing, ended, idle too long or too old."""
    now = now or clock.now()
    row = session.get(LoginSession, digest(token))
    if row is None or row.ended_at is not None:
        raise AuthenticationError("セッションがありません", public="ログインしてください")
    idle = dt.timedelta(minutes=params.get("security.auth.session_idle_minutes", on=now.date()))
    longest = dt.timedelta(hours=params.get("security.auth.session_max_hours", on=now.date()))
    last_seen, created = _aware(row.last_seen_at), _aware(row.created_at)
    assert last_seen is not None and created is not None
    if now - last_seen > idle or now - created > longest:
        row.ended_at = now
        raise AuthenticationError(
            "セッションの有効時間切れ", public="一定時間操作がなかったためログアウトしました"
        )
    user = session.get(StaffUser, row.login)
    assert user is not None
    check_account_usable(user, now)
    if touch:
        row.last_seen_at = now
    return row, user


def end_session(session: Session, token: str) -> None:
    row = session.get(LoginSession, digest(token))
    if row is not None and row.ended_at is None:
        row.ended_at = clock.now()


def parse_ttl(text: str) -> dt.timedelta:
    match = re.fullmatch(r"(\d+)([mh])", text.strip())
    if not match:
        raise InputError.single("有効期間", "30m や 1h のように分(m)か時間(h)で指定してください")
    amount, unit = int(match.group(1)), match.group(2)
    return dt.timedelta(minutes=amount) if unit == "m" else dt.timedelta(hours=amount)


def issue_token(
    uow: UnitOfWork, *, login: str, ttl: dt.timedelta, issued_by: str, now: dt.datetime | None = None
) -> tuple[str, ApiToken]:
    now = now or clock.now()
    user = get_user(uow.session, login)
    check_account_usable(user, now)
    longest = dt.timedelta(minutes=params.get("security.auth.token_max_ttl_minutes", on=now.date()))
    if ttl <= dt.timedelta(0) or ttl > longest:
        raise InputError.single(
            "有効期間", f"1分以上 {int(longest.total_seconds() // 60)} 分以内で指定してください"
        )
    token = "ykb_" + secrets.token_urlsafe(32)
    row = ApiToken(
        token_hash=digest(token), login=login, expires_at=now + ttl, issued_by=issued_by, issued_at=now
    )
    uow.session.add(row)
    uow.session.flush()
    return token, row


def resolve_token(session: Session, token: str, *, now: dt.datetime | None = None) -> StaffUser:
    now = now or clock.now()
    found = session.execute(  # the token and its account in one statement: every API request asks
        select(ApiToken, StaffUser)
        .join(StaffUser, StaffUser.login == ApiToken.login)
        .where(ApiToken.token_hash == digest(token))
    ).first()
    if found is None or found[0].revoked_at is not None:
        raise AuthenticationError("不明なトークン", public="アクセストークンが無効です。")
    row, user = found
    expires = _aware(row.expires_at)
    assert expires is not None
    if expires <= now:
        raise AuthenticationError("期限切れのトークン", public="アクセストークンが無効です。")
    check_account_usable(user, now)
    return user


def require_permission(principal: Principal, permission: str) -> None:
    if not principal.can(permission):
        raise Forbidden(f"この操作（{permission}）を行う権限がありません")
