"""Events 抑止 and 支援措置 record for 宛名, コンビニ交付 and 住基ネットCS."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from yakuba.events import DomainEvent


class YokushiChanged(DomainEvent):
    """An 抑止 was set or released (not a 一時解除): for 宛名 and other systems; ``certificate`` ones also
    for コンビニ交付 and 住基ネットCS (``to_convenience``)."""

    event_type: ClassVar[str] = "juki.yokushi_changed"
    business: ClassVar[str] = "juki"
    yokushi_id: int
    action: str  # set / released
    target_kind: str
    target_no: str
    process: str
    level: str
    start_date: dt.date
    to_convenience: bool


class ShienChanged(DomainEvent):
    """A 支援措置 started, was extended or ended: the 宛名番号 to protect and the blocked processes only
    (never the 加害者 data or the 申出者's contact details)."""

    event_type: ClassVar[str] = "juki.shien_changed"
    business: ClassVar[str] = "juki"
    shien_id: int
    action: str  # applied / extended / ended
    kind: str
    atena_nos: list[str]
    target_processes: list[str]
    start_date: dt.date
    end_date: dt.date
