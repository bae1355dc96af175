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

from pydantic import BaseModel, Field, model_validator
from pydantic_core import to_jsonable_python
from sqlalchemy import Table, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from yakuba import params
from yakuba.errors import Conflict, InputError, NotFound
from yakuba.juki.bulk_append import copy_rows, publish_many, update_rows
from yakuba.senkyo import batch, meibo, projection
from yakuba.senkyo.events import SenkyoRegistrationChanged
from yakuba.senkyo.models import Election, Jumin, Meibo, MeiboRireki, Run
from yakuba.senkyo.rules import (
    ONE_DAY,
    ElectionWindow,
    Judgement,
    TeijiPlan,
    attains_voting_age,
    judge,
    resided_long_enough,
    teiji_plan,
)
from yakuba.senkyo.shikaku import active_teishi, other_roll
from yakuba.senkyo.tohyoku import Assigner
from yakuba.uow import UnitOfWork

KIND_LABELS = {"teiji": "定時登録", "senkyoji": "選挙時登録", "hosei": "補正登録"}
NATIONAL_LEVELS = frozenset({"shugiin", "sangiin"})


# -- elections -----------------------------------------------------------------------------------------


class ElectionInput(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="選挙の名称")
    level: str = Field(pattern="^(shugiin|sangiin|todofuken|shichoson)$", description="選挙の種類")
    kouji_date: dt.date = Field(description="公示日・告示日")
    kijitsu: dt.date = Field(description="選挙期日（投票日）")
    kijun_date: dt.date | None = Field(
        default=None, description="選挙時登録の基準日（省略時は公示・告示日の前日）"
    )
    toroku_date: dt.date | None = Field(default=None, description="選挙時登録の登録日（省略時は基準日）")

    @model_validator(mode="after")
    def _dates(self) -> ElectionInput:
        if self.kijitsu <= self.kouji_date:
            raise ValueError("選挙期日は公示・告示日より後の日にしてください")
        kijun = self.kijun_date or self.kouji_date - dt.timedelta(days=1)
        if kijun >= self.kijitsu:
            raise ValueError("基準日は選挙期日より前の日にしてください")
        if self.toroku_date is not None and self.toroku_date < kijun:
            raise ValueError("登録日は基準日以後の日にしてください")
        return self


def define_election(uow: UnitOfWork, command: ElectionInput) -> Election:
    """選挙 and its 選挙時登録 dates as the 選管 fixed them (基準日 usually the day before the 公示/告示)."""
    kijun = command.kijun_date or command.kouji_date - dt.timedelta(days=1)
    row = Election(
        name=command.name,
        level=command.level,
        kouji_date=command.kouji_date,
        kijitsu=command.kijitsu,
        kijun_date=kijun,
        toroku_date=command.toroku_date or kijun,
        operator=uow.actor.login,
    )
    uow.session.add(row)
    uow.session.flush()
    return row


def election_windows(session: Session) -> list[ElectionWindow]:
    return [
        ElectionWindow(e.kouji_date, e.kijitsu, e.name, e.level in NATIONAL_LEVELS)
        for e in session.execute(select(Election).order_by(Election.kijitsu)).scalars()
    ]


# -- candidates ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    person: Any  # a row of ``senkyo_jumin`` (attribute access like ``Jumin``) with the previous roll entry
    judgement: Judgement
    tohyoku_code: str | None


def _birth_bound(age_date: dt.date, age: int) -> dt.date:
    """No one born after this day can have reached ``age`` on ``age_date`` (a loose bound for SQL)."""
    day = age_date + dt.timedelta(days=2)
    try:
        return day.replace(year=day.year - age)
    except ValueError:  # 2月29日
        return day.replace(year=day.year - age, day=28) + dt.timedelta(days=1)


def latest_birth(age_date: dt.date, age: int) -> dt.date:
    """The last birth date that has reached ``age`` on ``age_date`` (exact, by the rule itself).

    ``attains_voting_age`` only grows with an earlier birth, so everyone born on or before this day
    qualifies and nobody after it: the rule can be a plain ``birth_date <=`` in SQL.
    """
    day = _birth_bound(age_date, age)
    while not attains_voting_age(day, age_date, age=age):
        day -= ONE_DAY
    return day


