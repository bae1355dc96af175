from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from yakuba.security.crypto import (
    DEFAULT_KEY_FILE_NAME,
    ENV_VAR,
    DecryptionError,
    FieldCipher,
    KeyRing,
    KeyRingError,
    UnknownKeyError,
)

CTX = "resident.mynumber"
MYNUMBER = "123456789018"
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")

# One in-memory ring for the property test (Hypothesis dislikes function-scoped fixtures).
_RING = KeyRing.new()
_CIPHER = FieldCipher(_RING)


@pytest.fixture
def cipher() -> FieldCipher:
    return FieldCipher(KeyRing.new())


def _flip_char(token: str, index: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    replacement = "A" if token[index] != "A" else "B"
    assert replacement in alphabet
    return token[:index] + replacement + token[index + 1 :]


# ----- encrypt / decrypt -------------------------------------------------------------------------


def test_round_trip_and_token_shape(cipher: FieldCipher) -> None:
    token = cipher.encrypt(MYNUMBER, context=CTX)
    version, key_id, payload = token.split(".")
    assert version == "v1"
    assert key_id == cipher.keyring.active_key_id
    assert "=" not in payload and "+" not in payload and "/" not in payload
    assert cipher.decrypt(token, context=CTX) == MYNUMBER


def test_same_value_gives_different_tokens(cipher: FieldCipher) -> None:
    assert cipher.encrypt(MYNUMBER, context=CTX) != cipher.encrypt(MYNUMBER, context=CTX)


def test_ciphertext_never_contains_the_plaintext(cipher: FieldCipher) -> None:
    for value in (MYNUMBER, "山田太郎", "aaaaaaaaaaaaaaaaaaaaaaaa"):
        token = cipher.encrypt(value, context=CTX)
        assert value not in token
        _, _, payload = token.split(".")
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        assert value.encode("utf-8") not in raw
        assert value.encode("utf-8") not in base64.b64decode(base64.b64encode(raw))


def test_tampering_any_payload_character_fails(cipher: FieldCipher) -> None:
    token = cipher.encrypt(MYNUMBER, context=CTX)
    prefix_len = token.rindex(".") + 1
    for index in range(prefix_len, len(token)):
        with pytest.raises(DecryptionError):
            cipher.decrypt(_flip_char(token, index), context=CTX)


def test_tampering_one_raw_byte_fails(cipher: FieldCipher) -> None:
    token = cipher.encrypt(MYNUMBER, context=CTX)
    head, payload = token.rsplit(".", 1)
    raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    for index in range(len(raw)):
        forged = bytearray(raw)
        forged[index] ^= 0x01
        forged_token = head + "." + base64.urlsafe_b64encode(bytes(forged)).rstrip(b"=").decode()
        with pytest.raises(DecryptionError, match="復号できません"):
            cipher.decrypt(forged_token, context=CTX)


def test_truncated_or_extended_token_fails(cipher: FieldCipher) -> None:
    token = cipher.encrypt(MYNUMBER, context=CTX)
    for bad in (token[:-1], token + "A", token[:-4], "v1." + cipher.keyring.active_key_id + ".AAAA"):
        with pytest.raises(DecryptionError):
            cipher.decrypt(bad, context=CTX)


def test_wrong_context_fails(cipher: FieldCipher) -> None:
    token = cipher.encrypt(MYNUMBER, context=CTX)
    with pytest.raises(DecryptionError, match=r"tax_payer\.mynumber"):
        cipher.decrypt(token, context="tax_payer.mynumber")


@pytest.mark.parametrize(
    "bad", ["", "v2.k1.AAAA", "v1..AAAA", "v1.k1", "v1.k1.AA.AA", "v1.k/1.AAAA", "v1.k1.@@@@"]
)
def test_malformed_tokens_are_rejected(cipher: FieldCipher, bad: str) -> None:
    with pytest.raises(DecryptionError, match="形式"):
        cipher.decrypt(bad, context=CTX)


def test_token_from_another_ring_is_an_unknown_key(cipher: FieldCipher) -> None:
    foreign = FieldCipher(KeyRing.new()).encrypt(MYNUMBER, context=CTX)
    with pytest.raises(UnknownKeyError, match="鍵ID"):
        cipher.decrypt(foreign, context=CTX)


@pytest.mark.parametrize("context", ["", "a\x00b"])
def test_context_must_be_a_nonempty_string(cipher: FieldCipher, context: str) -> None:
    with pytest.raises(ValueError):
        cipher.encrypt(MYNUMBER, context=context)
    with pytest.raises(ValueError):
        cipher.blind_index(MYNUMBER, context=context)


@given(text=st.text(), context=st.text(min_size=1).filter(lambda c: "\x00" not in c))
@example(text="葛\U000e0100飾区", context=CTX)  # IVS: 葛 + VS17, must survive unchanged
@example(text="辻\U000e0101󠄁", context=CTX)
@example(text="👨‍👩‍👧‍👦🇯🇵", context=CTX)  # ZWJ sequence and a flag
@example(text="\ue000\uf8ff髙﨑", context=CTX)  # private use (MJ 追加文字) and 異体字
@example(text="ｶﾞ", context=CTX)  # half-width: not normalised
@example(text="", context=CTX)
def test_round_trip_property(text: str, context: str) -> None:
    token = _CIPHER.encrypt(text, context=context)
    assert _CIPHER.decrypt(token, context=context) == text
    assert token.isascii()


# ----- rotation ----------------------------------------------------------------------------------


def test_rotation_keeps_old_tokens_and_reencrypt_moves_them(tmp_path: Path) -> None:
    ring = KeyRing.generate(tmp_path)
    old_cipher = FieldCipher(ring)
    old_token = old_cipher.encrypt(MYNUMBER, context=CTX)
    old_key = ring.active_key_id

    rotated = ring.rotate(tmp_path)
    assert rotated.active_key_id != old_key
    assert set(rotated.key_ids) == {old_key, rotated.active_key_id}
    assert KeyRing.load(tmp_path) == rotated

    cipher = FieldCipher(KeyRing.load(tmp_path))
    assert cipher.decrypt(old_token, context=CTX) == MYNUMBER
    assert cipher.needs_rotation(old_token)

    new_token = cipher.reencrypt(old_token, context=CTX)
    assert new_token.split(".")[1] == rotated.active_key_id
    assert not cipher.needs_rotation(new_token)
    assert cipher.decrypt(new_token, context=CTX) == MYNUMBER
    assert cipher.reencrypt(new_token, context=CTX) == new_token
    assert cipher.key_id_of(new_token) == rotated.active_key_id


def test_reencrypt_verifies_the_token(tmp_path: Path) -> None:
    ring = KeyRing.generate(tmp_path)
    token = FieldCipher(ring).encrypt(MYNUMBER, context=CTX)
    cipher = FieldCipher(ring.rotate(tmp_path))
    with pytest.raises(DecryptionError):
        cipher.reencrypt(token, context="other.column")


def test_rotate_refuses_when_file_changed_underneath(tmp_path: Path) -> None:
    ring = KeyRing.generate(tmp_path)
    ring.rotate(tmp_path)
    with pytest.raises(KeyRingError, match="変更されています"):
        ring.rotate(tmp_path)  # stale copy: would drop the other rotation's key
    assert len(KeyRing.load(tmp_path).data_keys) == 2


@posix_only
def test_rotate_keeps_file_mode_0600_and_leaves_no_temp_files(tmp_path: Path) -> None:
    KeyRing.generate(tmp_path).rotate(tmp_path)
    assert stat.S_IMODE((tmp_path / DEFAULT_KEY_FILE_NAME).stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [DEFAULT_KEY_FILE_NAME]


# ----- blind index -------------------------------------------------------------------------------


def test_blind_index_equal_for_equal_values(cipher: FieldCipher) -> None:
    first = cipher.blind_index(MYNUMBER, context=CTX)
    assert first == cipher.blind_index(MYNUMBER, context=CTX)
    assert len(first) == 32 and all(c in "0123456789abcdef" for c in first)
    assert MYNUMBER not in first


def test_blind_index_differs_for_values_contexts_and_rings(cipher: FieldCipher) -> None:
    base = cipher.blind_index(MYNUMBER, context=CTX)
    assert base != cipher.blind_index("123456789026", context=CTX)
    assert base != cipher.blind_index(MYNUMBER, context="tax_payer.mynumber")
    assert base != FieldCipher(KeyRing.new()).blind_index(MYNUMBER, context=CTX)
    # a separator keeps (context, value) pairs apart: ("ab", "c") and ("a", "bc") both concatenate to "abc"
    assert cipher.blind_index("c", context="ab") != cipher.blind_index("bc", context="a")


def test_blind_index_does_not_normalise(cipher: FieldCipher) -> None:
    assert cipher.blind_index("葛\U000e0100", context=CTX) != cipher.blind_index("葛", context=CTX)


def test_blind_index_unchanged_by_rotation(tmp_path: Path) -> None:
    ring = KeyRing.generate(tmp_path)
    before = FieldCipher(ring).blind_index(MYNUMBER, context=CTX)
    rotated = ring.rotate(tmp_path)
    assert rotated.index_key == ring.index_key
    assert FieldCipher(rotated).blind_index(MYNUMBER, context=CTX) == before


# ----- key files ---------------------------------------------------------------------------------


@posix_only
def test_generate_creates_folder_0700_and_file_0600(tmp_path: Path) -> None:
    key_dir = tmp_path / "var" / "keys"
    KeyRing.generate(key_dir)
    assert stat.S_IMODE(key_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((key_dir / DEFAULT_KEY_FILE_NAME).stat().st_mode) == 0o600


def test_generate_refuses_to_overwrite(tmp_path: Path) -> None:
    ring = KeyRing.generate(tmp_path)
    before = (tmp_path / DEFAULT_KEY_FILE_NAME).read_bytes()
    with pytest.raises(KeyRingError, match="既にあります"):
        KeyRing.generate(tmp_path)
    assert (tmp_path / DEFAULT_KEY_FILE_NAME).read_bytes() == before
    assert KeyRing.load(tmp_path) == ring


def test_load_accepts_folder_or_file_path(tmp_path: Path) -> None:
    ring = KeyRing.generate(tmp_path / "keys")
    assert KeyRing.load(tmp_path / "keys") == ring
    assert KeyRing.load(tmp_path / "keys" / DEFAULT_KEY_FILE_NAME) == ring
    custom = KeyRing.generate(tmp_path / "other.json")
    assert KeyRing.load(tmp_path / "other.json") == custom


def test_load_or_create_creates_once(tmp_path: Path) -> None:
    first = KeyRing.load_or_create(tmp_path / "keys")
    assert KeyRing.load_or_create(tmp_path / "keys") == first


def test_load_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KeyRingError, match="ありません"):
        KeyRing.load(tmp_path)


@posix_only
def test_load_refuses_a_world_readable_key_file(tmp_path: Path) -> None:
    KeyRing.generate(tmp_path)
    os.chmod(tmp_path / DEFAULT_KEY_FILE_NAME, 0o644)
    with pytest.raises(KeyRingError, match="権限が広すぎます"):
        KeyRing.load(tmp_path)


@posix_only
@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(format="something-else"),
        lambda d: d.update(version=2),
        lambda d: d.update(active_key_id="nope"),
        lambda d: d.update(index_key="c2hvcnQ="),
        lambda d: d["data_keys"][0].update(key="!!not base64!!"),
        lambda d: d.update(data_keys=[]),
    ],
)
def test_load_rejects_broken_files(tmp_path: Path, mutate: object) -> None:
    KeyRing.generate(tmp_path)
    file = tmp_path / DEFAULT_KEY_FILE_NAME
    doc = json.loads(file.read_text())
    mutate(doc)  # type: ignore[operator]
    file.write_text(json.dumps(doc))
    with pytest.raises(KeyRingError):
        KeyRing.load(tmp_path)


