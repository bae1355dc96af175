"""Tables of the audit log: ``audit_log`` (the entries) and ``audit_chain_head`` (the serialisation point).

``audit_log`` is append-only. ``seq`` is assigned by ``service.append`` under the lock of the single
``audit_chain_head`` row (last_seq + 1), so the sequence has no gaps and the chain cannot fork; a gap
therefore means a deleted entry. ``entry_hash`` = sha256(``prev_hash`` + canonical JSON of the other
columns), ``prev_hash`` of the first entry is 64 zeros. The head row also records the last hash, so
deleting the newest entries is detected too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from yakuba.db import Base

ID = BigInteger().with_variant(Integer, "sqlite")

CATEGORIES = ("access", "auth", "admin", "system")
RESULTS = ("success", "denied", "failure", "error")


class AuditEntry(Base):
    """One audited event. Never updated, never deleted (not even after the retention period)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=False)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    login: Mapped[str] = mapped_column(String(64), index=True)
    roles: Mapped[str] = mapped_column(String(400), default="")  # comma-joined
    terminal: Mapped[str] = mapped_column(String(64))
    client_ip: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(20), index=True)  # access / auth / admin / system
    operation: Mapped[str] = mapped_column(String(200))  # "GET /api/v1/juki/residents/{atena_no}", "login"
    permission: Mapped[str | None] = mapped_column(String(64))
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)  # 宛名番号
    purpose: Mapped[str | None] = mapped_column(String(200))
    result: Mapped[str] = mapped_column(String(20))  # success / denied / failure / error
    reason: Mapped[str | None] = mapped_column(String(400))
    mynumber_revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    contractor: Mapped[bool] = mapped_column(Boolean, default=False)
    shien_subject: Mapped[bool] = mapped_column(Boolean, default=False)  # a 支援措置 subject was involved
    record_count: Mapped[int] = mapped_column(Integer, default=0)  # rows returned (mass-search review)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """The single row (id 1) every append locks: the last seq and hash of the chain."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(ID)
    last_hash: Mapped[str] = mapped_column(String(64))
