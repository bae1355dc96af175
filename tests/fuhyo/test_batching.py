"""The 附票 handlers batch per transaction (docs/decisions/handler-batching.md) without changing what they do.

住民基本台帳法第19条第1項: every 記載・住所の変更・国外転出 … of a resident is notified to the 本籍地 (here:
the local 附票 itself; elsewhere: a 附票記載事項通知 through the outbox), and §18 the 附票 keeps each
change as a new entry. Whether 住民記録's events arrive one transaction each (the counter) or thousands
in one (the bulk load), the rows and the notices must be the same — and a later event for the same person
in the same transaction must see what the earlier one left (still pending, not yet written).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete, event, select

from tests.fuhyo.conftest import LOCAL_HITTOSHA, LOCAL_HONSEKI, OTHER_HONSEKI
from yakuba.bootstrap import Yakuba
from yakuba.events import DomainEvent, OutboxEntry
from yakuba.juki.events import ResidentMoved, ResidentRegistered, ResidentSummary, TenshutsuFiled

D = dt.date
TIMESTAMPS = frozenset({"recorded_at", "created_at"})


def _summary(atena_no: str, shi: str, mei: str, honseki: str | None, hittosha: str | None, **kw: Any) -> Any:
    values: dict[str, Any] = {
        "atena_no": atena_no,
        "setai_no": "S" + atena_no,
        "jumin_shubetsu": "1",
        "jumin_jotai": "01",
        "shi": shi,
        "mei": mei,
        "shi_kana": "アオキ",
        "mei_kana": "タロウ",
        "birth_date": D(1980, 5, 1),
        "sex": "1",
        "zokugara": "世帯主",
        "honseki": honseki,
        "hittosha": hittosha,
        "choaza_name": "松町",
        "banchi": "1番地",
        "jusho_date": D(2026, 4, 1),
        "jumin_date": D(2026, 4, 1),
        "jumin_code": "1" + atena_no.zfill(10),
    }
    values.update(kw)
    return ResidentSummary(**values)


def _registered(ido_id: int, s: ResidentSummary) -> ResidentRegistered:
    return ResidentRegistered(
        ido_id=ido_id,
        jiyu_code="A01",
        atena_no=s.atena_no,
        setai_no=s.setai_no,
        ido_date=D(2026, 4, 1),
        todoke_date=D(2026, 4, 1),
        resident=s,
    )


def _moved(ido_id: int, s: ResidentSummary, banchi: str, on: D) -> ResidentMoved:
    moved = s.model_copy(update={"banchi": banchi, "jusho_date": on})
    return ResidentMoved(
        ido_id=ido_id,
        jiyu_code="A21",
        atena_no=s.atena_no,
        setai_no=s.setai_no,
        ido_date=on,
        todoke_date=on,
        resident=moved,
        previous_address="松町1番地",
    )


def _events() -> list[DomainEvent]:
    """A 世帯 of two with a local 本籍, one whose 本籍 is elsewhere, one without a 筆頭者 (要確認), each
    registered, then moved (twice for the one elsewhere: the second move changes nothing to notify)."""
    aoki = _summary("101", "青木", "太郎", LOCAL_HONSEKI, LOCAL_HITTOSHA)
    hanako = _summary("102", "青木", "花子", LOCAL_HONSEKI, LOCAL_HITTOSHA, mei_kana="ハナコ", sex="2")
    sato = _summary("103", "佐藤", "一郎", OTHER_HONSEKI, "佐藤　一郎", shi_kana="サトウ")
    nobody = _summary("104", "青木", "次郎", LOCAL_HONSEKI, None, mei_kana="ジロウ")
    filed = TenshutsuFiled(
        ido_id=9,
        jiyu_code="B02",
        atena_no=hanako.atena_no,
        setai_no=hanako.setai_no,
        ido_date=D(2026, 7, 1),
        todoke_date=D(2026, 6, 20),
        resident=hanako,
        yotei_date=D(2026, 7, 1),
        destination="アメリカ合衆国",
        kokugai=True,
    )
    return [
        _registered(1, aoki),
        _registered(2, hanako),
        _registered(3, sato),
        _registered(4, nobody),
        _moved(5, aoki, "8番地", D(2026, 6, 1)),
        _moved(6, sato, "8番地", D(2026, 6, 2)),
        _moved(7, sato, "8番地", D(2026, 6, 2)),  # nothing changed since the last notice: none is sent
        filed,
    ]


def _run(yakuba: Yakuba, events: list[DomainEvent], *, per_transaction: bool) -> None:
    if per_transaction:
        for e in events:
            with yakuba.uow() as uow:
                uow.record(e)
                uow.commit()
        return
    with yakuba.uow() as uow:
        for e in events:
            uow.record(e)
        uow.commit()


def _snapshot(yakuba: Yakuba, fh: SimpleNamespace) -> dict[str, list[dict[str, Any]]]:
    """Every row of the 附票 tables and every 附票 event, surrogate keys replaced by their rank."""
    tables = {"fuhyo": fh.models.Fuhyo, "tsuchi": fh.models.Tsuchi, "kisai": fh.models.Kisai}
    out: dict[str, list[dict[str, Any]]] = {}
    with yakuba.uow() as uow:
        ranks = {
            name: {v: n for n, v in enumerate(uow.session.execute(select(m.id).order_by(m.id)).scalars())}
            for name, m in tables.items()
        }
        for name, model in tables.items():
            rows = []
            for row in uow.session.execute(select(model).order_by(model.id)).scalars():
                values = {c.key: getattr(row, c.key) for c in model.__table__.columns}
                values["id"] = ranks[name][values["id"]]
                for column, target in (("fuhyo_id", "fuhyo"), ("notice_id", "tsuchi")):
                    if values.get(column) is not None:
                        values[column] = ranks[target][values[column]]
                rows.append({k: v for k, v in values.items() if k not in TIMESTAMPS})
            out[name] = rows
        outbox = uow.session.execute(
            select(OutboxEntry).where(OutboxEntry.business == "fuhyo").order_by(OutboxEntry.seq)
        ).scalars()
        events = []
        for entry in outbox:
            payload = dict(entry.payload)
            if "notice_id" in payload:
                payload["notice_id"] = ranks["tsuchi"][payload["notice_id"]]
            if "fuhyo_id" in payload:
                payload["fuhyo_id"] = ranks["fuhyo"][payload["fuhyo_id"]]
            events.append({"type": entry.event_type, **payload})
        out["outbox"] = events
    return out


def _empty(yakuba: Yakuba, fh: SimpleNamespace) -> None:
    with yakuba.engine.begin() as conn:
        for model in (fh.models.Kisai, fh.models.Tsuchi, fh.models.Fuhyo, OutboxEntry):
            conn.execute(delete(model))


def test_one_transaction_leaves_what_one_transaction_per_event_leaves(yakuba: Yakuba, fh: Any) -> None:
    """N events in one transaction = the same N events in N transactions: same 附票, same entries, same
    notices (§19①), same events in the same order."""
    _run(yakuba, _events(), per_transaction=True)
    expected = _snapshot(yakuba, fh)
    assert len(expected["kisai"]) == 4  # 2 記載 + 転居 + 国外転出 on the local 附票; 佐藤 is elsewhere
    assert [t["status"] for t in expected["tsuchi"]].count("hold") == 1  # no 筆頭者: kept for a clerk
    assert [e["kind"] for e in expected["outbox"] if e["type"] == "fuhyo.notice_to_honsekichi"] == [
        "kisai",
        "jusho",
    ]
    _empty(yakuba, fh)
    _run(yakuba, _events(), per_transaction=False)
    assert _snapshot(yakuba, fh) == expected


def test_a_later_event_for_the_same_person_sees_the_pending_one(yakuba: Yakuba, fh: Any) -> None:
    """記載 and 転居 of the same person in one transaction: the 転居 is entry 2 of the same person on the
    local 附票 (§18), and the notice elsewhere names only what changed since the pending 記載 (§19①)."""
    aoki = _summary("201", "青木", "太郎", LOCAL_HONSEKI, LOCAL_HITTOSHA)
    sato = _summary("202", "佐藤", "一郎", OTHER_HONSEKI, "佐藤　一郎", shi_kana="サトウ")
    _run(
        yakuba,
        [
            _registered(1, aoki),
            _registered(2, sato),
            _moved(3, aoki, "8番地", D(2026, 6, 1)),
            _moved(4, sato, "8番地", D(2026, 6, 2)),
        ],
        per_transaction=False,
    )
    rows = _snapshot(yakuba, fh)
    assert [(k["person_no"], k["entry_no"], k["kind"]) for k in rows["kisai"]] == [
        (1, 1, "kisai"),
        (1, 2, "jusho"),
    ]
    assert len(rows["fuhyo"]) == 1
    sent = [e for e in rows["outbox"] if e["type"] == "fuhyo.notice_to_honsekichi"]
    assert [(e["kind"], e["changed"]) for e in sent][1] == ("jusho", ["address", "jusho_date"])


def test_a_batch_reads_once_and_writes_once(yakuba: Yakuba, fh: Any) -> None:
    """Thirty 記載 in one transaction: a handful of statements on the 附票 tables, not several per event."""
    summaries = [
        _summary(
            str(300 + n),
            "青木" if n % 2 else "佐藤",
            f"名{n}",
            LOCAL_HONSEKI if n % 2 else OTHER_HONSEKI,
            LOCAL_HITTOSHA if n % 2 else "佐藤　一郎",
        )
        for n in range(30)
    ]
    statements: list[str] = []

    def count(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        if "fuhyo_" in sql:
            statements.append(sql)

    event.listen(yakuba.engine, "before_cursor_execute", count)
    try:
        _run(yakuba, [_registered(n, s) for n, s in enumerate(summaries)], per_transaction=False)
    finally:
        event.remove(yakuba.engine, "before_cursor_execute", count)
    rows = _snapshot(yakuba, fh)
    assert len(rows["kisai"]) == 15 and len(rows["tsuchi"]) == 30
    assert len(statements) <= 10, [s[:70] for s in statements]
