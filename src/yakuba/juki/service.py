"""住民記録 commands — the façade the API, the screens and other businesses call.

Each command lives in ``juki.commands.<family>``; this module re-exports them so callers have one
place to look. Commands validate, append history and record events; they never commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yakuba.juki.base import AlertConfirmationRequired, IdoResult
from yakuba.juki.commands._persons import MYNUMBER_CONTEXT
from yakuba.juki.commands.gaikokujin import Kika, KokusekiSoshitsu, kika, kokuseki_soshitsu
from yakuba.juki.commands.kisai import Tennyu, shussei, tennyu
from yakuba.juki.commands.setai import SetaiHenko, setai_henko
from yakuba.juki.commands.shojo import Shojo, shojo
from yakuba.juki.commands.shusei import (
    KyuUji,
    NumberChange,
    Shusei,
    Tsusho,
    kyu_uji,
    number_change,
    shusei,
    tsusho,
)
from yakuba.juki.commands.tenkyo import Tenkyo, tenkyo
from yakuba.juki.commands.tenshutsu import (
    TennyuTsuchi,
    Tenshutsu,
    apply_due_tenshutsu,
    receive_tennyu_tsuchi,
    tenshutsu,
)
from yakuba.juki.commands.torikeshi import Torikeshi, torikeshi
from yakuba.juki.commands.workflow import confirm, discard
from yakuba.juki.schemas import AddressInput, IdoDates, PersonInput
from yakuba.kernel import clock
from yakuba.uow import UnitOfWork

__all__ = [
    "MYNUMBER_CONTEXT",
    "AddressInput",
    "AlertConfirmationRequired",
    "IdoDates",
    "IdoResult",
    "Kika",
    "KokusekiSoshitsu",
    "KyuUji",
    "NumberChange",
    "PersonInput",
    "Registered",
    "SetaiHenko",
    "Shojo",
    "Shusei",
    "Tenkyo",
    "Tennyu",
    "TennyuTsuchi",
    "Tenshutsu",
    "Torikeshi",
    "Tsusho",
    "apply_due_tenshutsu",
    "confirm",
    "discard",
    "kika",
    "kokuseki_soshitsu",
    "kyu_uji",
    "number_change",
    "receive_tennyu_tsuchi",
    "register_household",
    "setai_henko",
    "shojo",
    "shusei",
    "shussei",
    "tenkyo",
    "tennyu",
    "tenshutsu",
    "torikeshi",
    "tsusho",
]

JIYU_KIND = {"A01": "kokunai", "A02": "kokugai", "A03": "shussei", "A06": "shokken"}


@dataclass(frozen=True)
class Registered:
    ido_id: int
    setai_no: str
    atena_nos: list[str]


def register_household(
    uow: UnitOfWork,
    *,
    jiyu_code: str,
    persons: list[PersonInput],
    address: AddressInput,
    ido_date: dt.date,
    todoke_date: dt.date,
    prev_address: str | None = None,
    today: dt.date | None = None,
    confirm_alerts: bool = True,
) -> Registered:
    """A whole new 世帯 in one 記載 (used by the demo town and data migration)."""
    from yakuba.errors import InputError

    if jiyu_code not in JIYU_KIND:
        raise InputError.single("異動事由", f"{jiyu_code} は記載の事由ではありません")
    result = tennyu(
        uow,
        Tennyu(
            kind=JIYU_KIND[jiyu_code],
            persons=persons,
            address=address,
            prev_address=prev_address,
            dates=IdoDates(ido_date=ido_date, todoke_date=todoke_date, confirm_alerts=confirm_alerts),
        ),
        today=today or clock.today(),
    )
    return Registered(ido_id=result.ido_id, setai_no=result.setai_nos[0], atena_nos=result.atena_nos)
