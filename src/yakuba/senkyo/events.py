"""Events 選挙人名簿管理 publishes (past tense).

* ``SenkyoRegistrationChanged`` — for 住民記録: 住民基本台帳法第7条第11号 puts 「選挙人名簿に登録された者に
  ついては、その旨」 on the 住民票, and 第15条 has the 選管 tell the 市町村長 when it registers or removes
  someone. 住民記録 keeps it in ``linked_items["senkyo"]``.
* ``ZaigaiSenkyoRegistered`` / ``ZaigaiSenkyoRemoved`` — for the 戸籍の附票: 住民基本台帳法第17条の2 puts the
  在外選挙人名簿 登録 (or 登録の移転) and the municipality's name on the 附票, and has the 選管 notify the
  本籍地の市町村長 of every 登録, 登録の移転 and 抹消.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from yakuba.events import DomainEvent


class SenkyoEvent(DomainEvent):
    business: ClassVar[str] = "senkyo"


class SenkyoRegistrationChanged(SenkyoEvent):
    """The person's entry on this municipality's 選挙人名簿 was created, marked, unmarked or removed.

    ``registered`` is what the 住民票 shows (「選挙人名簿登録の旨」): True from the 登録 until the 抹消,
    including while a 表示 is on the entry (a 表示 does not remove the registration).
    """

    event_type: ClassVar[str] = "senkyo.registration_changed"
    atena_no: str
    change: Literal["toroku", "hyoji", "hyoji_shojo", "massho"]
    registered: bool
    status: Literal["toroku", "hyoji", "massho"]
    toroku_date: dt.date  # 登録年月日
    effective_date: dt.date  # 登録日・表示の日・抹消日
    reason: str  # teiji / senkyoji / hosei / tenshutsu / shibo / kokuseki / tenshutsu_4m / ayamari …
    reason_label: str  # 「定時登録」「転出（4箇月経過）」… for the screen
    meibo_rireki_no: int


class ZaigaiSenkyoRegistered(SenkyoEvent):
    """On the 在外選挙人名簿 (登録 or 登録の移転): the 附票 gets 「その旨」 and the municipality."""

    event_type: ClassVar[str] = "senkyo.zaigai_registered"
    zaigai_no: str
    kind: Literal["toroku", "iten"]
    atena_no: str | None
    shi: str
    mei: str
    birth_date: dt.date
    sex: str
    honseki: str
    hittosha: str | None
    jumin_code: str | None
    municipality_code: str
    municipality_name: str
    toroku_date: dt.date


class ZaigaiSenkyoRemoved(SenkyoEvent):
    """抹消 from the 在外選挙人名簿 (公職選挙法第30条の11): the 附票 entry is cleared."""

    event_type: ClassVar[str] = "senkyo.zaigai_removed"
    zaigai_no: str
    atena_no: str | None
    honseki: str
    hittosha: str | None
    jumin_code: str | None
    shi: str
    mei: str
    birth_date: dt.date
    municipality_code: str
    municipality_name: str
    massho_date: dt.date
    reason: str


EVENT_TYPES: dict[str, type[SenkyoEvent]] = {
    cls.event_type: cls for cls in (SenkyoRegistrationChanged, ZaigaiSenkyoRegistered, ZaigaiSenkyoRemoved)
}
