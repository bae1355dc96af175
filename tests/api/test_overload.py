"""Past saturation the server says so: 503 with Retry-After and a Japanese message, nothing changed.

Issue 9 (load): at an offered load above capacity, requests waited 30 s for a database connection
and failed with a bare 500. A clerk should see at once that the system is busy and when to retry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from yakuba.app import BUSY_MESSAGE, create_app
from yakuba.bootstrap import Yakuba
from yakuba.db import make_session_factory

from .conftest import StaffAccount


def test_no_free_connection_is_a_503_with_retry_after(
    yakuba: Yakuba,
    clock: Callable[[dt.datetime], None],
    make_staff: Callable[..., StaffAccount],
    token_for: Callable[[str], dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_staff("clerk", ["juki_clerk"])
    headers = token_for("clerk")
    small = create_engine(
        yakuba.engine.url.render_as_string(hide_password=False), pool_size=1, max_overflow=0, pool_timeout=0.2
    )
    monkeypatch.setattr(yakuba, "session_factory", make_session_factory(small))
    held = small.connect()  # the only connection, taken by "another request"
    try:
        with TestClient(
            create_app(container=yakuba), base_url="https://testserver", client=("127.0.0.1", 50000)
        ) as client:
            response = client.get("/api/v1/juki/residents", params={"kana": "アオキ"}, headers=headers)
    finally:
        held.close()
        small.dispose()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json() == {"detail": BUSY_MESSAGE}
