"""Events the tax kernel publishes (past tense): an assessment was decided, corrected or withdrawn.

宛名 and the linkage API (issue 17) pass them on to the other 標準準拠 systems (国保・介護 take 所得 and
税額 from the 課税台帳), and the notices and 証明書 are issued from the row the event names.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from yakuba.events import DomainEvent


class ZeimuEvent(DomainEvent):
    business: ClassVar[str] = "zeimu"


class KazeiKettei(ZeimuEvent):
    """An assessment was appended to the 課税台帳 (当初・随時・更正・取消)."""

    event_type: ClassVar[str] = "zeimu.kazei_kettei"
    zeimoku: str
    nendo: int
    atena_no: str
    rireki_no: int
    kubun: str
    effective_date: dt.date
    nenzei: int
    previous_nenzei: int | None  # the 年税額 in force before (None for the first assessment)
    reason: str
