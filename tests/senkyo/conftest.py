"""Fixtures for 選挙人名簿管理: its tables, its handlers on the test container, and 住民記録 builders.

The senkyo tables are not in the Alembic migrations yet, so they are created here. The senkyo modules
that define tables are imported lazily (fixture ``sk``): once imported, their tables join the shared
metadata that every other test module's fixture empties, which must not happen before the tables exist
(the same approach as tests/juki/test_yokushi.py). ``yakuba.senkyo.rules`` has no tables and is
imported normally.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select

from yakuba.bootstrap import Yakuba
from yakuba.events import OutboxEntry
from yakuba.juki import service as juki
from yakuba.juki.base import IdoResult
from yakuba.juki.schemas import AddressInput, IdoDates, PersonInput

MATSU_1 = AddressInput(choaza_code="0010001", choaza_name="松町", banchi="1番地", postal_code="1000001")
MATSU_8 = AddressInput(choaza_code="0010001", choaza_name="松町", banchi="8番地", postal_code="1000001")
MATSU_60 = AddressInput(choaza_code="0010001", choaza_name="松町", banchi="60番地の2", postal_code="1000001")
UME_3 = AddressInput(choaza_code="0010002", choaza_name="梅町", banchi="3番5号", postal_code="1000002")

_fresh = {"done": False}


def person(shi: str = "青木", mei: str = "太郎", **kw: Any) -> PersonInput:
    values: dict[str, Any] = {
        "shi": shi,
        "mei": mei,
        "shi_kana": "アオキ",
        "mei_kana": "タロウ",
        "birth_date": dt.date(1980, 5, 1),
        "sex": "1",
        "zokugara": "世帯主",
        "honseki": "東京都千代田区千代田1番",
        "hittosha": f"{shi}　{mei}",
    }
    values.update(kw)
    return PersonInput(**values)


def dates(ido: dt.date, todoke: dt.date | None = None, **kw: Any) -> IdoDates:
    return IdoDates(ido_date=ido, todoke_date=todoke or ido, **kw)


@pytest.fixture(autouse=True)
def senkyo_tables(yakuba: Yakuba) -> Iterator[None]:
    models = importlib.import_module("yakuba.senkyo.models")
    tables = list(models.TABLES)
    if not _fresh["done"]:  # a PostgreSQL database kept from an earlier run may hold an older schema
        models.Base.metadata.drop_all(yakuba.engine, tables=tables)
        _fresh["done"] = True
    models.Base.metadata.create_all(yakuba.engine, tables=tables)
    importlib.import_module("yakuba.senkyo.handlers").register_handlers(yakuba.bus)
    yield
    with yakuba.engine.begin() as conn:
        for table in reversed(models.Base.metadata.sorted_tables):
            if table in tables:
                conn.execute(table.delete())


@pytest.fixture
def sk() -> SimpleNamespace:
    """The senkyo modules (imported after the tables exist)."""
    modules = {
        "api": "api",
        "batch": "commands.batch",
        "candidates": "commands.candidates",
        "election": "commands.election",
        "etsuran": "commands.etsuran",
        "events": "events",
        "hosei": "commands.hosei",
        "meibo": "meibo",
        "models": "models",
        "projection": "projection",
        "queries": "queries",
        "shikaku": "commands.shikaku",
        "tohyoku": "commands.tohyoku",
        "toroku": "commands.toroku",
        "zaigai": "commands.zaigai",
    }
    return SimpleNamespace(**{n: importlib.import_module(f"yakuba.senkyo.{m}") for n, m in modules.items()})


Run = Callable[..., IdoResult]


@pytest.fixture
def run(yakuba: Yakuba) -> Run:
    """Run one 住民記録 command in its own unit of work and commit, as a request would."""

    def call(handler: Callable[..., IdoResult], command: Any, today: dt.date) -> IdoResult:
        with yakuba.uow() as uow:
            result = handler(uow, command, today=today)
            uow.commit()
        return result

    return call


@pytest.fixture
def tennyu(run: Run) -> Callable[..., str]:
    """A 国内転入 of one person heading a new 世帯; returns the 宛名番号."""

    def call(
        p: PersonInput,
        *,
        ido: dt.date,
        todoke: dt.date | None = None,
        address: AddressInput = MATSU_1,
    ) -> str:
        result = run(
            juki.tennyu,
            juki.Tennyu(
                kind="kokunai",
                persons=[p],
                address=address,
                prev_address="大阪府大阪市北区梅田1丁目1番",
                dates=dates(ido, todoke),
            ),
            today=todoke or ido,
        )
        return result.atena_nos[0]

    return call


@pytest.fixture
def senkyo(yakuba: Yakuba, sk: SimpleNamespace) -> Callable[..., Any]:
    """Run a senkyo command in its own unit of work and commit."""

    def call(command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with yakuba.uow() as uow:
            result = command(uow, *args, **kwargs)
            uow.commit()
        return result

    return call


@pytest.fixture
def entry(yakuba: Yakuba, sk: SimpleNamespace) -> Callable[[str], Any]:
    """The current roll entry of a person (None when never registered)."""

    def get(atena_no: str) -> Any:
        with yakuba.uow() as uow:
            row = sk.meibo.current(uow.session, atena_no)
            if row is None:
                return None
            return SimpleNamespace(**{c.key: getattr(row, c.key) for c in row.__table__.columns})

    return get


@pytest.fixture
def outbox(yakuba: Yakuba) -> Callable[[str], list[dict[str, Any]]]:
    def payloads(event_type: str) -> list[dict[str, Any]]:
        with yakuba.uow() as uow:
            rows = uow.session.execute(
                select(OutboxEntry).where(OutboxEntry.event_type == event_type).order_by(OutboxEntry.seq)
            ).scalars()
            return [r.payload for r in rows]

    return payloads


@pytest.fixture
def row_counts(yakuba: Yakuba, sk: SimpleNamespace) -> Callable[[], dict[str, int]]:
    """Rows in every senkyo table and the outbox: a run that changes nothing leaves them equal."""

    def counts() -> dict[str, int]:
        with yakuba.uow() as uow:
            found = {
                t.name: int(uow.session.execute(select(func.count()).select_from(t)).scalar() or 0)
                for t in sk.models.TABLES
            }
            found["outbox"] = int(
                uow.session.execute(select(func.count()).select_from(OutboxEntry)).scalar() or 0
            )
            return found

    return counts
