"""Tables of 住民記録: append-only history (``juki_ido`` events and ``juki_rireki`` snapshots).

The model follows 住民記録システム標準仕様書 第1.0版 j200: every 異動 appends, for each person it
touches, a complete snapshot row keyed by (宛名番号, 履歴番号). No row is ever updated or deleted;
the current state is the latest 本登録 row. ``juki_jumin`` is a projection (one row per person)
holding the pointer to that row, an optimistic-lock version and the search keys: it can be rebuilt
from the history at any time (``juki.history.rebuild_projection``).
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
from yakuba.kernel.history import AppendOnlyHistory, Processed

ID = BigInteger().with_variant(Integer, "sqlite")


class Ido(Processed, Base):
    """One 異動 (a 届出 or a 職権 action): its 事由 and dates. It may touch several persons.

    It holds the 処理日, 処理者 and 記録日時 (:class:`~yakuba.kernel.history.Processed`) of every snapshot it
    appends.
    """

    __tablename__ = "juki_ido"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    jiyu_code: Mapped[str] = mapped_column(String(8), index=True)
    ido_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    ido_date_text: Mapped[str | None] = mapped_column(String(72))
    todoke_date: Mapped[dt.date | None] = mapped_column(Date)
    moushide_date: Mapped[dt.date | None] = mapped_column(Date)
    tsuchi_date: Mapped[dt.date | None] = mapped_column(Date)
    shokken: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="hon")  # kari (仮登録) / hon (本登録) / haki
    cancels_ido_id: Mapped[int | None] = mapped_column(ForeignKey("juki_ido.id"))
    terminal: Mapped[str] = mapped_column(String(64))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[str | None] = mapped_column(String(64))
    note_b: Mapped[str | None] = mapped_column(Text)  # 統合記載欄 B（留意事項）
    late_notification: Mapped[bool] = mapped_column(Boolean, default=False)  # 届出期間経過
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Rireki(AppendOnlyHistory, Base):
    """A complete snapshot of one person's 住民票 items after one 異動 (never updated, never deleted).

    Keyed by (宛名番号, 履歴番号); ``effective_date`` is the 異動日. The rows in force are those of 本登録
    異動 only (``juki.history.registered``): a 仮登録, or one discarded, never was.
    """

    __tablename__ = "juki_rireki"
    __history_key__ = ("atena_no",)
    __table_args__ = (
        UniqueConstraint("atena_no", "rireki_no"),
        Index("ix_juki_rireki_ido", "ido_id"),
        # 再転入 check (j600): the same 氏名・性別・生年月日 on any record, at every 転入 and 出生.
        Index("ix_juki_rireki_birth_shi", "birth_date", "shi"),
    )

    atena_no: Mapped[str] = mapped_column(String(15))
    ido_id: Mapped[int] = mapped_column(ForeignKey("juki_ido.id"))
    setai_no: Mapped[str] = mapped_column(String(15))
    jumin_shubetsu: Mapped[str] = mapped_column(String(1))  # 1 日本人 / 2 外国人
    jumin_jotai: Mapped[str] = mapped_column(String(2))  # code table juki.jumin_jotai
    # 氏名（保存した文字列はそのまま。検索キーは projection 側）
    shi: Mapped[str] = mapped_column(String(100))
    mei: Mapped[str] = mapped_column(String(100))
    shi_kana: Mapped[str | None] = mapped_column(String(100))
    mei_kana: Mapped[str | None] = mapped_column(String(100))
    furigana_shi: Mapped[str | None] = mapped_column(String(100))  # 戸籍の振り仮名（法定）
    furigana_mei: Mapped[str | None] = mapped_column(String(100))
    name_roman: Mapped[str | None] = mapped_column(String(100))
    kyu_uji: Mapped[str | None] = mapped_column(String(100))
    kyu_uji_kana: Mapped[str | None] = mapped_column(String(100))
    tsusho: Mapped[str | None] = mapped_column(String(100))
    tsusho_kana: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    birth_date_text: Mapped[str | None] = mapped_column(String(72))  # 不詳表記
    sex: Mapped[str] = mapped_column(String(1))  # 0 不明 / 1 男 / 2 女
    zokugara: Mapped[str] = mapped_column(String(40))
    setainushi_name: Mapped[str | None] = mapped_column(String(200))
    honseki: Mapped[str | None] = mapped_column(String(300))
    hittosha: Mapped[str | None] = mapped_column(String(200))
    jumin_date: Mapped[dt.date | None] = mapped_column(Date)  # 住民となった年月日
    jumin_date_text: Mapped[str | None] = mapped_column(String(72))
    jusho_code: Mapped[str | None] = mapped_column(String(11))
    choaza_code: Mapped[str | None] = mapped_column(String(7))
    choaza_name: Mapped[str | None] = mapped_column(String(120))
    banchi: Mapped[str | None] = mapped_column(String(50))
    katagaki: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(7))
    jusho_date: Mapped[dt.date | None] = mapped_column(Date)  # 住所を定めた年月日
    todoke_date: Mapped[dt.date | None] = mapped_column(Date)  # 届出年月日（住民となった届出）
    prev_address: Mapped[str | None] = mapped_column(String(400))  # 転入前住所
    prev_postal_code: Mapped[str | None] = mapped_column(String(7))
    mynumber_enc: Mapped[str | None] = mapped_column(String(200))
    mynumber_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    jumin_code: Mapped[str | None] = mapped_column(String(11), index=True)
    # 外国人住民（法30条の45）
    nationality: Mapped[str | None] = mapped_column(String(100))
    category_30_45: Mapped[str | None] = mapped_column(String(40))
    zairyu_shikaku: Mapped[str | None] = mapped_column(String(60))
    zairyu_kikan: Mapped[str | None] = mapped_column(String(40))
    zairyu_expiry: Mapped[dt.date | None] = mapped_column(Date)
    zairyu_card_no: Mapped[str | None] = mapped_column(String(12), index=True)
    gaikokujin_date: Mapped[dt.date | None] = mapped_column(Date)
    # 消除・転出
    shojo_jiyu: Mapped[str | None] = mapped_column(String(8))
    shojo_date: Mapped[dt.date | None] = mapped_column(Date)
    tenshutsu_yotei_address: Mapped[str | None] = mapped_column(String(400))
    tenshutsu_yotei_date: Mapped[dt.date | None] = mapped_column(Date)
    tenshutsu_kakutei_address: Mapped[str | None] = mapped_column(String(400))
    tenshutsu_kakutei_date: Mapped[dt.date | None] = mapped_column(Date)
    tennyu_tsuchi_date: Mapped[dt.date | None] = mapped_column(Date)
    # 他業務が管理する記載事項（選挙人名簿登録の旨、国保・後期・介護・年金・児童手当）
    linked_items: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    remarks_c: Mapped[str | None] = mapped_column(Text)  # 統合記載欄 C（備考）
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Jumin(Base):
    """Projection: one row per person — pointer to the current 本登録 snapshot, lock version, search keys."""

    __tablename__ = "juki_jumin"
    __table_args__ = (
        Index("ix_juki_jumin_kana_key", "kana_key"),
        Index("ix_juki_jumin_name_key", "name_key"),
        # PostgreSQL uses a plain btree for LIKE 'prefix%' only with the pattern operator class
        # (non-C collations); SQLite ignores these options.
        Index("ix_juki_jumin_kana_key_pattern", "kana_key", postgresql_ops={"kana_key": "text_pattern_ops"}),
        Index("ix_juki_jumin_name_key_pattern", "name_key", postgresql_ops={"name_key": "text_pattern_ops"}),
        Index("ix_juki_jumin_birth", "birth_date"),
        Index("ix_juki_jumin_setai", "setai_no"),
        Index("ix_juki_jumin_choaza", "choaza_code"),
    )

    atena_no: Mapped[str] = mapped_column(String(15), primary_key=True)
    current_rireki_no: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    setai_no: Mapped[str] = mapped_column(String(15))
    jumin_jotai: Mapped[str] = mapped_column(String(2))
    jumin_shubetsu: Mapped[str] = mapped_column(String(1))
    kana_key: Mapped[str] = mapped_column(String(200), default="")
    name_key: Mapped[str] = mapped_column(String(400), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    choaza_code: Mapped[str | None] = mapped_column(String(7))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy declarative convention


class Setai(Base):
    """Projection: one row per 世帯 — the lock two clerks contend for (409 on a lost update)."""

    __tablename__ = "juki_setai"

    setai_no: Mapped[str] = mapped_column(String(15), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    last_ido_id: Mapped[int | None] = mapped_column(ID)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy declarative convention


class Numbering(Base):
    """Sequences for 宛名番号 and 世帯番号 (serials before the check digit)."""

    __tablename__ = "juki_numbering"

    name: Mapped[str] = mapped_column(String(30), primary_key=True)
    last_serial: Mapped[int] = mapped_column(BigInteger, default=0)
