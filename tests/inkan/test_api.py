"""印鑑登録 through the HTTP API, as the counter screen will use it: permissions, audit, 422/428/404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.api.conftest import StaffAccount
from tests.inkan.conftest import b64, household, seal_png
from tests.juki.conftest import person
from yakuba.app import create_app
from yakuba.audit.models import AuditEntry
from yakuba.bootstrap import Yakuba
from yakuba.inkan.api import router
from yakuba.juki.yokushi import apply_shien

Run = Callable[..., Any]


@pytest.fixture
def client(yakuba: Yakuba, clock: Callable[[dt.datetime], None]) -> Iterator[TestClient]:
    app = create_app(container=yakuba)
    app.include_router(router)
    with TestClient(app, base_url="https://testserver", client=("127.0.0.1", 50000)) as c:
        yield c


@pytest.fixture
def clerk(
    make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> dict[str, str]:
    make_staff("inkan-clerk", ["inkan_clerk"])
    return token_for("inkan-clerk")


def _body(atena_no: str, **kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "atena_no": atena_no,
        "inei_png_base64": b64(seal_png()),
        "inbun": "青木",
        "represents": "shi",
        "name_confirmed": True,
        "mokushi_kakunin": True,
        "kakunin_hoho": "photo_id",
        "kakunin_document": "mynumber_card",
    }
    body.update(kw)
    return body


def _audit(yakuba: Yakuba, operation: str) -> list[tuple[list[str], str, bool]]:
    """(subjects, result, shien_subject) of the audit entries of one route, oldest first."""
    with yakuba.uow() as uow:
        rows = uow.session.execute(
            select(AuditEntry).where(AuditEntry.operation == operation).order_by(AuditEntry.seq)
        ).scalars()
        return [(list(r.subjects), r.result, r.shien_subject) for r in rows]


def test_register_look_up_and_issue_over_http(
    client: TestClient, clerk: dict[str, str], run: Run, yakuba: Yakuba
) -> None:
    atena = household(run, person(), on=dt.date(2026, 3, 2)).atena_nos[0]
    created = client.post("/api/v1/inkan/applications", json=_body(atena), headers=clerk)
    assert created.status_code == 201, created.text
    out = created.json()
    assert out["status"] == "toroku" and out["card_no"] and out["fee"] == 300
    assert created.headers["X-Yakuba-Classification"].startswith("C=3B")

    listed = client.get(f"/api/v1/inkan/persons/{atena}", headers=clerk).json()
    assert [i["status"] for i in listed["items"]] == ["toroku"]
    assert listed["items"][0]["cards"][0]["card_no"] == out["card_no"]
    assert "inei_enc" not in listed["items"][0]

    detail = client.get(f"/api/v1/inkan/registrations/{out['toroku_id']}", headers=clerk).json()
    assert [e["kind"] for e in detail["events"]] == ["shinsei", "shimei_kakunin", "toroku", "card_kofu"]

    image = client.get(f"/api/v1/inkan/registrations/{out['toroku_id']}/inei", headers=clerk)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG") and image.headers["X-Yakuba-Classification"].startswith(
        "C=3B"
    )

    pdf = client.post("/api/v1/inkan/certificates", json={"card_no": out["card_no"]}, headers=clerk)
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf.headers["X-Yakuba-Fee"] == "300" and pdf.headers["X-Yakuba-Issuance-Id"]

    for operation in (
        "POST /api/v1/inkan/applications",
        "GET /api/v1/inkan/registrations/{toroku_id}/inei",
        "POST /api/v1/inkan/certificates",
    ):
        entries = _audit(yakuba, operation)
        assert entries and entries[-1][:2] == ([atena], "success"), operation


def test_a_small_seal_answers_422_naming_the_field(
    client: TestClient, clerk: dict[str, str], run: Run
) -> None:
    atena = household(run, person(), on=dt.date(2026, 3, 2)).atena_nos[0]
    answer = client.post(
        "/api/v1/inkan/applications", json=_body(atena, inei_png_base64=b64(seal_png(mm=7))), headers=clerk
    )
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["field"] == "印影" and "8ミリメートルの正方形に収まる" in error["message"]


def test_a_mismatching_inbun_answers_428_then_goes_through(
    client: TestClient, clerk: dict[str, str], run: Run
) -> None:
    atena = household(run, person(), on=dt.date(2026, 3, 2)).atena_nos[0]
    first = client.post("/api/v1/inkan/applications", json=_body(atena, inbun="靑木"), headers=clerk)
    assert first.status_code == 428 and "一致しません" in first.json()["alerts"][0]
    again = client.post(
        "/api/v1/inkan/applications", json=_body(atena, inbun="靑木", confirm_alerts=True), headers=clerk
    )
    assert again.status_code == 201


def test_shokaisho_then_a_late_kaito_over_http(
    client: TestClient,
    clerk: dict[str, str],
    run: Run,
    clock: Callable[[dt.datetime], None],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    atena = household(run, person(), on=dt.date(2026, 3, 2)).atena_nos[0]
    out = client.post(
        "/api/v1/inkan/applications", json=_body(atena, kakunin_hoho="shokaisho"), headers=clerk
    ).json()
    assert out["status"] == "shokai" and out["kaito_deadline"] == "2026-12-15"  # 11-25 + 20 days
    clock(dt.datetime(2026, 12, 16, 1, 0, tzinfo=dt.UTC))  # a Wednesday, 10:00 in Japan
    fresh = token_for("inkan-clerk")  # tokens last an hour
    late = client.post(f"/api/v1/inkan/applications/{out['toroku_id']}/kaito", json={}, headers=fresh)
    assert late.status_code == 200 and late.json()["status"] == "futoroku"


def test_other_roles_are_refused_and_shien_subjects_are_invisible(
    client: TestClient,
    clerk: dict[str, str],
    run: Run,
    yakuba: Yakuba,
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    atena = household(run, person(), on=dt.date(2026, 3, 2)).atena_nos[0]
    make_staff("juki-clerk", ["juki_clerk"])
    refused = client.get(f"/api/v1/inkan/persons/{atena}", headers=token_for("juki-clerk"))
    assert refused.status_code == 403
    with yakuba.uow() as uow:
        apply_shien(uow, atena_no=atena, start=dt.date(2026, 4, 1))
        uow.commit()
    hidden = client.get(f"/api/v1/inkan/persons/{atena}", headers=clerk)
    assert hidden.status_code == 404 and "見つかりません" in hidden.json()["detail"]
    subjects, result, shien = _audit(yakuba, "GET /api/v1/inkan/persons/{atena_no}")[-1]
    assert (subjects, result, shien) == ([atena], "failure", True)
