"""The 証明書 API as a clerk (and a stranger holding the paper) would use it."""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from yakuba.app import create_app
from yakuba.audit.models import AuditEntry
from yakuba.bootstrap import Yakuba
from yakuba.juki.service import Registered

from ..api.conftest import StaffAccount

VERIFY = ("/verify/{issuance_id}", "GET")
URL = "/api/v1/juki/certificates"


@pytest.fixture
def api(yakuba: Yakuba, clock: Callable[..., None], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    from yakuba.security import auth
    from yakuba.shomei.api import router

    # Whether or not app.py and security/auth.py already wire them, the routes and the open entry exist here.
    monkeypatch.setattr(auth, "OPEN_ROUTES", auth.OPEN_ROUTES | {VERIFY})
    app = create_app(container=yakuba)
    if VERIFY[0] not in {path for path, _route in auth.iter_api_routes(app.routes)}:
        app.include_router(router)
    auth.check_route_declarations(app.routes)
    with TestClient(app, base_url="https://testserver", client=("127.0.0.1", 50000)) as c:
        yield c


@pytest.fixture
def clerk(
    make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> dict[str, str]:
    make_staff("clerk1", ["juki_clerk"])
    return token_for("clerk1")


def _audit(yakuba: Yakuba, operation: str) -> list[AuditEntry]:
    with yakuba.uow() as uow:
        entries = list(
            uow.session.execute(
                select(AuditEntry).where(AuditEntry.operation == operation).order_by(AuditEntry.seq)
            ).scalars()
        )
        uow.session.expunge_all()  # keep the loaded values after the session closes
        return entries


def test_the_verify_route_must_be_declared_open(yakuba: Yakuba) -> None:
    from yakuba.security import auth
    from yakuba.shomei.api import router

    app = create_app(container=yakuba)
    if VERIFY[0] not in {path for path, _route in auth.iter_api_routes(app.routes)}:
        app.include_router(router)
    if VERIFY in auth.OPEN_ROUTES:  # wired in security/auth.py
        auth.check_route_declarations(app.routes)
    else:
        with pytest.raises(auth.UndeclaredRoute, match="/verify/"):
            auth.check_route_declarations(app.routes)


def test_issue_returns_the_signed_pdf_logs_and_audits_it(
    api: TestClient, yakuba: Yakuba, household: Registered, clerk: dict[str, str]
) -> None:
    from yakuba.forms import Issuance

    response = api.post(URL, json={"setai_no": household.setai_no, "requester_type": "honnin"}, headers=clerk)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    issuance_id = response.headers["X-Issuance-Id"]
    assert response.headers["X-Document-SHA256"] == hashlib.sha256(response.content).hexdigest()
    assert response.headers["X-Fee"] == "300"
    assert response.headers["X-Yakuba-Classification"].startswith("C=3B")
    with yakuba.uow() as uow:
        row = uow.session.execute(select(Issuance).where(Issuance.issuance_id == issuance_id)).scalar_one()
        assert (row.fee, row.issued_by, row.subjects) == (300, "clerk1", household.atena_nos)
    (entry,) = _audit(yakuba, f"POST {URL}")
    assert entry.result == "success" and entry.subjects == household.atena_nos
    assert entry.detail["kind"] == "juminhyo" and entry.detail["issuance_id"] == issuance_id
    assert entry.detail["options"]["requester_type"] == "honnin" and entry.detail["fee"] == 300


def test_refusals_name_the_field_or_the_permission(
    api: TestClient,
    yakuba: Yakuba,
    household: Registered,
    clerk: dict[str, str],
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    head = household.atena_nos[0]
    third = {
        "atena_nos": [head],
        "requester_type": "daisansha",
        "requester_name": "甲",
        "purpose": "契約",
        "include_mynumber": True,
    }
    refused = api.post(URL, json=third, headers=clerk)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["個人番号"]
    mine = {"atena_nos": [head], "requester_type": "honnin", "include_mynumber": True, "layout": "kojin"}
    assert api.post(URL, json=mine, headers=clerk).status_code == 403  # a clerk may not print 個人番号
    make_staff("boss", ["juki_manager"])
    purpose = {"X-Yakuba-Purpose": urllib.parse.quote("本人からの請求（住民票の写し）")}
    allowed = api.post(URL, json=mine, headers={**token_for("boss"), **purpose})
    assert allowed.status_code == 200, allowed.text
    assert allowed.headers["X-Yakuba-Classification"].startswith("C=3A")
    assert _audit(yakuba, f"POST {URL}")[-1].mynumber_revealed is True
    assert api.post(URL, json={"setai_no": household.setai_no, "requester_type": "honnin"}).status_code == 401


def test_preview_is_not_issued_and_not_verifiable(
    api: TestClient, yakuba: Yakuba, household: Registered, clerk: dict[str, str]
) -> None:
    from yakuba.forms import Issuance

    response = api.post(
        f"{URL}/preview", json={"setai_no": household.setai_no, "requester_type": "honnin"}, headers=clerk
    )
    assert response.status_code == 200 and response.headers["X-Preview"] == "1"
    assert "X-Issuance-Id" not in response.headers and b"/ByteRange" not in response.content
    with yakuba.uow() as uow:
        assert uow.session.execute(select(Issuance)).scalars().all() == []
    assert _audit(yakuba, f"POST {URL}/preview")[0].detail["preview"] is True


def test_issuance_log_search(
    api: TestClient,
    household: Registered,
    clerk: dict[str, str],
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    head, wife = household.atena_nos
    for atena_no in (head, wife, head):
        body = {"atena_nos": [atena_no], "requester_type": "honnin", "layout": "kojin"}
        assert api.post(URL, json=body, headers=clerk).status_code == 200
    found = api.get(f"{URL}/issuances", params={"atena_no": head}, headers=clerk)
    assert found.status_code == 200, found.text
    items = found.json()["items"]
    assert len(items) == 2 and all(i["subjects"] == [head] for i in items)
    assert items[0]["hakko_bango"] == "20261125 やくば町 本庁1 プリンタ001 003"
    assert api.get(f"{URL}/issuances", params={"date_from": "R8.11.26"}, headers=clerk).json()["count"] == 0
    make_staff("inkan1", ["inkan_clerk"])
    assert api.get(f"{URL}/issuances", headers=token_for("inkan1")).status_code == 403


def test_verify_answers_without_login_and_without_personal_data(
    api: TestClient, yakuba: Yakuba, household: Registered, clerk: dict[str, str]
) -> None:
    from yakuba.forms import Issuance

    issued = api.post(URL, json={"setai_no": household.setai_no, "requester_type": "honnin"}, headers=clerk)
    issuance_id = issued.headers["X-Issuance-Id"]
    with yakuba.uow() as uow:
        code = uow.session.execute(
            select(Issuance.verification_code).where(Issuance.issuance_id == issuance_id)
        ).scalar_one()
    answer = api.get(f"/verify/{issuance_id}", params={"code": code.lower()})  # no Authorization header
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    assert body["issued"] is True and body["code_valid"] is True
    assert body["municipality"] == {"code": "131016", "name": "やくば町"}
    assert body["sha256"] == hashlib.sha256(issued.content).hexdigest()
    assert body["kind"] == "住民票の写し" and body["issued_at"].startswith("2026-11-25T10:00")
    raw = answer.text
    for personal in (
        *household.atena_nos,
        household.setai_no,
        "青木",
        "アオキ",
        "松町",
        "昭和",
        "983205673214",
    ):
        assert personal not in raw, personal
    assert set(body) == {
        "issuance_id",
        "issued",
        "status",
        "kind",
        "issued_at",
        "municipality",
        "pages",
        "sha256",
        "code_valid",
    }
    assert api.get(f"/verify/{issuance_id}", params={"code": "AAAA-AAAA"}).json()["code_valid"] is False
    missing = api.get("/verify/not-an-issued-id")
    assert missing.status_code == 404 and missing.json()["issued"] is False
    assert _audit(yakuba, "GET /verify/{issuance_id}") == []  # nothing personal to audit
