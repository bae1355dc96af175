"""Reading the 課税台帳: the assessment in force (as of a day) and the whole history of one key."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba.errors import NotFound
from yakuba.kernel.history import row_in_force
from yakuba.zeimu.models import KazeiRireki


def assessment(
    session: Session, zeimoku: str, nendo: int, atena_no: str, *, on: dt.date | None = None
) -> KazeiRireki:
    """The assessment in force (on ``on``, when given): what a notice or 証明書 of that day said."""
    row = session.execute(row_in_force(KazeiRireki, zeimoku, nendo, atena_no, on=on)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"宛名番号 {atena_no} の{nendo}年度の課税はありません")
    return row


def history(session: Session, zeimoku: str, nendo: int, atena_no: str) -> list[KazeiRireki]:
    """Every assessment of the key in the order recorded (当初 → 更正 …)."""
    return list(
        session.scalars(
            select(KazeiRireki)
            .where(
                KazeiRireki.zeimoku == zeimoku,
                KazeiRireki.nendo == nendo,
                KazeiRireki.atena_no == atena_no,
            )
            .order_by(KazeiRireki.rireki_no)
        )
    )


def view(row: KazeiRireki) -> dict[str, object]:
    return {
        "rireki_no": row.rireki_no,
        "kubun": row.kubun,
        "effective_date": row.effective_date,
        "nenzei": row.nenzei,
        "reason": row.reason,
        "details": row.details,
        "shori_date": row.shori_date,
        "operator": row.operator,
    }
