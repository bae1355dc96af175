"""課税資料 as a CSV file: validated whole, every problem by line and heading, nothing kept unless all right.

The layout is the parameter ``zeimu.kojin.intake_csv`` (docs/zeimu-kojin-intake.md); a file already taken
in is refused by its SHA-256, so re-sending it cannot append everyone's 課税資料 twice (issue 14).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import StaffAccount
from yakuba.bootstrap import Yakuba
from yakuba.errors import InputError
from yakuba.zeimu.kojin.commands.intake import Layout, parse_amount, validate_csv
from yakuba.zeimu.kojin.public import DependantInput, SpouseInput, TaxpayerInput
from yakuba.zeimu.kojin.queries import latest_shiryo

IMPORT = "/api/v1/zeimu/kojin/shiryo/import"
HEADER = (
    "宛名番号,年齢,給与収入,社会保険料,本人障害,寡婦・ひとり親,勤労学生,"
    "配偶者の合計所得,配偶者の年齢,扶養1年齢,扶養1合計所得,扶養2年齢,扶養2同居老親,ふるさと納税額,ワンストップ"
)
GOOD = (
    f"{HEADER}\r\n"
    '1001,42,"5,000,000",720000,なし,なし,0,0,40,10,0,17,0,"30,000",1\r\n'
    "\r\n"
    "1002,68,,150000,障害者,寡婦,0,,,,,,,,\r\n"
    '1003,21,"1,030,000",,,ひとり親（母）,1,,,3,0,,,,\r\n'
)


@pytest.fixture
def zeimu(
    make_staff: Callable[..., StaffAccount], token_for: Callable[[str], dict[str, str]]
) -> dict[str, str]:
    """A 税務 clerk (zeimu.read / zeimu.write)."""
    make_staff("zeimu-tanto", ["zeimu_clerk"])
    return token_for("zeimu-tanto")


def _post(client: TestClient, headers: dict[str, str], text: str, **query: Any) -> Any:
    params = {"nendo": 2026, "source": "shinkoku"} | query
    return client.post(
        IMPORT, content=text.encode(), params=params, headers=headers | {"Content-Type": "text/csv"}
    )


def _count(yakuba: Yakuba) -> int:
    with yakuba.uow() as uow:
        return len(latest_shiryo(uow.session, 2026))


def test_a_good_file_appends_one_shiryo_per_row_and_reads_back(
    client: TestClient, zeimu: dict[str, str], yakuba: Yakuba
) -> None:
    answer = _post(client, zeimu, GOOD)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["appended"], body["source"], len(body["batch"])) == (3, "shinkoku", 64)
    assert _count(yakuba) == 3

    first = client.get("/api/v1/zeimu/kojin/shiryo/2026/1001", headers=zeimu)
    assert first.status_code == 200, first.text
    latest = first.json()["latest"]
    assert (latest["source"], latest["line_no"], latest["batch"]) == ("shinkoku", 2, body["batch"])
    taxpayer = latest["taxpayer"]
    assert (taxpayer["kyuyo_shunyu"], taxpayer["furusato_kifu"], taxpayer["one_stop"]) == (
        5_000_000,
        30_000,
        True,
    )
    assert taxpayer["spouse"] == {"gokei_shotoku": 0, "age": 40, "shogai": "none", "kokugai": False}
    assert [d["age"] for d in taxpayer["dependants"]] == [10, 17]

    widow = client.get("/api/v1/zeimu/kojin/shiryo/2026/1002", headers=zeimu).json()["latest"]
    assert widow["line_no"] == 4  # the empty line 3 is skipped, and the line numbers are the file's
    assert (widow["taxpayer"]["shogai"], widow["taxpayer"]["kafu_hitorioya"]) == ("futsu", "kafu")
    assert widow["taxpayer"]["spouse"] is None and widow["taxpayer"]["dependants"] == []
    student = client.get("/api/v1/zeimu/kojin/shiryo/2026/1003", headers=zeimu).json()["latest"]
    assert student["taxpayer"]["kinro_gakusei"] is True
    assert student["taxpayer"]["kafu_hitorioya"] == "hitorioya_haha"


def test_a_later_file_appends_to_the_history(client: TestClient, zeimu: dict[str, str]) -> None:
    assert _post(client, zeimu, GOOD).status_code == 201
    later = f"{HEADER}\n1001,42,5200000,,,,,,,,,,,,\n"
    assert _post(client, zeimu, later, source="kyuyo").status_code == 201
    read = client.get("/api/v1/zeimu/kojin/shiryo/2026/1001", headers=zeimu).json()
    assert [(h["rireki_no"], h["source"]) for h in read["history"]] == [(2, "kyuyo"), (1, "shinkoku")]
    assert read["latest"]["taxpayer"]["kyuyo_shunyu"] == 5_200_000
    missing = client.get("/api/v1/zeimu/kojin/shiryo/2026/9999", headers=zeimu)
    assert missing.status_code == 404


def test_bad_rows_refuse_the_whole_file_naming_row_and_heading(
    client: TestClient, zeimu: dict[str, str], yakuba: Yakuba
) -> None:
    bad = (
        f"{HEADER}\n"
        "1001,42,12.5,,,,,,,,,,,,\n"  # a decimal amount
        "1002,40,,,障がい,,,,,,,,,,\n"  # not a 障害 word
        ",30,100,,,,,,,,,,,,\n"  # no 宛名番号
        "1001,50,,,,,,,,,,,,,\n"  # the same person twice
        "1004,50,,-300,,,,,,,,,,,\n"  # negative
        "1005,50,,,,,,100,,,,,,,\n"  # a spouse without an age
    )
    answer = _post(client, zeimu, bad)
    assert answer.status_code == 422, answer.text
    messages = [e["message"] for e in answer.json()["errors"]]
    assert messages == [
        "2行目 給与収入: 「12.5」は整数（円）で入力してください",
        "3行目 本人障害: 「障がい」は なし・障害者・特別障害者 のいずれかで入力してください",
        "4行目 宛名番号: 入力してください",
        "5行目 宛名番号: 「1001」は2行目と重複しています（1人1行）",
        "6行目 社会保険料: 「-300」は0以上の整数（円）で入力してください（マイナスは取り込めません）",
        "7行目 配偶者の年齢: 入力してください",
    ]
    assert _count(yakuba) == 0  # nothing of the good rows was kept


def test_the_same_file_twice_is_a_conflict(client: TestClient, zeimu: dict[str, str], yakuba: Yakuba) -> None:
    assert _post(client, zeimu, GOOD).status_code == 201
    again = _post(client, zeimu, GOOD)
    assert again.status_code == 409, again.text
    assert "取り込み済み" in again.text
    assert _count(yakuba) == 3


def test_a_stray_cr_is_one_problem_naming_the_line(
    client: TestClient, zeimu: dict[str, str], yakuba: Yakuba
) -> None:
    broken = f"{HEADER}\n1001,42,100,,,,,,,,,,,,\n1002,4\r0,,,,,,,,,,,,,\n"
    answer = _post(client, zeimu, broken)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert error["field"] == "3行目" and "CSV として読み取れません" in error["message"]
    unclosed = _post(client, zeimu, f'{HEADER}\n1001,42,"100,,,,,,,,,,,,\n')
    assert unclosed.status_code == 422 and unclosed.json()["errors"][0]["field"] == "2行目"
    assert _count(yakuba) == 0


def test_unknown_and_missing_headings_are_refused(client: TestClient, zeimu: dict[str, str]) -> None:
    answer = _post(client, zeimu, "宛名番号,給与収人\n1001,100\n")
    assert answer.status_code == 422
    messages = [e["message"] for e in answer.json()["errors"]]
    assert messages == ["見出し: 「給与収人」は取込みの見出しにありません", "見出し: 列がありません: 年齢"]


def test_a_counter_source_or_a_year_out_of_range_is_refused(
    client: TestClient, zeimu: dict[str, str]
) -> None:
    assert _post(client, zeimu, GOOD, source="madoguchi").status_code == 422
    assert _post(client, zeimu, GOOD, nendo=2023).status_code == 422


def test_import_needs_zeimu_write(client: TestClient) -> None:
    assert _post(client, {}, GOOD).status_code == 401


@pytest.mark.parametrize(
    ("text", "value"), [("1234000", 1_234_000), ("1,234,000", 1_234_000), ("0", 0), ("999", 999)]
)
def test_amounts_take_half_width_digits_and_comma_groups(text: str, value: int) -> None:
    assert parse_amount(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12.5", "「12.5」は整数（円）で入力してください"),
        ("1,23", "「1,23」は整数（円）で入力してください"),
        ("-1", "「-1」は0以上の整数（円）で入力してください（マイナスは取り込めません）"),
        ("１２３", "「１２３」は半角数字で入力してください"),
        ("12万", "「12万」は整数（円）で入力してください"),
    ],
)
def test_amounts_refuse_decimals_negatives_and_full_width(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_amount(text)


def test_problems_are_capped_with_a_count_of_the_rest() -> None:
    layout = Layout.on(dt.date(2026, 1, 1))
    text = "宛名番号,年齢\n" + "".join(f"{n},x\n" for n in range(1, 131))
    with pytest.raises(InputError) as raised:
        validate_csv(text, layout)
    problems = raised.value.problems
    assert len(problems) == 101
    assert str(problems[-1]) == "ファイル: ほかに 30 件の誤りがあります"
    assert problems[0].field == "2行目 年齢" and problems[0].message == "「x」は整数で入力してください"


def test_a_relative_may_be_dokyo_tokubetsu_but_not_the_taxpayer() -> None:
    layout = Layout.on(dt.date(2026, 1, 1))
    ok = validate_csv("宛名番号,年齢,扶養1年齢,扶養1障害\n1,40,70,同居特別障害者\n", layout)
    assert ok[0][2].dependants[0].shogai.value == "dokyo_tokubetsu"
    with pytest.raises(InputError) as raised:
        validate_csv("宛名番号,年齢,本人障害,扶養3年齢,扶養3合計所得\n1,40,同居特別障害者,200,0\n", layout)
    assert [p.field for p in raised.value.problems] == ["2行目 本人障害", "2行目 扶養3年齢"]


def test_the_layout_covers_every_field_and_the_doc_every_heading() -> None:
    """A TaxpayerInput field without a heading, or a heading without its line in docs/, fails here."""
    layout = Layout.on(dt.date(2026, 1, 1))
    scalars = set(TaxpayerInput.model_fields) - {"spouse", "dependants"}
    assert set(layout.taxpayer.values()) == scalars
    assert set(layout.spouse.values()) == set(SpouseInput.model_fields)
    assert all(set(group.values()) == set(DependantInput.model_fields) for group in layout.dependants)
    doc = (Path(__file__).parents[3] / "docs" / "zeimu-kojin-intake.md").read_text(encoding="utf-8")
    named = [*layout.taxpayer, *layout.spouse, *(h.replace("扶養1", "扶養n") for h in layout.dependants[0])]
    assert [h for h in named if f"| {h} |" not in doc] == []
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    assert [atena_no for _, atena_no, _ in validate_csv(example, layout)] == ["1001", "1002", "1003"]
