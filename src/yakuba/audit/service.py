"""Appending to, verifying and reviewing the audit log.

**Append.** ``append`` locks the single ``audit_chain_head`` row, gives the entry the next ``seq``,
computes ``entry_hash = sha256(prev_hash + canonical JSON)`` and moves the head. It flushes and never
commits: the entry belongs to the caller's transaction. Because every append waits for that lock,
append as late as possible in a transaction (``append_at_commit`` does it as the unit of work's last
step, its ``seal``). An entry for a *failed* or *denied* request must be appended in its own unit
of work, or the rollback of the request would take it away.

**Canonical form.** The hashed document holds every column except the two hashes, keys sorted,
``ensure_ascii=False``, no whitespace, and ``occurred_at`` as UTC ISO 8601 with microseconds and
``Z`` — SQLite gives back naive datetimes and PostgreSQL aware ones; both hash the same.

**Verify.** ``verify`` streams the entries in ``seq`` order, recomputes every hash, checks every link
and the head, and names the first broken entry. The chain is tamper-*evident* against anyone who edits
rows; someone able to rewrite the whole chain and the head can only be caught by comparing with a head
hash kept outside the database (``current_head``, e.g. printed in the daily operations log).

**Retention.** Entries are never deleted by the application: deleting would break the chain. Entries
older than ``security.audit.retention_years`` are only *reported* as eligible for archiving
(``archiving_report``). Archiving is an operational step: export the prefix up to the reported
checkpoint, record the checkpoint (seq and hash), remove the prefix, and from then on verify with
``verify(session, start=checkpoint)``.

**Reviews** (住民記録システム標準仕様書 第1.0版 j1370 定型分析): night and holiday access, failed logins,
mass searches, access to 支援措置 subjects, and a general search. Times are stored in UTC and judged in
Japan time (office hours and 休日 are local notions).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, Table, Text, cast, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from yakuba.audit.models import CATEGORIES, RESULTS, AuditChainHead, AuditEntry
from yakuba.kernel import clock
from yakuba.kernel.holidays import holiday_name
from yakuba.params import ParameterSet, default_parameters

if TYPE_CHECKING:
    from yakuba.uow import Actor, UnitOfWork

__all__ = [
    "GENESIS_HASH",
    "JST",
    "ArchiveReport",
    "AuditRecord",
    "Checkpoint",
    "FailedLoginSummary",
    "OffHoursAccess",
    "VerifyResult",
    "append",
    "append_at_commit",
    "archiving_report",
    "canonical_json",
    "compute_entry_hash",
    "current_head",
    "entry_hash_of",
    "failed_logins",
    "mass_searches",
    "night_and_holiday_access",
    "retention_cutoff",
    "search",
    "shien_access",
    "verify",
]

GENESIS_HASH = "0" * 64
# 日本標準時. Japan has had no daylight saving time since 1951, so a fixed offset is exact for audit times
# and needs no time zone database on the server.
from yakuba.kernel.clock import JST  # noqa: E402 - one definition of Japan time

_HEAD_ID = 1
_FAILED_RESULTS = ("failure", "denied")
_STREAM_BATCH = 1000
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


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_seq: int | None
    reason: str


@dataclass(frozen=True)
class OffHoursAccess:
    entry: AuditEntry
    local_time: dt.datetime  # Japan time
    reason: str  # 「休日（勤労感謝の日）」 / 「勤務時間外（22:00）」


@dataclass(frozen=True)
class FailedLoginSummary:
    login: str
    failures: int
    first_at: dt.datetime
    last_at: dt.datetime


@dataclass(frozen=True)
class ArchiveReport:
    """Entries past retention, as a prefix of the chain that may be archived (never deleted here)."""

    cutoff: dt.date  # entries that occurred (Japan time) before this day are past retention
    count: int
    checkpoint: Checkpoint | None  # the last entry of the prefix; verify(start=checkpoint) after archiving


# --- canonical form and hashing -----------------------------------------------------------------


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


# --- verify -------------------------------------------------------------------------------------


def _span(first: int, last: int) -> str:
    return f"{first} 番" if first == last else f"{first} 番〜{last} 番"


def _deleted(previous: int, first_missing: int, last_missing: int, checked: int) -> VerifyResult:
    span = _span(first_missing, last_missing)
    if previous < 1:
        reason = f"監査ログの最初の記録（{span}）が削除されています"
    else:
        reason = f"監査ログ {previous} 番の次の記録（{span}）が削除されています"
    return VerifyResult(False, checked, first_missing, reason)


def verify(
    session: Session, *, start: Checkpoint | None = None, batch_size: int = _STREAM_BATCH
) -> VerifyResult:
    """Recompute the chain and report the first broken entry (with a Japanese reason).

    ``start`` is the checkpoint of an archived prefix (the entries up to it are no longer here).
    Entries appended after the head was read (by concurrent requests) are left for the next run.
    """
    head = session.execute(
        select(AuditChainHead.last_seq, AuditChainHead.last_hash).where(AuditChainHead.id == _HEAD_ID)
    ).first()
    expected_seq = start.seq + 1 if start else 1
    expected_prev = start.entry_hash if start else GENESIS_HASH
    table = AuditEntry.__table__
    stmt = select(table).where(table.c.seq >= expected_seq).order_by(table.c.seq)
    if head is not None:
        stmt = stmt.where(table.c.seq <= head.last_seq)
    checked = 0
    result = session.execute(stmt.execution_options(yield_per=batch_size))
    try:
        for row in result.mappings():
            seq = int(row["seq"])
            if seq != expected_seq:
                return _deleted(expected_seq - 1, expected_seq, seq - 1, checked)
            if row["prev_hash"] != expected_prev:
                return VerifyResult(
                    False, checked, seq, f"監査ログ {seq} 番の前の記録との連結（prev_hash）が一致しません"
                )
            if compute_entry_hash(row["prev_hash"], {n: row[n] for n in HASHED_FIELDS}) != row["entry_hash"]:
                return VerifyResult(False, checked, seq, f"監査ログ {seq} 番の内容が改ざんされています")
            checked += 1
            expected_prev = row["entry_hash"]
            expected_seq = seq + 1
    finally:
        result.close()
    last = expected_seq - 1
    if head is None:
        if checked == 0 and start is None:
            return VerifyResult(True, 0, None, "監査ログはまだありません")
        return VerifyResult(
            False,
            checked,
            None,
            "監査ログの先頭管理行（audit_chain_head）がありません（削除されたおそれがあります）",
        )
    head_seq = int(head.last_seq)
    if head_seq > last:
        return _deleted(last, last + 1, head_seq, checked)
    if head_seq < last:  # only with a start checkpoint beyond the head
        return VerifyResult(
            False, checked, head_seq + 1, f"監査ログの先頭管理行（{head_seq} 番）が起点より前です"
        )
    if last > 0 and head.last_hash != expected_prev:
        return VerifyResult(
            False,
            checked,
            last,
            f"監査ログ {last} 番が書き換えられています（先頭管理行のハッシュと一致しません）",
        )
    return VerifyResult(
        True, checked, None, f"監査ログ {checked} 件のハッシュ連鎖を確認しました（異常はありません）"
    )


# --- reviews ------------------------------------------------------------------------------------


def _lower_bound(value: dt.date | dt.datetime) -> dt.datetime:
    """A datetime as is (naive = UTC); a date as the start of that day in Japan time. Returned in UTC."""
    if isinstance(value, dt.datetime):
        return _as_utc(value)
    return dt.datetime.combine(value, dt.time(0), tzinfo=JST).astimezone(dt.UTC)


def _upper_bound(value: dt.date | dt.datetime) -> dt.datetime:
    """Exclusive end: a datetime as is; a date includes that whole day in Japan time."""
    if isinstance(value, dt.datetime):
        return _as_utc(value)
    return _lower_bound(value + dt.timedelta(days=1))


def _to_jst(value: dt.datetime) -> dt.datetime:
    return _as_utc(value).astimezone(JST)


def _jst_today() -> dt.date:
    return clock.today()


def _hhmm(raw: Any, key: str) -> dt.time:
    try:
        hour, minute = (int(part) for part in str(raw).split(":"))
        return dt.time(hour, minute)
    except ValueError:
        raise ValueError(f"パラメータ {key} の時刻 {raw!r} は HH:MM ではありません") from None


def _office_hours(parameters: ParameterSet, day: dt.date) -> tuple[dt.time, dt.time]:
    key = "security.audit.office_hours"
    value = parameters.get(key, on=day)
    return _hhmm(value["start"], key), _hhmm(value["end"], key)


def night_and_holiday_access(
    session: Session,
    start: dt.date | dt.datetime,
    end: dt.date | dt.datetime,
    *,
    categories: Sequence[str] = ("access",),
    parameters: ParameterSet | None = None,
) -> list[OffHoursAccess]:
    """Entries on a 地方公共団体の休日 or outside ``security.audit.office_hours`` (Japan time).

    ``start``/``end``: dates are whole days in Japan time, ``end`` included; datetimes are [start, end).
    """
    parameters = parameters or default_parameters()
    stmt = (
        select(AuditEntry)
        .where(
            AuditEntry.category.in_(list(categories)),
            AuditEntry.occurred_at >= _lower_bound(start),
            AuditEntry.occurred_at < _upper_bound(end),
        )
        .order_by(AuditEntry.seq)
        .execution_options(yield_per=_STREAM_BATCH)
    )
    found: list[OffHoursAccess] = []
    for entry in session.scalars(stmt):
        local = _to_jst(entry.occurred_at)
        day = local.date()
        name = holiday_name(day, parameters=parameters)
        if name is not None:
            found.append(OffHoursAccess(entry, local, f"休日（{name}）"))
            continue
        opens, closes = _office_hours(parameters, day)
        if not opens <= local.time() < closes:
            found.append(OffHoursAccess(entry, local, f"勤務時間外（{local:%H:%M}）"))
    return found


def failed_logins(
    session: Session,
    since: dt.date | dt.datetime,
    min_failures: int | None = None,
    *,
    parameters: ParameterSet | None = None,
) -> list[FailedLoginSummary]:
    """Logins with at least ``min_failures`` failed or denied authentications since ``since``, most first.

    ``min_failures`` defaults to ``security.audit.failed_login_review_threshold``.
    """
    if min_failures is None:
        parameters = parameters or default_parameters()
        min_failures = int(parameters.get("security.audit.failed_login_review_threshold", on=_jst_today()))
    failures = func.count(AuditEntry.seq)
    stmt = (
        select(
            AuditEntry.login,
            failures.label("failures"),
            func.min(AuditEntry.occurred_at).label("first_at"),
            func.max(AuditEntry.occurred_at).label("last_at"),
        )
        .where(
            AuditEntry.category == "auth",
            AuditEntry.result.in_(_FAILED_RESULTS),
            AuditEntry.occurred_at >= _lower_bound(since),
        )
        .group_by(AuditEntry.login)
        .having(failures >= min_failures)
        .order_by(failures.desc(), AuditEntry.login)
    )
    return [
        FailedLoginSummary(row.login, int(row.failures), _as_utc(row.first_at), _as_utc(row.last_at))
        for row in session.execute(stmt)
    ]


def mass_searches(
    session: Session,
    since: dt.date | dt.datetime,
    threshold: int | None = None,
    *,
    parameters: ParameterSet | None = None,
) -> list[AuditEntry]:
    """Access entries that returned at least ``threshold`` rows.

    ``threshold`` defaults to ``security.audit.mass_search_threshold``.
    """
    if threshold is None:
        parameters = parameters or default_parameters()
        threshold = int(parameters.get("security.audit.mass_search_threshold", on=_jst_today()))
    stmt = (
        select(AuditEntry)
        .where(
            AuditEntry.category == "access",
            AuditEntry.record_count >= threshold,
            AuditEntry.occurred_at >= _lower_bound(since),
        )
        .order_by(AuditEntry.seq)
    )
    return list(session.scalars(stmt))


def shien_access(session: Session, since: dt.date | dt.datetime) -> list[AuditEntry]:
    """Entries that involved a 支援措置 subject (DV・ストーカー・児童虐待等の被害者) since ``since``."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.shien_subject.is_(True), AuditEntry.occurred_at >= _lower_bound(since))
        .order_by(AuditEntry.seq)
    )
    return list(session.scalars(stmt))


