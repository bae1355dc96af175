"""Every refusal is a 4xx in the Japanese envelope that names the field, and the document says so (issue 24).

The cases are the ones schemathesis found against a demo server (`.ci/fuzz` runs it per role in CI):
an empty ``?subject=`` answered 500, a body that is not JSON answered an English 400, and the OpenAPI
document described 422 as FastAPI's list-shaped ``HTTPValidationError`` that yakuba never sends.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, StaffAccount


@pytest.fixture
def auditor(
    make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> dict[str, str]:
    make_staff("kansa", ["auditor"])
    return token_for("kansa")


def test_an_empty_subject_filter_is_no_filter(client: TestClient, auditor: dict[str, str]) -> None:
    everything = client.get("/api/v1/audit/entries", headers=auditor)
    empty = client.get("/api/v1/audit/entries?subject=", headers=auditor)
    assert empty.status_code == 200, empty.text
    assert empty.json()["count"] >= 1  # at least the token issue is logged
    assert [e["seq"] for e in empty.json()["items"]][1:] == [e["seq"] for e in everything.json()["items"]]


@pytest.mark.parametrize("subject", ['0"', "0\\", "0\x01"])
def test_a_subject_that_cannot_be_an_atena_no_is_a_422_naming_the_field(
    client: TestClient, auditor: dict[str, str], subject: str
) -> None:
    response = client.get("/api/v1/audit/entries", params={"subject": subject}, headers=auditor)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["対象者の宛名番号"]


def test_an_unknown_category_is_refused_by_the_declared_enumeration(
    client: TestClient, auditor: dict[str, str]
) -> None:
    response = client.get("/api/v1/audit/entries", params={"category": "bogus"}, headers=auditor)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "種別"


def test_a_body_that_is_not_utf8_is_a_japanese_400(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login", content=b"\xc3\x28", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "リクエストの本文を読み取れません（JSON の形式を確認してください）。"
    }


def test_a_body_that_is_not_json_is_a_422_naming_the_body(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "本文", "message": "本文: JSON の形式が正しくありません"}]


def test_the_document_describes_the_envelope_on_every_operation(
    client: TestClient, auditor: dict[str, str]
) -> None:
    spec = client.get("/openapi.json", headers=auditor).json()
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert schemas["ErrorEnvelope"]["required"] == ["detail"]
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    operations = [(p, m, op) for p, item in spec["paths"].items() for m, op in item.items()]
    assert len(operations) > 90
    for path, method, op in operations:
        for status in ("401", "403", "422"):
            assert op["responses"][status]["content"]["application/json"]["schema"] == envelope, (
                method,
                path,
                status,
            )
    review = spec["paths"]["/api/v1/audit/reviews/{kind}"]["get"]["parameters"][0]["schema"]
    assert review["enum"] == ["night-holiday", "failed-logins", "mass-searches", "shien"]


@pytest.fixture
def staff(
    make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> Callable[[str], dict[str, str]]:
    """A token for a fresh account of ``role``, with a declared purpose (the policy asks for one)."""

    def token(role: str) -> dict[str, str]:
        login = role.replace("_", "-")
        make_staff(login, [role])
        return token_for(login) | {"X-Yakuba-Purpose": "%E5%8B%95%E4%BD%9C%E7%A2%BA%E8%AA%8D"}

    return token


def test_a_row_number_past_the_database_integer_is_a_422(
    client: TestClient, staff: Callable[[str], dict[str, str]]
) -> None:
    """INTEGER on PostgreSQL is 32-bit: 2**31 cannot name a row, and SQLite overflowed on 2**63 as a 500."""
    auth = staff("inkan_clerk")
    response = client.get(f"/api/v1/inkan/registrations/{2**63}", headers=auth)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "toroku_id"
    assert client.get(f"/api/v1/inkan/registrations/{2**31 - 1}", headers=auth).status_code == 404


def test_a_date_before_the_law_as_data_begins_is_a_422_naming_the_date(
    client: TestClient, staff: Callable[[str], dict[str, str]]
) -> None:
    """No 届出期間 (住民基本台帳法第24条) is in force in the year 69: the caller's date, not a 500."""
    body = {
        "atena_nos": ["000000000000019"],
        "destination": "東京都千代田区",
        "dates": {"ido_date": "0069-02-02", "todoke_date": "0069-02-02"},
    }
    response = client.post("/api/v1/juki/ido/tenshutsu", json=body, headers=staff("juki_manager"))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "日付"
    assert "0069-02-02" in response.json()["errors"][0]["message"]


def test_a_csv_with_a_stray_carriage_return_is_a_422(
    client: TestClient, staff: Callable[[str], dict[str, str]]
) -> None:
    response = client.post(
        "/api/v1/fuhyo/notices/import",
        content=b"a,b\rc\n1,2\n",
        headers=staff("juki_manager") | {"Content-Type": "text/csv"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "ファイル"


def test_the_teiji_calendar_refuses_a_year_outside_its_range(
    client: TestClient, staff: Callable[[str], dict[str, str]]
) -> None:
    auth = staff("senkyo_staff")
    assert client.get("/api/v1/senkyo/teiji/1/1", headers=auth).status_code == 422
    assert client.get("/api/v1/senkyo/teiji/2026/13", headers=auth).status_code == 422


def test_a_nul_character_is_never_a_server_error(
    client: TestClient, staff: Callable[[str], dict[str, str]], database_url: str
) -> None:
    """PostgreSQL refuses NUL in text (psycopg DataError): that is the input's fault, a 422 and no row."""
    body = {
        "login": "nul-test",
        "display_name": "窓口\x00花子",
        "roles": ["juki_clerk"],
        "password": PASSWORD,
    }
    auth = staff("sysadmin")
    response = client.post("/api/v1/admin/users", json=body, headers=auth)
    if database_url.startswith("postgresql"):
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "入力"
        users = client.get("/api/v1/admin/users", headers=auth).json()
        assert "nul-test" not in str(users)
    else:  # SQLite stores the character as given
        assert response.status_code == 201, response.text
