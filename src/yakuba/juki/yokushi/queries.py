"""Reading 抑止 and 支援措置: what is in force, search flags, the gate :func:`check_process`, alerts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.juki.yokushi.caches import _successors, _unreleased_targets, protecting, shien_subjects
from yakuba.juki.yokushi.rules import (
    _YOKUSHI_PROCESS_OF,
    CHECKABLE_PROCESSES,
    SHIEN_PROCESSES,
    YokushiBlocked,
    YokushiWarning,
    _choice,
    _jst_date,
    extension_opens,
    is_in_force,
    subjects_of,
)
from yakuba.juki.yokushi_models import ShienSochi, Yokushi


def _targets(atena_nos: Iterable[str], setai_nos: Iterable[str]) -> list[Any]:
    conditions: list[Any] = []
    persons = sorted(set(atena_nos))
    setais = sorted(set(setai_nos))
    if persons:
        conditions.append(and_(Yokushi.target_kind == "person", Yokushi.target_no.in_(persons)))
    if setais:
        conditions.append(and_(Yokushi.target_kind == "setai", Yokushi.target_no.in_(setais)))
    return conditions


def _with_yokushi(
    session: Session, atena_nos: Iterable[str], setai_nos: Iterable[str]
) -> tuple[list[str], list[str]]:
    """The given persons and 世帯 that have an unreleased 抑止 at all."""
    targets = _unreleased_targets(session)
    if not targets:
        return [], []
    return (
        [a for a in atena_nos if ("person", a) in targets],
        [s for s in setai_nos if ("setai", s) in targets],
    )


def active_yokushi(
    session: Session,
    *,
    atena_no: str | None = None,
    setai_no: str | None = None,
    process: str | None = None,
    now: dt.datetime,
) -> list[Yokushi]:
    """抑止 in force now on the person and/or the 世帯 (for ``process`` or every process)."""
    conditions = _targets(
        *_with_yokushi(session, [atena_no] if atena_no else [], [setai_no] if setai_no else [])
    )
    if not conditions:
        return []
    query = select(Yokushi).where(or_(*conditions), Yokushi.released_at.is_(None))
    if process is not None:
        query = query.where(Yokushi.process == process)
    rows = session.execute(query.order_by(Yokushi.id)).scalars()
    return [r for r in rows if is_in_force(r, now)]


def list_yokushi(
    session: Session, *, atena_no: str | None = None, setai_no: str | None = None
) -> list[Yokushi]:
    """Every 抑止 ever set on the person and/or 世帯, released ones included (oldest first)."""
    conditions = _targets([atena_no] if atena_no else [], [setai_no] if setai_no else [])
    if not conditions:
        return []
    return list(session.execute(select(Yokushi).where(or_(*conditions)).order_by(Yokushi.id)).scalars())


def yokushi_flags(
    session: Session, persons: Iterable[tuple[str, str]], *, now: dt.datetime
) -> dict[str, list[dict[str, str]]]:
    """For search results (「検索結果に抑止を表示」): 宛名番号 → the processes and levels in force on the
    person or their 世帯. Reasons are not included. ``persons`` are (宛名番号, 世帯番号) pairs."""
    pairs = list(persons)
    conditions = _targets(*_with_yokushi(session, [a for a, _ in pairs], [s for _, s in pairs]))
    flags: dict[str, list[dict[str, str]]] = {a: [] for a, _ in pairs}
    if not conditions:
        return flags
    rows = session.execute(
        select(Yokushi).where(or_(*conditions), Yokushi.released_at.is_(None)).order_by(Yokushi.id)
    ).scalars()
    in_force = [r for r in rows if is_in_force(r, now)]
    for atena_no, setai_no in pairs:
        for r in in_force:
            if (r.target_kind, r.target_no) in (("person", atena_no), ("setai", setai_no)):
                flag = {"process": r.process, "level": r.level}
                if flag not in flags[atena_no]:
                    flags[atena_no].append(flag)
    return flags


def check_process(
    session: Session,
    *,
    atena_no: str | None,
    setai_no: str | None,
    process: str,
    now: dt.datetime,
    confirm_alerts: bool = False,
) -> list[YokushiWarning]:
    """Gate a process for a person (and their 世帯) before doing it.

    Raises :class:`YokushiBlocked` (HTTP 423) when an error-level 抑止 is in force, or — for a
    certificate-like process — when the person is protected by a 支援措置 that lists it. Otherwise returns
    the alert-level 抑止 the clerk must be shown; once the clerk has confirmed them
    (``confirm_alerts=True``) it returns an empty list and the process may go on.
    """
    _choice(process, CHECKABLE_PROCESSES, "業務")
    rows = active_yokushi(
        session, atena_no=atena_no, setai_no=setai_no, process=_YOKUSHI_PROCESS_OF[process], now=now
    )
    errors = [r.id for r in rows if r.level == "error"]
    shien_ids: list[int] = []
    if atena_no and process in SHIEN_PROCESSES:
        shien_ids = [
            s.id
            for s in shien_protecting(session, atena_no, _jst_date(now))
            if process in (s.target_processes or [])
        ]
    if errors or shien_ids:
        raise YokushiBlocked(atena_no, process, errors, shien_ids)
    if confirm_alerts:
        return []
    return [
        YokushiWarning(r.id, r.target_kind, r.target_no, r.process, r.reason)
        for r in rows
        if r.level == "alert"
    ]


def shien_protecting(session: Session, atena_no: str, on: dt.date) -> list[ShienSochi]:
    if atena_no not in shien_subjects(session, on):
        return []
    return [r for r in protecting(session, on) if atena_no in subjects_of(r)]


def is_shien_subject(session: Session, atena_no: str, on: dt.date) -> bool:
    return atena_no in shien_subjects(session, on)


def _current(session: Session) -> list[ShienSochi]:
    successors = _successors(session)
    rows = session.execute(
        select(ShienSochi).where(ShienSochi.status == "active").order_by(ShienSochi.end_date, ShienSochi.id)
    ).scalars()
    return [r for r in rows if r.id not in successors]


def ending_soon(session: Session, on: dt.date) -> list[ShienSochi]:
    """Alert 「期間終了まで1か月以内」: active, not yet extended, and inside the extension window."""
    found = []
    for row in _current(session):
        window = int(params.get("juki.shien_sochi.extension_window_months", on=row.end_date))
        if extension_opens(row.end_date, window) <= on <= row.end_date:
            found.append(row)
    return found


def expired(session: Session, on: dt.date) -> list[ShienSochi]:
    """Alert 「期間終了」: past the end date, not extended and not ended (still protecting; end or renew)."""
    return [row for row in _current(session) if row.end_date < on]


def list_shien(session: Session, *, include_ended: bool = False) -> list[ShienSochi]:
    query = select(ShienSochi).order_by(ShienSochi.id)
    if not include_ended:
        query = query.where(ShienSochi.status == "active")
    return list(session.execute(query).scalars())
