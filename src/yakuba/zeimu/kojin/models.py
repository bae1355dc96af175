"""課税資料 of 個人住民税: the declared inputs per (年度, 宛名番号), appended, never overwritten.

What the assessment is computed from — a 住民税申告, or the 給与支払報告書 / 公的年金等支払報告書 an
employer or pension payer sent — kept as the engine's :class:`~.schemas.TaxpayerInput` (JSON) with its
source, the file it came in and its line. A later document for the same person appends the next
履歴番号; the batch and the counter use the latest, and the history shows what was believed when.
扶養 links are as declared in the document, never guessed from the 世帯.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yakuba.db import Base
from yakuba.kernel.history import AppendOnlyHistory, Processed

SOURCES = {
    "shinkoku": "住民税申告・確定申告",
    "kyuyo": "給与支払報告書",
    "nenkin": "公的年金等支払報告書",
    "madoguchi": "窓口での入力",
}


class KazeiShiryo(AppendOnlyHistory, Processed, Base):
    """One person's declared inputs for one 年度, as received."""

    __tablename__ = "zeimu_kojin_shiryo"
    __history_key__ = ("nendo", "atena_no")
    __table_args__ = (
        UniqueConstraint("nendo", "atena_no", "rireki_no"),
        Index("ix_zeimu_kojin_shiryo_batch", "batch"),
    )

    nendo: Mapped[int] = mapped_column(Integer)
    atena_no: Mapped[str] = mapped_column(String(15))
    source: Mapped[str] = mapped_column(String(10))  # shinkoku / kyuyo / nenkin / madoguchi
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # a TaxpayerInput as JSON
    batch: Mapped[str | None] = mapped_column(String(64))  # sha256 of the file it came in
    line_no: Mapped[int | None] = mapped_column(Integer)  # its line in that file
