"""The one clock: every date and time the system uses enters here.

A municipal system decides by dates — 異動日 deadlines, 年度 boundaries, 4-month residence for the
electoral roll, 有効期限 of contractor accounts — so reading the wall clock anywhere else would make a
decision untestable and a test a date bomb. Production reads the system clock; tests and rehearsals
(``yakuba … --on``) set the source with :func:`set_source` or :func:`pinned`. The registry's 処理日 and
every legal date are dates in Japan, whatever the server's zone, hence :func:`today` is the JST date.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")

Source = Callable[[], dt.datetime]


def system_now() -> dt.datetime:
    """The machine's wall clock as an aware UTC instant (the production source)."""
    return dt.datetime.now(dt.UTC)


_source: Source = system_now


def now() -> dt.datetime:
    """The current instant, aware, in UTC."""
    value = _source()
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def today() -> dt.date:
    """Today's date in Japan."""
    return japan_date(now())


def set_source(source: Source | None) -> Source:
    """Make ``source`` the clock (``None``: the system clock again); returns the previous source."""
    global _source
    previous = _source
    _source = source or system_now
    return previous


def running_from(start: dt.datetime) -> Source:
    """A clock that reads ``start`` when made and then advances with the machine's monotonic time.

    For rehearsal environments (``YAKUBA_CLOCK_START``): a 年度 change tried out in March, or the CI
    fuzz run held inside office hours so the access policy lets business roles in at any real hour.
    """
    if start.tzinfo is None:
        start = start.replace(tzinfo=dt.UTC)
    origin = time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - origin)


@contextmanager
def pinned(instant: dt.datetime | Source) -> Iterator[None]:
    """Within the block the clock reads ``instant`` (or calls it, when it is a source)."""
    source: Source = instant if callable(instant) else (lambda: instant)
    previous = set_source(source)
    try:
        yield
    finally:
        set_source(previous)


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
