"""選挙人名簿管理's public face: what 住民記録, 附票, the linkage API and the UI may use (issue 23).

Others import only from here (``tests/house/test_import_contract.py``). The roll reports its
registrations as events — 住民票 records 選挙人名簿に登録された旨 (住民基本台帳法第7条第11号) and the 附票
records 在外選挙人名簿 registration (第17条第4号の2) — and offers read queries over the roll as of a date.
"""

from __future__ import annotations

from yakuba.senkyo.events import (
    SenkyoEvent,
    SenkyoRegistrationChanged,
    ZaigaiSenkyoRegistered,
    ZaigaiSenkyoRemoved,
)
from yakuba.senkyo.queries import counts, roll

__all__ = [
    "SenkyoEvent",
    "SenkyoRegistrationChanged",
    "ZaigaiSenkyoRegistered",
    "ZaigaiSenkyoRemoved",
    "counts",
    "roll",
]
