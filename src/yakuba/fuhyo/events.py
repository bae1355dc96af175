"""Events 戸籍の附票 publishes (past tense).

* :class:`FuhyoNoticeToHonsekichi` — this municipality is the 住所地 and the person's 本籍 is elsewhere: the
  戸籍の附票記載事項通知 (住民基本台帳法第19条第1項) to send to the 本籍地. It goes out through the outbox
  (``uow.record``); the CS / file adapter that delivers it reads the outbox.
* :class:`FuhyoEntryRecorded` — a local 附票 changed (記載・修正・消除): the source of the
  附票本人確認情報 this office reports to the 都道府県 / J-LIS (法第30条の41; 住基令第30条の12の3).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from yakuba.events import DomainEvent
from yakuba.fuhyo.schemas import FuhyoItems


class FuhyoEvent(DomainEvent):
    business: ClassVar[str] = "fuhyo"


class FuhyoNoticeToHonsekichi(FuhyoEvent):
    """戸籍の附票記載事項通知 to another 本籍地 (outbound)."""

    event_type: ClassVar[str] = "fuhyo.notice_to_honsekichi"
    notice_id: int
    from_lg_code: str
    from_name: str
    honseki: str
    hittosha: str | None
    kind: str  # kisai / jusho / kokugai / shusei / jusho_shojo / torikeshi / zaigai
    jiyu: str
    effective_date: dt.date | None
    items: FuhyoItems
    changed: list[str]
    zaigai: bool | None = None
    zaigai_municipality: str | None = None
    cancels_kisai: bool = False  # a 取消し of the 記載 itself: the 本籍地 undoes the 記載


class FuhyoEntryRecorded(FuhyoEvent):
    """A local 附票 entry was appended (記載, 修正, 消除, 在外選挙人, 取消し)."""

    event_type: ClassVar[str] = "fuhyo.entry_recorded"
    fuhyo_id: int
    person_no: int
    entry_no: int
    kind: str
    jiyu: str
    effective_date: dt.date | None
    jumin_code: str | None
    changed: list[str]
    removed: bool


EVENT_TYPES: dict[str, type[FuhyoEvent]] = {
    cls.event_type: cls for cls in (FuhyoNoticeToHonsekichi, FuhyoEntryRecorded)
}
