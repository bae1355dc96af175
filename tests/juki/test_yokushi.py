"""抑止 and 支援措置 (spec-resident.md §1.8; 住民記録システム標準仕様書 第1.0版 j410–j450).

The two tables are not in the Alembic migrations yet, so the module creates them itself. The yokushi
modules are imported lazily (fixtures ``svc``/``vis``/``api_router``): once imported, their tables join the
shared metadata and every other test module's fixture empties them too, which must not happen before
the tables exist.
"""

from __future__ import annotations

import datetime as dt
import importlib
import urllib.parse
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from yakuba.app import create_app
from yakuba.audit.models import AuditEntry
from yakuba.bootstrap import Yakuba
from yakuba.errors import Conflict, InputError, NotFound
from yakuba.juki.service import Registered
from yakuba.uow import Actor

from ..api.conftest import OFFICE_HOURS_NOW, StaffAccount, clock, household, make_staff, token_for

__all__ = ["clock", "household", "make_staff", "token_for"]  # fixtures shared with tests/api

MANAGER = Actor(login="manager", terminal="t1", roles=("juki_manager",))
PURPOSE = {"X-Yakuba-Purpose": urllib.parse.quote("支援措置の申出の処理")}
T0 = OFFICE_HOURS_NOW  # 令和8年11月25日（水）10:00 JST


@pytest.fixture(autouse=True)
def yokushi_tables(yakuba: Yakuba) -> Iterator[None]:
    models = importlib.import_module("yakuba.juki.yokushi_models")
    tables = [models.Yokushi.__table__, models.ShienSochi.__table__]
    for table in tables:
        table.create(yakuba.engine, checkfirst=True)
    yield
    with yakuba.engine.begin() as conn:
        for table in reversed(tables):
            conn.execute(table.delete())


@pytest.fixture
def svc() -> ModuleType:
    return importlib.import_module("yakuba.juki.yokushi")


@pytest.fixture
def vis() -> ModuleType:
    return importlib.import_module("yakuba.juki.visibility")


@pytest.fixture
def api(yakuba: Yakuba, clock: Callable[[dt.datetime], None]) -> Iterator[TestClient]:
    router = importlib.import_module("yakuba.juki.api_yokushi").router
    app = create_app(container=yakuba)
    app.include_router(router)
    with TestClient(app, base_url="https://testserver", client=("127.0.0.1", 50000)) as c:
        yield c


def _apply(yakuba: Yakuba, svc: ModuleType, **kwargs: Any) -> Any:
    with yakuba.uow(MANAGER) as uow:
        row = svc.apply_shien(uow, now=T0, **kwargs)
        uow.commit()
    return row


def _set(yakuba: Yakuba, svc: ModuleType, **kwargs: Any) -> Any:
    values: dict[str, Any] = {"start_date": dt.date(2026, 4, 1), "reason": "調査中", "now": T0}
    values.update(kwargs)
    with yakuba.uow(MANAGER) as uow:
        row = svc.set_yokushi(uow, **values)
        uow.commit()
    return row


# --------------------------------------------------------------------------------------------- 支援措置


def test_period_is_one_year_and_extension_opens_one_month_before_the_end(
    yakuba: Yakuba, household: Registered, svc: ModuleType
) -> None:
    # spec-resident.md §6 #1 (SPEC1 j440): 開始 令和2年4月1日 → 終了 令和3年3月31日; extension from 1 month
    # before the end, the new period running 1 year from the day after.
    head, _ = household.atena_nos
    first = _apply(yakuba, svc, atena_no=head, start=dt.date(2020, 4, 1))
    assert (first.start_date, first.end_date, first.kind) == (
        dt.date(2020, 4, 1),
        dt.date(2021, 3, 31),
        "hon",
    )
    with yakuba.uow() as uow:
        session = uow.session
        assert svc.ending_soon(session, dt.date(2021, 2, 28)) == []
        assert [r.id for r in svc.ending_soon(session, dt.date(2021, 3, 1))] == [first.id]
        assert [r.id for r in svc.expired(session, dt.date(2021, 4, 1))] == [first.id]
        # Not extended and not ended: still protected after the end (the alert asks a clerk to act).
        assert svc.is_shien_subject(session, head, dt.date(2021, 4, 1))
    with yakuba.uow(MANAGER) as uow, pytest.raises(InputError) as too_early:
        svc.extend_shien(uow, first.id, on=dt.date(2021, 2, 28), now=T0)
    assert too_early.value.problems[0].field == "延長の申出日"
    assert "令和3年3月1日から" in too_early.value.problems[0].message
    with yakuba.uow(MANAGER) as uow:
        second = svc.extend_shien(uow, first.id, on=dt.date(2021, 3, 1), now=T0)
        uow.commit()
    assert (second.start_date, second.end_date) == (dt.date(2021, 4, 1), dt.date(2022, 3, 31))
    assert second.extended_from_id == first.id
    with yakuba.uow(MANAGER) as uow, pytest.raises(Conflict):
        svc.extend_shien(uow, first.id, on=dt.date(2021, 3, 2), now=T0)
    with yakuba.uow() as uow:
        session = uow.session
        assert svc.ending_soon(session, dt.date(2021, 3, 1)) == []
        assert svc.expired(session, dt.date(2021, 4, 1)) == []
        assert [r.id for r in svc.shien_protecting(session, head, dt.date(2021, 3, 31))] == [first.id]
        assert [r.id for r in svc.shien_protecting(session, head, dt.date(2021, 4, 1))] == [second.id]


