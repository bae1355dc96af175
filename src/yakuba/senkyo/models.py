"""Tables of 選挙人名簿管理. Append-only ledgers plus projections that can be rebuilt from them.

* ``senkyo_jumin_log`` — every 住民記録 event received (append-only); ``senkyo_jumin`` is the projection
  (one row per person) the handlers keep: the items 選挙 needs, never read from 住民記録's tables.
* ``senkyo_meibo_rireki`` — the roll: 登録, 表示, 表示の消除, 訂正, 投票区の変更 and 抹消 are appended rows,
  each a full snapshot of the entry after the change (like ``juki_rireki``); ``senkyo_meibo`` points at
  the latest row of each person.
* ``senkyo_run`` — 定時登録 / 選挙時登録 / 補正登録 runs with their lists; one real run per 基準日.
* ``senkyo_teishi`` (選挙権停止), ``senkyo_tsuho`` (他市町村の名簿登録の通知), ``senkyo_election`` (選挙),
  the 投票区 master (versions of complete rule sets), 閲覧 (申出 + decisions/records) and the
  在外選挙人名簿 (申請 + ledger).
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
from yakuba.kernel.history import AppendOnlyHistory, Processed

ID = BigInteger().with_variant(Integer, "sqlite")


# -- 住民記録 events, as received ----------------------------------------------------------------------


class JuminLog(Base):
    """One 住民記録 event as 選挙 received it (never updated): the source of the projection."""

    __tablename__ = "senkyo_jumin_log"
    __table_args__ = (Index("ix_senkyo_jumin_log_atena", "atena_no"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(60))
    ido_id: Mapped[int] = mapped_column(ID)
    jiyu_code: Mapped[str] = mapped_column(String(8))
    atena_no: Mapped[str] = mapped_column(String(15))
    ido_date: Mapped[dt.date | None] = mapped_column(Date)
    todoke_date: Mapped[dt.date | None] = mapped_column(Date)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class Jumin(Base):
    """Projection: one row per person known from 住民記録 events (rebuilt from ``senkyo_jumin_log``)."""

    __tablename__ = "senkyo_jumin"
    __table_args__ = (
        Index("ix_senkyo_jumin_choaza", "choaza_code"),
        Index("ix_senkyo_jumin_birth", "birth_date"),
    )

    atena_no: Mapped[str] = mapped_column(String(15), primary_key=True)
    setai_no: Mapped[str] = mapped_column(String(15))
    jumin_shubetsu: Mapped[str] = mapped_column(String(1))  # 1 日本人 / 2 外国人
    jumin_jotai: Mapped[str] = mapped_column(String(2))
    shi: Mapped[str] = mapped_column(String(100))
    mei: Mapped[str] = mapped_column(String(100), default="")
    shi_kana: Mapped[str | None] = mapped_column(String(100))
    mei_kana: Mapped[str | None] = mapped_column(String(100))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    zokugara: Mapped[str | None] = mapped_column(String(40))
    honseki: Mapped[str | None] = mapped_column(String(300))
    hittosha: Mapped[str | None] = mapped_column(String(200))
    jumin_code: Mapped[str | None] = mapped_column(String(11))  # for the 附票 notice of 在外選挙人名簿
    choaza_code: Mapped[str | None] = mapped_column(String(7))
    choaza_name: Mapped[str | None] = mapped_column(String(120))
    banchi: Mapped[str | None] = mapped_column(String(50))
    katagaki: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(7))
    jusho_date: Mapped[dt.date | None] = mapped_column(Date)  # 住所を定めた年月日
    kiroku_start: Mapped[dt.date | None] = mapped_column(Date)  # 住民票が作成された日（転入届の届出日）
    tenshutsu_yotei_date: Mapped[dt.date | None] = mapped_column(Date)
    tenshutsu_destination: Mapped[str | None] = mapped_column(String(400))
    tenshutsu_kokugai: Mapped[bool] = mapped_column(Boolean, default=False)
    shojo_jiyu: Mapped[str | None] = mapped_column(String(8))
    shojo_date: Mapped[dt.date | None] = mapped_column(Date)
    last_log_id: Mapped[int] = mapped_column(ID)


# -- the roll --------------------------------------------------------------------------------------


class MeiboRireki(AppendOnlyHistory, Processed, Base):
    """One change of one entry of the 選挙人名簿, with the whole entry as it stands after it.

    Keyed by (宛名番号, 履歴番号); every change has a legal date, so ``effective_date`` is NOT NULL.
    """

    __tablename__ = "senkyo_meibo_rireki"
    __history_key__ = ("atena_no",)
    __table_args__ = (
        UniqueConstraint("atena_no", "rireki_no"),
        Index("ix_senkyo_meibo_rireki_run", "run_id"),
        Index("ix_senkyo_meibo_rireki_effective", "effective_date"),
    )

    atena_no: Mapped[str] = mapped_column(String(15))
    kind: Mapped[str] = mapped_column(String(16))  # toroku / hyoji / hyoji_shojo / teisei / tohyoku / massho
    reason: Mapped[str] = mapped_column(String(24))
    effective_date: Mapped[dt.date] = mapped_column(Date)  # the change holds from this day
    reason_date: Mapped[dt.date | None] = mapped_column(Date)  # 死亡日・転出日など、事由の日
    run_id: Mapped[int | None] = mapped_column(ForeignKey("senkyo_run.id"))
    kokuji: Mapped[bool] = mapped_column(Boolean, default=False)  # 告示を要する（補正登録・誤登録の抹消）
    # the entry after the change
    status: Mapped[str] = mapped_column(String(8))  # toroku / hyoji / massho
    toroku_date: Mapped[dt.date] = mapped_column(Date)
    toroku_basis: Mapped[str] = mapped_column(String(12))  # genjusho / kyujusho
    hyoji_jusho_reason: Mapped[str | None] = mapped_column(String(12))  # tenshutsu / kokugai / shokken
    hyoji_jusho_date: Mapped[dt.date | None] = mapped_column(Date)  # 住所を有しなくなった日
    hyoji_teishi: Mapped[bool] = mapped_column(Boolean, default=False)  # 選挙権を有しなくなった旨
    hyoji_teishi_date: Mapped[dt.date | None] = mapped_column(Date)
    massho_reason: Mapped[str | None] = mapped_column(String(16))
    massho_date: Mapped[dt.date | None] = mapped_column(Date)
    tohyoku_code: Mapped[str | None] = mapped_column(String(10))
    shi: Mapped[str] = mapped_column(String(100))
    mei: Mapped[str] = mapped_column(String(100), default="")
    shi_kana: Mapped[str | None] = mapped_column(String(100))
    mei_kana: Mapped[str | None] = mapped_column(String(100))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    setai_no: Mapped[str | None] = mapped_column(String(15))
    choaza_code: Mapped[str | None] = mapped_column(String(7))
    choaza_name: Mapped[str | None] = mapped_column(String(120))
    banchi: Mapped[str | None] = mapped_column(String(50))
    katagaki: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(7))
    note: Mapped[str | None] = mapped_column(Text)


class Meibo(Base):
    """Projection: the latest ``senkyo_meibo_rireki`` row of each person ever on the roll."""

    __tablename__ = "senkyo_meibo"
    __table_args__ = (Index("ix_senkyo_meibo_tohyoku", "tohyoku_code", "status"),)

    atena_no: Mapped[str] = mapped_column(String(15), primary_key=True)
    current_rireki_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8))
    tohyoku_code: Mapped[str | None] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy declarative convention


class Run(Base):
    """A 定時登録 / 選挙時登録 / 補正登録 run (trial or real) with the lists it produced."""

    __tablename__ = "senkyo_run"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # teiji / senkyoji / hosei
    mode: Mapped[str] = mapped_column(String(6))  # trial / real
    run_key: Mapped[str | None] = mapped_column(String(60), unique=True)  # real runs only
    kijun_date: Mapped[dt.date] = mapped_column(Date)
    toroku_date: Mapped[dt.date] = mapped_column(Date)
    age_date: Mapped[dt.date] = mapped_column(Date)
    election_id: Mapped[int | None] = mapped_column(ForeignKey("senkyo_election.id"))
    shori_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    lists: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class Election(Base):
    """An election held in (part of) the municipality, with the 選挙時登録 dates the 選管 fixed."""

    __tablename__ = "senkyo_election"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(12))  # shugiin / sangiin / todofuken / shichoson
    kouji_date: Mapped[dt.date] = mapped_column(Date)  # 公示日・告示日
    kijitsu: Mapped[dt.date] = mapped_column(Date)  # 選挙期日
    kijun_date: Mapped[dt.date] = mapped_column(Date)  # 選挙時登録の基準日
    toroku_date: Mapped[dt.date] = mapped_column(Date)  # 選挙時登録の登録日
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class Teishi(Base):
    """選挙権停止: a period in which a person has no 選挙権. A mistake is undone by a cancelling row."""

    __tablename__ = "senkyo_teishi"
    __table_args__ = (Index("ix_senkyo_teishi_atena", "atena_no"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    atena_no: Mapped[str] = mapped_column(String(15))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)  # last day without 選挙権; None = until notified
    basis: Mapped[str] = mapped_column(String(100))  # 公職選挙法第11条第1項第2号 など
    source: Mapped[str | None] = mapped_column(String(200))  # 通知元（本籍地市町村長・検察庁 など）
    cancels_id: Mapped[int | None] = mapped_column(ForeignKey("senkyo_teishi.id"))
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class Tsuho(Base):
    """A notice that a person who left is on another municipality's roll (so 法21条2項 does not apply)."""

    __tablename__ = "senkyo_tsuho"
    __table_args__ = (Index("ix_senkyo_tsuho_atena", "atena_no"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    atena_no: Mapped[str] = mapped_column(String(15))
    kind: Mapped[str] = mapped_column(String(20))  # tashi_toroku
    received_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


# -- 投票区 ------------------------------------------------------------------------------------------


class TohyokuMaster(Base):
    """One version of the 投票区 master: a complete set of 投票区 and 町字・番地 rules from a date."""

    __tablename__ = "senkyo_tohyoku_master"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    effective_from: Mapped[dt.date] = mapped_column(Date, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class Tohyoku(Base):
    """A 投票区 (公職選挙法第17条) of one master version, with its 投票所."""

    __tablename__ = "senkyo_tohyoku"
    __table_args__ = (UniqueConstraint("master_id", "code"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    master_id: Mapped[int] = mapped_column(ForeignKey("senkyo_tohyoku_master.id"))
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    tohyosho_name: Mapped[str | None] = mapped_column(String(200))
    tohyosho_address: Mapped[str | None] = mapped_column(String(300))


class TohyokuKukaku(Base):
    """A rule: 町字 (and optionally a range of the leading 番地 number) belongs to a 投票区."""

    __tablename__ = "senkyo_tohyoku_kukaku"
    __table_args__ = (Index("ix_senkyo_tohyoku_kukaku_master", "master_id", "choaza_code"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    master_id: Mapped[int] = mapped_column(ForeignKey("senkyo_tohyoku_master.id"))
    choaza_code: Mapped[str] = mapped_column(String(7))
    banchi_from: Mapped[int | None] = mapped_column(Integer)
    banchi_to: Mapped[int | None] = mapped_column(Integer)
    tohyoku_code: Mapped[str] = mapped_column(String(10))


# -- 閲覧 --------------------------------------------------------------------------------------------


class Etsuran(Base):
    """A written 申出 to read the 抄本 (公職選挙法第28条の2・第28条の3). Never changed after receipt."""

    __tablename__ = "senkyo_etsuran"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(10))  # kakunin / seiji / chosa
    applicant_kind: Mapped[str] = mapped_column(String(10))  # kojin / hojin / kuni / kohosha / seito
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_address: Mapped[str] = mapped_column(String(400))
    representative: Mapped[str | None] = mapped_column(String(200))
    purpose_detail: Mapped[str] = mapped_column(Text)  # 利用目的
    management: Mapped[str | None] = mapped_column(Text)  # 閲覧事項の管理の方法
    scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # 投票区・対象者
    viewers: Mapped[list[str]] = mapped_column(JSON, default=list)  # 閲覧者
    requested_on: Mapped[dt.date | None] = mapped_column(Date)  # 閲覧希望日
    received_on: Mapped[dt.date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class EtsuranKiroku(Base):
    """What happened to a 申出: approved, refused (with the reasons given in writing), or read."""

    __tablename__ = "senkyo_etsuran_kiroku"
    __table_args__ = (Index("ix_senkyo_etsuran_kiroku_etsuran", "etsuran_id"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    etsuran_id: Mapped[int] = mapped_column(ForeignKey("senkyo_etsuran.id"))
    kind: Mapped[str] = mapped_column(String(10))  # approved / refused / viewed
    on_date: Mapped[dt.date] = mapped_column(Date)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    viewers: Mapped[list[str]] = mapped_column(JSON, default=list)
    scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


# -- 在外選挙人名簿 -----------------------------------------------------------------------------------


class ZaigaiShinsei(Base):
    """An application for the 在外選挙人名簿 (在外公館申請 or 出国時申請). Never changed after receipt."""

    __tablename__ = "senkyo_zaigai_shinsei"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # zaikan / shukkokuji
    atena_no: Mapped[str | None] = mapped_column(String(15))
    shi: Mapped[str] = mapped_column(String(100))
    mei: Mapped[str] = mapped_column(String(100), default="")
    shi_kana: Mapped[str | None] = mapped_column(String(100))
    mei_kana: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    honseki: Mapped[str] = mapped_column(String(300))
    hittosha: Mapped[str | None] = mapped_column(String(200))
    saishu_jusho: Mapped[str | None] = mapped_column(String(400))  # 最終住所
    kokugai_jusho: Mapped[str | None] = mapped_column(String(400))
    ryojikan: Mapped[str | None] = mapped_column(String(200))  # 経由領事官
    residence_since: Mapped[dt.date | None] = mapped_column(Date)  # 管轄区域内に住所を定めた日
    shinsei_date: Mapped[dt.date] = mapped_column(Date)
    received_on: Mapped[dt.date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


class ZaigaiRireki(AppendOnlyHistory, Processed, Base):
    """One change of one entry of the 在外選挙人名簿, with the whole entry as it stands after it.

    Keyed by (在外選挙人名簿の番号, 履歴番号); ``effective_date`` is NOT NULL as in the roll.
    """

    __tablename__ = "senkyo_zaigai_rireki"
    __history_key__ = ("zaigai_no",)
    __table_args__ = (
        UniqueConstraint("zaigai_no", "rireki_no"),
        Index("ix_senkyo_zaigai_rireki_atena", "atena_no"),
    )

    zaigai_no: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(12))  # toroku / iten / hyoji / massho
    reason: Mapped[str] = mapped_column(String(24))
    shinsei_id: Mapped[int] = mapped_column(ForeignKey("senkyo_zaigai_shinsei.id"))
    effective_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8))  # toroku / hyoji / massho
    toroku_date: Mapped[dt.date] = mapped_column(Date)
    shosho_no: Mapped[str] = mapped_column(String(20))  # 在外選挙人証の番号
    atena_no: Mapped[str | None] = mapped_column(String(15))
    shi: Mapped[str] = mapped_column(String(100))
    mei: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    honseki: Mapped[str] = mapped_column(String(300))
    hittosha: Mapped[str | None] = mapped_column(String(200))
    jumin_code: Mapped[str | None] = mapped_column(String(11))
    saishu_jusho: Mapped[str | None] = mapped_column(String(400))
    kokugai_jusho: Mapped[str | None] = mapped_column(String(400))
    hyoji_date: Mapped[dt.date | None] = mapped_column(Date)  # 国内に住所を定めた日（法30条の10）
    massho_reason: Mapped[str | None] = mapped_column(String(16))


TABLES = (
    JuminLog.__table__,
    Jumin.__table__,
    Election.__table__,
    Run.__table__,
    MeiboRireki.__table__,
    Meibo.__table__,
    Teishi.__table__,
    Tsuho.__table__,
    TohyokuMaster.__table__,
    Tohyoku.__table__,
    TohyokuKukaku.__table__,
    Etsuran.__table__,
    EtsuranKiroku.__table__,
    ZaigaiShinsei.__table__,
    ZaigaiRireki.__table__,
)
