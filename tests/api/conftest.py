"""Fixtures for tests that go through the HTTP API as a real client would: users, tokens, logins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyotp
import pytest
from fastapi.testclient import TestClient

from tests.conftest import TEST_NOW
from yakuba.app import create_app
from yakuba.bootstrap import Yakuba
from yakuba.juki.service import AddressInput, PersonInput, Registered, register_household
from yakuba.security import accounts

# The instant the one clock is pinned at (tests/conftest.py): office hours on a working day.
OFFICE_HOURS_NOW = TEST_NOW
PASSWORD = "correct-horse-battery-42"


@dataclass
class StaffAccount:
    login: str
    password: str
    totp_secret: str
    roles: list[str]

    def code(self, at: dt.datetime, step_offset: int = 0) -> str:
        return pyotp.TOTP(self.totp_secret).at(at + dt.timedelta(seconds=30 * step_offset))


@pytest.fixture
def clock(pinned_clock: Callable[[dt.datetime], None]) -> Callable[[dt.datetime], None]:
    """The setter of the pinned one clock (the app reads it through ``yakuba.clock``)."""
    return pinned_clock


@pytest.fixture
def client(yakuba: Yakuba, clock: Callable[[dt.datetime], None]) -> Iterator[TestClient]:
    with TestClient(
        create_app(container=yakuba), base_url="https://testserver", client=("127.0.0.1", 50000)
    ) as c:
        yield c


@pytest.fixture
def make_staff(yakuba: Yakuba) -> Callable[..., StaffAccount]:
    def make(login: str, roles: list[str], **kwargs: object) -> StaffAccount:
        with yakuba.uow() as uow:
            if kwargs.get("contractor") and "approver" not in kwargs:
                if uow.session.get(accounts.StaffUser, "approver") is None:
                    accounts.add_user(
                        uow,
                        login="approver",
                        display_name="承認 太郎",
                        roles=["juki_manager"],
                        password=PASSWORD,
                        created_by="test",
                    )
                kwargs["approver"] = "approver"
            _user, secret = accounts.add_user(
                uow,
                login=login,
                display_name=login,
                roles=roles,
                password=PASSWORD,
                created_by="test",
                **kwargs,  # type: ignore[arg-type]
            )
            uow.commit()
        return StaffAccount(login, PASSWORD, secret, roles)

    return make


@pytest.fixture
def token_for(yakuba: Yakuba) -> Callable[[str], dict[str, str]]:
    def issue(login: str) -> dict[str, str]:
        with yakuba.uow() as uow:
            token, _ = accounts.issue_token(
                uow, login=login, ttl=dt.timedelta(hours=1), issued_by="test", now=yakuba.clock()
            )
            uow.commit()
        return {"Authorization": f"Bearer {token}"}

    return issue


def login_with_totp(client: TestClient, staff: StaffAccount, now: dt.datetime = OFFICE_HOURS_NOW) -> str:
    """Full first login: password → QR enrolment with a code → logged in. Returns the CSRF token."""
    first = client.post("/api/v1/auth/login", json={"login": staff.login, "password": staff.password})
    assert first.status_code == 200, first.text
    assert first.json()["stage"] == "enrol"
    assert first.json()["qr_svg"].startswith("<?xml") or "<svg" in first.json()["qr_svg"]
    enrolled = client.post("/api/v1/auth/enrol", json={"code": staff.code(now)})
    assert enrolled.status_code == 200, enrolled.text
    return str(enrolled.json()["csrf_token"])


@pytest.fixture
def household(yakuba: Yakuba) -> Registered:
    """A synthetic two-person 世帯 (invented names; the 個人番号 is made up with a valid check digit)."""
    with yakuba.uow() as uow:
        registered = register_household(
            uow,
            jiyu_code="A01",
            persons=[
                PersonInput(
                    shi="青木",
                    mei="太郎",
                    shi_kana="アオキ",
                    mei_kana="タロウ",
                    birth_date=dt.date(1980, 5, 1),
                    sex="1",
                    zokugara="世帯主",
                    honseki="東京都千代田区千代田1番",
                    hittosha="青木　太郎",
                    mynumber="983205673214",
                ),
                PersonInput(
                    shi="青木",
                    mei="花子",
                    shi_kana="アオキ",
                    mei_kana="ハナコ",
                    birth_date=dt.date(1982, 7, 7),
                    sex="2",
                    zokugara="妻",
                    honseki="東京都千代田区千代田1番",
                    hittosha="青木　太郎",
                ),
            ],
            address=AddressInput(
                choaza_code="0010001", choaza_name="松町", banchi="1番地", postal_code="1000001"
            ),
            ido_date=dt.date(2026, 4, 1),
            todoke_date=dt.date(2026, 4, 3),
            prev_address="大阪府大阪市北区梅田1丁目1番",
            today=dt.date(2026, 4, 3),
        )
        uow.commit()
    return registered
