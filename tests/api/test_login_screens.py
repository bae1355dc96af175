"""The login screens a clerk uses in the browser: password, QR enrolment, then the menu."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from .conftest import OFFICE_HOURS_NOW, StaffAccount


def test_first_login_in_the_browser_shows_the_qr_code_then_the_menu(
    client: TestClient, make_staff: Callable[..., StaffAccount]
) -> None:
    clerk = make_staff("clerk", ["juki_clerk"])
    html = {"Accept": "text/html"}
    start = client.get("/", headers=html, follow_redirects=False)
    assert start.status_code == 303 and start.headers["location"] == "/login"
    assert "ログインID" in client.get("/login").text
    wrong = client.post("/login", data={"login": "clerk", "password": "nope"})
    assert wrong.status_code == 401
    assert "ログインIDまたはパスワード・確認コードが正しくありません" in wrong.text
    enrol = client.post("/login", data={"login": "clerk", "password": clerk.password})
    assert enrol.status_code == 200
    assert "<svg" in enrol.text and "二要素認証の登録" in enrol.text
    done = client.post("/login/enrol", data={"code": clerk.code(OFFICE_HOURS_NOW)}, follow_redirects=False)
    assert done.status_code == 303
    menu = client.get("/", headers=html)
    assert menu.status_code == 200
    assert "住民記録担当" in menu.text and "住民記録の照会" in menu.text
    out = client.post("/logout", follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/", headers=html, follow_redirects=False).status_code == 303
