"""Generations and the caches kept under them: who is protected, which targets have an 抑止.

Every search and every 異動 asks; the answers are kept per session and per process under a random
generation value that every change of a 支援措置 or 抑止 row moves in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, SessionTransaction

from yakuba.juki.models import Numbering
from yakuba.juki.yokushi.rules import _jst_midnight_utc, _protects, subjects_of
from yakuba.juki.yokushi_models import ShienSochi, Yokushi


def _unreleased_targets(session: Session) -> frozenset[tuple[str, str]]:
    """(target_kind, target_no) of every 抑止 not released, kept per process under its generation.

    Every 異動 and every search asks about 抑止 on its persons and 世帯; nearly all have none. This set
    (small: 抑止 are few) answers "none" without a query; only a target in it is read from the table.
    """
    if any(isinstance(obj, Yokushi) for obj in (*session.new, *session.dirty)):
        session.flush()  # changed here and not flushed: the flush moves the generation

    def unreleased() -> frozenset[tuple[str, str]]:
        rows = session.execute(
            select(Yokushi.target_kind, Yokushi.target_no).where(Yokushi.released_at.is_(None))
        )
        return frozenset((str(kind), str(no)) for kind, no in rows)

    found: frozenset[tuple[str, str]] = _kept(
        _UNRELEASED, _generation(session, YOKUSHI_GENERATION), unreleased
    )
    return found


def _successors(session: Session) -> set[int]:
    """Ids of rows another row continues (an extension, or a 本 decision after a 仮)."""
    ext = session.execute(select(ShienSochi.extended_from_id)).scalars()
    kari = session.execute(select(ShienSochi.kari_id)).scalars()
    return {i for i in ext if i is not None} | {i for i in kari if i is not None}


def _candidates(session: Session, on: dt.date) -> list[ShienSochi]:
    return list(
        session.execute(
            select(ShienSochi)
            .where(
                ShienSochi.start_date <= on,
                or_(ShienSochi.ended_at.is_(None), ShienSochi.ended_at >= _jst_midnight_utc(on)),
            )
            .order_by(ShienSochi.id)
        ).scalars()
    )


_PROTECTING_CACHE = "juki.shien_protecting"
_GENERATION_CACHE = "juki.generations"
# A juki_numbering row given a new random value in the same transaction as every change of a 支援措置
# row: a process may keep the subject set it computed for as long as the value has not changed. Random,
# not counted up, so that a database emptied or restored from a backup cannot repeat a value it had.
SHIEN_GENERATION = "shien_sochi_generation"
_KEPT_PER_CACHE = 32  # generations (and days) a process keeps; a few are ever current


def _kept(cache: dict[Any, Any], key: Any, compute: Callable[[], Any]) -> Any:
    """``cache[key]``, computed on first use; a process-wide cache under a generation key, bounded."""
    found = cache.get(key)
    if found is None:
        found = compute()
        if len(cache) >= _KEPT_PER_CACHE:
            cache.clear()
        cache[key] = found
    return found


_SUBJECTS: dict[tuple[int, dt.date], frozenset[str]] = {}  # (generation, day) → 宛名番号; process-wide
YOKUSHI_GENERATION = "yokushi_generation"  # the same for 抑止 rows
_UNRELEASED: dict[int, frozenset[tuple[str, str]]] = {}  # generation → (target_kind, target_no) not released


def _changing_shien(session: Session, *, deleted: bool = False) -> bool:
    """Whether this session holds 支援措置 rows it has changed and not flushed."""
    pending = (*session.new, *session.dirty, *(session.deleted if deleted else ()))
    return any(isinstance(obj, ShienSochi) for obj in pending)


def protecting(session: Session, on: dt.date) -> list[ShienSochi]:
    """支援措置 rows (仮 included) protecting someone on ``on``.

    Asked several times a request (to hide or guard the subjects), so the answer is kept on the session
    for the rest of its transaction. It is dropped when a 支援措置 row of the session is flushed and when
    the transaction ends (another transaction may have changed them).
    """
    cache: dict[dt.date, list[ShienSochi]] = session.info.setdefault(_PROTECTING_CACHE, {})
    if cache and _changing_shien(session):
        cache.clear()
    found = cache.get(on)
    if found is None:
        successors = _successors(session)
        found = cache[on] = [r for r in _candidates(session, on) if _protects(r, on, successors)]
    return list(found)


def _generation(session: Session, name: str = SHIEN_GENERATION) -> int:
    cache: dict[str, int] = session.info.setdefault(_GENERATION_CACHE, {})
    generation = cache.get(name)
    if generation is None:
        # Both generations at once: a search and an 異動 ask for both (支援措置 and 抑止).
        names = {name, SHIEN_GENERATION, YOKUSHI_GENERATION} - set(cache)
        rows = session.execute(
            select(Numbering.name, Numbering.last_serial).where(Numbering.name.in_(sorted(names)))
        )
        found = {str(n): int(v) for n, v in rows}
        for each in names:
            cache[each] = int(found.get(each) or 0)
        generation = cache[name]
    return generation


def _bump_generation(session: Session, name: str) -> None:
    """A new generation value, in the transaction that changes the rows (upsert: the first time)."""
    dialect = session.get_bind().dialect.name
    upsert = pg_insert if dialect == "postgresql" else sqlite_insert
    value = secrets.randbits(62) + 1
    statement = upsert(Numbering).values(name=name, last_serial=value)
    session.execute(
        statement.on_conflict_do_update(index_elements=[Numbering.name], set_={"last_serial": value})
    )


@event.listens_for(Session, "before_flush")
def _on_flush(session: Session, _context: Any, _instances: Any) -> None:
    changed = {type(obj) for obj in (*session.new, *session.dirty, *session.deleted)}
    if ShienSochi in changed:
        session.info.pop(_PROTECTING_CACHE, None)
        session.info.get(_GENERATION_CACHE, {}).pop(SHIEN_GENERATION, None)
        _bump_generation(session, SHIEN_GENERATION)
    if Yokushi in changed:
        session.info.get(_GENERATION_CACHE, {}).pop(YOKUSHI_GENERATION, None)
        _bump_generation(session, YOKUSHI_GENERATION)


@event.listens_for(Session, "after_transaction_end")
def _forget_after_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None or transaction.nested:  # not the inner one each flush opens
        session.info.pop(_PROTECTING_CACHE, None)
        session.info.pop(_GENERATION_CACHE, None)


def shien_subjects(session: Session, on: dt.date) -> set[str]:
    """宛名番号 protected on ``on``: 申出者 and added persons with a 宛名番号, 仮支援措置 included.

    Every search hides these and every 異動 checks them, so the set is kept per process under the
    支援措置 generation read *first* in this transaction: a change commits with a new generation, and the
    next transaction to ask computes the set again. The set itself is never older than its key.
    """
    if _changing_shien(session):
        return _subjects_now(session, on)
    found: frozenset[str] = _kept(
        _SUBJECTS, (_generation(session), on), lambda: frozenset(_subjects_now(session, on))
    )
    return set(found)


def _subjects_now(session: Session, on: dt.date) -> set[str]:
    found: set[str] = set()
    for row in protecting(session, on):
        found |= subjects_of(row)
    return found
