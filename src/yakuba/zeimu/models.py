"""The 課税台帳 all four taxes append to: 当初・随時・更正 assessments, never overwritten (issue 14).

An assessment is appended as a complete row for its key (税目, 年度, 宛名番号) with the next 履歴番号,
its 区分 and the reason, like a 住民記録 異動 — the kernel's append-only model
(:mod:`yakuba.kernel.history`). The row in force on a day is the one with the highest number whose
``effective_date`` (the 決定日 / 更正日) is on or before it, so a 更正 recorded in September reproduces
exactly what the June notice said when asked "as of June". A 取消し is appended too (区分
``torikeshi``, 年税額 0), so the history tells what was withdrawn and why.

The amounts of every step (the engine's explanation) are kept with the row, so a notice or a 課税証明書
printed years later shows the calculation that was decided, not one recomputed under today's law.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yakuba.db import Base
from yakuba.kernel.history import AppendOnlyHistory, Processed

KUBUN = {
    "tosho": "当初",
    "zuiji": "随時",
    "kosei": "更正",
    "torikeshi": "取消",
}


class KazeiRireki(AppendOnlyHistory, Processed, Base):
    """One assessment of one taxpayer for one 税目 and 年度, as decided (課税台帳の一行)."""

    __tablename__ = "zeimu_kazei_rireki"
    __history_key__ = ("zeimoku", "nendo", "atena_no")
    __table_args__ = (
        UniqueConstraint("zeimoku", "nendo", "atena_no", "rireki_no"),
        Index("ix_zeimu_kazei_rireki_atena", "atena_no", "zeimoku", "nendo"),
    )

    effective_date: Mapped[dt.date] = mapped_column(Date)  # 決定日・更正日: every assessment has one
    zeimoku: Mapped[str] = mapped_column(String(8))  # kojin / kotei / keiji / hojin
    nendo: Mapped[int] = mapped_column(Integer)  # the 年度 as the Gregorian year it starts in
    atena_no: Mapped[str] = mapped_column(String(15))  # 宛名番号 (a resident or a 住登外者)
    kubun: Mapped[str] = mapped_column(String(10))  # tosho / zuiji / kosei / torikeshi
    reason: Mapped[str] = mapped_column(Text, default="")  # 更正・随時の理由 (required for those)
    nenzei: Mapped[int] = mapped_column(BigInteger)  # 年税額 (yen)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # every step's amount
    batch: Mapped[str | None] = mapped_column(String(64))  # the 当初課税 batch that appended it