def test_period_end_follows_the_civil_code_for_missing_days(svc: ModuleType) -> None:
    # 民法第143条第2項: no corresponding day in the last month → the period ends on that month's last day.
    assert svc.period_end(dt.date(2020, 2, 29), 12) == dt.date(2021, 2, 28)
    assert svc.period_end(dt.date(2020, 4, 1), 12) == dt.date(2021, 3, 31)
    assert svc.extension_opens(dt.date(2021, 3, 31), 1) == dt.date(2021, 3, 1)


def test_extension_after_the_end_is_a_new_request(
    yakuba: Yakuba, household: Registered, svc: ModuleType
) -> None:
    head, _ = household.atena_nos
    first = _apply(yakuba, svc, atena_no=head, start=dt.date(2020, 4, 1))
    with yakuba.uow(MANAGER) as uow, pytest.raises(InputError, match="新たな申出"):
        svc.extend_shien(uow, first.id, on=dt.date(2021, 4, 1), now=T0)


def test_kari_shien_protects_at_once_and_the_decision_takes_over(
    yakuba: Yakuba, household: Registered, svc: ModuleType
) -> None:
    head, wife = household.atena_nos
    today = dt.date(2026, 11, 25)
    kari = _apply(
        yakuba,
        svc,
        atena_no=wife,
        start=today,
        kind="kari",
        added_persons=[svc.AddedPerson(name="青木 一郎", relation="子（他市在住）")],
        kagaisha=[svc.Kagaisha(name="青木 太郎", atena_no=head, birth_date="S55.5.1", sex="1")],
    )
    with yakuba.uow() as uow:
        assert svc.shien_subjects(uow.session, today) == {wife}
        assert svc.is_shien_subject(uow.session, wife, today)
        assert not svc.is_shien_subject(uow.session, head, today)  # the 加害者 is not protected
        assert kari.kagaisha[0]["birth_date"] == "1980-05-01"  # 和暦 input stored as a date
    hon = _apply(yakuba, svc, atena_no=wife, start=today, kind="hon", kari_id=kari.id)
    with yakuba.uow() as uow:
        old = uow.session.get(type(kari), kari.id)
        assert old is not None
        assert (old.status, old.ended_by) == ("superseded", "manager")
        assert hon.kagaisha == old.kagaisha
        assert [r.id for r in svc.shien_protecting(uow.session, wife, today)] == [hon.id]
    with yakuba.uow(MANAGER) as uow:
        svc.end_shien(uow, hon.id, now=T0)
        uow.commit()
    with yakuba.uow() as uow:
        assert svc.shien_subjects(uow.session, today) == set()


def test_the_kept_subject_set_follows_every_change_at_once(
    yakuba: Yakuba, household: Registered, svc: ModuleType
) -> None:
    """The subject set is kept per process between requests (performance); a 支援措置 set or ended in
    another transaction must still hide or show the person in the very next one (住民記録システム標準仕様書
    j430–j450: 支援措置 subjects are hidden from anyone without the permission)."""
    _head, wife = household.atena_nos
    today = dt.date(2026, 11, 25)
    with yakuba.uow() as uow:
        assert svc.shien_subjects(uow.session, today) == set()  # now kept for this generation
    row = _apply(yakuba, svc, atena_no=wife, start=today, kind="hon")
    with yakuba.uow() as uow:
        assert svc.shien_subjects(uow.session, today) == {wife}
        assert svc.is_shien_subject(uow.session, wife, today)
    with yakuba.uow(MANAGER) as uow:
        svc.end_shien(uow, row.id, now=T0)
        assert svc.shien_subjects(uow.session, today) == set()  # unflushed change seen in its own session
        uow.commit()
    with yakuba.uow() as uow:
        assert svc.shien_subjects(uow.session, today) == set()
        assert not svc.is_shien_subject(uow.session, wife, today)


