"""The 課税台帳: 当初・随時・更正・取消 are appended, never overwritten; any past state as of a day.

地方税法第17条の5 (更正の期間制限), 第1章第7節 (更正・決定); the append-only model is the kernel's
(docs/architecture.md §5, "Append-only history in the kernel").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from yakuba.bootstrap import Yakuba
from yakuba.errors import InputError, NotFound
from yakuba.uow import Actor
from yakuba.zeimu import queries
from yakuba.zeimu.commands.kazei import record_assessment
from yakuba.zeimu.models import KazeiRireki

CLERK = Actor(login="zeimu-tanto")
ATENA = "000000000000019"


def _record(app: Yakuba, **overrides: object) -> KazeiRireki:
    values: dict[str, object] = {
        "zeimoku": "kojin",
        "nendo": 2026,
        "atena_no": ATENA,
        "kubun": "tosho",
        "nenzei": 123_400,
        "details": {"shotokuwari_shi": 70_000},
        "effective_date": dt.date(2026, 6, 1),
    } | overrides
    with app.uow(CLERK) as uow:
        row = record_assessment(uow, **values)  # type: ignore[arg-type]
        uow.commit()
        return row


def test_a_correction_is_appended_and_the_past_stays_reproducible(yakuba: Yakuba) -> None:
    _record(yakuba)
    _record(yakuba, kubun="kosei", nenzei=98_700, reason="修正申告（医療費控除の追加）",
            effective_date=dt.date(2026, 9, 10))  # fmt: skip
    with yakuba.uow() as uow:
        session = uow.session
        assert queries.assessment(session, "kojin", 2026, ATENA).nenzei == 98_700
        assert queries.assessment(session, "kojin", 2026, ATENA, on=dt.date(2026, 6, 30)).nenzei == 123_400
        with pytest.raises(NotFound):
            queries.assessment(session, "kojin", 2026, ATENA, on=dt.date(2026, 5, 31))
        rows = queries.history(session, "kojin", 2026, ATENA)
        assert [(r.rireki_no, r.kubun, r.nenzei, r.operator) for r in rows] == [
            (1, "tosho", 123_400, "zeimu-tanto"),
            (2, "kosei", 98_700, "zeimu-tanto"),
        ]
        assert session.scalar(select(func.count()).select_from(KazeiRireki)) == 2


def test_the_event_carries_the_amount_before_and_after(yakuba: Yakuba) -> None:
    _record(yakuba)
    with yakuba.uow(CLERK) as uow:
        record_assessment(
            uow, zeimoku="kojin", nendo=2026, atena_no=ATENA, kubun="kosei", nenzei=100_000,
            details={}, effective_date=dt.date(2026, 9, 1), reason="更正",
        )  # fmt: skip
        event = uow.queued[-1]  # type: ignore[attr-defined]
        assert (event.previous_nenzei, event.nenzei, event.rireki_no) == (123_400, 100_000, 2)
        uow.commit()


@pytest.mark.parametrize(
    ("first", "then", "field", "message"),
    [
        (None, {"kubun": "kosei", "reason": "x"}, "区分", "更正する課税がありません"),
        ({}, {"kubun": "tosho"}, "区分", "当初課税は済んでいます"),
        ({}, {"kubun": "kosei", "reason": " "}, "理由", "更正には理由が必要です"),
        ({}, {"kubun": "torikeshi", "reason": "重複", "nenzei": 100}, "年税額", "取消の年税額は 0"),
        (None, {"nenzei": -1}, "年税額", "0 以上の整数"),
        (None, {"zeimoku": "shotoku"}, "税目", "kojin"),
    ],
)
def test_what_the_ledger_refuses_changes_nothing(
    yakuba: Yakuba, first: dict[str, object] | None, then: dict[str, object], field: str, message: str
) -> None:
    if first is not None:
        _record(yakuba, **first)
    with pytest.raises(InputError) as refused:
        _record(yakuba, **then)
    assert refused.value.problems[0].field == field
    assert message in refused.value.problems[0].message
    with yakuba.uow() as uow:
        count = uow.session.scalar(select(func.count()).select_from(KazeiRireki))
    assert count == (0 if first is None else 1)


def test_a_withdrawn_assessment_returns_only_by_zuiji(yakuba: Yakuba) -> None:
    _record(yakuba)
    _record(yakuba, kubun="torikeshi", nenzei=0, reason="1月1日に住所がなかった（転出の届出漏れ）")
    with pytest.raises(InputError, match="随時課税でのみ"):
        _record(yakuba, kubun="kosei", reason="x")
    row = _record(yakuba, kubun="zuiji", reason="転出日の訂正で賦課期日に住所あり")
    assert row.rireki_no == 3


def test_a_correction_past_the_five_year_limit_is_refused(
    yakuba: Yakuba, pinned_clock: Callable[[dt.datetime], None]
) -> None:
    """地方税法第17条の5第1項: 法定納期限 (approximated by 2027-03-31) + 5 years → 2032-03-31."""
    _record(yakuba)
    pinned_clock(dt.datetime(2032, 3, 30, 15, 0, tzinfo=dt.UTC))  # 2032-03-31 00:00 JST: still in time
    _record(yakuba, kubun="kosei", nenzei=1, reason="期限内", effective_date=dt.date(2032, 3, 31))
    pinned_clock(dt.datetime(2032, 3, 31, 15, 0, tzinfo=dt.UTC))  # 2032-04-01 JST
    with pytest.raises(InputError, match="期間制限"):
        _record(yakuba, kubun="kosei", nenzei=2, reason="期限後", effective_date=dt.date(2032, 4, 1))
