"""The daily batch: 表示, 表示の消除, 抹消 and 投票区 follow the facts, as of a day (idempotent).

公職選挙法第27条第1項 (表示 when a registered person no longer has a 住所 here or loses 選挙権), 施行令第16条
(the 表示 is removed once the person qualifies again), 第28条 (抹消: 死亡・国籍喪失 at once; a 住所 表示
once four months have passed after the day the 住所 was lost — ``rules.massho_date``), 第17条 (投票区 of
the master in force). The 住民記録 handlers do most of this the moment an event arrives; the batch is
what makes the four-month 抹消 and the dated 選挙権停止 happen, and catches anything an event missed.

``plan`` only reads; ``apply`` writes. Running the batch twice for the same day changes nothing the
second time, because every action is derived from the difference between the facts and the roll.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.senkyo import meibo, projection
from yakuba.senkyo.commands import zaigai
from yakuba.senkyo.commands.shikaku import active_teishi
from yakuba.senkyo.commands.tohyoku import Assigner
from yakuba.senkyo.commands.zaigai import Municipality
from yakuba.senkyo.models import Jumin, Meibo, MeiboRireki
from yakuba.senkyo.rules import massho_date, months_passed, period_end, resided_long_enough
from yakuba.uow import UnitOfWork

LOSS_OF_JUSHO = frozenset({"tenshutsu", "kokugai", "shokken"})


@dataclass(frozen=True)
class Action:
    atena_no: str
    kind: str  # hyoji / hyoji_shojo / massho / tohyoku
    reason: str
    on: dt.date
    which: str | None = None  # jusho / teishi (表示・表示の消除)
    code: str | None = None  # 投票区コード (tohyoku)


@dataclass
class BatchResult:
    today: dt.date
    actions: list[Action] = field(default_factory=list)
    rows: list[MeiboRireki] = field(default_factory=list)
    zaigai: list[dict[str, object]] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for a in self.actions if a.kind == kind)


def plan_entry(
    entry: MeiboRireki,
    person: Jumin | None,
    *,
    today: dt.date,
    teishi_start: dt.date | None,
    assigner: Assigner | None,
) -> list[Action]:
    """What must happen to one entry for the roll to match the facts on ``today``."""
    if entry.status == "massho":
        return []
    a = entry.atena_no
    if person is not None and person.shojo_jiyu == "B03" and person.shojo_date is not None:
        return [Action(a, "massho", "shibo", person.shojo_date)]
    if person is not None and (person.shojo_jiyu == "B05" or person.jumin_shubetsu != "1"):
        return [Action(a, "massho", "kokuseki", person.shojo_date or today)]
    actions: list[Action] = []
    months = params.get("senkyo.juki_kikan_months", on=today)
    after = params.get("senkyo.tenshutsu_massho_months", on=today)
    lost = entry.hyoji_jusho_date
    if person is not None:
        present = projection.is_present(person, today)
        gone_on = projection.removal_date(person)
        kind = projection.removal_kind(person)
        if not present and gone_on is not None and gone_on <= today and kind in LOSS_OF_JUSHO:
            if lost != gone_on:
                actions.append(Action(a, "hyoji", kind, gone_on, which="jusho"))
                lost = gone_on
        elif present and lost is not None and person.kiroku_start is not None:
            if person.kiroku_start <= lost:  # the 転出 did not happen after all (取消し)
                actions.append(Action(a, "hyoji_shojo", "torikeshi", today, which="jusho"))
                lost = None
            elif resided_long_enough(person.kiroku_start, today, months=months):  # 施行令第16条
                on = period_end(person.kiroku_start, months)
                actions.append(Action(a, "hyoji_shojo", "shikaku_kaifuku", on, which="jusho"))
                lost = None
    if lost is not None and months_passed(lost, today, months=after):
        actions.append(Action(a, "massho", "tenshutsu_4m", massho_date(lost, months=after)))
        return actions
    if teishi_start is not None and not entry.hyoji_teishi:
        actions.append(Action(a, "hyoji", "teishi", teishi_start, which="teishi"))
    elif teishi_start is None and entry.hyoji_teishi:
        actions.append(Action(a, "hyoji_shojo", "teishi_shuryo", today, which="teishi"))
    if assigner is not None and assigner.master is not None:
        code = assigner.code_for(entry.choaza_code, entry.banchi)
        if code != entry.tohyoku_code:
            actions.append(
                Action(a, "tohyoku", "master", max(today, assigner.master.effective_from), code=code)
            )
    return actions


def plan(session: Session, *, today: dt.date, atena_nos: set[str] | None = None) -> list[Action]:
    query = (
        select(MeiboRireki, Jumin)
        .join(
            Meibo,
            and_(Meibo.atena_no == MeiboRireki.atena_no, Meibo.current_rireki_no == MeiboRireki.rireki_no),
        )
        .outerjoin(Jumin, Jumin.atena_no == MeiboRireki.atena_no)
        .where(Meibo.status != "massho")
        .order_by(MeiboRireki.atena_no)
    )
    if atena_nos is not None:
        query = query.where(Meibo.atena_no.in_(sorted(atena_nos)))
    teishi = active_teishi(session, today)
    assigner = Assigner(session, today)
    actions: list[Action] = []
    for entry, person in session.execute(query).all():
        stop = teishi.get(entry.atena_no)
        actions.extend(
            plan_entry(
                entry,
                person,
                today=today,
                teishi_start=stop.start_date if stop is not None else None,
                assigner=assigner,
            )
        )
    return actions


def apply(
    uow: UnitOfWork, actions: list[Action], *, shori_date: dt.date, run_id: int | None = None
) -> list[MeiboRireki]:
    rows: list[MeiboRireki] = []
    for action in actions:
        row: MeiboRireki | None
        if action.kind == "hyoji" and action.which == "jusho":
            row = meibo.hyoji_jusho(
                uow,
                action.atena_no,
                lost_on=action.on,
                reason=action.reason,
                shori_date=shori_date,
                run_id=run_id,
            )
        elif action.kind == "hyoji":
            row = meibo.hyoji_teishi(uow, action.atena_no, since=action.on, shori_date=shori_date)
        elif action.kind == "hyoji_shojo":
            row = meibo.hyoji_shojo(
                uow,
                action.atena_no,
                which=action.which or "jusho",
                reason=action.reason,
                on=action.on,
                shori_date=shori_date,
            )
        elif action.kind == "massho":
            row = meibo.massho(
                uow, action.atena_no, reason=action.reason, on=action.on, shori_date=shori_date
            )
        else:
            row = meibo.change_tohyoku(
                uow, action.atena_no, code=action.code, on=action.on, shori_date=shori_date
            )
        if row is not None:
            rows.append(row)
    return rows


def daily_batch(
    uow: UnitOfWork, *, today: dt.date, dry_run: bool = False, municipality: Municipality | None = None
) -> BatchResult:
    """Bring the roll (and the 在外選挙人名簿) up to date as of ``today``."""
    result = BatchResult(today=today, actions=plan(uow.session, today=today))
    if not dry_run:
        result.rows = apply(uow, result.actions, shori_date=today)
    result.zaigai = zaigai.daily(uow, today=today, dry_run=dry_run, municipality=municipality)
    return result
