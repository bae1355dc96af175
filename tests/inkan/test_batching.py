"""印鑑登録's handlers ask once per dispatch round who holds a registration (decisions/handler-batching.md).

印鑑登録事務処理要領 (登録の抹消; spec-resident.md §2 廃止・抹消 職権): a 転出 (転出届 / 消除) of a
registered person ends the registration by 職権; a person without one is not this business's concern.
Most 住民記録 events concern persons without a registration, so the handlers skip them after one query
for every queued person — and the registered ones must come out exactly as when each event had its own
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import event

from tests.inkan.conftest import Apply, application, household
from tests.juki.conftest import person
from yakuba.bootstrap import Yakuba
from yakuba.inkan.commands.toroku import shinsei
from yakuba.juki.base import summary
from yakuba.juki.events import ResidentRemoved, TenshutsuFiled
from yakuba.juki.history import latest_row

D = dt.date
Run = Callable[..., Any]
State = Callable[[int], dict[str, Any]]


def _events(yakuba: Yakuba, atena: str, ido: int) -> list[Any]:
    """転出届 (予定日 4月20日), then the 消除 on 4月18日 — the same person, one after the other."""
    with yakuba.uow() as uow:
        resident = summary(latest_row(uow.session, atena))
    common = {"atena_no": atena, "setai_no": resident.setai_no, "resident": resident}
    return [
        TenshutsuFiled(
            ido_id=ido,
            jiyu_code="B01",
            ido_date=D(2026, 4, 20),
            todoke_date=D(2026, 4, 10),
            yotei_date=D(2026, 4, 20),
            destination="大阪府大阪市北区梅田2丁目2番",
            kokugai=False,
            **common,
        ),
        ResidentRemoved(
            ido_id=ido + 1,
            jiyu_code="B01",
            ido_date=D(2026, 4, 18),
            todoke_date=D(2026, 4, 18),
            shojo_jiyu="B01",
            shojo_date=D(2026, 4, 18),
            **common,
        ),
    ]


def _comparable(s: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in s.items() if k not in {"toroku_no", "cards", "represents_text"}} | {
        "cards": [status for _, status in s["cards"]]
    }


def test_one_transaction_ends_it_as_one_transaction_per_event(
    yakuba: Yakuba, run: Run, apply: Apply, state: State
) -> None:
    """Two registered persons, the same 転出届 and 消除: one per transaction for the first, both in one
    transaction for the second (with unregistered persons queued between them) — the same registration."""
    atenas = []
    for shi in ("青木", "赤井"):
        atena = household(run, person(shi, "太郎"), on=D(2026, 3, 2)).atena_nos[0]
        out = apply(shinsei, application(atena, inbun=shi), today=D(2026, 4, 1))
        assert out.status == "toroku"
        atenas.append((atena, out.toroku_id))
    others = household(
        run, person("佐藤", "一郎"), person("佐藤", "花子", zokugara="妻"), on=D(2026, 3, 2)
    ).atena_nos
    (first, first_id), (second, second_id) = atenas
    for e in _events(yakuba, first, 1000):
        with yakuba.uow() as uow:
            uow.record(e)
            uow.commit()
    batch = _events(yakuba, second, 2000)
    with yakuba.uow() as uow:
        uow.record(batch[0])
        for n, atena in enumerate(others):
            uow.record(_events(yakuba, atena, 3000 + 10 * n)[0])
        uow.record(batch[1])
        uow.commit()
    expected, got = state(first_id), state(second_id)
    assert (got["status"], got["end_date"], got["end_jiyu"]) == ("massho", D(2026, 4, 18), "tenshutsu")
    assert [k for k, _, _ in got["events"]][-3:] == ["massho_yotei", "card_mukou", "massho"]
    assert _comparable(got) == _comparable(expected)


def test_persons_without_a_registration_cost_one_query_per_round(yakuba: Yakuba, run: Run) -> None:
    """Six 転出届 of persons who never registered, in one transaction: one look-up, nothing written."""
    atenas = household(
        run,
        person("佐藤", "一郎"),
        *(person("佐藤", n, zokugara="子") for n in ("二郎", "三郎", "四郎", "五郎", "六郎")),
        on=D(2026, 3, 2),
    ).atena_nos
    statements: list[str] = []

    def count(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        if "inkan_" in sql:
            statements.append(sql)

    events = [_events(yakuba, a, 100 * n)[0] for n, a in enumerate(atenas)]
    event.listen(yakuba.engine, "before_cursor_execute", count)
    try:
        with yakuba.uow() as uow:
            for e in events:
                uow.record(e)
            uow.commit()
    finally:
        event.remove(yakuba.engine, "before_cursor_execute", count)
    assert len(statements) == 1, statements
