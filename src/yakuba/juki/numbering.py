"""宛名番号 and 世帯番号: a simple serial plus an M11W2〜7 check digit (共通機能標準仕様書 §2.3 注).

Serials whose remainder would be 1 have no defined check digit in the specification; they are
skipped, so every issued number validates under any local reading (docs/decisions/atena-check-digit.md).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.juki.models import Numbering
from yakuba.kernel.checkdigit import atena_check_digit


def _next(session: Session, name: str, digits: int) -> str:
    row = session.execute(
        select(Numbering).where(Numbering.name == name).with_for_update()
    ).scalar_one_or_none()
    if row is None:
        row = Numbering(name=name, last_serial=0)
        session.add(row)
    serial = row.last_serial
    while True:
        serial += 1
        base = str(serial).zfill(digits - 1)
        if len(base) != digits - 1:
            raise RuntimeError(f"{name} の番号が桁数 {digits} を使い切りました")
        check = atena_check_digit(base)
        if check is not None:
            row.last_serial = serial
            return base + str(check)


def next_atena_no(session: Session, *, on: dt.date) -> str:
    return _next(session, "atena_no", params.get("municipal.numbering.atena_no_digits", on=on))


def next_setai_no(session: Session, *, on: dt.date) -> str:
    return _next(session, "setai_no", params.get("municipal.numbering.setai_no_digits", on=on))
