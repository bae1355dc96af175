"""Tables of 戸籍の附票: one 附票 per 戸籍, append-only entry rows per person, and the notice log.

Like 住民記録's snapshots (j200), nothing here is updated or deleted:

* ``fuhyo_fuhyo`` — one row per 附票, identified by the 戸籍の表示 (本籍 + 筆頭者). Whether it is a
  除票 (everyone has left the 戸籍) is derived from the entries, never stored.
* ``fuhyo_kisai`` — every 記載, 修正 and 消除 appends a complete row of one person's 附票 items
  (住民基本台帳法第17条・第17条の2), keyed by (附票, 人の番号, 記載番号). The current state of a person is
  the row with the highest 記載番号.
* ``fuhyo_tsuchi`` — the 戸籍の附票記載事項通知 (§19) received (from 住民記録 directly, by file or API) and
  sent (to another 本籍地 through the outbox), with the items as they were, so a later notice is compared
  with what was last applied or sent and a 取消し can restore it.
* ``fuhyo_shien`` — 支援措置 forwarded by another 住所地 for a person on a local 附票 who is not a
  resident here (住民基本台帳事務処理要領 第5-10: the 住所地 tells the 本籍地).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yakuba.db import Base
from yakuba.kernel import clock
from yakuba.kernel.history import AppendOnly, Processed

ID = BigInteger().with_variant(Integer, "sqlite")


class Fuhyo(Base):
    """One 戸籍の附票: the 戸籍の表示 (§17 第1号). Immutable; its state lives in the entries."""

    __tablename__ = "fuhyo_fuhyo"
    __table_args__ = (Index("ix_fuhyo_fuhyo_key", "honseki_key", "hittosha_key"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    honseki: Mapped[str] = mapped_column(String(300))  # 本籍 as written
    hittosha: Mapped[str] = mapped_column(String(200))  # 筆頭者 as written
    honseki_key: Mapped[str] = mapped_column(String(300))  # NFKC, no spaces: the lookup key
    hittosha_key: Mapped[str] = mapped_column(String(200))
    opened_on: Mapped[dt.date] = mapped_column(Date)  # 作成の日 (処理日 of the first entry)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    created_by: Mapped[str] = mapped_column(String(64))


class Kisai(AppendOnly, Processed, Base):
    """A complete snapshot of one person's 附票 items after one 記載・修正・消除 (never updated).

    An append-only ledger keyed by (附票, 人の番号) and numbered by its own 記載番号 ``entry_no``;
    ``effective_date`` is the 異動日.
    """

    __tablename__ = "fuhyo_kisai"
    __history_key__ = ("fuhyo_id", "person_no")
    __history_number__ = "entry_no"
    __table_args__ = (
        UniqueConstraint("fuhyo_id", "person_no", "entry_no"),
        Index("ix_fuhyo_kisai_jumin_code", "jumin_code"),
        Index("ix_fuhyo_kisai_atena_no", "atena_no"),
        Index("ix_fuhyo_kisai_juki_ido", "juki_ido_id"),
    )

    fuhyo_id: Mapped[int] = mapped_column(ForeignKey("fuhyo_fuhyo.id"))
    person_no: Mapped[int] = mapped_column(Integer)  # order of the person on this 附票 (1, 2, …)
    entry_no: Mapped[int] = mapped_column(Integer)  # 記載番号 per person (1, 2, …)
    kind: Mapped[str] = mapped_column(String(20))  # see yakuba.fuhyo.rules.KINDS
    jiyu: Mapped[str] = mapped_column(String(60))  # 事由 as printed (転入, 転居, 国外転出, 死亡 …)
    source: Mapped[str] = mapped_column(String(10))  # juki / notice / senkyo / manual
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("fuhyo_tsuchi.id"))
    juki_ido_id: Mapped[int | None] = mapped_column(ID)  # the 住民記録 異動 that caused it (local)
    atena_no: Mapped[str | None] = mapped_column(String(15))  # while a resident here
    # §17 第2号 氏名 (+ 振り仮名 第2号の2, 旧氏)
    shi: Mapped[str] = mapped_column(String(100))
    mei: Mapped[str] = mapped_column(String(100))
    shi_kana: Mapped[str | None] = mapped_column(String(100))
    mei_kana: Mapped[str | None] = mapped_column(String(100))
    kyu_uji: Mapped[str | None] = mapped_column(String(100))
    # §17 第5号・第6号 (from 2022-01-11)
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))  # 0 不明 / 1 男 / 2 女
    # §17 第3号・第4号: for a 国外転出者 「国外転出者である旨」 and the 転出予定日 (held in jusho_date)
    address: Mapped[str | None] = mapped_column(String(400))
    jusho_date: Mapped[dt.date | None] = mapped_column(Date)
    kokugai: Mapped[bool] = mapped_column(Boolean, default=False)
    jusho_shojo_date: Mapped[dt.date | None] = mapped_column(Date)  # 住民票の職権消除
    # §17 第7号 (from 2024-05-27)
    jumin_code: Mapped[str | None] = mapped_column(String(11))
    # §17の2 在外選挙人名簿
    zaigai: Mapped[bool] = mapped_column(Boolean, default=False)
    zaigai_municipality: Mapped[str | None] = mapped_column(String(60))
    zaigai_date: Mapped[dt.date | None] = mapped_column(Date)
    # 消除 (the person left the 戸籍: 死亡, 婚姻, 転籍, 国籍喪失 …)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    removed_date: Mapped[dt.date | None] = mapped_column(Date)
    removed_reason: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)


class Tsuchi(Base):
    """One 戸籍の附票記載事項通知, received (``in``) or sent (``out``), with its items as they were."""

    __tablename__ = "fuhyo_tsuchi"
    __table_args__ = (
        Index("ix_fuhyo_tsuchi_direction", "direction", "status"),
        Index("ix_fuhyo_tsuchi_atena_no", "atena_no"),
        Index("ix_fuhyo_tsuchi_batch", "batch"),
        # The last notice sent about each resident (handlers, per batch) and the highest 宛名番号 ever
        # notified (a new 宛名番号 above it has no notice to compare with): index-only on both.
        Index("ix_fuhyo_tsuchi_out", "direction", "atena_no", "id"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))  # in / out
    channel: Mapped[str] = mapped_column(String(10))  # juki / csv / api / senkyo
    status: Mapped[str] = mapped_column(String(12))  # applied / unchanged / rejected / hold / sent
    message: Mapped[str | None] = mapped_column(Text)
    from_lg_code: Mapped[str | None] = mapped_column(String(6))
    from_name: Mapped[str | None] = mapped_column(String(60))
    honseki: Mapped[str | None] = mapped_column(String(300))
    hittosha: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    jiyu: Mapped[str] = mapped_column(String(60))
    effective_date: Mapped[dt.date | None] = mapped_column(Date)
    items: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    changed: Mapped[list[str]] = mapped_column(JSON, default=list)
    fuhyo_id: Mapped[int | None] = mapped_column(ForeignKey("fuhyo_fuhyo.id"))
    atena_no: Mapped[str | None] = mapped_column(String(15))  # sent: the resident it is about
    juki_ido_id: Mapped[int | None] = mapped_column(ID)
    batch: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of an imported file
    line_no: Mapped[int | None] = mapped_column(Integer)  # line of the file
    shori_date: Mapped[dt.date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class ShienForward(Base):
    """A 支援措置 another 住所地 forwarded for a person on a local 附票 (blocks 附票の写し for them)."""

    __tablename__ = "fuhyo_shien"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    fuhyo_id: Mapped[int] = mapped_column(ForeignKey("fuhyo_fuhyo.id"))
    person_no: Mapped[int] = mapped_column(Integer)
    from_lg_code: Mapped[str] = mapped_column(String(6))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


TABLES = (Fuhyo.__table__, Tsuchi.__table__, Kisai.__table__, ShienForward.__table__)
