"""Append-only history: snapshots in, current and as-of state out.

Every write goes through :func:`append_snapshot`; nothing in 住民記録 updates or deletes a
``juki_rireki`` row. The ``juki_jumin`` projection follows the latest 本登録 row and can be rebuilt.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, delete, event, func, select
from sqlalchemy.orm import Session, SessionTransaction, aliased

from yakuba.juki.models import Ido, Jumin, Rireki, Setai
from yakuba.kernel.history import in_force, next_number, row_in_force
from yakuba.kernel.kana import kana_search_key, name_search_key

META_COLUMNS = {"id", "atena_no", "rireki_no", "ido_id", "effective_date"}
SNAPSHOT_COLUMNS: tuple[str, ...] = tuple(
    c.key for c in Rireki.__table__.columns if c.key not in META_COLUMNS
)

State = dict[str, Any]


def registered(query: Select[Any]) -> Select[Any]:
    """Narrow a query on ``juki_rireki`` to 本登録 rows: a 仮登録 (kari) or a discarded one (haki) never held.

    A 取消し is not excluded here: it appends a 異動 whose snapshots restore the earlier state.
    """
    return query.join(Ido, Ido.id == Rireki.ido_id).where(Ido.status == "hon")


def state_of(row: Rireki) -> State:
    """The 住民票 items of a snapshot row, as a plain dict to copy and change."""
    return {name: getattr(row, name) for name in SNAPSHOT_COLUMNS}


def latest_row(session: Session, atena_no: str) -> Rireki | None:
    """The current 本登録 snapshot, read with its projection row in one statement.

    Both land in the session: the 異動 that follows moves the projection without reading it again.
    """
    others = aliased(Rireki)
    last_no = select(func.max(others.rireki_no)).where(others.atena_no == atena_no).scalar_subquery()
    found = session.execute(
        select(Rireki, Jumin, last_no)
        .join(Jumin, (Jumin.atena_no == Rireki.atena_no) & (Jumin.current_rireki_no == Rireki.rireki_no))
        .where(Jumin.atena_no == atena_no)
    ).first()
    if found is None:
        return None
    # The session's identity map holds objects weakly: keep the projection row alive for this
    # transaction, or ``project`` would read it again; and the highest 履歴番号 (仮登録 and cancelled
    # rows included), so that the snapshot appended next needs no look-up of its own.
    session.info.setdefault(_HEADS, {})[atena_no] = found[1]
    session.info.setdefault(_LAST_NO, {})[atena_no] = int(found[2])
    return found[0]


_HEADS = "juki.projection_rows"
_LAST_NO = "juki.last_rireki_no"  # 宛名番号 → highest 履歴番号 seen in this transaction


def forget_last_rireki_nos(session: Session) -> None:
    """For writers of ``juki_rireki`` other than :func:`append_snapshot` (bulk appends)."""
    session.info.pop(_LAST_NO, None)


@event.listens_for(Session, "after_transaction_end")
def _release_heads(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None or transaction.nested:  # not the inner one each flush opens
        session.info.pop(_HEADS, None)
        session.info.pop(_LAST_NO, None)


def append_snapshot(
    session: Session, ido: Ido, atena_no: str, state: State, *, effective_date: dt.date | None
) -> Rireki:
    """Append one complete snapshot; for a 本登録 異動 the projection moves to it."""
    unknown = set(state) - set(SNAPSHOT_COLUMNS)
    if unknown:
        raise ValueError(f"unknown 住民票 items: {sorted(unknown)}")
    known: dict[str, int] = session.info.setdefault(_LAST_NO, {})
    last = known.get(atena_no)
    row = Rireki(
        atena_no=atena_no,
        rireki_no=last + 1 if last is not None else next_number(session, Rireki, atena_no),
        ido_id=ido.id,
        effective_date=effective_date,
        **{name: state.get(name) for name in SNAPSHOT_COLUMNS},
    )
    row.linked_items = dict(state.get("linked_items") or {})
    row.extra = dict(state.get("extra") or {})
    row.sort_order = state.get("sort_order") or 0
    known[atena_no] = row.rireki_no
    session.add(row)
    session.flush()
    if ido.status == "hon":
        project(session, row)
    return row


def search_keys(row: Rireki) -> tuple[str, str]:
    kana = kana_search_key(" ".join(p for p in (row.shi_kana, row.mei_kana) if p))
    names = [row.shi + row.mei, row.name_roman or "", row.tsusho or ""]
    return kana, "|".join(name_search_key(n) for n in names if n)


def project(session: Session, row: Rireki) -> Jumin:
    """Move the per-person projection to ``row`` (and keep the 世帯 member counts)."""
    kana_key, name_key = search_keys(row)
    head = session.get(Jumin, row.atena_no)
    old_setai = head.setai_no if head is not None else None
    was_member = head is not None and head.jumin_jotai in ACTIVE_STATES
    if head is None:
        head = Jumin(atena_no=row.atena_no)
        session.add(head)
    head.current_rireki_no = row.rireki_no
    head.setai_no = row.setai_no
    head.jumin_jotai = row.jumin_jotai
    head.jumin_shubetsu = row.jumin_shubetsu
    head.kana_key = kana_key
    head.name_key = name_key
    head.birth_date = row.birth_date
    head.choaza_code = row.choaza_code
    is_member = row.jumin_jotai in ACTIVE_STATES
    if old_setai and was_member and (old_setai != row.setai_no or not is_member):
        _adjust_setai(session, old_setai, -1)
    if is_member and (not was_member or old_setai != row.setai_no):
        _adjust_setai(session, row.setai_no, +1)
    session.flush()
    return head


ACTIVE_STATES = frozenset({"01", "02"})  # 住民, 転出予定: still on the 住民基本台帳


def _adjust_setai(session: Session, setai_no: str, delta: int) -> None:
    setai = session.get(Setai, setai_no)
    if setai is None:
        setai = Setai(setai_no=setai_no, member_count=0)
        session.add(setai)
    setai.member_count = (setai.member_count or 0) + delta


def state_as_of(session: Session, atena_no: str, on: dt.date) -> Rireki | None:
    """The snapshot in force on ``on``: the last 本登録 row whose 異動日 is on or before that date.

    Rows are ordered by 履歴番号 (the order the registry learnt things), so a correction recorded later
    for an earlier date wins over what was believed before, as 誤記修正 requires.
    """
    return session.execute(row_in_force(Rireki, atena_no, on=on, narrow=registered)).scalar_one_or_none()


def resident_on(session: Session, atena_no: str, on: dt.date) -> bool:
    """Whether the person was on this municipality's 住民基本台帳 on ``on`` (住民 or 転出予定).

    The taxes ask it of their 賦課期日 (個人住民税: 1 January, 地方税法第294条): an as-of read of the
    history, so a 転出 recorded later with an earlier 異動日 is honoured.
    """
    row = state_as_of(session, atena_no, on)
    return row is not None and row.jumin_jotai in ACTIVE_STATES


def residents_on(session: Session, on: dt.date) -> list[str]:
    """宛名番号 of everyone on the 住民基本台帳 on ``on`` (住民 or 転出予定), in order — one query.

    The 当初課税 of 個人住民税 takes its taxpayers from this as of 1 January (地方税法第294条).
    """
    current = in_force(Rireki, on=on, narrow=registered).subquery()
    query = (
        select(current.c.atena_no)
        .where(current.c.jumin_jotai.in_(sorted(ACTIVE_STATES)))
        .order_by(current.c.atena_no)
    )
    return list(session.scalars(query))


def rebuild_projection(session: Session) -> int:
    """Rebuild ``juki_jumin`` and ``juki_setai`` from the history alone; returns the number of persons.

    The projection is derived state: after this, it must equal what the commands maintained.
    """
    session.execute(delete(Jumin))
    session.execute(delete(Setai))
    session.flush()
    rows = session.execute(in_force(Rireki, narrow=registered).order_by(Rireki.atena_no)).scalars()
    count = 0
    for row in rows:
        project(session, row)
        count += 1
    return count
