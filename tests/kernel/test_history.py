"""The append-only history model of the kernel (``yakuba.kernel.history``), on SQLite and PostgreSQL.

A ledger of the shape the 課税台帳 will have — keyed by (年度, 宛名番号), numbered by 履歴番号, with
who and when it was recorded — lives on a private metadata (so the house schema and its migrations do
not see it) and is created in the test database. A 取消し is itself appended (a row of
``test_history_torikeshi`` naming the cancelled row), and the ``narrow`` of the queries leaves cancelled
rows out, as 住民記録 leaves out the rows of 異動 that never were 本登録.

The invariant, for any sequence of appended rows and 取消し: as of a day ``d`` the row in force for a key
is the one with the highest 履歴番号 among its rows not cancelled whose 異動日 is on or before ``d``; with
no day, the highest not cancelled; the next number is one more than the highest ever given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import ForeignKey, Integer, MetaData, Select, String, UniqueConstraint, exists
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from tests.conftest import TEST_NOW
from yakuba.bootstrap import Yakuba
from yakuba.db import Base
from yakuba.kernel.history import (
    AppendOnly,
    AppendOnlyHistory,
    Processed,
    in_force,
    latest_numbers,
    next_number,
    row_in_force,
)
from yakuba.models import metadata as house_metadata

ON = dt.date(2026, 4, 1)


class _Base(DeclarativeBase):
    metadata = MetaData()


class Daicho(AppendOnlyHistory, Processed, _Base):
    """A test ledger shaped like a 課税台帳: one row per assessment, 当初 then 更正 …"""

    __tablename__ = "test_history_daicho"
    __history_key__ = ("nendo", "atena_no")
    __table_args__ = (UniqueConstraint("nendo", "atena_no", "rireki_no"),)

    nendo: Mapped[int] = mapped_column(Integer)
    atena_no: Mapped[str] = mapped_column(String(15))
    kind: Mapped[str] = mapped_column(String(12))  # tosho 当初 / kosei 更正 …
    amount: Mapped[int] = mapped_column(Integer)


class Torikeshi(_Base):
    """An appended 取消し of one ledger row (the row itself is never touched)."""

    __tablename__ = "test_history_torikeshi"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    daicho_id: Mapped[int] = mapped_column(ForeignKey("test_history_daicho.id"), unique=True)


def not_cancelled(query: Select[Any]) -> Select[Any]:
    return query.where(~exists().where(Torikeshi.daicho_id == Daicho.id))


@pytest.fixture
def session(yakuba: Yakuba) -> Iterator[Session]:
    _Base.metadata.drop_all(yakuba.engine)
    _Base.metadata.create_all(yakuba.engine)
    try:
        with Session(yakuba.engine) as s:
            yield s
    finally:
        _Base.metadata.drop_all(yakuba.engine)


def _empty(session: Session) -> None:
    session.rollback()
    session.execute(Torikeshi.__table__.delete())
    session.execute(Daicho.__table__.delete())
    session.commit()


def append(
    session: Session, nendo: int, atena_no: str, effective: dt.date | None, amount: int, kind: str = "tosho"
) -> Daicho:
    row = Daicho(
        nendo=nendo,
        atena_no=atena_no,
        rireki_no=next_number(session, Daicho, nendo, atena_no),
        effective_date=effective,
        kind=kind,
        amount=amount,
        shori_date=ON,
        operator="tester",
    )
    session.add(row)
    session.flush()
    return row


def cancel(session: Session, row: Daicho) -> None:
    session.add(Torikeshi(daicho_id=row.id))
    session.flush()


def amount_as_of(session: Session, nendo: int, atena_no: str, on: dt.date | None) -> int | None:
    row = session.execute(row_in_force(Daicho, nendo, atena_no, on=on, narrow=not_cancelled)).scalar()
    return None if row is None else row.amount


# -- exact examples ----------------------------------------------------------------------------------


def test_numbers_start_at_one_per_key_and_rows_record_the_one_clock(session: Session) -> None:
    first = append(session, 2026, "A", ON, 1000)
    second = append(session, 2026, "A", ON, 1200, kind="kosei")
    other_year = append(session, 2025, "A", ON, 900)
    assert (first.rireki_no, second.rireki_no, other_year.rireki_no) == (1, 2, 1)
    assert next_number(session, Daicho, 2026, "A") == 3
    assert next_number(session, Daicho, 2026, "B") == 1
    assert first.recorded_at == TEST_NOW  # time is an input: the pinned clock, never the wall clock


def test_a_correction_recorded_later_for_an_earlier_date_wins_from_that_date(session: Session) -> None:
    append(session, 2026, "A", dt.date(2026, 6, 1), 1000)  # 当初
    append(session, 2026, "A", dt.date(2026, 9, 1), 1500)  # 随時
    append(session, 2026, "A", dt.date(2026, 6, 1), 1100, kind="kosei")  # 更正 of the 当初, recorded last
    assert amount_as_of(session, 2026, "A", dt.date(2026, 5, 31)) is None
    assert amount_as_of(session, 2026, "A", dt.date(2026, 6, 1)) == 1100
    assert amount_as_of(session, 2026, "A", dt.date(2026, 12, 31)) == 1100  # latest learnt, not latest date
    assert amount_as_of(session, 2026, "A", None) == 1100


def test_a_cancelled_row_is_never_in_force_and_the_one_before_it_comes_back(session: Session) -> None:
    append(session, 2026, "A", dt.date(2026, 6, 1), 1000)
    wrong = append(session, 2026, "A", dt.date(2026, 7, 1), 9999)
    cancel(session, wrong)
    assert amount_as_of(session, 2026, "A", dt.date(2026, 7, 1)) == 1000
    assert amount_as_of(session, 2026, "A", None) == 1000
    assert next_number(session, Daicho, 2026, "A") == 3  # the cancelled number is never given again


def test_a_row_without_a_date_is_the_latest_but_in_force_on_no_day(session: Session) -> None:
    append(session, 2026, "A", ON, 1000)
    append(session, 2026, "A", None, 2000)
    assert amount_as_of(session, 2026, "A", dt.date(2099, 1, 1)) == 1000
    assert amount_as_of(session, 2026, "A", None) == 2000


def test_in_force_gives_one_row_per_key_and_latest_numbers_joins_back_by_name(session: Session) -> None:
    append(session, 2026, "A", ON, 1)
    append(session, 2026, "A", ON, 2)
    append(session, 2026, "B", ON, 3)
    append(session, 2025, "A", ON, 4)
    rows = session.execute(in_force(Daicho).order_by(Daicho.nendo, Daicho.atena_no)).scalars().all()
    assert [(r.nendo, r.atena_no, r.amount) for r in rows] == [(2025, "A", 4), (2026, "A", 2), (2026, "B", 3)]
    numbers = session.execute(latest_numbers(Daicho).order_by(Daicho.nendo, Daicho.atena_no)).all()
    assert [tuple(n) for n in numbers] == [(2025, "A", 1), (2026, "A", 2), (2026, "B", 1)]
    assert set(latest_numbers(Daicho).subquery().c.keys()) == {"nendo", "atena_no", "rireki_no"}


def test_two_rows_with_the_same_number_for_a_key_are_refused(session: Session) -> None:
    append(session, 2026, "A", ON, 1)
    twin = Daicho(nendo=2026, atena_no="A", rireki_no=1, kind="tosho", amount=2, shori_date=ON, operator="x")
    session.add(twin)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_a_key_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(TypeError, match=r"keyed by \('nendo', 'atena_no'\)"):
        row_in_force(Daicho, "A")


def test_every_ledger_of_the_house_declares_its_key_number_and_uniqueness() -> None:
    """Each append-only table: key and number columns exist, and (key…, number) is unique."""
    ledgers = [m.class_ for m in (*Base.registry.mappers, *_Base.registry.mappers)]
    ledgers = [cls for cls in ledgers if issubclass(cls, AppendOnly)]
    assert {cls.__tablename__ for cls in ledgers if cls.__table__.metadata is house_metadata} >= {
        "juki_rireki",
        "fuhyo_kisai",
        "senkyo_meibo_rireki",
        "senkyo_zaigai_rireki",
    }
    for cls in ledgers:
        wanted = (*cls.__history_key__, cls.__history_number__)
        table = cls.__table__
        assert all(name in table.c for name in wanted), cls
        uniques = [u for u in table.constraints if isinstance(u, UniqueConstraint)]
        unique = {tuple(c.name for c in u.columns) for u in uniques}
        assert wanted in unique, f"{table.name}: UniqueConstraint{wanted} is missing"


# -- the invariant -----------------------------------------------------------------------------------

KEYS = [(2026, "A"), (2026, "B"), (2025, "A")]
Step = tuple[str, int, int | None]  # ("append", key, days from ON or None) | ("cancel", pick, None)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("append"), st.integers(0, len(KEYS) - 1), st.none() | st.integers(0, 30)),
        st.tuples(st.just("cancel"), st.integers(0, 50), st.none()),
    ),
    min_size=1,
    max_size=14,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps, days=st.lists(st.integers(-1, 32), min_size=1, max_size=4))
def test_the_row_in_force_is_the_latest_not_cancelled_on_or_before_the_day(
    session: Session, sequence: list[Step], days: list[int]
) -> None:
    _empty(session)
    appended: list[tuple[int, tuple[int, str], dt.date | None, int]] = []  # (id, key, 異動日, 履歴番号)
    cancelled: set[int] = set()
    for n, (kind, pick, offset) in enumerate(sequence):
        if kind == "append":
            key = KEYS[pick]
            effective = None if offset is None else ON + dt.timedelta(days=offset)
            row = append(session, *key, effective, amount=n)
            appended.append((row.id, key, effective, row.rireki_no))
        elif appended:
            target = appended[pick % len(appended)][0]
            if target not in cancelled:
                cancel(session, session.get_one(Daicho, target))
                cancelled.add(target)
    session.commit()

    def holds(effective: dt.date | None, on: dt.date | None) -> bool:
        return on is None or (effective is not None and effective <= on)

    def expected(key: tuple[int, str], on: dt.date | None) -> int | None:
        candidates = [
            (number, row_id)
            for row_id, k, effective, number in appended
            if k == key and row_id not in cancelled and holds(effective, on)
        ]
        return max(candidates)[1] if candidates else None

    for on in [None, *(ON + dt.timedelta(days=d) for d in days)]:
        everyone = session.execute(in_force(Daicho, on=on, narrow=not_cancelled)).scalars().all()
        assert {(r.nendo, r.atena_no): r.id for r in everyone} == {
            key: expected(key, on) for key in KEYS if expected(key, on) is not None
        }, on
        for key in KEYS:
            one = session.execute(row_in_force(Daicho, *key, on=on, narrow=not_cancelled)).scalar()
            assert (one.id if one is not None else None) == expected(key, on), (key, on)
    for key in KEYS:
        numbers = [number for _, k, _, number in appended if k == key]
        assert numbers == list(range(1, len(numbers) + 1))  # 1, 2, 3 … with no gap and no reuse
        assert next_number(session, Daicho, *key) == len(numbers) + 1
