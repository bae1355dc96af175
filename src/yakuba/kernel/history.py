"""Append-only history: the one model of every ledger that is appended to and never overwritten.

A municipal register must answer "what did it say on that day?" years later — for a 証明書 as of a
past date, for an appeal, for the 課税台帳 of a past 年度 (当初・随時・更正 assessments). So a ledger
keeps every state it ever had: each change **appends** a complete row for the key it touches (a person's
宛名番号, a 在外選挙人名簿 number, a person on a 附票 …) numbered 1, 2, 3 … per key, and no row is ever
updated or deleted. The current state is derived (the row with the highest number), and any past state
is reproducible: the state in force on a day is the row with the highest number among those whose
``effective_date`` (異動日, the day a change holds from) is on or before that day. Ordering by number — the
order the registry learnt things — and not by date is what lets a correction recorded later for an
earlier date (誤記修正, 更正) win over what was believed before.

Columns here are exactly those the ledgers share, with their existing names, types and nullability (the
schema is the migrations'; ``tests/house/test_schema_matches_migrations.py`` proves they agree):

* :class:`AppendOnly` — ``id`` and ``effective_date`` (nullable: a 異動日 may be unknown; a ledger where
  every change has a legal date redeclares it NOT NULL) and the configuration the queries read.
* :class:`AppendOnlyHistory` — adds the number ``rireki_no`` (履歴番号); a ledger with its own name for
  the number (the 附票's 記載番号 ``entry_no``) uses :class:`AppendOnly` and declares it.
* :class:`Processed` — who recorded the row and when: ``shori_date`` (処理日), ``operator`` (処理者),
  ``recorded_at`` (記録日時, from :mod:`yakuba.kernel.clock`). 住民記録 keeps these on its 異動.

Each table declares ``UniqueConstraint(*key, number)`` itself: two writers appending the same number
for a key conflict instead of both succeeding (``tests/kernel/test_history.py`` checks every ledger).

The queries build ``select`` statements, so a business adds its own conditions (status, ordering); the
``narrow`` argument refines the rows that may be in force — 住民記録 joins its 異動 to keep 本登録 rows
(a 仮登録, or one discarded, never was in force). This module imports no business package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from sqlalchemy import BigInteger, Date, DateTime, Integer, Select, String, and_, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from yakuba.kernel import clock

ID = BigInteger().with_variant(Integer, "sqlite")

Narrow = Callable[[Select[Any]], Select[Any]]
"""Refines a query on the ledger (extra joins and conditions) to the rows that may be in force."""


class AppendOnly:
    """Mixin of an append-only ledger: rows per key, numbered, never updated or deleted.

    A subclass names its key columns in ``__history_key__`` and its number column in
    ``__history_number__``, and declares both (their types differ between ledgers).
    """

    __history_key__: ClassVar[tuple[str, ...]]
    __history_number__: ClassVar[str]

    # sort_order keeps ``id`` the first column, where every table of the house has it.
    id: Mapped[int] = mapped_column(ID, primary_key=True, sort_order=-1)
    effective_date: Mapped[dt.date | None] = mapped_column(Date)  # 異動日: the state holds from this day


class AppendOnlyHistory(AppendOnly):
    """An append-only ledger numbered by 履歴番号 (``rireki_no``) per key."""

    __history_number__: ClassVar[str] = "rireki_no"

    rireki_no: Mapped[int] = mapped_column(Integer)


class Processed:
    """Mixin: the 処理日, the 処理者 and the instant a row was recorded (never the wall clock directly)."""

    shori_date: Mapped[dt.date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)


H = TypeVar("H", bound=AppendOnly)


def _key(model: type[AppendOnly]) -> list[Any]:
    return [getattr(model, name) for name in model.__history_key__]


def _number(model: type[AppendOnly]) -> Any:
    return getattr(model, model.__history_number__)


def _candidates(
    query: Select[Any], model: type[AppendOnly], on: dt.date | None, narrow: Narrow | None
) -> Select[Any]:
    if narrow is not None:
        query = narrow(query)
    return query.where(model.effective_date <= on) if on is not None else query


def _where_key(model: type[AppendOnly], key: tuple[Any, ...]) -> Any:
    columns = _key(model)
    if len(key) != len(columns):
        raise TypeError(f"{model.__name__} is keyed by {model.__history_key__}, got {len(key)} value(s)")
    return and_(*(column == value for column, value in zip(columns, key, strict=True)))


def latest_numbers(
    model: type[AppendOnly], *, on: dt.date | None = None, narrow: Narrow | None = None
) -> Select[Any]:
    """``SELECT key…, max(number) … GROUP BY key``: each key's number in force (on ``on`` when given).

    The number column keeps its name (``rireki_no``, ``entry_no``), so the result joins back by name.
    """
    number = _number(model)
    query = select(*_key(model), func.max(number).label(model.__history_number__))
    return _candidates(query, model, on, narrow).group_by(*_key(model))


def in_force(model: type[H], *, on: dt.date | None = None, narrow: Narrow | None = None) -> Select[H]:
    """The row in force for every key: the latest (as of ``on``, when given) among the ``narrow``-ed rows."""
    latest = latest_numbers(model, on=on, narrow=narrow).subquery()
    match = [latest.c[name] == getattr(model, name) for name in model.__history_key__]
    match.append(latest.c[model.__history_number__] == _number(model))
    return select(model).join(latest, and_(*match))


def row_in_force(
    model: type[H], *key: Any, on: dt.date | None = None, narrow: Narrow | None = None
) -> Select[H]:
    """The row in force for one key (as of ``on``, when given); ``.scalar_one_or_none()`` it."""
    query = _candidates(select(model).where(_where_key(model, key)), model, on, narrow)
    return query.order_by(_number(model).desc()).limit(1)


def next_number(session: Session, model: type[AppendOnly], *key: Any) -> int:
    """The number the next row appended for ``key`` takes: one more than the highest, or 1."""
    last = session.execute(select(func.max(_number(model))).where(_where_key(model, key))).scalar()
    return int(last or 0) + 1
