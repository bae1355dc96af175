"""The application starts, answers its health check and publishes its OpenAPI description to staff."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from .conftest import StaffAccount


def test_healthz_is_open(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_openapi_and_docs_are_served_to_staff_without_any_cdn(
    client: TestClient, make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> None:
    make_staff("clerk", ["juki_clerk"])
    auth = token_for("clerk")
    spec = client.get("/openapi.json", headers=auth).json()
    assert spec["info"]["title"] == "yakuba"
    assert "/api/v1/juki/residents/{atena_no}" in spec["paths"]
    docs = client.get("/docs", headers=auth)
    assert docs.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
