"""Read side of 戸籍の附票: one 附票 with its history, search, the notice log, 除票 retention, protection.

These read through the ORM, so a caller in a transaction that may hold pending 附票 work calls
``commands.batching.settle`` first (docs/decisions/handler-batching.md §7); the commands that use them do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from yakuba.errors import NotFound
from yakuba.fuhyo.models import Fuhyo, Kisai, ShienForward, Tsuchi
from yakuba.fuhyo.rules import SNAPSHOT, Retention, key, retention
from yakuba.juki.public import shien_subjects
from yakuba.kernel.history import row_in_force
from yakuba.kernel.kana import prefix_pattern

ENTRY_FIELDS = (
    "entry_no",
    "kind",
    "jiyu",
    "effective_date",
    "shori_date",
    "source",
    *SNAPSHOT,
    "note",
)


def entries_of(session: Session, fuhyo_id: int) -> list[Kisai]:
    """Every entry of a 附票, by person and 記載番号."""
    return list(
        session.execute(
            select(Kisai).where(Kisai.fuhyo_id == fuhyo_id).order_by(Kisai.person_no, Kisai.entry_no)
        ).scalars()
    )


def current_entries(session: Session, fuhyo_id: int) -> list[Kisai]:
    """The latest entry of each person on the 附票 (the current state), by person."""
    latest: dict[int, Kisai] = {}
    for entry in entries_of(session, fuhyo_id):
        latest[entry.person_no] = entry
    return [latest[n] for n in sorted(latest)]


def closed_on(entries: list[Kisai]) -> dt.date | None:
    """The day the 附票 became a 除票: everyone on it has been removed (the last 消除の日)."""
    if not entries or not all(e.removed for e in entries):
        return None
    dates = [e.removed_date for e in entries if e.removed_date is not None]
    return max(dates) if dates else None


def is_joshohyo(session: Session, fuhyo_id: int) -> bool:
    entries = current_entries(session, fuhyo_id)
    return bool(entries) and all(e.removed for e in entries)


def find_fuhyo(session: Session, honseki: str, hittosha: str) -> Fuhyo | None:
    """The open (not 除票) 附票 of the 戸籍 (本籍 + 筆頭者), or None."""
    rows = session.execute(
        select(Fuhyo)
        .where(Fuhyo.honseki_key == key(honseki), Fuhyo.hittosha_key == key(hittosha))
        .order_by(Fuhyo.id.desc())
    ).scalars()
    for row in rows:
        if not is_joshohyo(session, row.id):
            return row
    return None


def get_fuhyo(session: Session, fuhyo_id: int) -> Fuhyo:
    row = session.get(Fuhyo, fuhyo_id)
    if row is None:
        raise NotFound(f"附票 {fuhyo_id} はありません")
    return row


def person_entries(session: Session, *, atena_no: str | None, jumin_code: str | None) -> list[Kisai]:
    """Current entries, on any 附票, of a person who is (or was) a resident here."""
    conditions = []
    if atena_no:
        conditions.append(Kisai.atena_no == atena_no)
    if jumin_code:
        conditions.append(Kisai.jumin_code == jumin_code)
    if not conditions:
        return []
    keys = session.execute(select(Kisai.fuhyo_id, Kisai.person_no).where(or_(*conditions)).distinct()).all()
    found = []
    for fuhyo_id, person_no in keys:
        latest = session.execute(row_in_force(Kisai, fuhyo_id, person_no)).scalar_one()
        if (atena_no and latest.atena_no == atena_no) or (jumin_code and latest.jumin_code == jumin_code):
            found.append(latest)
    return found


def last_sent(session: Session, atena_no: str, *, before_id: int | None = None) -> Tsuchi | None:
    """The last 附票記載事項通知 sent to another 本籍地 about this resident."""
    query = select(Tsuchi).where(Tsuchi.direction == "out", Tsuchi.atena_no == atena_no)
    if before_id is not None:
        query = query.where(Tsuchi.id < before_id)
    return session.execute(query.order_by(Tsuchi.id.desc()).limit(1)).scalar_one_or_none()


def forwarded_shien(session: Session, fuhyo_id: int, person_no: int, on: dt.date) -> bool:
    """Whether a forwarded 支援措置 protects the person on ``on``."""
    latest = session.execute(
        select(ShienForward)
        .where(ShienForward.fuhyo_id == fuhyo_id, ShienForward.person_no == person_no)
        .order_by(ShienForward.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return latest is not None and latest.start_date <= on <= latest.end_date


def entry_view(entry: Kisai) -> dict[str, Any]:
    view = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    view["kokugai_text"] = "国外転出者である旨" if entry.kokugai else None
    view["tenshutsu_yotei_date"] = entry.jusho_date if entry.kokugai else None
    return view


def joshohyo_status(session: Session, fuhyo_id: int) -> Retention | None:
    """None while the 附票 is open; otherwise the retention of its 除票."""
    closed = closed_on(current_entries(session, fuhyo_id))
    return retention(closed) if closed is not None else None


def protected_persons(session: Session, fuhyo_id: int, on: dt.date) -> set[int]:
    """Persons of the 附票 under a 支援措置 on ``on``: a local one (by 宛名番号) or one forwarded to us."""
    subjects = shien_subjects(session, on)
    found: set[int] = set()
    atena_by_person: dict[int, set[str]] = {}
    for entry in entries_of(session, fuhyo_id):
        if entry.atena_no:
            atena_by_person.setdefault(entry.person_no, set()).add(entry.atena_no)
    for entry in current_entries(session, fuhyo_id):
        if atena_by_person.get(entry.person_no, set()) & subjects or forwarded_shien(
            session, fuhyo_id, entry.person_no, on
        ):
            found.add(entry.person_no)
    return found


def fuhyo_view(
    session: Session, fuhyo_id: int, *, on: dt.date, hide: set[int] | frozenset[int] = frozenset()
) -> dict[str, Any]:
    """A 附票 with each person's current items and full history; persons in ``hide`` show nothing."""
    fuhyo = get_fuhyo(session, fuhyo_id)
    by_person: dict[int, list[Kisai]] = {}
    for entry in entries_of(session, fuhyo_id):
        by_person.setdefault(entry.person_no, []).append(entry)
    persons: list[dict[str, Any]] = []
    for person_no, entries in sorted(by_person.items()):
        if person_no in hide:
            persons.append({"person_no": person_no, "withheld": True})
            continue
        persons.append(
            {
                "person_no": person_no,
                "withheld": False,
                "current": entry_view(entries[-1]),
                "history": [entry_view(e) for e in entries],
            }
        )
    status = joshohyo_status(session, fuhyo_id)
    return {
        "id": fuhyo.id,
        "honseki": fuhyo.honseki,
        "hittosha": fuhyo.hittosha,
        "opened_on": fuhyo.opened_on,
        "joshohyo": status is not None,
        "closed_on": status.closed_on if status else None,
        "retention_years": status.years if status else None,
        "retained_until": status.last_day if status else None,
        "retained": status.retained(on) if status else True,
        "persons": persons,
    }


