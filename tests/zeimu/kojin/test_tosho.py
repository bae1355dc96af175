"""当初課税: all taxpayers on the 台帳 on 1 January assessed in one run, restartable, reconciled.

地方税法第294条 (住所を有する者 on the 賦課期日 1 January); amounts from the 令和8年度 scenario
「給与のみ・配偶者と子2人」 (scenarios/r8.yaml): 年税額 172,500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.api.conftest import StaffAccount
from yakuba.bootstrap import Yakuba
from yakuba.config import Settings
from yakuba.events import OutboxEntry
from yakuba.juki.public import AddressInput, PersonInput, register_household
from yakuba.uow import Actor
from yakuba.zeimu.kojin.commands.shiryo import record_shiryo
from yakuba.zeimu.kojin.commands.tosho import run_tosho
from yakuba.zeimu.kojin.public import KojinSettings, TaxpayerInput, simulate
from yakuba.zeimu.models import KazeiRireki

BATCH = Actor(login="zeimu-batch", terminal="batch")
FAMILY = TaxpayerInput.model_validate(
    {
        "kyuyo_shunyu": 5_000_000,
        "age": 42,
        "shakai_hokenryo": 720_000,
        "spouse": {"gokei_shotoku": 0, "age": 40},
        "dependants": [{"age": 10}, {"age": 17}],
    }
)
PENSIONER = TaxpayerInput.model_validate({"nenkin_shunyu": 1_500_000, "age": 72})


def _move_in(yakuba: Yakuba, shi: str, on: dt.date) -> str:
    with yakuba.uow() as uow:
        registered = register_household(
            uow,
            jiyu_code="A01",
            persons=[
                PersonInput(
                    shi=shi,
                    mei="一",
                    shi_kana="ゼイ",
                    mei_kana="イチ",
                    birth_date=dt.date(1980, 1, 1),
                    sex="1",
                    zokugara="世帯主",
                    honseki="なし",
                )
            ],
            address=AddressInput(choaza_code="0010001", choaza_name="松町", banchi="3番地"),
            ido_date=on,
            todoke_date=on,
            prev_address="大阪府大阪市北区梅田1丁目1番",
            today=on,
        )
        uow.commit()
    return registered.atena_nos[0]


@pytest.fixture
def town(yakuba: Yakuba) -> dict[str, str]:
    people = {
        "family": _move_in(yakuba, "家族", dt.date(2025, 6, 1)),
        "pensioner": _move_in(yakuba, "年金", dt.date(2025, 6, 1)),
        "no_shiryo": _move_in(yakuba, "資料", dt.date(2025, 6, 1)),
        "late": _move_in(yakuba, "転入", dt.date(2026, 4, 1)),  # after the 賦課期日
    }
    with yakuba.uow(BATCH) as uow:
        record_shiryo(uow, nendo=2026, atena_no=people["family"], source="kyuyo", taxpayer=FAMILY)
        record_shiryo(uow, nendo=2026, atena_no=people["pensioner"], source="nenkin", taxpayer=PENSIONER)
        record_shiryo(uow, nendo=2026, atena_no=people["late"], source="shinkoku", taxpayer=FAMILY)
        uow.commit()
    return people


def _ledger(yakuba: Yakuba) -> dict[str, KazeiRireki]:
    with yakuba.uow() as uow:
        rows = uow.session.scalars(select(KazeiRireki)).all()
        uow.session.expunge_all()
    return {r.atena_no: r for r in rows}


def test_the_run_assesses_who_was_resident_on_1_january_and_reconciles(
    yakuba: Yakuba, town: dict[str, str]
) -> None:
    report = run_tosho(yakuba.uow, nendo=2026, actor=BATCH)
    pension = simulate(PENSIONER, nendo=2026, settings=KojinSettings.for_nendo(2026))
    assert report.fuka_kijitsu == dt.date(2026, 1, 1)
    assert (report.residents, report.assessed, report.skipped_already_assessed) == (3, 2, 0)
    assert report.no_shiryo == [town["no_shiryo"]]
    assert report.not_resident == [town["late"]]
    assert report.by_choshu == {"futsu": 1, "tokubetsu": 1}
    assert report.totals["nenzei"] == 172_500 + pension.nenzei
    ledger = _ledger(yakuba)
    assert set(ledger) == {town["family"], town["pensioner"]}
    family = ledger[town["family"]]
    assert (family.kubun, family.rireki_no, family.nenzei, family.operator) == (
        "tosho",
        1,
        172_500,
        "zeimu-batch",
    )
    # a 給与支払報告書 means the employer collects: 12 months from June (地方税法第321条の5)
    assert family.details["schedule"]["amounts"] == [15_200] + [14_300] * 11
    assert ledger[town["pensioner"]].details["schedule"]["periods"][0] == "第1期"
    with yakuba.uow() as uow:
        events = uow.session.scalar(
            select(func.count())
            .select_from(OutboxEntry)
            .where(OutboxEntry.event_type == "zeimu.kazei_kettei")
        )
    assert events == 2


def test_a_second_run_assesses_nobody_twice(yakuba: Yakuba, town: dict[str, str]) -> None:
    run_tosho(yakuba.uow, nendo=2026, actor=BATCH)
    again = run_tosho(yakuba.uow, nendo=2026, actor=BATCH)
    assert (again.assessed, again.skipped_already_assessed) == (0, 2)
    assert len(_ledger(yakuba)) == 2


def test_a_run_that_crashed_continues_where_it_stopped(yakuba: Yakuba, town: dict[str, str]) -> None:
    def crash(done: int, total: int) -> None:
        raise RuntimeError("停電")

    with pytest.raises(RuntimeError):
        run_tosho(yakuba.uow, nendo=2026, actor=BATCH, chunk=1, progress=crash)
    assert len(_ledger(yakuba)) == 1  # the first chunk was committed before the crash
    resumed = run_tosho(yakuba.uow, nendo=2026, actor=BATCH, chunk=1)
    assert (resumed.assessed, resumed.skipped_already_assessed) == (1, 1)
    assert len(_ledger(yakuba)) == 2


def test_the_command_runs_the_batch_and_prints_the_reconciliation(
    yakuba: Yakuba, town: dict[str, str], settings: Settings
) -> None:
    from typer.testing import CliRunner

    from yakuba.cli import _register_admin, app

    _register_admin()
    env = {"YAKUBA_DATABASE_URL": settings.resolved_database_url, "YAKUBA_DATA_DIR": str(settings.data_dir)}
    result = CliRunner().invoke(app, ["zeimu", "tosho", "--nendo", "2026"], env=env)
    assert result.exit_code == 0, result.output
    assert "2026年度 当初課税（賦課期日 2026-01-01）" in result.output
    assert "課税 2 人、既に課税済み 0 人" in result.output
    assert "うち課税資料なし 1 人" in result.output
    assert len(_ledger(yakuba)) == 2


def test_the_api_runs_the_batch_for_a_zeimu_clerk(
    yakuba: Yakuba,
    town: dict[str, str],
    client: TestClient,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    make_staff("zeimu-tanto", ["zeimu_clerk"])
    response = client.post(
        "/api/v1/zeimu/kojin/batch/tosho", json={"nendo": 2026}, headers=token_for("zeimu-tanto")
    )
    assert response.status_code == 200, response.text
    assert (response.json()["assessed"], response.json()["no_shiryo"]) == (2, 1)
    assert _ledger(yakuba)[town["family"]].operator == "zeimu-tanto"
    make_staff("madoguchi", ["juki_clerk"])
    refused = client.post(
        "/api/v1/zeimu/kojin/batch/tosho", json={"nendo": 2026}, headers=token_for("madoguchi")
    )
    assert refused.status_code == 403
