"""Staff passwords: argon2id hashing and the password policy check.

The 総務省「地方公共団体における情報セキュリティポリシーに関するガイドライン」 (令和6年10月版 /
令和7年3月版; digest in cross-cutting.md §1.4「Authentication」) requires individual IDs and, for
マイナンバー利用事務系 functions, login with two or more factors — so a password is only the
*knowledge* factor and is always combined with :mod:`yakuba.security.totp` (possession). The
policy rules below (minimum length, no login name inside, more than one character class) are our
reading of the guideline's password-management expectations [要確認 against the primary]; the
minimum length is an argument so it can come from the municipality's parameter file.

Hashes are argon2id (RFC 9106) in PHC string format, so the parameters travel with each hash and
:func:`needs_rehash` can upgrade old hashes at the next successful login.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["DEFAULT_MIN_LENGTH", "hash_password", "needs_rehash", "password_problems", "verify_password"]

DEFAULT_MIN_LENGTH = 12


@cache
def _hasher(fast: bool) -> PasswordHasher:
    if fast:  # for tests only: still argon2id, but cheap
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    # RFC 9106 §4 second recommended option (64 MiB, t=3, p=4), argon2-cffi's default profile;
    # 32-byte hash, 16-byte random salt.
    return PasswordHasher(
        time_cost=3, memory_cost=65536, parallelism=4, hash_len=32, salt_len=16, type=Type.ID
    )


def hash_password(password: str, *, fast: bool = False) -> str:
    """An argon2id PHC string (``$argon2id$v=19$m=...``) with a random salt."""
    return _hasher(fast).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True if ``password`` matches ``password_hash``; False on mismatch or an unreadable hash.

    The hash carries its own parameters, so hashes made with ``fast=True`` verify too.
    """
    try:
        return _hasher(False).verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, *, fast: bool = False) -> bool:
    """True if the hash was made with other parameters than the current ones (or is unreadable)."""
    try:
        return _hasher(fast).check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


def _character_classes(password: str) -> set[str]:
    classes = set()
    for ch in password:
        if ch.isascii() and ch.islower():
            classes.add("英小文字")
        elif ch.isascii() and ch.isupper():
            classes.add("英大文字")
        elif ch.isdigit():
            classes.add("数字")
        else:
            classes.add("記号・その他")
    return classes


def password_problems(password: str, *, login: str, min_length: int = DEFAULT_MIN_LENGTH) -> list[str]:
    """Problems with a new password, as Japanese messages for the clerk; empty list = acceptable.

    Rules (総務省 情報セキュリティポリシーガイドライン, 認証・パスワード管理; see module docstring):
    at least ``min_length`` characters (default 12; 団体のパラメータで変更可), must not contain the
    login ID (case-insensitive), and must mix at least two character classes (英小文字・英大文字・
    数字・記号その他).
    """
    problems: list[str] = []
    length = len(password)
    if length < min_length:
        problems.append(f"パスワードは{min_length}文字以上にしてください（現在{length}文字）。")
    if login and login.casefold() in password.casefold():
        problems.append("パスワードにログインIDを含めないでください。")
    if password and len(_character_classes(password)) < 2:
        problems.append("パスワードには英小文字・英大文字・数字・記号のうち2種類以上を混ぜてください。")
    return problems
