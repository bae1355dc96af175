"""Check digits of the public identifiers a municipal system handles.

Each function names its legal source; the tests use the vectors those sources give.
"""

from __future__ import annotations

from collections.abc import Callable

_MYNUMBER_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_LG_WEIGHTS = (6, 5, 4, 3, 2)


def mynumber_check_digit(base11: str) -> int:
    """個人番号の検査用数字 (行政手続番号利用法施行令第8条, 平成26年総務省令第85号第5条).

    >>> mynumber_check_digit("98320567321")
    4
    """
    if len(base11) != 11 or not base11.isascii() or not base11.isdigit():
        raise ValueError("個人番号の基礎番号は11桁の数字です")
    remainder = sum(int(d) * w for d, w in zip(base11, _MYNUMBER_WEIGHTS, strict=True)) % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid_mynumber(value: str) -> bool:
    """True for a 12-digit 個人番号 whose last digit is its check digit."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    return mynumber_check_digit(value[:11]) == int(value[11])


def lg_check_digit(base5: str) -> int:
    """全国地方公共団体コードの検査数字 (JIS X 0401/0402; 総務省「全国地方公共団体コード」).

    S = 6a+5b+4c+3d+2e; the check digit is the last digit of 11 − (S mod 11).
    """
    if len(base5) != 5 or not base5.isascii() or not base5.isdigit():
        raise ValueError("団体コードの基礎番号は5桁の数字です")
    remainder = sum(int(d) * w for d, w in zip(base5, _LG_WEIGHTS, strict=True)) % 11
    return (11 - remainder) % 10


def is_valid_lg_code(value: str) -> bool:
    """True for a 6-digit 地方公共団体コード with a correct check digit."""
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        return False
    return lg_check_digit(value[:5]) == int(value[5])


def m11w27_remainder(base: str) -> int:
    """Σ digit × weight mod 11, weights 2,3,4,5,6,7,2,… from the rightmost digit (M11W2〜7)."""
    if not base or not base.isascii() or not base.isdigit():
        raise ValueError("数字のみを指定してください")
    total, weight = 0, 2
    for digit in reversed(base):
        total += int(digit) * weight
        weight = 2 if weight == 7 else weight + 1
    return total % 11


def atena_check_digit(base: str) -> int | None:
    """宛名番号の検査数字 (共通機能標準仕様書 §2.3 注: M11W2〜7, 余り0なら0).

    Remainder 1 (11 − 1 = 10) is not defined by the specification: we return None and the numbering
    service skips such serials (decision recorded in docs/decisions/atena-check-digit.md).
    """
    remainder = m11w27_remainder(base)
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def is_valid_atena_number(value: str, *, accept_remainder_one_as_zero: bool = False) -> bool:
    """True when the last digit of ``value`` is its 宛名番号 check digit.

    ``accept_remainder_one_as_zero`` admits migrated numbers whose former system wrote 0 for remainder 1.
    """
    if len(value) < 2 or not value.isascii() or not value.isdigit():
        return False
    expected = atena_check_digit(value[:-1])
    if expected is None:
        return accept_remainder_one_as_zero and value[-1] == "0"
    return expected == int(value[-1])


def jumin_code_check_digit_kokuji436(base10: str) -> int:
    """住民票コードの検査数字 — PROBABLE formula (平成14年総務省告示第436号 not yet read in the 官報).

    Weights 5,4,3,2,7,6,5,4,3,2 left to right, remainder ≤ 1 ⇒ 0. Consistent with three published
    sample codes (shared/specs/spec-resident-2.md §3.1). Selected through ``JUMIN_CODE_VALIDATORS``.
    """
    if len(base10) != 10 or not base10.isascii() or not base10.isdigit():
        raise ValueError("住民票コードの基礎番号は10桁の数字です")
    remainder = sum(int(d) * w for d, w in zip(base10, _MYNUMBER_WEIGHTS[1:], strict=True)) % 11
    return 0 if remainder <= 1 else 11 - remainder


def _digits11(value: str) -> bool:
    return len(value) == 11 and value.isascii() and value.isdigit()


def _jumin_code_kokuji436(value: str) -> bool:
    return _digits11(value) and jumin_code_check_digit_kokuji436(value[:10]) == int(value[10])


JUMIN_CODE_VALIDATORS: dict[str, Callable[[str], bool]] = {
    "digits_only": _digits11,
    "kokuji436_probable": _jumin_code_kokuji436,
}


def is_valid_jumin_code(value: str, *, validator: str = "digits_only") -> bool:
    """住民票コード (11 digits). The check-digit rule is pluggable until the 告示 text is confirmed."""
    try:
        return JUMIN_CODE_VALIDATORS[validator](value)
    except KeyError:
        raise ValueError(f"住民票コードの検査方式 {validator!r} はありません") from None
