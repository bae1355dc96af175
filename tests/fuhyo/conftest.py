"""Fixtures for the 戸籍の附票 tests.

The Alembic migrations do not create the ``fuhyo_*`` tables (nor ``shomei_issuance``) yet, so the autouse
fixture creates them and empties them after each test. ``yakuba.fuhyo`` is imported only inside fixtures
and tests, never at collection: importing it adds its tables to ``Base.metadata``, and the root conftest
empties every table of that metadata before each test — tests in other folders that ran first would fail on
the missing tables. Tests reach the package through the ``fh`` fixture.

The municipality is the settings' 「東京都やくば町」, so a 本籍 「東京都やくば町…」 is local and the
住民記録 helpers' default 「東京都千代田区千代田1番」 is elsewhere.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import delete, select

from tests.juki.conftest import MATSU_1, MATSU_8, UME_3, dates, new_setai, person, run  # noqa: F401
from yakuba.bootstrap import Yakuba
from yakuba.events import OutboxEntry

LOCAL_HONSEKI = "東京都やくば町本町一丁目1番地"
LOCAL_HITTOSHA = "青木　太郎"
OTHER_HONSEKI = "東京都千代田区千代田1番"
COMMANDS = ("batching", "follow_juki", "jushin", "kisai", "shien", "shojo", "soshin", "torikeshi", "zaigai")


def local_person(shi: str = "青木", mei: str = "太郎", **kw: Any) -> Any:
    kw.setdefault("honseki", LOCAL_HONSEKI)
    kw.setdefault("hittosha", LOCAL_HITTOSHA)
    return person(shi, mei, **kw)


@pytest.fixture(autouse=True)
def fh(yakuba: Yakuba) -> Iterator[SimpleNamespace]:
    """The fuhyo package, its tables created, its handlers subscribed, the municipality configured."""
    names = ("config", "events", "handlers", "models", "queries", "rules", "schemas", "commands")
    modules = {n: importlib.import_module(f"yakuba.fuhyo.{n}") for n in names}
    for command in COMMANDS:  # fh.commands.<use case>
        importlib.import_module(f"yakuba.fuhyo.commands.{command}")
    from yakuba.forms import Issuance

    tables = [*modules["models"].TABLES, Issuance.__table__]
    for table in tables:
        table.create(yakuba.engine, checkfirst=True)
    modules["config"].configure(yakuba.settings)
    modules["handlers"].register_handlers(yakuba.bus)
    yield SimpleNamespace(**modules)
    modules["config"].reset()
    with yakuba.engine.begin() as conn:
        for table in reversed(tables):
            conn.execute(delete(table))


@pytest.fixture
def outbox(yakuba: Yakuba) -> Any:
    """Payloads of the outbox entries of one event type, in order."""

    def read(event_type: str) -> list[dict[str, Any]]:
        with yakuba.uow() as uow:
            rows = uow.session.execute(
                select(OutboxEntry).where(OutboxEntry.event_type == event_type).order_by(OutboxEntry.seq)
            ).scalars()
            return [dict(r.payload) for r in rows]

    return read


@pytest.fixture
def fuhyo_of(yakuba: Yakuba, fh: SimpleNamespace) -> Any:
    """The current entries of the latest 附票 (open or 除票) of a 戸籍 (empty list when there is none)."""

    def read(honseki: str = LOCAL_HONSEKI, hittosha: str = LOCAL_HITTOSHA) -> list[Any]:
        Fuhyo = fh.models.Fuhyo
        with yakuba.uow() as uow:
            found = uow.session.execute(
                select(Fuhyo)
                .where(
                    Fuhyo.honseki_key == fh.rules.key(honseki), Fuhyo.hittosha_key == fh.rules.key(hittosha)
                )
                .order_by(Fuhyo.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            if found is None:
                return []
            columns = [c.key for c in fh.models.Kisai.__table__.columns]
            return [
                SimpleNamespace(**{c: getattr(e, c) for c in columns})
                for e in fh.queries.current_entries(uow.session, found.id)
            ]

    return read


D = dt.date