def _subject_pattern(subject: str) -> str:
    if not subject or any(ch in subject for ch in '"\\'):
        raise ValueError(f"宛名番号 {subject!r} では検索できません")
    escaped = subject.replace("%", "\\%").replace("_", "\\_")
    return f'%"{escaped}"%'


def search(
    session: Session,
    *,
    login: str | None = None,
    subject: str | None = None,
    start: dt.date | dt.datetime | None = None,
    end: dt.date | dt.datetime | None = None,
    category: str | None = None,
    result: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEntry]:
    """Entries matching all given filters, newest first. ``subject`` is a 宛名番号 among the entry's subjects.

    The subject filter matches the JSON text of ``subjects`` (portable between SQLite and PostgreSQL,
    but a scan; narrow it with a period on a large log).
    """
    stmt: Select[tuple[AuditEntry]] = select(AuditEntry)
    if login is not None:
        stmt = stmt.where(AuditEntry.login == login)
    if subject is not None:
        stmt = stmt.where(cast(AuditEntry.subjects, Text).like(_subject_pattern(subject), escape="\\"))
    if start is not None:
        stmt = stmt.where(AuditEntry.occurred_at >= _lower_bound(start))
    if end is not None:
        stmt = stmt.where(AuditEntry.occurred_at < _upper_bound(end))
    if category is not None:
        stmt = stmt.where(AuditEntry.category == category)
    if result is not None:
        stmt = stmt.where(AuditEntry.result == result)
    stmt = stmt.order_by(AuditEntry.seq.desc()).limit(limit).offset(offset)
    return list(session.scalars(stmt))


