"""The bulk writers used by 定時登録 and 選挙's copy: both ways of an UPDATE give the same rows."""

from __future__ import annotations

from typing import cast

import pytest
from sqlalchemy import Table, select

from yakuba import bulk
from yakuba.bootstrap import Yakuba
from yakuba.juki.models import Numbering

TABLE = cast(Table, Numbering.__table__)


@pytest.mark.parametrize("copy_from", [1, 10_000], ids=["temporary-table", "executemany"])
def test_update_rows_sets_and_adds_the_same_either_way(
    yakuba: Yakuba, monkeypatch: pytest.MonkeyPatch, copy_from: int
) -> None:
    """On PostgreSQL a large update goes by COPY into a temporary table and one joined UPDATE, a small
    one by executemany (SQLite: always executemany); the rows must not depend on the way."""
    monkeypatch.setattr(bulk, "UPDATE_BY_COPY_FROM", copy_from)
    with yakuba.uow() as uow:
        uow.session.add_all([Numbering(name=f"n{i}", last_serial=i) for i in range(5)])
        uow.session.flush()
        bulk.update_rows(
            uow.session,
            TABLE,
            "name",
            [{"name": f"n{i}", "last_serial": 10} for i in (1, 3)],
            add=("last_serial",),
        )
        bulk.update_rows(uow.session, TABLE, "name", [{"name": "n4", "last_serial": 99}])
        uow.commit()
    with yakuba.uow() as uow:
        rows = uow.session.execute(
            select(Numbering.name, Numbering.last_serial).order_by(Numbering.name)
        ).all()
    assert [tuple(r) for r in rows] == [("n0", 0), ("n1", 11), ("n2", 2), ("n3", 13), ("n4", 99)]
