"""The hash chain: canonical form, hashing and appending. (Split from ``audit.service``, issue 23.)

**Append.** ``append`` locks the single ``audit_chain_head`` row, gives the entry the next ``seq``,
computes ``entry_hash = sha256(prev_hash + canonical JSON)`` and moves the head. It flushes and never
commits: the entry belongs to the caller's transaction. Because every append waits for that lock,
append as late as possible in a transaction (``append_at_commit`` does it as the unit of work's last
step, its ``seal``). An entry for a *failed* or *denied* request must be appended in its own unit
of work, or the rollback of the request would take it away.

**Canonical form.** The hashed document holds every column except the two hashes, keys sorted,
``ensure_ascii=False``, no whitespace, and ``occurred_at`` as UTC ISO 8601 with microseconds and
``Z`` — SQLite gives back naive datetimes and PostgreSQL aware ones; both hash the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from yakuba.audit.models import CATEGORIES, RESULTS, AuditChainHead, AuditEntry
from yakuba.kernel import clock

if TYPE_CHECKING:
    from yakuba.uow import Actor, UnitOfWork

GENESIS_HASH = "0" * 64
_HEAD_ID = 1
_STREAM_BATCH = 1000  # rows read at a time when streaming the chain (verify, reviews)


HASHED_FIELDS: tuple[str, ...] = (
    "seq",
    "occurred_at",
    "login",
    "roles",
    "terminal",
    "client_ip",
    "category",
    "operation",
    "permission",
    "subjects",
    "purpose",
    "result",
    "reason",
    "mynumber_revealed",
    "contractor",
    "shien_subject",
    "record_count",
    "detail",
)
_BOOL_FIELDS = frozenset({"mynumber_revealed", "contractor", "shien_subject"})


@dataclass(frozen=True)
class AuditRecord:
    """What happened, as the caller knows it. ``append`` adds seq, hashes and stores it."""

    login: str
    terminal: str
    category: str  # access / auth / admin / system
    operation: str
    result: str  # success / denied / failure / error
    roles: tuple[str, ...] = ()
    client_ip: str | None = None
    permission: str | None = None
    subjects: tuple[str, ...] = ()  # 宛名番号
    purpose: str | None = None
    reason: str | None = None
    mynumber_revealed: bool = False
    contractor: bool = False
    shien_subject: bool = False
    record_count: int = 0
    detail: Mapping[str, Any] = field(default_factory=dict)
    occurred_at: dt.datetime = field(default_factory=clock.now)

    @classmethod
    def for_actor(cls, actor: Actor, **fields: Any) -> AuditRecord:
        """A record attributed to ``actor`` (login, terminal, roles and the contractor flag)."""
        return cls(
            login=actor.login,
            terminal=actor.terminal,
            roles=tuple(actor.roles),
            contractor=actor.is_contractor,
            **fields,
        )


@dataclass(frozen=True)
class Checkpoint:
    """A point of the chain: the entry ``seq`` has hash ``entry_hash``."""

    seq: int
    entry_hash: str


def _as_utc(value: dt.datetime) -> dt.datetime:
    """Aware UTC. A naive datetime is taken as UTC (that is how SQLite gives stored values back)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _iso_utc(value: dt.datetime) -> str:
    return _as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(values: Mapping[str, Any]) -> str:
    """The hashed text of an entry: every column but the hashes, sorted keys, UTC time with microseconds."""
    document: dict[str, Any] = {}
    for name in HASHED_FIELDS:
        value = values[name]
        if name == "occurred_at":
            value = _iso_utc(value)
        elif name in _BOOL_FIELDS:
            value = bool(value)
        elif name in ("seq", "record_count"):
            value = int(value)
        elif name == "subjects":
            value = [str(s) for s in (value or [])]
        elif name == "detail":
            value = dict(value or {})
        document[name] = value
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def compute_entry_hash(prev_hash: str, values: Mapping[str, Any]) -> str:
    """sha256 (hex) of ``prev_hash`` followed by the canonical JSON of ``values``."""
    return hashlib.sha256((prev_hash + canonical_json(values)).encode("utf-8")).hexdigest()


def entry_hash_of(entry: AuditEntry) -> str:
    """Recompute the hash of a stored (or just appended) entry from its columns."""
    return compute_entry_hash(entry.prev_hash, {name: getattr(entry, name) for name in HASHED_FIELDS})


# --- append -------------------------------------------------------------------------------------


def _column_length(name: str) -> int | None:
    length = getattr(AuditEntry.__table__.c[name].type, "length", None)
    return int(length) if length is not None else None


def _clip(name: str, value: str | None) -> str | None:
    """Fit text into its column (PostgreSQL rejects longer text; the stored and hashed text must agree)."""
    if value is None:
        return None
    length = _column_length(name)
    return value if length is None or len(value) <= length else value[:length]