def test_key_material_is_not_in_repr(tmp_path: Path) -> None:
    ring = KeyRing.generate(tmp_path)
    text = repr(ring) + repr(ring.data_keys) + repr(FieldCipher(ring))
    for secret in [ring.index_key, *(k.key for k in ring.data_keys)]:
        assert base64.b64encode(secret).decode() not in text
        assert repr(secret) not in text


# ----- environment variable ----------------------------------------------------------------------


def test_from_env_reads_base64_json(tmp_path: Path) -> None:
    ring = KeyRing.generate(tmp_path)
    env = {ENV_VAR: ring.to_env_value()}
    assert KeyRing.from_env(env) == ring
    assert KeyRing.from_env({ENV_VAR: ring.to_json()}) == ring  # raw JSON tolerated
    token = FieldCipher(ring).encrypt(MYNUMBER, context=CTX)
    assert FieldCipher(KeyRing.from_env(env) or ring).decrypt(token, context=CTX) == MYNUMBER


def test_from_env_unset_and_invalid() -> None:
    assert KeyRing.from_env({}) is None
    assert KeyRing.from_env({ENV_VAR: "  "}) is None
    with pytest.raises(KeyRingError, match=ENV_VAR):
        KeyRing.from_env({ENV_VAR: "***"})
    with pytest.raises(KeyRingError, match=ENV_VAR):
        KeyRing.from_env({ENV_VAR: base64.b64encode(b'{"format": "x"}').decode()})


def test_for_deployment_prefers_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    injected = KeyRing.new()
    monkeypatch.setenv(ENV_VAR, injected.to_env_value())
    assert KeyRing.for_deployment(tmp_path / "keys") == injected
    assert not (tmp_path / "keys").exists()
    monkeypatch.delenv(ENV_VAR)
    from_file = KeyRing.for_deployment(tmp_path / "keys")
    assert (tmp_path / "keys" / DEFAULT_KEY_FILE_NAME).exists()
    assert KeyRing.for_deployment(tmp_path / "keys") == from_file