def test_added_persons_with_a_number_are_protected_too(
    yakuba: Yakuba, household: Registered, svc: ModuleType
) -> None:
    head, wife = household.atena_nos
    _apply(
        yakuba,
        svc,
        atena_no=wife,
        start=dt.date(2026, 11, 1),
        added_persons=[svc.AddedPerson(atena_no=head, relation="夫")],
    )
    with yakuba.uow() as uow:
        assert svc.shien_subjects(uow.session, dt.date(2026, 11, 25)) == {head, wife}
        assert svc.shien_subjects(uow.session, dt.date(2026, 10, 31)) == set()  # not before the start


# --------------------------------------------------------------------------------------------- 抑止


def test_yokushi_never_ends_by_itself(yakuba: Yakuba, household: Registered, svc: ModuleType) -> None:
    head, _ = household.atena_nos
    row = _set(
        yakuba,
        svc,
        target_kind="person",
        target_no=head,
        process="certificate",
        level="error",
        end_date=dt.date(2026, 4, 30),
    )
    long_after = dt.datetime(2030, 1, 1, 1, 0, tzinfo=dt.UTC)
    with yakuba.uow() as uow:
        found = svc.active_yokushi(uow.session, atena_no=head, process="certificate", now=long_after)
        assert [r.id for r in found] == [row.id]
    with yakuba.uow(MANAGER) as uow:
        svc.release_yokushi(uow, row.id, now=T0)
        uow.commit()
    with yakuba.uow() as uow:
        assert svc.active_yokushi(uow.session, atena_no=head, now=long_after) == []
    with yakuba.uow(MANAGER) as uow, pytest.raises(Conflict):
        svc.release_yokushi(uow, row.id, now=T0)


def test_temp_release_reverts_after_the_parameter_minutes(
    yakuba: Yakuba, household: Registered, svc: ModuleType
) -> None:
    from yakuba import params

    minutes = params.get("juki.yokushi.temp_release_minutes", on=T0.date())
    head, _ = household.atena_nos
    row = _set(yakuba, svc, target_kind="person", target_no=head, process="certificate", level="error")
    with yakuba.uow(MANAGER) as uow, pytest.raises(InputError) as too_long:
        svc.temp_release(uow, row.id, minutes + 1, now=T0)
    assert too_long.value.problems[0].field == "一時解除の時間（分）"
    with yakuba.uow(MANAGER) as uow:
        released = svc.temp_release(uow, row.id, now=T0)
        uow.commit()
    assert released.temp_released_by == "manager"
    just_before = T0 + dt.timedelta(minutes=minutes) - dt.timedelta(seconds=1)
    at_timeout = T0 + dt.timedelta(minutes=minutes)
    with yakuba.uow() as uow:
        session = uow.session
        assert svc.active_yokushi(session, atena_no=head, process="certificate", now=just_before) == []
        svc.check_process(session, atena_no=head, setai_no=None, process="certificate", now=just_before)
        assert [r.id for r in svc.active_yokushi(session, atena_no=head, now=at_timeout)] == [row.id]
        with pytest.raises(svc.YokushiBlocked):
            svc.check_process(session, atena_no=head, setai_no=None, process="certificate", now=at_timeout)
    with yakuba.uow(MANAGER) as uow:  # a second 一時解除 once the first has run out
        again = svc.temp_release(uow, row.id, 5, now=at_timeout)
        uow.commit()
    assert len(again.temp_release_log) == 2


