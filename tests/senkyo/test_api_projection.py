"""The HTTP API (permissions, audit, files) and the projection's rebuild from its own event log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from yakuba.app import create_app
from yakuba.audit.models import AuditEntry
from yakuba.bootstrap import Yakuba
from yakuba.juki import service as juki
from yakuba.security.auth import check_route_declarations

from ..api.conftest import StaffAccount, clock, make_staff, token_for
from .conftest import MATSU_1, UME_3, dates, person

__all__ = ["clock", "make_staff", "token_for"]  # fixtures shared with tests/api

D = dt.date
API = "/api/v1/senkyo"


@pytest.fixture
def api(yakuba: Yakuba, clock: Callable[[dt.datetime], None], sk: SimpleNamespace) -> Iterator[TestClient]:
    app = create_app(container=yakuba)
    app.include_router(sk.api.router)
    check_route_declarations(app.routes)  # every senkyo route declares its permission
    with TestClient(app, base_url="https://testserver", client=("127.0.0.1", 50000)) as c:
        yield c


@pytest.fixture
def staff(
    make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> dict[str, str]:
    make_staff("senkan", ["senkyo_staff"])
    return token_for("senkan")


def test_teiji_through_the_api(
    api: TestClient, staff: dict[str, str], tennyu: Callable[..., str], yakuba: Yakuba
) -> None:
    voter = tennyu(person("API", "一郎"), ido=D(2026, 5, 1))
    master = {
        "effective_from": "2020-01-01",
        "districts": [{"code": "01", "name": "第1投票区", "tohyosho_name": "松町公民館"}],
        "rules": [{"choaza_code": "0010001", "tohyoku_code": "01"}],
    }
    assert api.post(f"{API}/tohyoku/masters", json=master, headers=staff).status_code == 200
    plan = api.get(f"{API}/teiji/2026/9", headers=staff).json()
    assert plan["kijun_date"] == plan["toroku_date"] == "2026-09-01"
    trial = api.post(f"{API}/runs/teiji", json={"year": 2026, "month": 9, "mode": "trial"}, headers=staff)
    assert trial.status_code == 200, trial.text
    assert [i["atena_no"] for i in trial.json()["lists"]["shinki"]] == [voter]
    real = api.post(
        f"{API}/runs/teiji", json={"year": 2026, "month": 9, "mode": "real"}, headers=staff
    ).json()
    again = api.post(
        f"{API}/runs/teiji", json={"year": 2026, "month": 9, "mode": "real"}, headers=staff
    ).json()
    assert (real["reused"], again["reused"], again["run_id"]) == (False, True, real["run_id"])
    got = api.get(f"{API}/meibo/{voter}", headers=staff)
    assert got.json()["current"]["status"] == "toroku" and got.json()["current"]["tohyoku_code"] == "01"
    assert got.json()["current"]["voting"]["kuni"]["result"] == "yes"
    assert got.headers["X-Yakuba-Classification"].startswith("C=3B")
    counts = api.get(f"{API}/counts", params={"on": "R8.9.1"}, headers=staff).json()
    assert counts["totals"]["total"] == 1
    pdf = api.get(f"{API}/shohon/01", params={"on": "2026-09-01"}, headers=staff)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    daily = api.post(f"{API}/batch/daily", json={"dry_run": True}, headers=staff)
    assert daily.status_code == 200 and daily.json()["actions"] == []
    with yakuba.uow() as uow:
        audited = uow.session.execute(
            select(AuditEntry).where(AuditEntry.operation.like("GET /api/v1/senkyo/meibo/%"))
        )
        assert any(voter in (e.subjects or []) for e in audited.scalars())


def test_other_roles_are_refused(
    api: TestClient, make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> None:
    make_staff("clerk", ["juki_clerk"])
    assert api.get(f"{API}/counts", headers=token_for("clerk")).status_code == 403
    assert api.get(f"{API}/counts").status_code == 401


def test_input_errors_are_japanese(api: TestClient, staff: dict[str, str]) -> None:
    body = {
        "purpose": "eigyo",
        "applicant_kind": "hojin",
        "applicant_name": "営業株式会社",
        "applicant_address": "東京都",
        "representative": "社長",
        "purpose_detail": "ダイレクトメール",
        "viewers": ["社員"],
    }
    response = api.post(f"{API}/etsuran", json=body, headers=staff)
    assert response.status_code == 422
    assert "のためにだけ" in response.json()["errors"][0]["message"]
    month = api.post(f"{API}/runs/teiji", json={"year": 2026, "month": 4, "mode": "trial"}, headers=staff)
    assert month.status_code == 422 and "登録月" in month.text


def test_projection_rebuilds_from_its_log(
    tennyu: Callable[..., str], run: Callable[..., Any], yakuba: Yakuba, sk: SimpleNamespace
) -> None:
    a = tennyu(person("再", "構築"), ido=D(2026, 1, 5))
    b = tennyu(person("再", "構築二", sex="2"), ido=D(2026, 1, 5), address=UME_3)
    run(
        juki.tenkyo,
        juki.Tenkyo(atena_nos=[a], address=UME_3, dates=dates(D(2026, 2, 1))),
        today=D(2026, 2, 1),
    )
    run(
        juki.tenshutsu,
        juki.Tenshutsu(atena_nos=[b], destination="国外", kokugai=True, dates=dates(D(2026, 3, 1))),
        today=D(2026, 3, 1),
    )
    run(
        juki.tenkyo,
        juki.Tenkyo(atena_nos=[a], address=MATSU_1, dates=dates(D(2026, 4, 1))),
        today=D(2026, 4, 1),
    )

    def snapshot() -> dict[str, tuple[Any, ...]]:
        with yakuba.uow() as uow:
            rows = uow.session.execute(select(sk.models.Jumin)).scalars()
            return {
                r.atena_no: tuple(getattr(r, c.key) for c in r.__table__.columns if c.key != "last_log_id")
                for r in rows
            }

    before = snapshot()
    with yakuba.uow() as uow:
        assert sk.projection.rebuild(uow.session) >= 5
        uow.commit()
    assert snapshot() == before
    assert before[b][sk.models.Jumin.__table__.columns.keys().index("tenshutsu_kokugai")] is True
