"""Reading 課税資料: the latest inputs of every person of a 年度 (one set-based query)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba.kernel.history import in_force, row_in_force
from yakuba.zeimu.kojin.models import KazeiShiryo


def latest_shiryo(session: Session, nendo: int) -> list[KazeiShiryo]:
    """The latest 課税資料 of each person for ``nendo``, in 宛名番号 order."""
    query = in_force(KazeiShiryo).where(KazeiShiryo.nendo == nendo).order_by(KazeiShiryo.atena_no)
    return list(session.scalars(query))


def latest_shiryo_rows(session: Session, nendo: int) -> list[Any]:
    """The same as :func:`latest_shiryo` as plain rows (宛名番号, 種類, 履歴番号, 入力) for the batch.

    A whole municipality read as ORM objects costs more than assessing it; the batch needs four values.
    """
    query = (
        in_force(KazeiShiryo)
        .where(KazeiShiryo.nendo == nendo)
        .with_only_columns(KazeiShiryo.atena_no, KazeiShiryo.source, KazeiShiryo.rireki_no, KazeiShiryo.data)
        .order_by(KazeiShiryo.atena_no)
    )
    return list(session.execute(query).all())


def shiryo_of(session: Session, nendo: int, atena_no: str) -> KazeiShiryo | None:
    return session.execute(row_in_force(KazeiShiryo, nendo, atena_no)).scalar_one_or_none()


def shiryo_history(session: Session, nendo: int, atena_no: str) -> list[KazeiShiryo]:
    """Every 課税資料 of (年度, 宛名番号), newest first: what was believed when."""
    query = (
        select(KazeiShiryo)
        .where(KazeiShiryo.nendo == nendo, KazeiShiryo.atena_no == atena_no)
        .order_by(KazeiShiryo.rireki_no.desc())
    )
    return list(session.scalars(query))
