"""Check digits of public identifiers, with the vectors their sources give."""

import pytest

from yakuba.kernel.checkdigit import (
    atena_check_digit,
    is_valid_atena_number,
    is_valid_jumin_code,
    is_valid_lg_code,
    is_valid_mynumber,
    jumin_code_check_digit_kokuji436,
    lg_check_digit,
    mynumber_check_digit,
)


def test_mynumber_vector_from_the_ministerial_ordinance() -> None:
    # 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令第8条,
    # 平成26年総務省令第85号第5条: weights 6,5,4,3,2,7,6,5,4,3,2; remainder ≤ 1 ⇒ 0.
    assert mynumber_check_digit("98320567321") == 4
    assert is_valid_mynumber("983205673214")
    assert not is_valid_mynumber("983205673210")  # spec-resident.md §6 #22


@pytest.mark.parametrize(
    "bad", ["", "98320567321", "9832056732145", "98320567321a", "９８３２０５６７３２１４"]
)
def test_mynumber_rejects_malformed_values(bad: str) -> None:
    assert not is_valid_mynumber(bad)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        # 総務省「全国地方公共団体コード」(JIS X 0401/0402): check digit = last digit of 11 − (Σ mod 11).
        ("131016", "千代田区"),
        ("131130", "渋谷区"),  # remainder 1 ⇒ 10 ⇒ 0
        ("131041", "新宿区"),  # remainder 0 ⇒ 11 ⇒ 1
        ("011002", "札幌市"),
        ("141003", "横浜市"),
        ("130001", "東京都"),
    ],
)
def test_local_government_codes(code: str, name: str) -> None:
    assert is_valid_lg_code(code), name
    assert lg_check_digit(code[:5]) == int(code[5])


def test_a_wrong_local_government_code_is_rejected() -> None:
    assert not is_valid_lg_code("131017")
    assert not is_valid_lg_code("13101")


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        # 共通機能標準仕様書 第2.1版 §2.3 注 (M11W2〜7, 余り0なら0); vectors from spec-resident-2.md §3.2.
        ("00000000000001", 9),
        ("00000000000011", 6),
        ("12345678912345", 2),
        ("00000000000006", None),  # remainder 1: undefined ⇒ never issued
    ],
)
def test_atena_number_check_digit(base: str, expected: int | None) -> None:
    assert atena_check_digit(base) == expected


def test_atena_remainder_one_is_accepted_only_for_migrated_numbers_when_configured() -> None:
    assert not is_valid_atena_number("000000000000060")
    assert is_valid_atena_number("000000000000060", accept_remainder_one_as_zero=True)
    assert is_valid_atena_number("000000000000019")


def test_jumin_code_validator_is_pluggable() -> None:
    # 住民票コード: 平成14年総務省告示第436号 not yet read in the 官報; the probable formula is selectable.
    for code in ("24727059608", "24846016224", "25208017643"):
        assert is_valid_jumin_code(code, validator="kokuji436_probable")
    assert not is_valid_jumin_code("25208017644", validator="kokuji436_probable")
    assert is_valid_jumin_code("25208017644")  # default: 11 digits only, until the formula is confirmed
    assert jumin_code_check_digit_kokuji436("0000000001") == 9
    assert jumin_code_check_digit_kokuji436("1234567890") == 3
    with pytest.raises(ValueError, match="検査方式"):
        is_valid_jumin_code("24727059608", validator="nope")
