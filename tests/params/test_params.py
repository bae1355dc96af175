"""Dated parameters: values by date, validation on load that names the file and key."""

import datetime as dt
from pathlib import Path

import pytest

from yakuba import params
from yakuba.params import ParameterError, load


def test_todokede_kikan_is_14_days() -> None:
    # 住民基本台帳法第22条第1項: 転入をした日から十四日以内に届け出なければならない。
    assert params.get("juki.todokede_kikan_days", on=dt.date(2026, 11, 26)) == 14


@pytest.mark.parametrize(
    ("removed_on", "years"),
    [
        # 住民基本台帳法施行令第34条第1項（令和元年政令第26号）: 150年。令和元年6月20日に5年の保存期間が
        # 満了していないもの、すなわち平成26年6月20日以後に消除されたものに適用（豊川市の案内, spec §6 #9）。
        (dt.date(2014, 6, 19), 5),
        (dt.date(2014, 6, 20), 150),
        (dt.date(2026, 1, 1), 150),
    ],
)
def test_joshohyo_retention_depends_on_removal_date(removed_on: dt.date, years: int) -> None:
    assert params.get("juki.joshohyo.retention_years", on=removed_on) == years


def test_fee_is_a_municipal_setting_that_an_overlay_overrides(tmp_path: Path) -> None:
    (tmp_path / "fees.yaml").write_text(
        "municipal:\n  fees:\n    juminhyo_utsushi:\n      values:\n"
        "        - from: 2024-04-01\n          value: 200\n",
        encoding="utf-8",
    )
    merged = load([params.loader.DATA_DIR, tmp_path])
    assert merged.get("municipal.fees.juminhyo_utsushi", on=dt.date(2025, 1, 1)) == 200
    assert params.get("municipal.fees.juminhyo_utsushi", on=dt.date(2025, 1, 1)) == 300


def test_a_later_value_takes_over_from_its_date(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(
        "tax:\n  rate:\n    values:\n      - {from: 2020-04-01, value: 0.10}\n"
        "      - {from: 2026-04-01, until: 2027-03-31, value: 0.12}\n",
        encoding="utf-8",
    )
    p = load([tmp_path])
    assert p.get("tax.rate", on=dt.date(2026, 3, 31)) == 0.10
    assert p.get("tax.rate", on=dt.date(2026, 4, 1)) == 0.12
    with pytest.raises(ParameterError, match="2027-04-01 時点の値がありません"):
        p.get("tax.rate", on=dt.date(2027, 4, 1))
    with pytest.raises(ParameterError, match="2019-01-01"):
        p.get("tax.rate", on=dt.date(2019, 1, 1))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "a:\n  b:\n    values:\n      - {from: 2020-02-30, value: 1}\n",
            r"bad\.yaml: a\.b\.values\[0\]\.from: '2020-02-30'",
        ),
        ("a:\n  b:\n    values: []\n", r"bad\.yaml: a\.b: values は1件以上"),
        ("a:\n  b:\n    values:\n      - {from: 2020-01-01}\n", r"a\.b\.values\[0\]: from と value が必要"),
        (
            "a:\n  b:\n    values:\n      - {from: 2021-01-01, value: 1}\n"
            "      - {from: 2020-01-01, value: 2}\n",
            r"a\.b\.values\[1\]: from は前の値より後",
        ),
        (
            "a:\n  b:\n    values:\n      - {from: 2020-01-01, until: 2022-01-01, value: 1}\n"
            "      - {from: 2021-01-01, value: 2}\n",
            r"重なっています",
        ),
        ("a:\n  b:\n    valuez: 1\n", r"bad\.yaml: a\.b\.valuez は名前空間か values を持つ項目"),
        ("a: [unclosed\n", r"bad\.yaml: YAML として読めません"),
    ],
)
def test_malformed_file_is_rejected_naming_file_and_key(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        load([tmp_path])


def test_unknown_key_is_named() -> None:
    with pytest.raises(ParameterError, match=r"juki\.no_such_thing は定義されていません"):
        params.get("juki.no_such_thing", on=dt.date(2026, 1, 1))


def test_every_shipped_parameter_has_a_description_and_a_legal_reference() -> None:
    shipped = params.default_parameters()
    for key in shipped.keys():  # noqa: SIM118 - ParameterSet is not a mapping
        parameter = shipped.parameter(key)
        assert parameter.description, key
        assert parameter.reference, key
