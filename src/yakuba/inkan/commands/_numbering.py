"""登録番号 and 印鑑登録証番号: serials drawn under a row lock so two counters never hand out the same."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.inkan.models import InkanNumbering
from yakuba.inkan.rules import luhn_digit


def next_serial(session: Session, name: str) -> int:
    """The next number of the named series (created at 0 on first use)."""
    row = session.execute(
        select(InkanNumbering).where(InkanNumbering.name == name).with_for_update()
    ).scalar_one_or_none()
    if row is None:
        row = InkanNumbering(name=name, last_serial=0)
        session.add(row)
    row.last_serial = (row.last_serial or 0) + 1
    session.flush()
    return int(row.last_serial)


def new_toroku_no(session: Session, on: dt.date) -> str:
    """A 登録番号, zero-padded to ``municipal.inkan.toroku_no_digits``."""
    digits = int(params.get("municipal.inkan.toroku_no_digits", on=on))
    return str(next_serial(session, "toroku_no")).zfill(digits)


def new_card_no(session: Session) -> str:
    """An eight-digit 印鑑登録証番号 with its Luhn check digit."""
    serial = str(next_serial(session, "card_no")).zfill(8)
    return serial + str(luhn_digit(serial))