def latest_start(kijun: dt.date, months: int) -> dt.date:
    """The last 住民票作成日 (転入届の日) ``months`` months before the 基準日 (第21条第1項).

    ``resided_long_enough`` only holds more for an earlier start, so it is a plain ``kiroku_start <=``.
    """
    day = kijun
    while not resided_long_enough(day, kijun, months=months):
        day -= ONE_DAY
    return day


def _removal_date_sql() -> Any:
    """``projection.removal_date`` in SQL: the 消除日, or the 転出予定日 of a pending 転出."""
    return case(
        (Jumin.shojo_date.is_not(None), Jumin.shojo_date),
        (Jumin.jumin_jotai == "02", Jumin.tenshutsu_yotei_date),
        else_=None,
    )


def candidates(session: Session, *, kijun: dt.date, age_date: dt.date, today: dt.date) -> list[Candidate]:
    """Persons not on the roll who have the 被登録資格 on ``kijun`` (age on ``age_date``).

    Set-based: SQL applies every rule of 第21条第1項 exactly (日本国民, 年齢 on the 年齢判定日,
    住民票作成日から引き続き3箇月, present on the 基準日) through the two dates :func:`latest_birth` and
    :func:`latest_start` derive from the rules themselves; only the few who no longer live here on
    the 基準日 (旧住所地登録, 第21条第2項) are judged one by one with :func:`rules.judge`.
    ``tests/senkyo/test_performance.py`` checks the result equals judging everyone that way.
    """
    age = params.get("senkyo.nenrei", on=age_date)
    months = params.get("senkyo.juki_kikan_months", on=kijun)
    removal = _removal_date_sql()
    previous = aliased(MeiboRireki)
    rows = session.execute(
        select(
            *Jumin.__table__.columns,
            Meibo.current_rireki_no.label("prev_rireki_no"),
            previous.effective_date.label("prev_effective_date"),
        )
        .outerjoin(Meibo, Meibo.atena_no == Jumin.atena_no)
        .outerjoin(
            previous,
            and_(previous.atena_no == Meibo.atena_no, previous.rireki_no == Meibo.current_rireki_no),
        )
        .where(
            Jumin.jumin_shubetsu == "1",
            Jumin.birth_date.is_not(None),
            Jumin.birth_date <= latest_birth(age_date, age),
            or_(Meibo.atena_no.is_(None), Meibo.status == "massho"),
            # gone long before the 基準日 (more than the four months of 第21条第2項): never a candidate
            or_(Jumin.shojo_date.is_(None), Jumin.shojo_date > kijun - dt.timedelta(days=160)),
            Jumin.kiroku_start.is_not(None),
            Jumin.kiroku_start <= kijun,
            # present on the 基準日 ⇒ 3箇月 from the 転入届; gone ⇒ judged below (第21条第2項)
            or_(
                Jumin.kiroku_start <= latest_start(kijun, months),
                and_(removal.is_not(None), removal <= kijun),
            ),
        )
        .order_by(Jumin.atena_no)
    ).all()
    disqualified = active_teishi(session, kijun)
    elsewhere = other_roll(session, today)
    assigner = Assigner(session, kijun)
    codes: dict[tuple[str | None, str | None], str | None] = {}
    present = Judgement(True, "genjusho")
    found = []
    for person in rows:
        if person.atena_no in disqualified:  # 選挙権停止: no 被登録資格 (第11条)
            continue
        gone = projection.removal_date(person)
        judgement = present
        if gone is not None and gone <= kijun:
            judgement = judge(
                projection.facts(person, other_roll=person.atena_no in elsewhere),
                kijun=kijun,
                age_date=age_date,
            )
            if not judgement.eligible:
                continue
        key = (person.choaza_code, person.banchi)
        if key not in codes:
            codes[key] = assigner.code_for(person.choaza_code, person.banchi)
        found.append(Candidate(person, judgement, codes[key]))
    return found


def judge_person(
    session: Session, atena_no: str, *, kijun: dt.date, age_date: dt.date, today: dt.date
) -> Judgement:
    person = session.get(Jumin, atena_no)
    if person is None:
        raise NotFound(f"宛名番号 {atena_no} の住民の記録はありません")
    facts = projection.facts(
        person,
        disqualified=atena_no in active_teishi(session, kijun),
        other_roll=atena_no in other_roll(session, today),
    )
    return judge(facts, kijun=kijun, age_date=age_date)


