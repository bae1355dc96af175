from __future__ import annotations

import pytest

from yakuba.security.passwords import hash_password, needs_rehash, password_problems, verify_password

GOOD = "Sakura-2025-haru"


def test_hash_verifies_and_wrong_password_does_not() -> None:
    stored = hash_password(GOOD, fast=True)
    assert stored.startswith("$argon2id$")
    assert GOOD not in stored
    assert verify_password(stored, GOOD)
    assert not verify_password(stored, GOOD + "x")
    assert not verify_password(stored, "")


def test_hashes_are_salted() -> None:
    assert hash_password(GOOD, fast=True) != hash_password(GOOD, fast=True)


def test_verify_never_raises_on_garbage_hash() -> None:
    assert not verify_password("not-a-hash", GOOD)
    assert not verify_password("", GOOD)


def test_japanese_password_round_trip() -> None:
    stored = hash_password("やくば町の秘密1", fast=True)
    assert verify_password(stored, "やくば町の秘密1")
    assert not verify_password(stored, "やくば町の秘密2")


def test_default_parameters_are_argon2id_and_verify() -> None:
    stored = hash_password(GOOD)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(stored, GOOD)
    assert not needs_rehash(stored)


def test_needs_rehash_when_parameters_differ() -> None:
    fast = hash_password(GOOD, fast=True)
    assert not needs_rehash(fast, fast=True)
    assert needs_rehash(fast)
    assert needs_rehash("garbage")


def test_good_password_has_no_problems() -> None:
    assert password_problems(GOOD, login="yamada") == []


def test_too_short_is_reported_in_japanese() -> None:
    problems = password_problems("Ab1-short", login="yamada")
    assert problems == ["パスワードは12文字以上にしてください（現在9文字）。"]


def test_minimum_length_comes_from_argument() -> None:
    assert password_problems("Ab1-short", login="yamada", min_length=8) == []
    assert password_problems(GOOD, login="yamada", min_length=20) == [
        "パスワードは20文字以上にしてください（現在16文字）。"
    ]


@pytest.mark.parametrize("password", ["yamada-Sakura-2025", "xxYAMADA2025xxxx"])
def test_login_inside_password_is_rejected(password: str) -> None:
    assert "パスワードにログインIDを含めないでください。" in password_problems(password, login="Yamada")


@pytest.mark.parametrize(
    "password",
    ["abcdefghijklmn", "ABCDEFGHIJKLMN", "12345678901234", "!!!!!!!!!!!!!!", "あいうえおかきくけこさし"],
)
def test_single_character_class_is_rejected(password: str) -> None:
    problems = password_problems(password, login="yamada")
    assert problems == ["パスワードには英小文字・英大文字・数字・記号のうち2種類以上を混ぜてください。"]


def test_all_problems_are_listed_together() -> None:
    problems = password_problems("yamada", login="yamada")
    assert len(problems) == 3
    assert all(any("\u3040" <= ch <= "\u30ff" for ch in p) for p in problems)  # Japanese text


def test_empty_password() -> None:
    assert password_problems("", login="yamada") == ["パスワードは12文字以上にしてください（現在0文字）。"]