def search(
    session: Session,
    *,
    honseki: str | None = None,
    hittosha: str | None = None,
    shi: str | None = None,
    mei: str | None = None,
    jumin_code: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Fuhyo]:
    """附票 by 本籍 (prefix), 筆頭者, a person's 氏名 or 住民票コード (any entry, present or past)."""
    query = select(Fuhyo)
    if honseki:
        query = query.where(Fuhyo.honseki_key.like(prefix_pattern(key(honseki)), escape="\\"))
    if hittosha:
        query = query.where(Fuhyo.hittosha_key == key(hittosha))
    persons = select(Kisai.fuhyo_id)
    filtered = False
    if jumin_code:
        persons = persons.where(Kisai.jumin_code == jumin_code)
        filtered = True
    if shi:
        persons = persons.where(Kisai.shi == shi)
        filtered = True
    if mei:
        persons = persons.where(Kisai.mei == mei)
        filtered = True
    if filtered:
        query = query.where(Fuhyo.id.in_(persons))
    return list(session.execute(query.order_by(Fuhyo.id).limit(limit).offset(offset)).scalars())


def notice_view(row: Tsuchi) -> dict[str, Any]:
    return {
        "id": row.id,
        "direction": row.direction,
        "channel": row.channel,
        "status": row.status,
        "message": row.message,
        "from_lg_code": row.from_lg_code,
        "from_name": row.from_name,
        "honseki": row.honseki,
        "hittosha": row.hittosha,
        "kind": row.kind,
        "jiyu": row.jiyu,
        "effective_date": row.effective_date,
        "items": row.items,
        "changed": row.changed,
        "fuhyo_id": row.fuhyo_id,
        "line_no": row.line_no,
        "shori_date": row.shori_date,
        "operator": row.operator,
    }


def notices(
    session: Session,
    *,
    direction: str | None = None,
    status: str | None = None,
    fuhyo_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The 附票記載事項通知 received and sent, newest first (the spec's list; ``hold`` = 要確認)."""
    query = select(Tsuchi)
    if direction:
        query = query.where(Tsuchi.direction == direction)
    if status:
        query = query.where(Tsuchi.status == status)
    if fuhyo_id is not None:
        query = query.where(Tsuchi.fuhyo_id == fuhyo_id)
    rows = session.execute(query.order_by(Tsuchi.id.desc()).limit(limit).offset(offset)).scalars()
    return [notice_view(r) for r in rows]


def subjects_of(session: Session, fuhyo_id: int, persons: list[int] | None = None) -> list[str]:
    """Audit subjects: the 宛名番号 of persons who are (or were) residents here, otherwise 「附票ID:人」."""
    found: list[str] = []
    for entry in current_entries(session, fuhyo_id):
        if persons is not None and entry.person_no not in persons:
            continue
        found.append(entry.atena_no or f"fuhyo:{fuhyo_id}:{entry.person_no}")
    return found
