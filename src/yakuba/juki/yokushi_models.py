"""Tables of 抑止 and 支援措置 (住民記録システム標準仕様書 第1.0版 j410–j450; spec-resident.md §1.8).

Both tables are append-only in spirit: a row is never deleted, and what happens to it later is
written once into columns that start empty.

``juki_yokushi``
    One 抑止 setting. ``end_date`` is informational only: 抑止 **never ends by itself** and stays in
    force until ``released_at`` is set (set once, never cleared). A 一時解除 sets
    ``temp_release_until``; it may be written again only after the previous 一時解除 has run out,
    and every 一時解除 is also appended to ``temp_release_log`` so none is lost.

``juki_shien_sochi``
    One 支援措置 period (仮 or 本). An extension is a **new row** whose ``extended_from_id`` points to
    the row it continues; a 本支援措置 decided after a 仮支援措置 is a new row whose ``kari_id`` points
    to it. ``status`` moves one way only, ``active`` → ``ended`` (end_shien) or ``superseded`` (the 仮
    row once the 本 row exists), together with the set-once ``ended_at`` / ``ended_by``. Expiry is not
    a status: a row past its ``end_date`` keeps protecting until a clerk ends it (and the ``expired``
    alert asks them to).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yakuba.db import Base
from yakuba.kernel import clock

ID = BigInteger().with_variant(Integer, "sqlite")  # the same ID type as yakuba.juki.models


class Yokushi(Base):
    """One 抑止 on a person (宛名番号) or a 世帯 (世帯番号) for one process, at level error or alert."""

    __tablename__ = "juki_yokushi"
    __table_args__ = (Index("ix_juki_yokushi_target", "target_kind", "target_no"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(8))  # person / setai
    target_no: Mapped[str] = mapped_column(String(15))  # 宛名番号 or 世帯番号
    process: Mapped[str] = mapped_column(String(16))  # ido 異動入力 / certificate 証明書発行 / inquiry 照会
    level: Mapped[str] = mapped_column(String(8))  # error (止める) / alert (警告して続行)
    reason: Mapped[str] = mapped_column(Text)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)  # 参考: 抑止はこの日に自動では終わらない
    released_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # set once
    released_by: Mapped[str | None] = mapped_column(String(64))
    temp_release_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    temp_released_by: Mapped[str | None] = mapped_column(String(64))
    temp_release_log: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    created_by: Mapped[str] = mapped_column(String(64))


class ShienSochi(Base):
    """One 支援措置 period (DV・ストーカー・児童虐待等) for a 申出者 and the persons added to the request."""

    __tablename__ = "juki_shien_sochi"
    __table_args__ = (
        Index("ix_juki_shien_sochi_atena", "atena_no"),
        Index("ix_juki_shien_sochi_period", "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    atena_no: Mapped[str] = mapped_column(String(15))  # 申出者（支援対象者）
    kind: Mapped[str] = mapped_column(String(4))  # kari 仮支援措置 / hon 支援措置
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)  # 開始日と期間（パラメータ）から自動設定
    status: Mapped[str] = mapped_column(String(12), default="active")  # active / ended / superseded
    extended_from_id: Mapped[int | None] = mapped_column(ForeignKey("juki_shien_sochi.id"))
    kari_id: Mapped[int | None] = mapped_column(ForeignKey("juki_shien_sochi.id"))
    applicant: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # 申出者の氏名・フリガナ・連絡先等
    added_persons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # 併せて支援を求める者
    kagaisha: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # 加害者
    target_processes: Mapped[list[str]] = mapped_column(JSON, default=list)  # certificate / etsuran / fuhyo …
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # 対象住所・他団体への転送・備考
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    created_by: Mapped[str] = mapped_column(String(64))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # set once
    ended_by: Mapped[str | None] = mapped_column(String(64))
