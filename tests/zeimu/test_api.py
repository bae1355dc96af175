"""課税台帳 API: a 税務担当 reads an assessment as of a day and withdraws one; others are refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import StaffAccount
from yakuba.bootstrap import Yakuba
from yakuba.uow import Actor
from yakuba.zeimu.commands.kazei import record_assessment

ATENA = "000000000000019"
URL = f"/api/v1/zeimu/kazei/kojin/2026/{ATENA}"


@pytest.fixture
def zeimu(
    make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> dict[str, str]:
    make_staff("zeimu-tanto", ["zeimu_clerk"])
    return token_for("zeimu-tanto")


@pytest.fixture
def assessed(yakuba: Yakuba) -> None:
    with yakuba.uow(Actor(login="batch")) as uow:
        record_assessment(
            uow, zeimoku="kojin", nendo=2026, atena_no=ATENA, kubun="tosho", nenzei=123_400,
            details={"shotokuwari_shi": 70_000}, effective_date=dt.date(2026, 6, 1),
        )  # fmt: skip
        uow.commit()


def test_a_clerk_reads_the_assessment_and_its_history(
    client: TestClient, zeimu: dict[str, str], assessed: None
) -> None:
    response = client.get(URL, headers=zeimu)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["in_force"]["nenzei"] == 123_400
    assert [h["kubun"] for h in body["history"]] == ["tosho"]
    assert response.headers["X-Yakuba-Classification"]


def test_a_withdrawal_is_appended_and_the_past_is_still_readable(
    client: TestClient, zeimu: dict[str, str], assessed: None
) -> None:
    done = client.post(f"{URL}/torikeshi", json={"reason": "賦課期日に住所なし"}, headers=zeimu)
    assert done.status_code == 200, done.text
    assert (done.json()["kubun"], done.json()["nenzei"], done.json()["rireki_no"]) == ("torikeshi", 0, 2)
    now = client.get(URL, headers=zeimu).json()
    assert now["in_force"]["kubun"] == "torikeshi"
    past = client.get(URL, params={"as_of": "R8.6.30"}, headers=zeimu).json()
    assert past["in_force"]["nenzei"] == 123_400


def test_a_withdrawal_without_a_reason_is_a_422_naming_the_field(
    client: TestClient, zeimu: dict[str, str], assessed: None
) -> None:
    response = client.post(f"{URL}/torikeshi", json={"reason": ""}, headers=zeimu)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"


def test_a_juki_clerk_may_not_read_tax(
    client: TestClient, make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]],
    assessed: None,
) -> None:  # fmt: skip
    make_staff("madoguchi", ["juki_clerk"])
    assert client.get(URL, headers=token_for("madoguchi")).status_code == 403


def test_an_unknown_assessment_is_a_404(client: TestClient, zeimu: dict[str, str]) -> None:
    response = client.get("/api/v1/zeimu/kazei/kojin/2026/999999999999999", headers=zeimu)
    assert response.status_code == 404
    assert "課税はありません" in response.json()["detail"]