def test_error_blocks_and_alert_warns_until_confirmed(
    yakuba: Yakuba, household: Registered, svc: ModuleType
) -> None:
    head, wife = household.atena_nos
    setai = household.setai_no
    alert = _set(
        yakuba, svc, target_kind="person", target_no=head, process="ido", level="alert", reason="職権調査中"
    )
    error = _set(yakuba, svc, target_kind="setai", target_no=setai, process="certificate", level="error")
    with yakuba.uow() as uow:
        session = uow.session
        warnings = svc.check_process(session, atena_no=head, setai_no=setai, process="ido", now=T0)
        assert [(w.yokushi_id, w.reason) for w in warnings] == [(alert.id, "職権調査中")]
        assert "職権調査中" in warnings[0].message
        assert (
            svc.check_process(
                session, atena_no=head, setai_no=setai, process="ido", now=T0, confirm_alerts=True
            )
            == []
        )
        assert svc.check_process(session, atena_no=wife, setai_no=setai, process="ido", now=T0) == []
        with pytest.raises(svc.YokushiBlocked) as blocked:  # a 世帯 抑止 stops every member
            svc.check_process(session, atena_no=wife, setai_no=setai, process="certificate", now=T0)
        assert blocked.value.http_status == 423
        assert blocked.value.yokushi_ids == [error.id]
        assert svc.yokushi_flags(session, [(head, setai)], now=T0) == {
            head: [{"process": "ido", "level": "alert"}, {"process": "certificate", "level": "error"}]
        }


def test_a_yokushi_set_or_released_elsewhere_counts_in_the_next_transaction(
    yakuba: Yakuba, household: Registered, svc: ModuleType
) -> None:
    """A process keeps the set of persons and 世帯 with an unreleased 抑止 (performance); setting or
    releasing one in another transaction must take effect at once (標準仕様書 j410: 抑止 on 異動入力)."""
    head, _wife = household.atena_nos
    setai = household.setai_no
    with yakuba.uow() as uow:  # nothing set: the empty set is now kept for this generation
        assert svc.check_process(uow.session, atena_no=head, setai_no=setai, process="ido", now=T0) == []
    error = _set(yakuba, svc, target_kind="person", target_no=head, process="ido", level="error")
    with yakuba.uow() as uow, pytest.raises(svc.YokushiBlocked):
        svc.check_process(uow.session, atena_no=head, setai_no=setai, process="ido", now=T0)
    with yakuba.uow(MANAGER) as uow:
        svc.release_yokushi(uow, error.id, now=T0)
        uow.commit()
    with yakuba.uow() as uow:
        assert svc.check_process(uow.session, atena_no=head, setai_no=setai, process="ido", now=T0) == []


def test_shien_blocks_the_listed_processes_at_error_level(
    yakuba: Yakuba, household: Registered, svc: ModuleType
) -> None:
    head, wife = household.atena_nos
    shien = _apply(
        yakuba, svc, atena_no=wife, start=dt.date(2026, 11, 1), target_processes=["certificate", "etsuran"]
    )
    with yakuba.uow() as uow:
        session = uow.session
        for process in ("certificate", "etsuran"):
            with pytest.raises(svc.YokushiBlocked) as blocked:
                svc.check_process(session, atena_no=wife, setai_no=None, process=process, now=T0)
            assert blocked.value.shien_ids == [shien.id]
            assert "支援措置" not in str(blocked.value)
        assert svc.check_process(session, atena_no=wife, setai_no=None, process="fuhyo", now=T0) == []
        assert svc.check_process(session, atena_no=head, setai_no=None, process="certificate", now=T0) == []


def test_bad_input_names_the_field(yakuba: Yakuba, household: Registered, svc: ModuleType) -> None:
    head, _ = household.atena_nos
    with pytest.raises(InputError) as bad:
        _set(yakuba, svc, target_kind="person", target_no=head, process="print", level="error")
    assert bad.value.problems[0].field == "抑止する業務"
    with pytest.raises(InputError) as bad_birth:
        _apply(
            yakuba, svc, atena_no=head, start=dt.date(2026, 11, 1), kagaisha=[svc.Kagaisha(birth_date="昔")]
        )
    assert bad_birth.value.problems[0].field == "加害者（1人目）の生年月日"


# --------------------------------------------------------------------------------------------- visibility


def test_hidden_subjects_and_the_indistinguishable_not_found(
    yakuba: Yakuba, household: Registered, svc: ModuleType, vis: ModuleType
) -> None:
    head, wife = household.atena_nos
    today = dt.date(2026, 11, 25)
    _apply(yakuba, svc, atena_no=wife, start=today, kind="kari")
    with yakuba.uow() as uow:
        session = uow.session
        assert vis.hidden_subjects(session, False, today) == frozenset({wife})
        assert vis.hidden_subjects(session, True, today) == frozenset()
        vis.assert_visible(session, head, can_see_shien=False, on=today)
        vis.assert_visible(session, wife, can_see_shien=True, on=today)
        with pytest.raises(NotFound) as hidden:
            vis.assert_visible(session, wife, can_see_shien=False, on=today)
        assert str(hidden.value) == f"宛名番号 {wife} の住民は見つかりません"
        from yakuba.juki.queries import get_resident_row

        with pytest.raises(NotFound) as missing:
            get_resident_row(session, "9999999999")
        assert str(missing.value) == str(hidden.value).replace(wife, "9999999999")


