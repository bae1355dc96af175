"""The one clock's rehearsal source (issue 24's fuzz run holds the server inside office hours with it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from yakuba.bootstrap import bootstrap
from yakuba.config import Settings
from yakuba.kernel import clock

START = dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)  # Wednesday 10:00 JST


def test_a_running_clock_starts_at_its_instant_and_only_moves_forward() -> None:
    source = clock.running_from(START)
    first, second = source(), source()
    assert START <= first <= second < START + dt.timedelta(seconds=5)


def test_a_naive_start_is_taken_as_utc() -> None:
    assert clock.running_from(START.replace(tzinfo=None))().tzinfo == dt.UTC


def test_a_rehearsal_setting_puts_the_whole_process_on_that_clock(tmp_path: Path) -> None:
    previous = clock.set_source(None)
    try:
        container = bootstrap(
            Settings(data_dir=tmp_path, clock_start=dt.datetime(2027, 3, 31, 14, 59, tzinfo=dt.UTC))
        )
        assert clock.today() == dt.date(2027, 3, 31)  # 23:59 JST, the last minute of the 年度
        assert container.clock().date() == dt.date(2027, 3, 31)
        container.dispose()
    finally:
        clock.set_source(previous)
