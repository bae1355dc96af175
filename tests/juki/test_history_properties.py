"""Invariants of the append-only history (issue 4, 'Done when'), checked over random sequences of 異動.

For any sequence of valid 異動 with non-decreasing 異動日: (1) no history row ever changes once written;
(2) rebuilding the projection from the history reproduces the current state; (3) the state as of each
event's date equals the state right after that event (the last one of that date).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from yakuba.bootstrap import Yakuba
from yakuba.juki import service
from yakuba.juki.base import setai_rows
from yakuba.juki.history import SNAPSHOT_COLUMNS, rebuild_projection, state_as_of
from yakuba.juki.models import Jumin, Rireki
from yakuba.models import metadata

from .conftest import MATSU_1, MATSU_8, UME_3, dates, person

ADDRESSES = [MATSU_1, MATSU_8, UME_3]
TODAY = dt.date(2026, 11, 26)
IGNORED = {"mynumber_enc"}  # random nonce: equal values encrypt differently

Op = tuple[str, int, int]  # (kind, pick, days after the previous 異動)
ops = st.lists(
    st.tuples(
        st.sampled_from(["tennyu", "tennyu", "tenkyo", "shusei", "bunri", "shojo"]),
        st.integers(0, 50),
        st.integers(0, 20),
    ),
    min_size=1,
    max_size=10,
)


def _empty(yakuba: Yakuba) -> None:
    with yakuba.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(text(f'DELETE FROM "{table.name}"'))


def _state(row: Rireki) -> dict[str, Any]:
    return {c: getattr(row, c) for c in SNAPSHOT_COLUMNS if c not in IGNORED}


def _all_rows(yakuba: Yakuba) -> dict[int, tuple[Any, ...]]:
    with yakuba.uow() as uow:
        rows = uow.session.execute(select(Rireki)).scalars().all()
        return {
            r.id: (r.atena_no, r.rireki_no, r.ido_id, r.effective_date, *(_state(r).values())) for r in rows
        }


def _current(yakuba: Yakuba) -> dict[str, dict[str, Any]]:
    with yakuba.uow() as uow:
        rows = (
            uow.session.execute(
                select(Rireki).join(
                    Jumin, (Jumin.atena_no == Rireki.atena_no) & (Jumin.current_rireki_no == Rireki.rireki_no)
                )
            )
            .scalars()
            .all()
        )
        return {r.atena_no: _state(r) for r in rows}


def _apply(yakuba: Yakuba, kind: str, pick: int, on: dt.date, counter: list[int]) -> None:
    with yakuba.uow() as uow:
        session = uow.session
        active = (
            session.execute(select(Jumin).where(Jumin.jumin_jotai == "01").order_by(Jumin.atena_no))
            .scalars()
            .all()
        )
        if kind == "tennyu" or not active:
            counter[0] += 1
            members = [
                person(mei=f"太郎{counter[0]}", birth_date=dt.date(1970, 1, 1) + dt.timedelta(days=pick * 97))
            ]
            if pick % 2:
                members.append(
                    person(mei=f"花子{counter[0]}", sex="2", zokugara="妻", birth_date=dt.date(1972, 3, 3))
                )
            service.tennyu(
                uow,
                service.Tennyu(
                    kind="kokunai",
                    persons=members,
                    address=ADDRESSES[pick % 3],
                    prev_address="横浜市",
                    dates=dates(on, confirm_alerts=True),
                ),
                today=TODAY,
            )
        else:
            target = active[pick % len(active)]
            members = setai_rows(session, target.setai_no)
            if kind == "tenkyo":
                current = members[0]
                choices = [
                    a for a in ADDRESSES if (a.choaza_name, a.banchi) != (current.choaza_name, current.banchi)
                ]
                service.tenkyo(
                    uow,
                    service.Tenkyo(
                        atena_nos=[m.atena_no for m in members],
                        address=choices[pick % len(choices)],
                        dates=dates(on),
                    ),
                    today=TODAY,
                )
            elif kind == "shusei":
                counter[0] += 1
                service.shusei(
                    uow,
                    service.Shusei(
                        atena_no=target.atena_no,
                        kind="shokken",
                        changes={"mei": f"改{counter[0]}"},
                        dates=dates(on),
                    ),
                    today=TODAY,
                )
            elif kind == "bunri" and len(members) > 1:
                mover = next(m for m in members if m.zokugara != "世帯主")
                service.setai_henko(
                    uow,
                    service.SetaiHenko(
                        kind="bunri",
                        setai_no=target.setai_no,
                        atena_nos=[mover.atena_no],
                        new_head=mover.atena_no,
                        dates=dates(on, confirm_alerts=True),
                    ),
                    today=TODAY,
                )
            else:
                service.shojo(
                    uow,
                    service.Shojo(
                        atena_no=target.atena_no, reason="shibo", dates=dates(on, confirm_alerts=True)
                    ),
                    today=TODAY,
                )
        uow.commit()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=ops)
def test_history_is_append_only_replayable_and_reproducible_as_of_any_event_date(
    yakuba: Yakuba, sequence: list[Op]
) -> None:
    _empty(yakuba)
    on = dt.date(2020, 1, 1)
    counter = [0]
    seen: dict[int, tuple[Any, ...]] = {}
    after: list[tuple[dt.date, dict[str, dict[str, Any]]]] = []
    for kind, pick, days in sequence:
        on = on + dt.timedelta(days=days)
        _apply(yakuba, kind, pick, on, counter)
        rows = _all_rows(yakuba)
        for row_id, values in seen.items():
            assert rows[row_id] == values, "a history row changed"
        seen = rows
        after.append((on, _current(yakuba)))
    final = _current(yakuba)
    with yakuba.uow() as uow:
        rebuild_projection(uow.session)
        uow.commit()
    assert _current(yakuba) == final
    last_of_day = {d: state for d, state in after}  # later events of the same day overwrite earlier ones
    with yakuba.uow() as uow:
        for day, state in last_of_day.items():
            for atena_no, expected in state.items():
                row = state_as_of(uow.session, atena_no, day)
                assert row is not None and _state(row) == expected, (day, atena_no)