# --- retention ----------------------------------------------------------------------------------


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 2月29日 → 2月28日
        return day.replace(year=day.year - years, day=28)


def retention_cutoff(today: dt.date, *, parameters: ParameterSet | None = None) -> dt.date:
    """Entries that occurred (Japan time) before this day are past ``security.audit.retention_years``.

    They are only eligible for archiving: the application never deletes audit entries.
    """
    parameters = parameters or default_parameters()
    years = int(parameters.get("security.audit.retention_years", on=today))
    return _years_before(today, years)


def archiving_report(
    session: Session, today: dt.date, *, parameters: ParameterSet | None = None
) -> ArchiveReport:
    """The prefix of the chain (by seq) whose entries are all past retention, with its checkpoint."""
    cutoff = retention_cutoff(today, parameters=parameters)
    boundary = _lower_bound(cutoff)
    first_kept = session.scalar(select(func.min(AuditEntry.seq)).where(AuditEntry.occurred_at >= boundary))
    last_seq = (
        int(first_kept) - 1 if first_kept is not None else session.scalar(select(func.max(AuditEntry.seq)))
    )
    if last_seq is None:
        return ArchiveReport(cutoff, 0, None)
    count = int(session.scalar(select(func.count(AuditEntry.seq)).where(AuditEntry.seq <= last_seq)) or 0)
    if count == 0:
        return ArchiveReport(cutoff, 0, None)
    last_hash = session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.seq == last_seq))
    return ArchiveReport(cutoff, count, Checkpoint(int(last_seq), str(last_hash)) if last_hash else None)
