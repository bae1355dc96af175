"""The 交付履歴: one row per issued copy of a certificate or notice.

It says who issued what, when, from which terminal and printer, for which kind of requester, with which
options, to which persons (宛名番号), for what fee, and the SHA-256 of the signed PDF that left the
office. The public verification (``GET /verify/{issuance_id}``) reads only the non-personal columns.

Every form of every business writes its copies here (``kind`` tells them apart). The table keeps the name
``shomei_issuance`` it had when only 住民票 certificates were issued: the schema is the migrations'.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yakuba.db import Base

ID = BigInteger().with_variant(Integer, "sqlite")


class Issuance(Base):
    """One issued copy (each copy has its own 発行番号 and its own row)."""

    __tablename__ = "shomei_issuance"
    __table_args__ = (
        UniqueConstraint("municipality_code", "issue_date", "serial"),
        Index("ix_shomei_issuance_issued_at", "issued_at"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    issuance_id: Mapped[str] = mapped_column(String(32), unique=True)  # public random id (in the QR code)
    verification_code: Mapped[str] = mapped_column(String(16))  # short code printed on the form
    kind: Mapped[str] = mapped_column(String(40), index=True)
    issue_date: Mapped[dt.date] = mapped_column(Date)  # 発行年月日 (Japan time)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    issued_by: Mapped[str] = mapped_column(String(64), index=True)
    terminal: Mapped[str] = mapped_column(String(40))
    printer: Mapped[str] = mapped_column(String(40))
    serial: Mapped[int] = mapped_column(Integer)  # 連番 per municipality and day
    municipality_code: Mapped[str] = mapped_column(String(6))
    municipality_name: Mapped[str] = mapped_column(String(60))
    requester_type: Mapped[str] = mapped_column(
        String(20)
    )  # honnin / douitsu_setai / daisansha / koiki / koyo
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)  # 宛名番号
    pages: Mapped[int] = mapped_column(Integer, default=0)
    fee: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="issued")  # issued / voided
    public: Mapped[bool] = mapped_column(
        Boolean, default=True
    )  # False: not shown by /verify (e.g. 支援措置 notices)