# -- runs ------------------------------------------------------------------------------------------------


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


def _candidate_item(c: Candidate) -> dict[str, Any]:
    p = c.person
    return {
        "atena_no": p.atena_no,
        "name": projection.full_name(p),
        "kana": projection.kana_name(p),
        "sex": p.sex,
        "birth_date": p.birth_date,
        "address": projection.address(p),
        "tohyoku_code": c.tohyoku_code,
        "basis": c.judgement.basis,
        "kiroku_start": p.kiroku_start,
        "jusho_lost": projection.removal_date(p) if c.judgement.basis == "kyujusho" else None,
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


def plan_teiji(session: Session, year: int, month: int) -> TeijiPlan:
    return teiji_plan(year, month, elections=election_windows(session))


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


def latest_real_run(session: Session, on: dt.date) -> Run | None:
    return session.execute(
        select(Run)
        .where(Run.mode == "real", Run.kind.in_(("teiji", "senkyoji")), Run.kijun_date <= on)
        .order_by(Run.kijun_date.desc(), Run.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def hosei_toroku(uow: UnitOfWork, *, atena_no: str, today: dt.date, run_id: int | None = None) -> MeiboRireki:
    """補正登録 (第26条): someone who qualified at the last 登録 but is not on the roll is added and 告示."""
    session = uow.session
    basis_run = session.get(Run, run_id) if run_id is not None else latest_real_run(session, today)
    if basis_run is None or basis_run.mode != "real":
        raise InputError.single("登録", "補正の基になる定時登録・選挙時登録（本処理）がありません")
    entry = meibo.current(session, atena_no)
    if meibo.on_roll(entry):
        raise Conflict(f"宛名番号 {atena_no} は既に選挙人名簿に登録されています")
    judgement = judge_person(
        session, atena_no, kijun=basis_run.kijun_date, age_date=basis_run.age_date, today=today
    )
    if not judgement.eligible:
        raise InputError.single(
            "被登録資格",
            f"{basis_run.kijun_date.isoformat()} 現在で登録される資格がありません"
            f"（{'、'.join(judgement.reasons)}）",
        )
    person = session.get(Jumin, atena_no)
    assert person is not None
    run = Run(
        kind="hosei",
        mode="real",
        kijun_date=basis_run.kijun_date,
        toroku_date=today,
        age_date=basis_run.age_date,
        election_id=basis_run.election_id,
        shori_date=today,
        note=f"{KIND_LABELS[basis_run.kind]}（基準日 {basis_run.kijun_date.isoformat()}）の補正登録",
        operator=uow.actor.login,
    )
    session.add(run)
    session.flush()
    row = meibo.toroku(
        uow,
        person,
        reason="hosei",
        basis=judgement.basis or "genjusho",
        toroku_date=today,
        shori_date=today,
        tohyoku_code=Assigner(session, today).code_for(person.choaza_code, person.banchi),
        run_id=run.id,
        kokuji=True,
    )
    if judgement.basis == "kyujusho":
        lost = projection.removal_date(person)
        assert lost is not None
        meibo.hyoji_jusho(
            uow,
            atena_no,
            lost_on=lost,
            reason=projection.removal_kind(person) or "tenshutsu",
            shori_date=today,
        )
    item = meibo.entry_view(row)
    run.lists = to_jsonable_python({"shinki": [item], "hyoji": [], "massho": [], "alerts": []})
    run.counts = {"shinki": 1, "hyoji": 0, "massho": 0, "tohyoku_mitei": int(row.tohyoku_code is None)}
    return row


def omissions(session: Session, *, today: dt.date) -> list[dict[str, Any]]:
    """Who qualified at the last real 登録 but is not on the roll: the 補正登録 work list."""
    basis_run = latest_real_run(session, today)
    if basis_run is None:
        return []
    found = candidates(session, kijun=basis_run.kijun_date, age_date=basis_run.age_date, today=today)
    return [_candidate_item(c) for c in found]


def run_view(session: Session, run_id: int) -> dict[str, Any]:
    run = session.get(Run, run_id)
    if run is None:
        raise NotFound(f"登録処理 {run_id} はありません")
    return RunResult(run, reused=True).view()
