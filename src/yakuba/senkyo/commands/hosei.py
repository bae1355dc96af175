"""補正登録 (公職選挙法第26条): who qualified at the last 登録 but is not on the roll is added and 告示."""

from __future__ import annotations

import datetime as dt

from pydantic_core import to_jsonable_python

from yakuba.errors import Conflict, InputError
from yakuba.senkyo import meibo, projection
from yakuba.senkyo.commands.candidates import judge_person, latest_real_run
from yakuba.senkyo.commands.election import KIND_LABELS
from yakuba.senkyo.commands.tohyoku import Assigner
from yakuba.senkyo.models import Jumin, MeiboRireki, Run
from yakuba.uow import UnitOfWork


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