def _normalised(record: AuditRecord) -> dict[str, Any]:
    if record.category not in CATEGORIES:
        raise ValueError(f"監査ログの区分 {record.category!r} は {CATEGORIES} のいずれかでなければなりません")
    if record.result not in RESULTS:
        raise ValueError(f"監査ログの結果 {record.result!r} は {RESULTS} のいずれかでなければなりません")
    if record.record_count < 0:
        raise ValueError("監査ログの件数は0以上でなければなりません")
    # A JSON round trip makes the hashed detail exactly what the database will give back.
    detail = json.loads(json.dumps(dict(record.detail), ensure_ascii=False, allow_nan=False))
    return {
        "occurred_at": _as_utc(record.occurred_at),
        "login": _clip("login", record.login),
        "roles": _clip("roles", ",".join(record.roles)),
        "terminal": _clip("terminal", record.terminal),
        "client_ip": _clip("client_ip", record.client_ip),
        "category": record.category,
        "operation": _clip("operation", record.operation),
        "permission": _clip("permission", record.permission),
        "subjects": [str(s) for s in record.subjects],
        "purpose": _clip("purpose", record.purpose),
        "result": record.result,
        "reason": _clip("reason", record.reason),
        "mynumber_revealed": bool(record.mynumber_revealed),
        "contractor": bool(record.contractor),
        "shien_subject": bool(record.shien_subject),
        "record_count": int(record.record_count),
        "detail": detail,
    }


def _create_head_if_missing(session: Session) -> None:
    """Insert the head row unless it exists, without failing when another transaction does the same."""
    row = {"id": _HEAD_ID, "last_seq": 0, "last_hash": GENESIS_HASH}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(pg_insert(AuditChainHead).values(**row).on_conflict_do_nothing(index_elements=["id"]))
    elif dialect == "sqlite":
        session.execute(sqlite_insert(AuditChainHead).values(**row).on_conflict_do_nothing())
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        if session.get(AuditChainHead, _HEAD_ID) is None:
            session.add(AuditChainHead(**row))
            session.flush()


_HEAD = typing.cast(Table, AuditChainHead.__table__)
_ENTRIES = typing.cast(Table, AuditEntry.__table__)


def _lock_head(session: Session) -> tuple[int, str]:
    """The chain head's (last_seq, last_hash), locked until the end of the transaction."""
    locked = select(_HEAD.c.last_seq, _HEAD.c.last_hash).where(_HEAD.c.id == _HEAD_ID).with_for_update()
    if session.get_bind().dialect.name == "sqlite":
        # SQLite ignores FOR UPDATE; a write statement first takes the database write lock, so the head
        # read below is current and no other connection can append until this transaction ends.
        _create_head_if_missing(session)
        row = session.execute(locked).one()
    else:
        found = session.execute(locked).first()
        if found is None:
            _create_head_if_missing(session)
            found = session.execute(locked).one()
        row = found
    return int(row.last_seq), str(row.last_hash)


def append(session: Session, record: AuditRecord) -> AuditEntry:
    """Append ``record`` to the chain in the caller's transaction (never commits).

    Written with three Core statements (lock the head, insert, move the head), not through the ORM:
    every request appends one entry, and the ORM's flush machinery was a third of a search's CPU. The
    returned entry is a detached copy of what was stored.
    """
    values = _normalised(record)
    last_seq, last_hash = _lock_head(session)
    values["seq"] = last_seq + 1
    entry_hash = compute_entry_hash(last_hash, values)
    session.execute(insert(_ENTRIES).values(**values, prev_hash=last_hash, entry_hash=entry_hash))
    session.execute(
        update(_HEAD).where(_HEAD.c.id == _HEAD_ID).values(last_seq=values["seq"], last_hash=entry_hash)
    )
    return AuditEntry(**values, prev_hash=last_hash, entry_hash=entry_hash)


def append_at_commit(uow: UnitOfWork, record: AuditRecord) -> None:
    """Append ``record`` at the last moment of ``uow``'s transaction, so the head lock is held briefly.

    It runs as a seal: after every event handler and ``before_commit`` hook, so the chain head is locked
    only for the INSERT of the entry and the commit — not for the other businesses' work.
    """

    def seal(u: UnitOfWork) -> None:
        append(u.session, record)

    uow.seal(seal)


def current_head(session: Session) -> Checkpoint | None:
    """The last seq and hash of the chain (to keep outside the database as an anchor), or None when empty."""
    row = session.execute(
        select(AuditChainHead.last_seq, AuditChainHead.last_hash).where(AuditChainHead.id == _HEAD_ID)
    ).first()
    if row is None or row.last_seq == 0:
        return None
    return Checkpoint(int(row.last_seq), str(row.last_hash))
