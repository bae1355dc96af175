"""Receiving 課税資料: one person's declared inputs for a 年度, appended with its source (issue 14)."""

from __future__ import annotations

import datetime as dt

from yakuba.errors import InputError
from yakuba.kernel import clock
from yakuba.kernel.history import next_number
from yakuba.uow import UnitOfWork
from yakuba.zeimu.kojin.models import SOURCES, KazeiShiryo
from yakuba.zeimu.kojin.schemas import TaxpayerInput


def record_shiryo(
    uow: UnitOfWork,
    *,
    nendo: int,
    atena_no: str,
    source: str,
    taxpayer: TaxpayerInput,
    received: dt.date | None = None,
    batch: str | None = None,
    line_no: int | None = None,
) -> KazeiShiryo:
    """Append the inputs as the latest 課税資料 of (年度, 宛名番号); the earlier ones stay in the history."""
    if source not in SOURCES:
        raise InputError.single("資料の種類", f"{source} は {', '.join(SOURCES)} のいずれかです")
    today = clock.today()
    row = KazeiShiryo(
        nendo=nendo,
        atena_no=atena_no,
        rireki_no=next_number(uow.session, KazeiShiryo, nendo, atena_no),
        source=source,
        data=taxpayer.model_dump(mode="json"),
        batch=batch,
        line_no=line_no,
        effective_date=received or today,
        shori_date=today,
        operator=uow.actor.login,
    )
    uow.session.add(row)
    return row
