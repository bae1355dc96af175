"""Japan time: the registry's 処理日 and every legal date are dates in Japan, whatever the server's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")


def japan_now(now: dt.datetime) -> dt.datetime:
    """``now`` as Japan time (naive values are taken as UTC)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now.astimezone(JST)


def japan_date(now: dt.datetime) -> dt.date:
    """The calendar date in Japan at the instant ``now`` (naive values are taken as UTC)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now.astimezone(JST).date()
