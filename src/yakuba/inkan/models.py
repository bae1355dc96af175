"""Tables of 印鑑登録: the 印鑑登録原票, its append-only event log, the 印鑑登録証 and the numbering.

**History is never overwritten.** Every application, registration, 抹消, correction, card change and
name confirmation is a row appended to ``inkan_toroku_event`` (who, when, terminal, the 住民記録 異動 that
caused it). ``inkan_toroku`` holds the facts fixed at application (宛名番号, 印影, 本人確認の方法 …) plus a
*projection* of the current state (status, 登録番号, 抹消日・事由, 転出予定日, name confirmation) that
:func:`yakuba.inkan.history.rebuild_state` recomputes from the events at any time — the same pattern as
住民記録's ``juki_jumin`` projection over ``juki_rireki``. ``inkan_card`` holds one row per 印鑑登録証
issued; its status is also a projection of the card events in the log.

The 印影 is stored in the database, encrypted with :class:`~yakuba.security.crypto.FieldCipher` (context
``inkan.inei``), because its label ``inkan.seal`` says 暗号化必須 (params security.classification); see
docs/decisions/inkan-history-and-storage.md.
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from yakuba.db import Base
from yakuba.kernel import clock

ID = BigInteger().with_variant(Integer, "sqlite")

#: Statuses in which a person holds "the" registration (one per person, enforced by a partial unique index).
OPEN_STATUSES = ("shokai", "toroku")
_OPEN_SQL = "status IN ('shokai', 'toroku')"


class InkanToroku(Base):
    """One application and, once registered, the 印鑑登録原票.

    status: ``shokai`` (照会書を送付し回答書を待つ) → ``toroku`` (登録) → ``massho`` (抹消);
    or ``shokai`` → ``futoroku`` (不登録: 回答期限の経過、本人の意思でない、取下げ、資格の喪失).
    """

    __tablename__ = "inkan_toroku"
    __table_args__ = (
        Index(
            "uq_inkan_toroku_open_person",
            "atena_no",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
        Index("ix_inkan_toroku_atena", "atena_no"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    atena_no: Mapped[str] = mapped_column(String(15))
    # -- fixed at application ------------------------------------------------------------------
    shinsei_date: Mapped[dt.date] = mapped_column(Date)  # 申請日
    kakunin_hoho: Mapped[str] = mapped_column(String(12))  # photo_id / hoshonin / shokaisho
    kakunin_document: Mapped[str | None] = mapped_column(String(40))  # inkan.photo_id_documents code
    hoshonin_toroku_id: Mapped[int | None] = mapped_column(ForeignKey("inkan_toroku.id"))
    dairinin: Mapped[bool] = mapped_column(Boolean, default=False)  # 代理人による申請
    shokaisho_date: Mapped[dt.date | None] = mapped_column(Date)  # 照会書の発送日
    kaito_deadline: Mapped[dt.date | None] = mapped_column(Date)  # 回答書の提出期限（この日まで）
    inei_enc: Mapped[str] = mapped_column(Text)  # PNG, base64, sealed with FieldCipher (context inkan.inei)
    inei_sha256: Mapped[str] = mapped_column(String(64))
    dpi: Mapped[int] = mapped_column(Integer)
    width_um: Mapped[int] = mapped_column(Integer)  # axis-aligned bounding box of the impression (µm)
    height_um: Mapped[int] = mapped_column(Integer)
    square_um: Mapped[int] = mapped_column(Integer)  # side of the smallest enclosing square (µm)
    inbun: Mapped[str] = mapped_column(String(100))  # 印文: the text carved on the seal, as read by the clerk
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    created_by: Mapped[str] = mapped_column(String(64))
    # -- projection of the event log (rebuild_state) ------------------------------------------
    status: Mapped[str] = mapped_column(String(12))
    toroku_no: Mapped[str | None] = mapped_column(String(16), unique=True)  # 登録番号
    toroku_date: Mapped[dt.date | None] = mapped_column(Date)  # 登録年月日
    represents: Mapped[str | None] = mapped_column(String(12))  # which recorded name item the seal shows
    represents_text: Mapped[str | None] = mapped_column(String(200))  # that item's text when confirmed
    name_status: Mapped[str] = mapped_column(String(12), default="confirmed")  # confirmed / reopened
    tenshutsu_yotei_date: Mapped[dt.date | None] = mapped_column(Date)  # valid until the day before
    end_date: Mapped[dt.date | None] = mapped_column(Date)  # 抹消日 / 不登録の日
    end_jiyu: Mapped[str | None] = mapped_column(String(20))  # inkan.massho_jiyu code
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class InkanTorokuEvent(Base):
    """One state change of a registration (never updated, never deleted)."""

    __tablename__ = "inkan_toroku_event"
    __table_args__ = (UniqueConstraint("toroku_id", "seq"), Index("ix_inkan_toroku_event_ido", "ido_id"))

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    toroku_id: Mapped[int] = mapped_column(ForeignKey("inkan_toroku.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    effective_date: Mapped[dt.date | None] = mapped_column(Date)
    jiyu: Mapped[str | None] = mapped_column(String(20))
    ido_id: Mapped[int | None] = mapped_column(ID)  # 住民記録の異動番号 that caused it (職権)
    card_id: Mapped[int | None] = mapped_column(ID)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    recorded_by: Mapped[str] = mapped_column(String(64))
    terminal: Mapped[str] = mapped_column(String(64))


class InkanCard(Base):
    """One 印鑑登録証 (card).

    status: yuko 有効 / boshitsu 亡失 / kaishu 回収・返還 / mukou 無効（登録の抹消）.
    """

    __tablename__ = "inkan_card"
    __table_args__ = (Index("ix_inkan_card_toroku", "toroku_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    card_no: Mapped[str] = mapped_column(String(16), unique=True)
    toroku_id: Mapped[int] = mapped_column(ForeignKey("inkan_toroku.id"))
    issued_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="yuko")
    ended_date: Mapped[dt.date | None] = mapped_column(Date)


class InkanNumbering(Base):
    """Serials for 登録番号 and 印鑑登録証番号."""

    __tablename__ = "inkan_numbering"

    name: Mapped[str] = mapped_column(String(30), primary_key=True)
    last_serial: Mapped[int] = mapped_column(BigInteger, default=0)


#: This business's tables in creation order (for tests and tools; a migration creates them in production).
TABLES = tuple(
    Base.metadata.tables[name]
    for name in ("inkan_toroku", "inkan_toroku_event", "inkan_card", "inkan_numbering")
)
