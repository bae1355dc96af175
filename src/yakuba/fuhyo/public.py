"""戸籍の附票's public face: its events and the read queries others may use (issue 23).

Others import only from here (``tests/house/test_import_contract.py``). The 附票 follows 住民記録 and
選挙 through their events; what it tells others (notices to the 本籍地, recorded entries) are events too.
"""

from __future__ import annotations

from yakuba.fuhyo.events import FuhyoEntryRecorded, FuhyoEvent, FuhyoNoticeToHonsekichi
from yakuba.fuhyo.queries import current_entries, person_entries

__all__ = [
    "FuhyoEntryRecorded",
    "FuhyoEvent",
    "FuhyoNoticeToHonsekichi",
    "current_entries",
    "person_entries",
]