# --------------------------------------------------------------------------------------------- HTTP API


def test_only_juki_shien_manage_may_set_or_release(
    api: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    make_staff("clerk", ["juki_clerk"])
    make_staff("manager", ["juki_manager"])
    clerk, manager = token_for("clerk"), token_for("manager") | PURPOSE
    head, _ = household.atena_nos
    body = {
        "target_kind": "person",
        "target_no": head,
        "process": "certificate",
        "level": "error",
        "reason": "本人からの申出",
        "start_date": "R8.11.25",
    }
    assert api.post("/api/v1/juki/yokushi", json=body, headers=clerk).status_code == 403
    created = api.post("/api/v1/juki/yokushi", json=body, headers=manager)
    assert created.status_code == 201, created.text
    yokushi_id = created.json()["id"]
    assert created.json()["in_force"] is True
    for action in ("release", "temp-release"):
        refused = api.post(f"/api/v1/juki/yokushi/{yokushi_id}/{action}", headers=clerk)
        assert refused.status_code == 403, refused.text
    listed = api.get("/api/v1/juki/yokushi", params={"atena_no": head}, headers=clerk)
    assert listed.status_code == 200, listed.text
    assert [i["id"] for i in listed.json()["items"]] == [yokushi_id]
    temp = api.post(f"/api/v1/juki/yokushi/{yokushi_id}/temp-release", json={"minutes": 10}, headers=manager)
    assert temp.status_code == 200, temp.text
    assert temp.json()["in_force"] is False
    released = api.post(f"/api/v1/juki/yokushi/{yokushi_id}/release", headers=manager)
    assert released.status_code == 200, released.text
    assert released.json()["released_by"] == "manager"
    bad = api.post("/api/v1/juki/yokushi", json=body | {"level": "stop"}, headers=manager)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "抑止のレベル"


def test_a_shien_subject_is_invisible_to_a_clerk_and_the_attempt_is_audited(
    yakuba: Yakuba,
    api: TestClient,
    household: Registered,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    make_staff("clerk", ["juki_clerk"])
    make_staff("manager", ["juki_manager"])
    clerk, manager = token_for("clerk"), token_for("manager") | PURPOSE
    _, wife = household.atena_nos
    applied = api.post(
        "/api/v1/juki/shien",
        json={"atena_no": wife, "start": "R8.11.25", "kagaisha": [{"name": "加害 者"}]},
        headers=manager,
    )
    assert applied.status_code == 201, applied.text
    assert applied.json()["end_date"] == "2027-11-24"
    assert applied.json()["period"] == "令和8年11月25日〜令和9年11月24日"
    assert (
        api.post(
            "/api/v1/juki/shien", json={"atena_no": wife, "start": "R8.11.25"}, headers=clerk
        ).status_code
        == 403
    )
    assert api.get("/api/v1/juki/shien", headers=clerk).status_code == 403

    hidden = api.get("/api/v1/juki/yokushi", params={"atena_no": wife}, headers=clerk)
    missing = api.get("/api/v1/juki/yokushi", params={"atena_no": "9999999999"}, headers=clerk)
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.json() == {"detail": f"宛名番号 {wife} の住民は見つかりません"}
    assert missing.json() == {"detail": "宛名番号 9999999999 の住民は見つかりません"}
    assert api.get("/api/v1/juki/yokushi", params={"atena_no": wife}, headers=manager).status_code == 200

    listed = api.get("/api/v1/juki/shien", headers=manager)
    assert listed.status_code == 200, listed.text
    assert [i["atena_no"] for i in listed.json()["items"]] == [wife]
    assert listed.json()["items"][0]["kagaisha"][0]["name"] == "加害 者"

    with yakuba.uow() as uow:
        entries = uow.session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
        flagged = [(e.login, e.operation, e.result, e.subjects) for e in entries if e.shien_subject]
    assert flagged == [
        ("manager", "POST /api/v1/juki/shien", "success", [wife]),
        ("clerk", "GET /api/v1/juki/yokushi", "failure", [wife]),
        ("manager", "GET /api/v1/juki/yokushi", "success", [wife]),
        ("manager", "GET /api/v1/juki/shien", "success", [wife]),
    ]
