"""選挙's own copy of the 住民記録 items it needs, kept from 住民記録 events only.

Every event is appended to ``senkyo_jumin_log`` and folded into ``senkyo_jumin`` (one row per person). The
projection can be rebuilt from the log at any time (:func:`rebuild`), so it is never the only record.
選挙 never reads 住民記録's tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy import event as sa_event
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.util import find_tables

from yakuba.bulk import copy_rows, key_in, reserve_ids, update_rows
from yakuba.juki.public import JukiEvent, ResidentSummary
from yakuba.senkyo.models import Jumin, JuminLog
from yakuba.senkyo.rules import PersonFacts
from yakuba.uow import UnitOfWork

ACTIVE_STATES = frozenset({"01", "02"})  # 住民記録 juki.jumin_jotai: 01 住民 / 02 転出予定

# 住民記録's 消除 事由 (juki.ido_jiyu), as published in ResidentRemoved.shojo_jiyu.
REMOVAL_KIND = {
    "B01": "tenshutsu",  # 国内転出
    "B02": "kokugai",  # 国外転出
    "B03": "shibo",  # 死亡
    "B04": "kika",  # 帰化等による外国人住民票の消除（同じ人の日本人住民票が記載される）
    "B05": "kokuseki",  # 国籍喪失
    "B06": "shokken",  # 職権消除（実態調査・失踪宣告）
    "B09": "torikeshi",  # 記載の取消し
}


def record(session: Session, event: JukiEvent) -> Jumin:
    """Append the event to the log and fold it into the projection at once (one flush per event).

    The handlers use :func:`record_pending` instead; this form stays for replays outside a unit of work.
    """
    log = JuminLog(
        event_type=event.event_type,
        ido_id=event.ido_id,
        jiyu_code=event.jiyu_code,
        atena_no=event.atena_no,
        ido_date=event.ido_date,
        todoke_date=event.todoke_date,
        payload=event.payload(),
    )
    session.add(log)
    session.flush()
    return apply(session, log)


def fold(event_type: str, payload: dict[str, Any], r: ResidentSummary) -> dict[str, Any]:
    """The projection columns one event sets (a column it leaves alone is absent).

    The single definition of how an event changes ``senkyo_jumin``: :func:`apply` (replay, rebuild) and
    the batched path (:class:`Pending`) both use it, so the two cannot drift apart.
    """
    values: dict[str, Any] = {
        "setai_no": r.setai_no,
        "jumin_shubetsu": r.jumin_shubetsu,
        "jumin_jotai": r.jumin_jotai,
        "shi": r.shi,
        "mei": r.mei or "",
        "shi_kana": r.shi_kana,
        "mei_kana": r.mei_kana,
        "sex": r.sex,
        "birth_date": r.birth_date,
        "zokugara": r.zokugara,
        "honseki": r.honseki,
        "hittosha": r.hittosha,
        "jumin_code": r.jumin_code,
        "choaza_code": r.choaza_code,
        "choaza_name": r.choaza_name,
        "banchi": r.banchi,
        "katagaki": r.katagaki,
        "postal_code": r.postal_code,
        "jusho_date": r.jusho_date,
        # 公職選挙法第21条第1項: 住民票が作成された日（転入は転入届をした日）. The summary carries the
        # 届出日 of the 届出 by which the person became a resident (転入届・出生届); 職権記載 has none,
        # so 住民となった日.
        "kiroku_start": r.todoke_date or r.jumin_date,
        "tenshutsu_yotei_date": r.tenshutsu_yotei_date,
        "shojo_jiyu": r.shojo_jiyu,
        "shojo_date": r.shojo_date,
    }
    if event_type == "juki.resident_registered":
        values["tenshutsu_kokugai"] = False
        values["tenshutsu_destination"] = None
    elif event_type == "juki.tenshutsu_filed":
        values["tenshutsu_kokugai"] = bool(payload.get("kokugai"))
        values["tenshutsu_destination"] = payload.get("destination")
    elif event_type == "juki.tenshutsu_confirmed" and payload.get("kakutei_address"):
        values["tenshutsu_destination"] = payload.get("kakutei_address")
    if r.shojo_jiyu in ("B01", "B02"):
        values["tenshutsu_kokugai"] = r.shojo_jiyu == "B02"
    return values


def apply(session: Session, log: JuminLog) -> Jumin:
    payload: dict[str, Any] = log.payload
    r = ResidentSummary.model_validate(payload["resident"])
    row = session.get(Jumin, r.atena_no)
    if row is None:
        row = Jumin(atena_no=r.atena_no)
        session.add(row)
    for name, value in fold(log.event_type, payload, r).items():
        setattr(row, name, value)
    row.last_log_id = log.id
    session.flush()
    return row


# -- the batched path: one write per transaction ---------------------------------------------------
#
# Inside a request (転居 of a 世帯) or the bulk town load (5,000 residents a transaction) the handler used
# to insert a log row, read, update and flush the projection for every event. Now each event is kept in
# memory (``Pending``) and written with two or three set-based statements per transaction: in a
# ``before_commit`` hook, when the buffer is full, or — like the ORM's own autoflush — just before any
# query that reads ``senkyo_jumin`` / ``senkyo_jumin_log`` in the same session, so every reader (a later
# event of the same person, the roll commands, the API) sees exactly what the per-event path would show.

PENDING_KEY = "senkyo.projection.pending"
FLUSH_AT = 5_000  # events held before writing: bounds memory during a long transaction

_JUMIN_COLUMNS = tuple(c.key for c in Jumin.__table__.columns)
_TRACKED_TABLES = frozenset({Jumin.__table__, JuminLog.__table__})


class Pending:
    """Events received in this transaction, not yet written; the column values they set, per person."""

    def __init__(self) -> None:
        self.logs: list[dict[str, Any]] = []
        self.changes: dict[str, dict[str, Any]] = {}  # 宛名番号 → columns set by its events, in order
        self.hooked = False  # a before_commit hook is registered for the current transaction

    def __len__(self) -> int:
        return len(self.logs)


def _pending(session: Session) -> Pending | None:
    found = session.info.get(PENDING_KEY)
    return found if isinstance(found, Pending) else None


def record_pending(uow: UnitOfWork, event: JukiEvent) -> dict[str, Any]:
    """Log the event and fold it into the projection of this transaction; written in bulk later.

    Returns the projection columns this event set (everything 住民記録 publishes about the person), which
    is enough for a 訂正 of the roll; :func:`person` gives the whole row when more is needed.
    """
    session = uow.session
    pending = _pending(session)
    if pending is None:
        pending = Pending()
        session.info[PENDING_KEY] = pending
    payload = event.payload()
    pending.logs.append(
        {
            "event_type": event.event_type,
            "ido_id": event.ido_id,
            "jiyu_code": event.jiyu_code,
            "atena_no": event.atena_no,
            "ido_date": event.ido_date,
            "todoke_date": event.todoke_date,
            "payload": payload,
        }
    )
    values = fold(event.event_type, payload, event.resident)
    pending.changes.setdefault(event.atena_no, {}).update(values)
    if not pending.hooked:
        pending.hooked = True
        uow.before_commit(lambda u: write_pending(u.session))
    if len(pending) >= FLUSH_AT:
        write_pending(session)
    return values


def person(session: Session, atena_no: str) -> Jumin | None:
    """The person's projection row as it stands in this transaction (pending events included)."""
    pending = _pending(session)
    if pending is not None and atena_no in pending.changes:
        write_pending(session)  # also expires a copy the identity map may hold
    return session.get(Jumin, atena_no)


