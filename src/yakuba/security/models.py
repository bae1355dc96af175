"""Staff accounts, login sessions and API tokens.

Secrets are never stored in clear: passwords as argon2id hashes, TOTP secrets encrypted with the
field cipher, session and token values as SHA-256 digests (the clear value exists only in the
browser cookie or the script that holds the token).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from yakuba.db import Base
from yakuba.kernel import clock

ID = BigInteger().with_variant(Integer, "sqlite")


class StaffUser(Base):
    """One person's individual account (shared IDs are not allowed by the guideline)."""

    __tablename__ = "security_user"

    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret_enc: Mapped[str | None] = mapped_column(String(300))
    totp_enrolled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    is_privileged: Mapped[bool] = mapped_column(Boolean, default=False)
    is_contractor: Mapped[bool] = mapped_column(Boolean, default=False)
    contractor_until: Mapped[dt.date | None] = mapped_column(Date)
    contractor_company: Mapped[str | None] = mapped_column(String(200))
    approver: Mapped[str | None] = mapped_column(String(64))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    created_by: Mapped[str] = mapped_column(String(64))


class LoginSession(Base):
    """A browser session after password + TOTP. The cookie holds the token; here only its digest."""

    __tablename__ = "security_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    login: Mapped[str] = mapped_column(ForeignKey("security_user.login"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    client_ip: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    stage: Mapped[str] = mapped_column(
        String(12), default="full"
    )  # enrol (パスワード確認済み・TOTP 登録中) / full


class ApiToken(Base):
    """A short-lived bearer token for scripts and API clients, issued by ``yakuba token issue``."""

    __tablename__ = "security_token"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    login: Mapped[str] = mapped_column(ForeignKey("security_user.login"), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    issued_by: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
