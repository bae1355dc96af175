"""Who qualifies for 登録 on a 基準日: the selection every 登録 run and 補正登録 start from.

Shared by :mod:`.toroku` (定時登録・選挙時登録) and :mod:`.hosei` (補正登録 and its work list), so it has a
module of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import Session, aliased

from yakuba import params
from yakuba.errors import NotFound
from yakuba.senkyo import projection
from yakuba.senkyo.commands.shikaku import active_teishi, other_roll
from yakuba.senkyo.commands.tohyoku import Assigner
from yakuba.senkyo.models import Jumin, Meibo, MeiboRireki, Run
from yakuba.senkyo.rules import (
    ONE_DAY,
    Judgement,
    attains_voting_age,
    judge,
    resided_long_enough,
)


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


def latest_real_run(session: Session, on: dt.date) -> Run | None:
    return session.execute(
        select(Run)
        .where(Run.mode == "real", Run.kind.in_(("teiji", "senkyoji")), Run.kijun_date <= on)
        .order_by(Run.kijun_date.desc(), Run.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def omissions(session: Session, *, today: dt.date) -> list[dict[str, Any]]:
    """Who qualified at the last real 登録 but is not on the roll: the 補正登録 work list."""
    basis_run = latest_real_run(session, today)
    if basis_run is None:
        return []
    found = candidates(session, kijun=basis_run.kijun_date, age_date=basis_run.age_date, today=today)
    return [_candidate_item(c) for c in found]
