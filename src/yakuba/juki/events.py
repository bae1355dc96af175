"""Events 住民記録 publishes for 印鑑登録, 戸籍の附票, 選挙人名簿, 宛名 and 税 (past tense)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from yakuba.events import DomainEvent


class JukiEvent(DomainEvent):
    business: ClassVar[str] = "juki"
    ido_id: int
    jiyu_code: str
    atena_no: str
    setai_no: str
    ido_date: dt.date | None
    todoke_date: dt.date | None


class ResidentRegistered(JukiEvent):
    """A person was recorded (転入, 出生, 職権記載 …): carries what 附票・選挙・印鑑 need to react."""

    event_type: ClassVar[str] = "juki.resident_registered"
    jumin_shubetsu: str
    birth_date: dt.date | None
    honseki: str | None
    jusho_code: str | None
    choaza_code: str | None