def write_pending(session: Session) -> None:
    """Write the events kept in memory: the log rows, then one INSERT or UPDATE per person."""
    pending = _pending(session)
    if pending is None or not pending.logs:
        if pending is not None:
            pending.hooked = False
        return
    logs, changes = pending.logs, pending.changes
    pending.logs, pending.changes, pending.hooked = [], {}, False
    last_log: dict[str, int] = {}
    log_table = cast(Table, JuminLog.__table__)
    postgres = session.get_bind().dialect.name == "postgresql"
    for start in range(0, len(logs), 10_000 if postgres else 1_000):
        chunk = logs[start : start + (10_000 if postgres else 1_000)]
        if postgres:  # ids taken from the sequence in order, then the rows by COPY
            ids: Any = reserve_ids(session, log_table, len(chunk))
            copy_rows(session, log_table, [{"id": i, **log} for log, i in zip(chunk, ids, strict=True)])
        else:
            ids = session.execute(
                insert(JuminLog).returning(JuminLog.id, sort_by_parameter_order=True), chunk
            ).scalars()
        for log, log_id in zip(chunk, ids, strict=True):
            last_log[log["atena_no"]] = log_id
    atena_nos = list(changes)
    existing: set[str] = set()
    for start in range(0, len(atena_nos), 10_000):
        existing.update(
            session.execute(
                select(Jumin.atena_no).where(
                    key_in(session, Jumin.atena_no, atena_nos[start : start + 10_000])
                )
            ).scalars()
        )
    new_rows: list[dict[str, Any]] = []
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for atena_no, values in changes.items():
        row = {**values, "atena_no": atena_no, "last_log_id": last_log[atena_no]}
        if atena_no in existing:
            updates.setdefault(tuple(sorted(row)), []).append(row)
        else:
            new_rows.append({"tenshutsu_kokugai": False, "tenshutsu_destination": None, "mei": "", **row})
    table = cast(Table, Jumin.__table__)
    columns_new: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in new_rows:
        columns_new.setdefault(tuple(row), []).append(row)
    for rows in columns_new.values():
        for start in range(0, len(rows), 10_000):
            copy_rows(session, table, rows[start : start + 10_000])
    for rows in updates.values():
        update_rows(session, table, "atena_no", rows)
    _expire(session, existing)


