"""登録: 定時登録 (公職選挙法第22条第1項・第2項), 選挙時登録 (第22条第3項) and 補正登録 (第26条).

A run is first made as a trial (lists of 新規登録者・表示者・抹消者, nothing written to the roll), then for
real. The real run of a 基準日 exists once (``senkyo_run.run_key``): running it again returns the stored
run and writes nothing, so a 定時登録 is idempotent and its lists are reproducible. Whoever qualifies
later for that 基準日 (a late 届出, a correction) is added by 補正登録, which is 告示.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, model_validator
from pydantic_core import to_jsonable_python
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.errors import Conflict, InputError, NotFound
from yakuba.senkyo import batch, meibo, projection
from yakuba.senkyo.models import Election, Jumin, Meibo, MeiboRireki, Run
from yakuba.senkyo.rules import ElectionWindow, Judgement, TeijiPlan, judge, teiji_plan
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
    person: Jumin
    judgement: Judgement
    tohyoku_code: str | None


def _birth_bound(age_date: dt.date, age: int) -> dt.date:
    """No one born after this day can have reached ``age`` on ``age_date`` (a loose bound for SQL)."""
    day = age_date + dt.timedelta(days=2)
    try:
        return day.replace(year=day.year - age)
    except ValueError:  # 2月29日
        return day.replace(year=day.year - age, day=28) + dt.timedelta(days=1)


def candidates(session: Session, *, kijun: dt.date, age_date: dt.date, today: dt.date) -> list[Candidate]:
    """Persons not on the roll who have the 被登録資格 on ``kijun`` (age on ``age_date``)."""
    age = params.get("senkyo.nenrei", on=age_date)
    rows = session.execute(
        select(Jumin)
        .outerjoin(Meibo, Meibo.atena_no == Jumin.atena_no)
        .where(
            Jumin.jumin_shubetsu == "1",
            Jumin.birth_date.is_not(None),
            Jumin.birth_date <= _birth_bound(age_date, age),
            or_(Meibo.atena_no.is_(None), Meibo.status == "massho"),
            # gone long before the 基準日 (more than the four months of 第21条第2項): never a candidate
            or_(Jumin.shojo_date.is_(None), Jumin.shojo_date > kijun - dt.timedelta(days=160)),
        )
        .order_by(Jumin.atena_no)
    ).scalars()
    disqualified = active_teishi(session, kijun)
    elsewhere = other_roll(session, today)
    assigner = Assigner(session, kijun)
    found = []
    for person in rows:
        facts = projection.facts(
            person, disqualified=person.atena_no in disqualified, other_roll=person.atena_no in elsewhere
        )
        judgement = judge(facts, kijun=kijun, age_date=age_date)
        if judgement.eligible:
            found.append(Candidate(person, judgement, assigner.code_for(person.choaza_code, person.banchi)))
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
        for c in found:
            meibo.toroku(
                uow,
                c.person,
                reason=kind,
                basis=c.judgement.basis or "genjusho",
                toroku_date=plan.toroku_date,
                shori_date=today,
                tohyoku_code=c.tohyoku_code,
                run_id=run.id,
            )
            if c.judgement.basis == "kyujusho":  # 住所を有しない者の登録: 直ちに表示（第27条第1項）
                lost = projection.removal_date(c.person)
                assert lost is not None
                meibo.hyoji_jusho(
                    uow,
                    c.person.atena_no,
                    lost_on=lost,
                    reason=projection.removal_kind(c.person) or "tenshutsu",
                    shori_date=today,
                    run_id=run.id,
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
    run.lists = to_jsonable_python(
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
