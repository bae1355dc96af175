"""閲覧 (公職選挙法第28条の2〜第28条の4) and the 在外選挙人名簿 (第30条の2〜, 住民基本台帳法第17条の2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import ValidationError

from yakuba.errors import Conflict, InputError
from yakuba.juki import service as juki

from .conftest import dates, person

D = dt.date
TOWN = ("131016", "やくば町")


def _application(sk: SimpleNamespace, **kw: Any) -> Any:
    values: dict[str, Any] = {
        "purpose": "chosa",
        "applicant_kind": "hojin",
        "applicant_name": "やくば大学",
        "applicant_address": "東京都千代田区1番",
        "representative": "学長 山田",
        "purpose_detail": "投票行動に関する学術研究（無作為抽出）",
        "management": "施錠保管し研究終了後に廃棄",
        "tohyoku_codes": ["01"],
        "viewers": ["研究員 佐藤"],
    }
    values.update(kw)
    return sk.etsuran.EtsuranInput(**values)


def test_only_the_three_purposes(senkyo: Callable[..., Any], sk: SimpleNamespace) -> None:
    with pytest.raises(InputError, match="のためにだけ"):
        senkyo(sk.etsuran.apply, _application(sk, purpose="eigyo"), today=D(2026, 6, 10))
    with pytest.raises(ValidationError, match="公職の候補者等"):
        _application(sk, purpose="seiji", applicant_kind="hojin")


def test_refusal_needs_reasons_and_is_written(
    senkyo: Callable[..., Any], sk: SimpleNamespace, yakuba: Any
) -> None:
    row = senkyo(sk.etsuran.apply, _application(sk), today=D(2026, 6, 10))
    with pytest.raises(InputError, match="理由"):
        senkyo(sk.etsuran.decide, row.id, approve=False, reasons=[" "], today=D(2026, 6, 11))
    senkyo(
        sk.etsuran.decide, row.id, approve=False, reasons=["公益性が高いと認められない"], today=D(2026, 6, 11)
    )
    with pytest.raises(Conflict):
        senkyo(sk.etsuran.decide, row.id, approve=True, reasons=[], today=D(2026, 6, 12))
    with yakuba.uow() as uow:
        notice = sk.etsuran.refusal_notice(uow.session, row.id, issuer="やくば町選挙管理委員会")
    assert notice["reasons"] == ["公益性が高いと認められない"] and "審査請求" in notice["kyoji"]
    pdf = sk.api.etsuran_form.render(notice)
    assert pdf.startswith(b"%PDF")


def test_viewing_is_closed_around_an_election_and_published(
    senkyo: Callable[..., Any], sk: SimpleNamespace, yakuba: Any
) -> None:
    senkyo(
        sk.election.define_election,
        sk.election.ElectionInput(
            name="町議会議員選挙", level="shichoson", kouji_date=D(2026, 9, 8), kijitsu=D(2026, 9, 13)
        ),
    )
    row = senkyo(sk.etsuran.apply, _application(sk), today=D(2026, 9, 1))
    with pytest.raises(Conflict):  # not approved yet
        senkyo(sk.etsuran.record_viewing, row.id, viewed_on=D(2026, 9, 2))
    senkyo(sk.etsuran.decide, row.id, approve=True, reasons=[], today=D(2026, 9, 2))
    with pytest.raises(InputError, match="選挙期日後5日"):
        senkyo(sk.etsuran.record_viewing, row.id, viewed_on=D(2026, 9, 18))  # 選挙期日後5日に当たる日
    with pytest.raises(InputError, match="閲覧者"):
        senkyo(sk.etsuran.record_viewing, row.id, viewed_on=D(2026, 9, 19), viewers=["知らない人"])
    senkyo(sk.etsuran.record_viewing, row.id, viewed_on=D(2026, 9, 19))
    with yakuba.uow() as uow:
        published = sk.etsuran.kohyo(uow.session, start=D(2026, 4, 1), end=D(2027, 3, 31))
    assert published == [
        {
            "申出者": "やくば大学（代表者 学長 山田）",
            "利用目的の概要": "政治又は選挙に関する統計調査・世論調査・学術研究その他の公益性が高い調査研究："
            "投票行動に関する学術研究（無作為抽出）",
            "閲覧年月日": D(2026, 9, 19),
            "閲覧に係る選挙人の範囲": "投票区 01",
        }
    ]


def _zaikan(sk: SimpleNamespace, **kw: Any) -> Any:
    values: dict[str, Any] = {
        "kind": "zaikan",
        "shi": "海外",
        "mei": "太郎",
        "birth_date": D(1990, 1, 1),
        "sex": "1",
        "honseki": "東京都千代田区千代田1番",
        "hittosha": "海外　一郎",
        "saishu_jusho": "やくば町松町1番地",
        "kokugai_jusho": "Paris, France",
        "ryojikan": "在フランス日本国大使館",
        "residence_since": D(2026, 3, 10),
        "shinsei_date": D(2026, 6, 1),
    }
    values.update(kw)
    return sk.zaigai.ZaigaiInput(**values)


def test_zaikan_shinsei_needs_three_months_in_the_district_and_notifies_the_fuhyo(
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    yakuba: Any,
    outbox: Callable[[str], list[dict[str, Any]]],
) -> None:
    town = sk.zaigai.Municipality(*TOWN)
    early = senkyo(sk.zaigai.apply, _zaikan(sk), today=D(2026, 6, 5))
    with pytest.raises(InputError, match="3箇月"):
        senkyo(sk.zaigai.register, early.id, today=D(2026, 6, 9), municipality=town)
    row = senkyo(sk.zaigai.register, early.id, today=D(2026, 6, 10), municipality=town)
    assert (row.kind, row.status, row.shosho_no) == ("toroku", "toroku", f"131016-{row.zaigai_no}")
    with yakuba.uow() as uow:
        card = sk.zaigai.shosho(uow.session, row.zaigai_no, municipality=town)
    assert card["title"] == "在外選挙人証" and card["issuer"] == "やくば町選挙管理委員会"
    [event] = outbox("senkyo.zaigai_registered")
    assert (event["honseki"], event["municipality_name"], event["kind"]) == (
        "東京都千代田区千代田1番",
        "やくば町",
        "toroku",
    )
    again = senkyo(sk.zaigai.apply, _zaikan(sk), today=D(2026, 6, 11))
    with pytest.raises(Conflict, match="既に在外選挙人名簿"):
        senkyo(sk.zaigai.register, again.id, today=D(2026, 6, 11), municipality=town)


def test_no_zaigai_registration_between_koji_and_election_day(
    senkyo: Callable[..., Any], sk: SimpleNamespace
) -> None:
    town = sk.zaigai.Municipality(*TOWN)
    senkyo(
        sk.election.define_election,
        sk.election.ElectionInput(
            name="参議院議員通常選挙", level="sangiin", kouji_date=D(2026, 7, 2), kijitsu=D(2026, 7, 19)
        ),
    )
    shinsei = senkyo(sk.zaigai.apply, _zaikan(sk), today=D(2026, 7, 1))
    for day in (D(2026, 7, 2), D(2026, 7, 19)):
        with pytest.raises(InputError, match="第30条の6第3項"):
            senkyo(sk.zaigai.register, shinsei.id, today=day, municipality=town)
    assert senkyo(sk.zaigai.register, shinsei.id, today=D(2026, 7, 20), municipality=town).status == "toroku"


def test_shukkokuji_shinsei_moves_the_registration_after_departure(
    tennyu: Callable[..., str],
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    entry: Callable[[str], Any],
    outbox: Callable[[str], list[dict[str, Any]]],
) -> None:
    town = sk.zaigai.Municipality(*TOWN)
    voter = tennyu(person("渡辺", "修"), ido=D(2026, 1, 5))
    senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="real", today=D(2026, 6, 1))
    run(
        juki.tenshutsu,
        juki.Tenshutsu(
            atena_nos=[voter],
            destination="アメリカ合衆国",
            kokugai=True,
            dates=dates(D(2026, 8, 20), D(2026, 8, 5)),
        ),
        today=D(2026, 8, 5),
    )
    shinsei = senkyo(
        sk.zaigai.apply,
        sk.zaigai.ZaigaiInput(
            kind="shukkokuji",
            atena_no=voter,
            shi="渡辺",
            mei="修",
            birth_date=D(1980, 5, 1),
            sex="1",
            honseki="東京都千代田区千代田1番",
            shinsei_date=D(2026, 8, 5),
        ),
        today=D(2026, 8, 5),
    )
    with pytest.raises(InputError, match="国外に住所を有するに至っていません"):
        senkyo(sk.zaigai.register, shinsei.id, today=D(2026, 8, 10), municipality=town)
    batch = senkyo(sk.batch.daily_batch, today=D(2026, 8, 21), municipality=town)  # the day after departure
    assert batch.zaigai == [{"shinsei_id": shinsei.id, "kind": "iten", "on": D(2026, 8, 21)}]
    assert (entry(voter).status, entry(voter).massho_reason) == ("massho", "zaigai_iten")
    [event] = outbox("senkyo.zaigai_registered")
    assert (event["kind"], event["hittosha"], event["atena_no"]) == ("iten", "渡辺　修", voter)


def test_back_in_town_marks_then_removes_the_zaigai_entry(
    tennyu: Callable[..., str],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    yakuba: Any,
    outbox: Callable[[str], list[dict[str, Any]]],
) -> None:
    town = sk.zaigai.Municipality(*TOWN)
    returning = tennyu(
        person("海外", "太郎", birth_date=D(1990, 1, 1), jumin_code="22222222222"), ido=D(2025, 1, 5)
    )
    # (the 住民記録 history of the departure is not needed: the 在外 entry names the 宛名番号)
    shinsei = senkyo(
        sk.zaigai.apply, _zaikan(sk, atena_no=returning, residence_since=D(2024, 1, 1)), today=D(2024, 12, 1)
    )
    with yakuba.uow() as uow:
        row = sk.zaigai.register(uow, shinsei.id, today=D(2024, 12, 1), municipality=town)
        uow.commit()
    result = senkyo(sk.batch.daily_batch, today=D(2025, 1, 6), municipality=town)
    assert result.zaigai == [{"zaigai_no": row.zaigai_no, "kind": "hyoji", "on": D(2025, 1, 5)}]
    senkyo(sk.batch.daily_batch, today=D(2025, 5, 5), municipality=town)
    with yakuba.uow() as uow:
        assert sk.zaigai.current(uow.session, row.zaigai_no).status == "hyoji"
    senkyo(sk.batch.daily_batch, today=D(2025, 5, 6), municipality=town)
    with yakuba.uow() as uow:
        assert sk.zaigai.current(uow.session, row.zaigai_no).status == "massho"
    assert outbox("senkyo.zaigai_removed")[0]["reason"] == "kokunai_4m"
