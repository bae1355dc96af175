"""Fixtures for the 窓口 screens: the API fixtures (clock, client, staff, household) plus a 支援措置.

Browser fixtures (a real uvicorn server, Debian's Chromium, axe-core) live in ``browser.py`` and are
imported here so every test module under ``tests/ui`` can use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import delete

from yakuba.bootstrap import Yakuba
from yakuba.juki import yokushi
from yakuba.juki.service import Registered

from ..api.conftest import OFFICE_HOURS_NOW, client, clock, household, make_staff  # noqa: F401
from .browser import axe_script, browser, live_server  # noqa: F401


@pytest.fixture
def shien_subject(yakuba: Yakuba, household: Registered) -> str:  # noqa: F811 — the imported fixture
    """青木 花子 (the household's second member) under a 支援措置 from 令和8年4月1日."""
    hanako = household.atena_nos[1]
    with yakuba.uow() as uow:
        yokushi.apply_shien(uow, atena_no=hanako, start=dt.date(2026, 4, 1), now=OFFICE_HOURS_NOW)
        uow.commit()
    return hanako


@pytest.fixture
def shomei_table(yakuba: Yakuba) -> Iterator[None]:
    """The 交付履歴 table, until a migration creates it (yakuba.shomei is imported only here, late)."""
    from yakuba.forms import Issuance

    Issuance.__table__.create(yakuba.engine, checkfirst=True)  # type: ignore[attr-defined]
    yield
    with yakuba.engine.begin() as conn:
        conn.execute(delete(Issuance))
