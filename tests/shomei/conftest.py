"""Fixtures for the 帳票 tests.

The autouse fixture makes sure ``shomei_issuance`` exists (``checkfirst``: a schema built before the
migration that adds it still works) and empties it after each test. ``yakuba.shomei`` is imported inside
fixtures and tests, so collecting these tests never changes ``Base.metadata`` for the other folders.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import delete

from yakuba.bootstrap import Yakuba
from yakuba.juki import service
from yakuba.juki.schemas import AddressInput, IdoDates, PersonInput

from ..api.conftest import clock, household, make_staff, token_for  # noqa: F401 - shared fixtures

NOW = dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC)  # 令和8年11月25日 10:00 JST
TODAY = dt.date(2026, 11, 25)
MATSU_1 = AddressInput(choaza_code="0010001", choaza_name="松町", banchi="1番地", postal_code="1000001")
MATSU_8 = AddressInput(
    choaza_code="0010001",
    choaza_name="松町",
    banchi="8番地",
    katagaki="松町ハイツ101号",
    postal_code="1000001",
)


@pytest.fixture(autouse=True)
def shomei_table(yakuba: Yakuba) -> Iterator[None]:
    from yakuba.forms import Issuance

    Issuance.__table__.create(yakuba.engine, checkfirst=True)  # type: ignore[attr-defined]
    yield
    with yakuba.engine.begin() as conn:
        conn.execute(delete(Issuance))


def person(shi: str = "青木", mei: str = "太郎", **kw: Any) -> PersonInput:
    values: dict[str, Any] = {
        "shi": shi,
        "mei": mei,
        "shi_kana": "アオキ",
        "mei_kana": "タロウ",
        "birth_date": dt.date(1990, 5, 1),
        "sex": "1",
        "zokugara": "世帯主",
        "honseki": "東京都千代田区千代田1番",
        "hittosha": "青木　太郎",
    }
    values.update(kw)
    return PersonInput(**values)


Run = Callable[..., Any]


@pytest.fixture
def run(yakuba: Yakuba) -> Run:
    def call(handler: Callable[..., Any], command: Any, today: dt.date = TODAY) -> Any:
        with yakuba.uow() as uow:
            result = handler(uow, command, today=today)
            uow.commit()
        return result

    return call


def tennyu(
    run: Run, *persons: PersonInput, address: AddressInput = MATSU_1, on: dt.date = dt.date(2026, 4, 1)
) -> Any:
    return run(
        service.tennyu,
        service.Tennyu(
            kind="kokunai",
            persons=list(persons),
            address=address,
            prev_address="大阪府大阪市北区梅田1丁目1番",
            dates=IdoDates(ido_date=on, todoke_date=on + dt.timedelta(days=2), confirm_alerts=True),
        ),
        today=on + dt.timedelta(days=2),
    )


@pytest.fixture
def aoki(run: Run) -> Any:
    """青木 太郎 (世帯主, with a 個人番号 and 住民票コード) and 青木 花子 (妻)."""
    return tennyu(
        run,
        person(mynumber="983205673214", jumin_code="24727059608"),
        person(mei="花子", mei_kana="ハナコ", birth_date=dt.date(1992, 7, 7), sex="2", zokugara="妻"),
    )


def issue(yakuba: Yakuba, *, login: str = "clerk1", now: dt.datetime = NOW, **request: Any) -> Any:
    """Issue through the service with a clerk who may not print 個人番号 unless told."""
    from yakuba.shomei.options import CertificateRequest
    from yakuba.shomei.service import Caller
    from yakuba.shomei.service import issue as do_issue

    caller = Caller(
        login=login,
        can_print_mynumber=bool(request.pop("can_print_mynumber", False)),
        can_see_shien=bool(request.pop("can_see_shien", False)),
        can_manage_shien=bool(request.pop("can_manage_shien", False)),
    )
    with yakuba.uow() as uow:
        issued = do_issue(
            uow, CertificateRequest(**request), settings=yakuba.settings, now=now, caller=caller
        )
        uow.commit()
    return issued


def pdf_text(data: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
