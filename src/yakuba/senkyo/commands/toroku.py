"""登録: 定時登録 (公職選挙法第22条第1項・第2項), 選挙時登録 (第22条第3項) and 補正登録 (第26条).

A run is first made as a trial (lists of 新規登録者・表示者・抹消者, nothing written to the roll), then for
real. The real run of a 基準日 exists once (``senkyo_run.run_key``): running it again returns the stored
run and writes nothing, so a 定時登録 is idempotent and its lists are reproducible. Whoever qualifies
later for that 基準日 (a late 届出, a correction) is added by 補正登録, which is 告示.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from pydantic_core import to_jsonable_python
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from yakuba.bulk import copy_rows, publish_many, update_rows
from yakuba.errors import InputError, NotFound
from yakuba.senkyo import meibo, projection
from yakuba.senkyo.commands import batch
from yakuba.senkyo.commands.candidates import Candidate, _candidate_item, candidates
from yakuba.senkyo.commands.election import KIND_LABELS, plan_teiji
from yakuba.senkyo.events import SenkyoRegistrationChanged
from yakuba.senkyo.models import Election, Meibo, MeiboRireki, Run
from yakuba.senkyo.rules import (
    TeijiPlan,
)
from yakuba.uow import UnitOfWork


@dataclass
class RunResult:
    run: Run
    reused: bool
    new: list[dict[str, Any]] = field(default_factory=list)
    hyoji: list[dict[str, Any]] = field(default_factory=list)
    massho: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        return {
            "run_id": self.run.id,
            "kind": self.run.kind,
            "kind_label": KIND_LABELS[self.run.kind],
            "mode": self.run.mode,
            "kijun_date": self.run.kijun_date,
            "toroku_date": self.run.toroku_date,
            "age_date": self.run.age_date,
            "note": self.run.note,
            "reused": self.reused,
            "counts": self.run.counts,
            "lists": self.run.lists,
        }


def _row_item(row: MeiboRireki) -> dict[str, Any]:
    view = meibo.entry_view(row)
    return {
        k: view[k]
        for k in (
            "atena_no",
            "name",
            "kana",
            "sex",
            "birth_date",
            "address",
            "tohyoku_code",
            "reason",
            "reason_label",
            "reason_date",
            "effective_date",
        )
    }


def _action_item(session: Session, action: batch.Action) -> dict[str, Any]:
    entry = meibo.current(session, action.atena_no)
    assert entry is not None
    view = meibo.entry_view(entry)
    item = {k: view[k] for k in ("atena_no", "name", "kana", "sex", "birth_date", "address", "tohyoku_code")}
    item.update(
        reason=action.reason,
        reason_label=meibo.REASONS.get(action.reason, action.reason),
        reason_date=action.on,
        effective_date=max(action.on, entry.effective_date),
    )
    return item


def _previous_toroku_date(session: Session, before: dt.date) -> dt.date | None:
    return session.execute(
        select(func.max(Run.toroku_date)).where(
            Run.mode == "real", Run.kind.in_(("teiji", "senkyoji")), Run.toroku_date < before
        )
    ).scalar()


def _recorded_between(
    session: Session, kind: str, after: dt.date | None, until: dt.date
) -> list[MeiboRireki]:
    query = select(MeiboRireki).where(MeiboRireki.kind == kind, MeiboRireki.effective_date <= until)
    if after is not None:
        query = query.where(MeiboRireki.effective_date > after)
    return list(session.execute(query.order_by(MeiboRireki.effective_date, MeiboRireki.atena_no)).scalars())


WRITE_CHUNK = 5_000  # registrations written (and published) per round: bounds memory of a run


def _register(
    uow: UnitOfWork, chunk: list[Candidate], *, kind: str, plan: TeijiPlan, today: dt.date, run_id: int
) -> None:
    """登録 of a chunk of candidates, set-based: the rows ``meibo.toroku`` (and, for 旧住所地登録, the
    ``meibo.hyoji_jusho`` that follows at once, 第27条第1項) would append one by one, and their events.

    Every candidate is off the roll (never registered, or 抹消): the next 履歴番号 follows the previous entry
    read with the candidate, and ``effective_date`` never goes before it — exactly as ``meibo._append``.
    """
    session = uow.session
    login = uow.actor.login
    rows: list[dict[str, Any]] = []
    heads_new: list[dict[str, Any]] = []
    heads_old: list[dict[str, Any]] = []
    events: list[SenkyoRegistrationChanged] = []
    for c in chunk:
        p = c.person
        row: dict[str, Any] = dict.fromkeys(meibo.ENTRY_ITEMS)
        row.update(
            {name: getattr(p, name) for name in meibo.PERSON_ITEMS},
            atena_no=p.atena_no,
            rireki_no=(p.prev_rireki_no or 0) + 1,
            kind="toroku",
            reason=kind,
            effective_date=plan.toroku_date
            if p.prev_rireki_no is None
            else max(plan.toroku_date, p.prev_effective_date),
            reason_date=plan.toroku_date,
            shori_date=today,
            run_id=run_id,
            kokuji=False,
            note=None,
            operator=login,
            status="toroku",
            toroku_date=plan.toroku_date,
            toroku_basis=c.judgement.basis or "genjusho",
            tohyoku_code=c.tohyoku_code,
            hyoji_teishi=False,
        )
        written = [row]
        if c.judgement.basis == "kyujusho":  # 住所を有しない者の登録: 直ちに表示（第27条第1項）
            lost = projection.removal_date(p)
            assert lost is not None
            reason = projection.removal_kind(p) or "tenshutsu"
            written.append(
                {
                    **row,
                    "rireki_no": row["rireki_no"] + 1,
                    "kind": "hyoji",
                    "reason": reason,
                    "effective_date": max(lost, row["effective_date"]),
                    "reason_date": lost,
                    "status": "hyoji",
                    "hyoji_jusho_reason": reason,
                    "hyoji_jusho_date": lost,
                }
            )
        for r in written:
            events.append(
                SenkyoRegistrationChanged.model_construct(
                    atena_no=r["atena_no"],
                    change=r["kind"],
                    registered=True,
                    status=r["status"],
                    toroku_date=r["toroku_date"],
                    effective_date=r["effective_date"],
                    reason=r["reason"],
                    reason_label=meibo.REASONS.get(r["reason"], r["reason"]),
                    meibo_rireki_no=r["rireki_no"],
                )
            )
        rows.extend(written)
        last = written[-1]
        head = {
            "atena_no": p.atena_no,
            "current_rireki_no": last["rireki_no"],
            "status": last["status"],
            "tohyoku_code": last["tohyoku_code"],
        }
        if p.prev_rireki_no is None:  # inserted, then moved once per further row (one flush each)
            heads_new.append({**head, "version": len(written)})
        else:
            heads_old.append({**head, "version": len(written)})
    session.flush()
    copy_rows(session, cast(Table, MeiboRireki.__table__), rows)
    copy_rows(session, cast(Table, Meibo.__table__), heads_new)
    if heads_old:
        update_rows(session, cast(Table, Meibo.__table__), "atena_no", heads_old, add=("version",))
        touched = {h["atena_no"] for h in heads_old}
        for obj in list(session.identity_map.values()):
            if isinstance(obj, (Meibo, MeiboRireki)) and obj.atena_no in touched:
                session.expire(obj)
    publish_many(uow, events)


def _run(
    uow: UnitOfWork,
    *,
    kind: str,
    key: str,
    plan: TeijiPlan,
    mode: str,
    today: dt.date,
    election_id: int | None = None,
) -> RunResult:
    session = uow.session
    if mode not in ("trial", "real"):
        raise InputError.single("処理区分", "trial（試行）か real（本処理）を指定してください")
    if mode == "real":
        existing = session.execute(select(Run).where(Run.run_key == key)).scalar_one_or_none()
        if existing is not None:
            return RunResult(existing, reused=True)
        if today < plan.kijun_date:
            raise InputError.single(
                "処理日",
                f"本処理は基準日（{plan.kijun_date.isoformat()}）以後に行ってください（試行はいつでも可）",
            )
    run = Run(
        kind=kind,
        mode=mode,
        run_key=key if mode == "real" else None,
        kijun_date=plan.kijun_date,
        toroku_date=plan.toroku_date,
        age_date=plan.age_date,
        election_id=election_id,
        shori_date=today,
        note=plan.note or None,
        operator=uow.actor.login,
    )
    session.add(run)
    session.flush()
    previous = _previous_toroku_date(session, plan.toroku_date)
    found = candidates(session, kijun=plan.kijun_date, age_date=plan.age_date, today=today)
    result = RunResult(run, reused=False)
    result.alerts = [
        f"宛名番号 {c.person.atena_no}: 住所（{projection.address(c.person)}）の投票区が"
        "投票区マスタにありません"
        for c in found
        if c.tohyoku_code is None
    ]
    result.new = [_candidate_item(c) for c in found]
    if mode == "real":
        batch.apply(uow, batch.plan(session, today=today), shori_date=today, run_id=run.id)
        uow.dispatch()  # the batch's events first, in the outbox as before
        for start in range(0, len(found), WRITE_CHUNK):
            _register(
                uow, found[start : start + WRITE_CHUNK], kind=kind, plan=plan, today=today, run_id=run.id
            )
        result.hyoji = [_row_item(r) for r in _recorded_between(session, "hyoji", previous, plan.toroku_date)]
        result.massho = [
            _row_item(r) for r in _recorded_between(session, "massho", previous, plan.toroku_date)
        ]
    else:
        pending = batch.plan(session, today=max(today, plan.toroku_date))
        result.hyoji = [_row_item(r) for r in _recorded_between(session, "hyoji", previous, plan.toroku_date)]
        result.hyoji += [_action_item(session, a) for a in pending if a.kind == "hyoji"]
        result.hyoji += [
            {
                **item,
                "reason": "tenshutsu",
                "reason_label": "旧住所地での登録（直ちに表示）",
                "reason_date": item["jusho_lost"],
                "effective_date": plan.toroku_date,
            }
            for item in result.new
            if item["basis"] == "kyujusho"
        ]
        result.massho = [
            _row_item(r) for r in _recorded_between(session, "massho", previous, plan.toroku_date)
        ]
        result.massho += [_action_item(session, a) for a in pending if a.kind == "massho"]
    run.lists = stored_lists(
        {"shinki": result.new, "hyoji": result.hyoji, "massho": result.massho, "alerts": result.alerts}
    )
    run.counts = {
        "shinki": len(result.new),
        "hyoji": len(result.hyoji),
        "massho": len(result.massho),
        "tohyoku_mitei": len(result.alerts),
    }
    session.flush()
    return result


LIST_LIMIT = 10_000  # items of each list kept in ``senkyo_run.lists`` (the counts stay complete)


def stored_lists(lists: dict[str, list[Any]]) -> dict[str, Any]:
    """The lists as ``senkyo_run.lists`` keeps them: whole up to :data:`LIST_LIMIT` items each.

    A 定時登録 of a large town registers hundreds of thousands: kept whole, the lists (and their JSON copy)
    would be the largest thing in memory and one row of hundreds of MB. Beyond the limit the first
    :data:`LIST_LIMIT` items are kept and ``truncated`` gives each cut list's full length; the full
    新規登録者 list of a real run is the roll itself (:func:`registered_by_run`), and a trial can be run
    again (it writes nothing and gives the same list).
    """
    stored: dict[str, Any] = {}
    truncated: dict[str, int] = {}
    for key, items in lists.items():
        if len(items) > LIST_LIMIT:
            truncated[key] = len(items)
        stored[key] = to_jsonable_python(items[:LIST_LIMIT])
    if truncated:
        stored["truncated"] = truncated
    return stored


def registered_by_run(session: Session, run_id: int, *, chunk: int = 5_000) -> Iterator[dict[str, Any]]:
    """Every 登録 a real run wrote (the 新規登録者 list, whole), by 宛名番号, ``chunk`` rows at a time."""
    query = (
        select(MeiboRireki)
        .where(MeiboRireki.run_id == run_id, MeiboRireki.kind == "toroku")
        .order_by(MeiboRireki.atena_no)
        .execution_options(yield_per=chunk)
    )
    for row in session.execute(query).scalars():
        yield to_jsonable_python(_row_item(row))


def run_teiji(uow: UnitOfWork, *, year: int, month: int, mode: str, today: dt.date) -> RunResult:
    """定時登録 of ``year``/``month`` (trial or real)."""
    plan = plan_teiji(uow.session, year, month)
    return _run(
        uow, kind="teiji", key=f"teiji:{plan.kijun_date.isoformat()}", plan=plan, mode=mode, today=today
    )


def run_senkyoji(uow: UnitOfWork, *, election_id: int, mode: str, today: dt.date) -> RunResult:
    """選挙時登録: 基準日・登録日 as the 選管 fixed them; age judged on the 選挙期日 (第22条第3項)."""
    election = uow.session.get(Election, election_id)
    if election is None:
        raise NotFound(f"選挙 {election_id} はありません")
    plan = TeijiPlan(
        election.kijun_date,
        election.toroku_date,
        election.kijitsu,
        note=f"{election.name}（選挙期日 {election.kijitsu.isoformat()}。年齢は選挙期日現在）",
    )
    return _run(
        uow,
        kind="senkyoji",
        key=f"senkyoji:{election.id}",
        plan=plan,
        mode=mode,
        today=today,
        election_id=election.id,
    )


def run_view(session: Session, run_id: int) -> dict[str, Any]:
    run = session.get(Run, run_id)
    if run is None:
        raise NotFound(f"登録処理 {run_id} はありません")
    return RunResult(run, reused=True).view()
