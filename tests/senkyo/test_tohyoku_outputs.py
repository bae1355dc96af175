"""投票区 (公職選挙法第17条), 訂正 (第27条第2項) and the outputs: 抄本, 登録者数, 投票所入場券."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from yakuba.errors import InputError
from yakuba.juki import service as juki

from .conftest import MATSU_1, MATSU_8, MATSU_60, UME_3, dates, person

D = dt.date


def _master(sk: SimpleNamespace, effective_from: dt.date, *, split_at: int = 50) -> Any:
    return sk.tohyoku.MasterInput(
        effective_from=effective_from,
        districts=[
            sk.tohyoku.DistrictInput(
                code="01", name="第1投票区", tohyosho_name="松町公民館", tohyosho_address="松町2番地"
            ),
            sk.tohyoku.DistrictInput(
                code="02", name="第2投票区", tohyosho_name="梅小学校", tohyosho_address="梅町1番"
            ),
        ],
        rules=[
            sk.tohyoku.RuleInput(
                choaza_code="0010001", banchi_from=1, banchi_to=split_at - 1, tohyoku_code="01"
            ),
            sk.tohyoku.RuleInput(
                choaza_code="0010001", banchi_from=split_at, banchi_to=9999, tohyoku_code="02"
            ),
            sk.tohyoku.RuleInput(choaza_code="0010002", tohyoku_code="02"),
        ],
    )


@pytest.fixture
def town(tennyu: Callable[..., str], senkyo: Callable[..., Any], sk: SimpleNamespace) -> dict[str, str]:
    senkyo(sk.tohyoku.define_master, _master(sk, D(2020, 1, 1)))
    people = {
        "matsu8_f": tennyu(
            person("青木", "花子", sex="2", birth_date=D(1985, 2, 2)), ido=D(2026, 1, 5), address=MATSU_8
        ),
        "matsu1_m": tennyu(person("青木", "太郎", sex="1"), ido=D(2026, 1, 5), address=MATSU_1),
        "matsu60_m": tennyu(person("石井", "学", sex="1"), ido=D(2026, 1, 5), address=MATSU_60),
        "ume_f": tennyu(person("宇野", "梅子", sex="2"), ido=D(2026, 1, 5), address=UME_3),
    }
    senkyo(sk.toroku.run_teiji, year=2026, month=6, mode="real", today=D(2026, 6, 1))
    return people


def test_banchi_number_reads_the_leading_number(sk: SimpleNamespace) -> None:
    assert sk.tohyoku.banchi_number("12番地の3") == 12
    assert sk.tohyoku.banchi_number("１２－３") == 12
    assert sk.tohyoku.banchi_number("百二十三番地") == 123
    assert sk.tohyoku.banchi_number("二〇五番") == 205
    assert sk.tohyoku.banchi_number("無番地") is None


def test_overlapping_ranges_are_refused(senkyo: Callable[..., Any], sk: SimpleNamespace) -> None:
    bad = _master(sk, D(2020, 1, 1))
    bad.rules.append(
        sk.tohyoku.RuleInput(choaza_code="0010001", banchi_from=40, banchi_to=60, tohyoku_code="01")
    )
    with pytest.raises(InputError, match="重なっています"):
        senkyo(sk.tohyoku.define_master, bad)


def test_registration_assigns_by_choaza_and_banchi(town: dict[str, str], entry: Callable[[str], Any]) -> None:
    assert entry(town["matsu1_m"]).tohyoku_code == "01"
    assert entry(town["matsu60_m"]).tohyoku_code == "02"
    assert entry(town["ume_f"]).tohyoku_code == "02"


def test_tenkyo_corrects_the_address_and_the_tohyoku(
    town: dict[str, str], run: Callable[..., Any], entry: Callable[[str], Any]
) -> None:
    atena = town["matsu1_m"]
    run(
        juki.tenkyo,
        juki.Tenkyo(atena_nos=[atena], address=UME_3, dates=dates(D(2026, 7, 1))),
        today=D(2026, 7, 1),
    )
    e = entry(atena)
    assert (e.kind, e.reason, e.choaza_name, e.banchi, e.tohyoku_code) == (
        "teisei",
        "jusho",
        "梅町",
        "3番5号",
        "02",
    )
    assert e.effective_date == D(2026, 7, 1)


def test_name_change_corrects_the_entry(
    town: dict[str, str], run: Callable[..., Any], entry: Callable[[str], Any]
) -> None:
    atena = town["matsu8_f"]
    run(
        juki.shusei,
        juki.Shusei(
            atena_no=atena,
            kind="shokken",
            changes={"shi": "佐々木", "shi_kana": "ササキ"},
            dates=dates(D(2026, 7, 1)),
        ),
        today=D(2026, 7, 1),
    )
    e = entry(atena)
    assert (e.kind, e.shi, e.shi_kana, e.rireki_no) == ("teisei", "佐々木", "ササキ", 2)


def test_master_change_reassigns_in_bulk_once(
    town: dict[str, str], senkyo: Callable[..., Any], sk: SimpleNamespace, entry: Callable[[str], Any]
) -> None:
    senkyo(sk.tohyoku.define_master, _master(sk, D(2026, 8, 1), split_at=5))  # 松町8番地 moves to 第2投票区
    changed = senkyo(sk.tohyoku.reassign_all, on=D(2026, 8, 1), shori_date=D(2026, 8, 1))
    assert [r.atena_no for r in changed] == [town["matsu8_f"]]
    assert entry(town["matsu8_f"]).tohyoku_code == "02"
    assert senkyo(sk.tohyoku.reassign_all, on=D(2026, 8, 1), shori_date=D(2026, 8, 2)) == []
    assert senkyo(sk.batch.daily_batch, today=D(2026, 8, 2)).actions == []


def test_counts_by_tohyoku_and_sex(town: dict[str, str], yakuba: Any, sk: SimpleNamespace) -> None:
    with yakuba.uow() as uow:
        result = sk.queries.counts(uow.session, D(2026, 6, 1))
        before = sk.queries.counts(uow.session, D(2026, 5, 31))
    lines = {line["tohyoku_code"]: (line["male"], line["female"], line["total"]) for line in result["lines"]}
    assert lines == {"01": (1, 1, 2), "02": (1, 1, 2)}
    assert result["totals"]["total"] == 4
    assert before["totals"]["total"] == 0  # reproducible as of any day: nobody before the 登録日


def test_shohon_is_in_address_order_and_renders(
    town: dict[str, str], yakuba: Any, sk: SimpleNamespace
) -> None:
    with yakuba.uow() as uow:
        lines = sk.queries.shohon(uow.session, "01", D(2026, 6, 1))
    assert [line["atena_no"] for line in lines] == [town["matsu1_m"], town["matsu8_f"]]
    assert [line["meibo_no"] for line in lines] == [1, 2]
    pdf = sk.api.shohon_form.render(
        lines, tohyoku_code="01", tohyoku_name="第1投票区", on=D(2026, 6, 1), issuer="やくば町選挙管理委員会"
    )
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_nyujoken_csv_leaves_out_marked_entries(
    town: dict[str, str],
    run: Callable[..., Any],
    senkyo: Callable[..., Any],
    sk: SimpleNamespace,
    yakuba: Any,
) -> None:
    election = senkyo(
        sk.election.define_election,
        sk.election.ElectionInput(
            name="衆議院議員総選挙", level="shugiin", kouji_date=D(2026, 10, 6), kijitsu=D(2026, 10, 18)
        ),
    )
    run(
        juki.tenshutsu,
        juki.Tenshutsu(atena_nos=[town["ume_f"]], destination="京都府京都市", dates=dates(D(2026, 9, 1))),
        today=D(2026, 9, 1),
    )
    senkyo(sk.toroku.run_senkyoji, election_id=election.id, mode="real", today=D(2026, 10, 5))
    with yakuba.uow() as uow:
        lines = sk.queries.nyujoken(uow.session, election.id)
        per_setai = sk.queries.nyujoken(uow.session, election.id, unit="setai")
    rows = list(csv.DictReader(io.StringIO(sk.queries.to_csv(lines))))
    assert [r["宛名番号"] for r in rows] == [town["matsu1_m"], town["matsu8_f"], town["matsu60_m"]]
    assert rows[0]["投票所"] == "松町公民館" and rows[0]["選挙期日"] == "令和8年10月18日"
    assert rows[2]["名簿番号"] == "1"  # 第2投票区: 石井 comes first in address order (松町 before 梅町)
    assert len(per_setai) == 3
