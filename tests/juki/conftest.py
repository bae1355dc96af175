"""Helpers for 住民記録 scenario tests: small builders over the real commands and database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from yakuba.bootstrap import Yakuba
from yakuba.juki import service
from yakuba.juki.base import IdoResult
from yakuba.juki.models import Ido, Rireki
from yakuba.juki.schemas import AddressInput, IdoDates, PersonInput

TODAY = dt.date(2026, 11, 26)
MATSU_1 = AddressInput(choaza_code="0010001", choaza_name="松町", banchi="1番地", postal_code="1000001")
MATSU_8 = AddressInput(choaza_code="0010001", choaza_name="松町", banchi="8番地", postal_code="1000001")
UME_3 = AddressInput(choaza_code="0010002", choaza_name="梅町", banchi="3番5号", postal_code="1000002")


def person(shi: str = "青木", mei: str = "太郎", **kw: Any) -> PersonInput:
    values: dict[str, Any] = {
        "shi": shi,
        "mei": mei,
        "shi_kana": "アオキ",
        "mei_kana": "タロウ",
        "birth_date": dt.date(1980, 5, 1),
        "sex": "1",
        "zokugara": "世帯主",
        "honseki": "東京都千代田区千代田1番",
        "hittosha": "青木　太郎",
    }
    values.update(kw)
    return PersonInput(**values)


def dates(ido: dt.date, todoke: dt.date | None = None, **kw: Any) -> IdoDates:
    return IdoDates(ido_date=ido, todoke_date=todoke or ido, **kw)


Run = Callable[..., IdoResult]


@pytest.fixture
def run(yakuba: Yakuba) -> Run:
    """Run one command in its own unit of work and commit, as a request would."""

    def call(handler: Callable[..., IdoResult], command: Any, today: dt.date = TODAY) -> IdoResult:
        with yakuba.uow() as uow:
            result = handler(uow, command, today=today)
            uow.commit()
        return result

    return call


@pytest.fixture
def history(yakuba: Yakuba) -> Callable[[str], list[tuple[int, str, str | None, str]]]:
    """(履歴番号, 異動事由, 住所, 住民状態) of one person, as j200's example lists them."""

    def rows(atena_no: str) -> list[tuple[int, str, str | None, str]]:
        with yakuba.uow() as uow:
            found = uow.session.execute(
                select(Rireki, Ido)
                .join(Ido, Ido.id == Rireki.ido_id)
                .where(Rireki.atena_no == atena_no)
                .order_by(Rireki.rireki_no)
            ).all()
            return [(r.rireki_no, i.jiyu_code, f"{r.choaza_name}{r.banchi}", r.jumin_jotai) for r, i in found]

    return rows


def new_setai(
    run: Run, *persons: PersonInput, address: AddressInput = MATSU_1, on: dt.date = dt.date(2026, 4, 1)
) -> IdoResult:
    return run(
        service.tennyu,
        service.Tennyu(
            kind="kokunai",
            persons=list(persons),
            address=address,
            prev_address="大阪府大阪市北区梅田1丁目1番",
            dates=dates(on),
        ),
    )