def _expire(session: Session, atena_nos: set[str]) -> None:
    """Rows written behind the ORM's back: forget any copy of them the session holds."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Jumin) and obj.atena_no in atena_nos:
            session.expire(obj)


@sa_event.listens_for(Session, "do_orm_execute")
def _autoflush(state: ORMExecuteState) -> None:
    """Like the ORM's autoflush: a query that reads the projection or its log first writes what is pending."""
    if not state.is_select:
        return
    pending = _pending(state.session)
    if pending is None or not pending.logs:
        return
    if _mentions(state) or _core_reads_tracked(state.statement):
        write_pending(state.session)


def _core_reads_tracked(statement: Any) -> bool:
    """Whether a select reads a tracked table anywhere (joins included) — by traversal, not compiling.

    ``get_final_froms`` compiles the statement: every read after a 住民記録 event paid a compilation.
    """
    return any(table in _TRACKED_TABLES for table in find_tables(statement, include_joins=True))


def _mentions(state: ORMExecuteState) -> bool:
    return any(m.local_table in _TRACKED_TABLES for m in state.all_mappers)


@sa_event.listens_for(Session, "after_soft_rollback")
def _discard(session: Session, previous_transaction: Any) -> None:
    """A rollback forgets what was pending, like the rows it would have become."""
    session.info.pop(PENDING_KEY, None)


@sa_event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    """A safety net for a commit that does not go through ``UnitOfWork.commit`` (whose hook writes first)."""
    write_pending(session)


def rebuild(session: Session) -> int:
    """Throw the projection away and fold the whole log again, in the order it was received."""
    write_pending(session)
    session.execute(delete(Jumin))
    session.flush()
    count = 0
    for log in session.execute(select(JuminLog).order_by(JuminLog.id)).scalars():
        apply(session, log)
        count += 1
    return count


def removal_date(row: Any) -> dt.date | None:
    """住所を有しなくなった日: the 消除日, or the 転出予定日 of a pending 転出 (the 転出日 once it comes)."""
    if row.shojo_date is not None:
        return row.shojo_date
    if row.jumin_jotai == "02":
        return row.tenshutsu_yotei_date
    return None


def removal_kind(row: Any) -> str | None:
    if row.shojo_jiyu:
        return REMOVAL_KIND.get(row.shojo_jiyu, "other")
    if row.jumin_jotai == "02":
        return "kokugai" if row.tenshutsu_kokugai else "tenshutsu"
    return None


def is_present(row: Any, on: dt.date) -> bool:
    """Has a 住所 in the municipality on ``on`` (recorded, and not yet gone)."""
    gone = removal_date(row)
    return row.kiroku_start is not None and row.kiroku_start <= on and (gone is None or gone > on)


def facts(row: Any, *, disqualified: bool = False, other_roll: bool = False) -> PersonFacts:
    return PersonFacts(
        atena_no=row.atena_no,
        japanese=row.jumin_shubetsu == "1",
        birth_date=row.birth_date,
        kiroku_start=row.kiroku_start,
        removal_date=removal_date(row),
        removal_kind=removal_kind(row),
        disqualified=disqualified,
        other_roll=other_roll,
    )


def full_name(row: Any) -> str:
    return f"{row.shi}\u3000{row.mei}" if row.mei else str(row.shi)


def kana_name(row: Any) -> str:
    parts = [p for p in (row.shi_kana, row.mei_kana) if p]
    return "\u3000".join(parts)


def address(row: Any) -> str:
    text = f"{row.choaza_name or ''}{row.banchi or ''}"
    return text + (f"\u3000{row.katagaki}" if row.katagaki else "")
