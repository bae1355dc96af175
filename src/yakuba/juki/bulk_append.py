"""Set-based writing for changes that arrive by the hundred thousand (a 定時登録 registers most adults).

Equal in effect to the one-at-a-time path it replaces (the generic COPY / UPDATE / publish helpers are in
:mod:`yakuba.bulk`):

* :func:`append_linked_items` — the 職権修正 of ``linked_items`` (住民基本台帳法第7条第11号: 選挙人名簿に
  登録された旨) for many persons under one 異動, as ``IdoWriter.change`` + ``history.append_snapshot`` would
  write it person by person: a full snapshot with the next 履歴番号, the projection moved to it, and one
  ``ResidentCorrected`` per snapshot. Nothing is updated in place except the projection pointer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, select
from sqlalchemy.orm import Session

from yakuba.bulk import copy_rows, key_in, publish_many, update_rows
from yakuba.juki.events import ResidentCorrected, ResidentSummary
from yakuba.juki.history import SNAPSHOT_COLUMNS, forget_last_rireki_nos
from yakuba.juki.models import Ido, Jumin, Rireki
from yakuba.kernel.history import latest_numbers
from yakuba.uow import UnitOfWork

CHUNK = 5_000  # persons per round of snapshots (bounded memory)
_RIREKI = cast(Table, Rireki.__table__)
_JUMIN = cast(Table, Jumin.__table__)
_SUMMARY_FIELDS = tuple(ResidentSummary.model_fields)


Change = tuple[str, dict[str, Any], dt.date]  # 宛名番号, the new linked_items["<key>"], 異動日 of the change


def append_linked_items(
    uow: UnitOfWork,
    ido: Callable[[], Ido],
    key: str,
    changes: Sequence[Change],
) -> int:
    """Append a snapshot for every change that alters ``linked_items[key]``; returns how many were appended.

    ``ido`` gives the 異動 the snapshots belong to (created on first need, so a batch that changes nothing
    leaves no 異動 behind — like the per-person handler). Changes of one person are applied in order, each
    on the state the previous one left; a change equal to what the 住民票 already shows appends nothing.
    """
    session = uow.session
    appended = 0
    persons = list(dict.fromkeys(atena_no for atena_no, _w, _d in changes))
    by_person: dict[str, list[Change]] = {}
    for change in changes:
        by_person.setdefault(change[0], []).append(change)
    for start in range(0, len(persons), CHUNK):
        chunk = persons[start : start + CHUNK]
        states = _current_states(session, chunk)
        last_no = _last_rireki_no(session, chunk)
        rows: list[dict[str, Any]] = []
        bumps: dict[str, tuple[int, int]] = {}  # 宛名番号 → (new current 履歴番号, snapshots appended)
        events: list[ResidentCorrected] = []
        for atena_no in chunk:
            state = states.get(atena_no)
            if state is None:  # not (or no longer) on 住民記録: nothing to record the 旨 on
                continue
            for _a, wanted, effective in by_person[atena_no]:
                linked = dict(state.get("linked_items") or {})
                if linked.get(key) == wanted:
                    continue
                writer_ido = ido()
                state = {**state, "linked_items": {**linked, key: wanted}}
                rireki_no = last_no.get(atena_no, 0) + 1
                last_no[atena_no] = rireki_no
                row = {
                    "atena_no": atena_no,
                    "rireki_no": rireki_no,
                    "ido_id": writer_ido.id,
                    "effective_date": effective,
                    **{name: state.get(name) for name in SNAPSHOT_COLUMNS},
                }
                row["linked_items"] = dict(state.get("linked_items") or {})
                row["extra"] = dict(state.get("extra") or {})
                row["sort_order"] = state.get("sort_order") or 0
                rows.append(row)
                if writer_ido.status == "hon":
                    _no, count = bumps.get(atena_no, (0, 0))
                    bumps[atena_no] = (rireki_no, count + 1)
                events.append(
                    ResidentCorrected.model_construct(
                        ido_id=writer_ido.id,
                        jiyu_code=writer_ido.jiyu_code,
                        atena_no=atena_no,
                        setai_no=str(row["setai_no"]),
                        ido_date=writer_ido.ido_date,
                        todoke_date=writer_ido.todoke_date,
                        resident=ResidentSummary.model_validate({f: row.get(f) for f in _SUMMARY_FIELDS}),
                        changed_items=["linked_items"],
                    )
                )
        if not rows:
            continue
        copy_rows(session, _RIREKI, rows)
        forget_last_rireki_nos(session)  # history.append_snapshot must look them up again
        _move_projection(session, bumps)
        appended += len(rows)
        publish_many(uow, events)
    return appended


def _current_states(session: Session, atena_nos: list[str]) -> dict[str, dict[str, Any]]:
    """Each person's current 本登録 snapshot (what ``history.latest_row`` returns), as plain values."""
    table = Rireki.__table__
    query = (
        select(table)
        .join(Jumin, and_(Jumin.atena_no == table.c.atena_no, Jumin.current_rireki_no == table.c.rireki_no))
        .where(key_in(session, Jumin.atena_no, atena_nos))
    )
    return {row.atena_no: dict(row._mapping) for row in session.execute(query)}


def _last_rireki_no(session: Session, atena_nos: list[str]) -> dict[str, int]:
    """The highest 履歴番号 of each person, 仮登録 rows included (as ``append_snapshot`` numbers them)."""
    query = latest_numbers(Rireki).where(key_in(session, Rireki.atena_no, atena_nos))
    return {atena_no: int(no) for atena_no, no in session.execute(query).all()}


def _move_projection(session: Session, bumps: dict[str, tuple[int, int]]) -> None:
    """Point ``juki_jumin`` at the new snapshots.

    ``history.project`` would set every other column to the values it already holds (the snapshot copies
    the current one except ``linked_items``), so only the pointer and the optimistic-lock version move —
    by one per snapshot, as one flush per snapshot would have moved it.
    """
    if not bumps:
        return
    update_rows(
        session,
        _JUMIN,
        "atena_no",
        [{"atena_no": a, "current_rireki_no": no, "version": count} for a, (no, count) in bumps.items()],
        add=("version",),
    )
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Jumin) and obj.atena_no in bumps:
            session.expire(obj)
