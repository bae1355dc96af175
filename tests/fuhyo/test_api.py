"""Smoke tests of ``/api/v1/fuhyo`` through HTTP, as a clerk with role ``juki_manager`` (which holds
``fuhyo.read`` / ``fuhyo.write`` in security.roles). Until the lead adds the router to ``app.py`` the test
includes it on the app it builds; ``check_route_declarations`` is run on the result the same way.
"""

from __future__ import annotations

import datetime as dt
import io
import urllib.parse

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import OFFICE_HOURS_NOW, clock, make_staff, token_for  # noqa: F401
from tests.fuhyo.conftest import LOCAL_HITTOSHA, LOCAL_HONSEKI, local_person, new_setai
from yakuba.app import create_app
from yakuba.security.auth import check_route_declarations

CSV = (
    "通知元団体コード,異動区分,異動日,本籍,筆頭者,氏,名,生年月日,性別,住所,住所を定めた年月日\r\n"
    f"271004,転入,2026-05-01,{LOCAL_HONSEKI},{LOCAL_HITTOSHA},青木,次郎,2001-02-03,1,"
    "大阪府大阪市北区梅田1丁目1番,2026-05-01\r\n"
)


@pytest.fixture
def api(yakuba, fh, clock, make_staff, token_for):  # noqa: F811
    from yakuba.fuhyo.api import router

    app = create_app(container=yakuba)
    if not any(getattr(r, "path", "").startswith("/api/v1/fuhyo") for r in app.routes):
        app.include_router(router)
    assert check_route_declarations(app.routes) is not None
    make_staff("manager1", ["juki_manager"])
    with TestClient(app, base_url="https://testserver", client=("127.0.0.1", 50000)) as client:
        client.headers.update(token_for("manager1"))
        client.headers["X-Yakuba-Purpose"] = urllib.parse.quote("附票事務")
        yield client


def test_routes_read_import_and_issue(api, run) -> None:
    new_setai(run, local_person(jumin_code="12345678901"))
    found = api.get("/api/v1/fuhyo/fuhyo", params={"honseki": "東京都やくば町"})
    assert found.status_code == 200, found.text
    [item] = found.json()["items"]
    assert item["persons"] == 1 and item["joshohyo"] is False
    assert found.headers["X-Yakuba-Classification"].startswith("C=3B")

    imported = api.post(
        "/api/v1/fuhyo/notices/import", content=CSV.encode(), headers={"Content-Type": "text/csv"}
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["applied"] == 1

    detail = api.get(f"/api/v1/fuhyo/fuhyo/{item['id']}")
    assert detail.status_code == 200, detail.text
    persons = detail.json()["persons"]
    assert [p["current"]["mei"] for p in persons] == ["太郎", "次郎"]

    notices = api.get("/api/v1/fuhyo/notices", params={"direction": "in"})
    assert [n["channel"] for n in notices.json()["items"]] == ["csv", "juki"]

    pdf = api.post(f"/api/v1/fuhyo/fuhyo/{item['id']}/utsushi", json={"persons": [1]})
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf" and pdf.headers["X-Fee"] == "300"
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert LOCAL_HONSEKI not in text and "青木　太郎" in text


def test_posted_notice_and_refusal(api) -> None:
    body = {
        "from_lg_code": "271004",
        "kind": "kisai",
        "effective_date": "2026-05-01",
        "honseki": LOCAL_HONSEKI,
        "hittosha": LOCAL_HITTOSHA,
        "items": {"shi": "青木", "mei": "三郎", "address": "大阪府大阪市北区梅田1丁目1番"},
    }
    ok = api.post("/api/v1/fuhyo/notices", json=body)
    assert ok.status_code == 201, ok.text
    assert ok.json()["person_no"] == 1
    wrong = api.post("/api/v1/fuhyo/notices", json={**body, "honseki": "北海道札幌市中央区1番"})
    assert wrong.status_code == 422 and "本籍" in wrong.text


def test_zaigai_route(api, run) -> None:
    new_setai(run, local_person(jumin_code="12345678901"))
    answer = api.post(
        "/api/v1/fuhyo/zaigai",
        json={
            "honseki": LOCAL_HONSEKI,
            "hittosha": LOCAL_HITTOSHA,
            "jumin_code": "12345678901",
            "shi": "青木",
            "birth_date": "1980-05-01",
            "registered": True,
            "senkyo_municipality": "やくば町",
            "on": dt.date(2026, 10, 1).isoformat(),
        },
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["direction"] == "in"


def test_clerk_without_fuhyo_permission_is_refused(yakuba, fh, clock, make_staff, token_for) -> None:  # noqa: F811
    from yakuba.fuhyo.api import router

    app = create_app(container=yakuba)
    if not any(getattr(r, "path", "").startswith("/api/v1/fuhyo") for r in app.routes):
        app.include_router(router)
    make_staff("inkan1", ["inkan_clerk"])
    with TestClient(app, base_url="https://testserver", client=("127.0.0.1", 50000)) as client:
        answer = client.get("/api/v1/fuhyo/notices", headers=token_for("inkan1"))
    assert answer.status_code == 403
