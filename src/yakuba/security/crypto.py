"""Field encryption for items whose handling label says 暗号化必須 (個人番号 etc.).

The guideline asks that high-confidentiality data be encrypted in storage and that the keys be
managed apart from it (cross-cutting.md §1.3 取扱制限「暗号化必須」, §1.4 Encryption). So:

* the keys live in a :class:`KeyRing` — a JSON file in ``Settings.key_dir`` (git-ignored, folder
  0700, file 0600) or, for deployments that inject secrets, the environment variable
  ``YAKUBA_FIELD_KEYS`` holding the same JSON in base64; never in the database;
* each value is sealed with AES-256-GCM under the *active* data key, with the column it belongs
  to (``context``, e.g. ``"resident.mynumber"``) bound as associated data, so a ciphertext copied
  into another column does not decrypt;
* the stored token names its key (``v1.<key_id>.<base64url(nonce || ciphertext+tag)>``), so after
  :meth:`KeyRing.rotate` old rows still decrypt and can be moved over with
  :meth:`FieldCipher.reencrypt` at leisure;
* exact-match search uses a *blind index*: a keyed HMAC-SHA256 of the value under a separate index
  key that rotation leaves alone, so the index column never needs rebuilding on rotation.

Values are encrypted exactly as given — no Unicode normalisation (§5: keep IVS, never NFC/NFKC).
A caller that wants a looser match (e.g. 個人番号 without hyphens) normalises *before* calling
:meth:`FieldCipher.blind_index`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from yakuba.errors import YakubaError
from yakuba.kernel import clock

__all__ = [
    "DEFAULT_KEY_FILE_NAME",
    "ENV_VAR",
    "DataKey",
    "DecryptionError",
    "FieldCipher",
    "KeyRing",
    "KeyRingError",
    "UnknownKeyError",
]

DEFAULT_KEY_FILE_NAME = "field-keys.json"
ENV_VAR = "YAKUBA_FIELD_KEYS"

_FORMAT = "yakuba-field-keys"
_FORMAT_VERSION = 1
_TOKEN_VERSION = "v1"
_KEY_BYTES = 32  # AES-256 and the HMAC-SHA256 index key
_NONCE_BYTES = 12  # 96-bit GCM nonce, random per value
_TAG_BYTES = 16
_BLIND_INDEX_HEX = 32  # 128 bits of HMAC-SHA256
_KEY_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
_AAD_PREFIX = b"yakuba-field\x00" + _TOKEN_VERSION.encode() + b"\x00"
_INDEX_PREFIX = b"yakuba-blind-index\x00v1\x00"


class KeyRingError(YakubaError):
    """The key ring cannot be read, written or trusted. Never carries key material."""

    http_status = 500


class DecryptionError(YakubaError):
    """A stored token does not decrypt: malformed, tampered, wrong context or wrong key."""

    http_status = 500


class UnknownKeyError(DecryptionError):
    """The token names a data key that is not in the key ring (retired, or a different ring)."""


@dataclass(frozen=True, repr=False)
class DataKey:
    """One AES-256-GCM data key. ``created_at`` is ISO 8601 UTC, for the operators' benefit."""

    key_id: str
    key: bytes
    created_at: str

    def __repr__(self) -> str:
        return f"DataKey(key_id={self.key_id!r}, created_at={self.created_at!r})"


def _b64encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _b64decode(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise KeyRingError(f"鍵ファイル: {what} が文字列ではありません")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyRingError(f"鍵ファイル: {what} が base64 として読めません") from None


def _new_key_id(existing: Mapping[str, DataKey] | None = None) -> str:
    while True:
        key_id = f"k{clock.now():%Y%m%d}-{secrets.token_hex(3)}"
        if not existing or key_id not in existing:
            return key_id


def _now_iso() -> str:
    return clock.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _resolve(path: Path | str) -> Path:
    """A key folder (like ``Settings.key_dir``) means the default file inside it."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() != ".json":
        return path / DEFAULT_KEY_FILE_NAME
    return path


def _ensure_folder(folder: Path) -> None:
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(folder, 0o700)  # mkdir's mode is reduced by the umask; be explicit


def _write_exclusive(path: Path, text: str) -> None:
    """Create ``path`` with mode 0600; fail if it exists (never clobber keys)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)  # raises FileExistsError before anything is touched
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        if fd != -1:
            os.close(fd)
        path.unlink(missing_ok=True)
        raise


@dataclass(frozen=True, repr=False)
class KeyRing:
    """Data keys (one active) plus the blind-index key. Immutable: rotation returns a new ring."""

    data_keys: tuple[DataKey, ...]
    active_key_id: str
    index_key: bytes

    def __post_init__(self) -> None:
        ids = [k.key_id for k in self.data_keys]
        if not ids:
            raise KeyRingError("鍵ファイル: データ鍵が1つもありません")
        if len(set(ids)) != len(ids):
            raise KeyRingError("鍵ファイル: データ鍵の鍵IDが重複しています")
        for data_key in self.data_keys:
            if not _KEY_ID_RE.fullmatch(data_key.key_id):
                raise KeyRingError(
                    f"鍵ファイル: 鍵ID {data_key.key_id!r} は英数字・-・_ の32文字以内にしてください"
                )
            if len(data_key.key) != _KEY_BYTES:
                raise KeyRingError(f"鍵ファイル: 鍵ID {data_key.key_id} の鍵が256ビットではありません")
        if self.active_key_id not in ids:
            raise KeyRingError(f"鍵ファイル: 有効鍵ID {self.active_key_id!r} がデータ鍵の中にありません")
        if len(self.index_key) != _KEY_BYTES:
            raise KeyRingError("鍵ファイル: 索引鍵が256ビットではありません")

    def __repr__(self) -> str:
        ids = ", ".join(k.key_id for k in self.data_keys)
        return f"KeyRing(active={self.active_key_id!r}, data_keys=[{ids}])"

    # ----- construction -------------------------------------------------------------------

    @classmethod
    def new(cls) -> KeyRing:
        """A fresh in-memory ring with one data key and one index key (nothing is written)."""
        first = DataKey(_new_key_id(), AESGCM.generate_key(bit_length=256), _now_iso())
        return cls(data_keys=(first,), active_key_id=first.key_id, index_key=secrets.token_bytes(_KEY_BYTES))

    @classmethod
    def from_json(cls, text: str | bytes, *, source: str = "鍵ファイル") -> KeyRing:
        try:
            doc = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise KeyRingError(f"{source}: JSON として読めません") from None
        if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
            raise KeyRingError(f"{source}: yakuba のフィールド暗号鍵ファイルではありません")
        if doc.get("version") != _FORMAT_VERSION:
            raise KeyRingError(f"{source}: 未対応の版です（{doc.get('version')!r}）")
        raw_keys = doc.get("data_keys")
        if not isinstance(raw_keys, list):
            raise KeyRingError(f"{source}: data_keys がありません")
        keys = []
        for item in raw_keys:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise KeyRingError(f"{source}: data_keys の要素が正しくありません")
            keys.append(
                DataKey(
                    key_id=item["id"],
                    key=_b64decode(item.get("key"), f"鍵ID {item['id']} の鍵"),
                    created_at=str(item.get("created_at", "")),
                )
            )
        active = doc.get("active_key_id")
        if not isinstance(active, str):
            raise KeyRingError(f"{source}: active_key_id がありません")
        index_key = _b64decode(doc.get("index_key"), "索引鍵")
        return cls(data_keys=tuple(keys), active_key_id=active, index_key=index_key)

    def to_json(self) -> str:
        doc = {
            "format": _FORMAT,
            "version": _FORMAT_VERSION,
            "active_key_id": self.active_key_id,
            "data_keys": [
                {"id": k.key_id, "key": _b64encode(k.key), "created_at": k.created_at} for k in self.data_keys
            ],
            "index_key": _b64encode(self.index_key),
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    def to_env_value(self) -> str:
        """The value to put in ``YAKUBA_FIELD_KEYS`` (base64 of :meth:`to_json`)."""
        return _b64encode(self.to_json().encode("utf-8"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> KeyRing | None:
        """The ring from ``YAKUBA_FIELD_KEYS`` (base64 JSON; raw JSON also accepted), or None if unset."""
        env = os.environ if environ is None else environ
        value = (env.get(ENV_VAR) or "").strip()
        if not value:
            return None
        if value.startswith("{"):
            return cls.from_json(value, source=ENV_VAR)
        compact = "".join(value.split())
        try:
            decoded = base64.b64decode(compact, validate=True)
        except (binascii.Error, ValueError):
            try:
                decoded = base64.urlsafe_b64decode(compact + "=" * (-len(compact) % 4))
            except (binascii.Error, ValueError):
                raise KeyRingError(f"{ENV_VAR}: base64 として読めません") from None
        return cls.from_json(decoded, source=ENV_VAR)

    # ----- files --------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | str) -> KeyRing:
        """Read the key file (``path`` may be the key folder). Refuses a file others can read."""
        file = _resolve(path)
        try:
            if os.name == "posix":
                mode = file.stat().st_mode & 0o777
                if mode & 0o077:
                    raise KeyRingError(
                        f"鍵ファイル {file} の権限が広すぎます（{mode:o}）。"
                        "所有者のみ読めるよう chmod 600 にしてください"
                    )
            text = file.read_bytes()
        except FileNotFoundError:
            raise KeyRingError(f"鍵ファイル {file} がありません") from None
        except OSError as exc:
            raise KeyRingError(f"鍵ファイル {file} を読めません（{exc.strerror}）") from None
        return cls.from_json(text, source=f"鍵ファイル {file}")

    @classmethod
    def generate(cls, path: Path | str) -> KeyRing:
        """Create a new ring and write it (folder 0700, file 0600). Never overwrites a key file."""
        file = _resolve(path)
        _ensure_folder(file.parent)
        ring = cls.new()
        try:
            _write_exclusive(file, ring.to_json())
        except FileExistsError:
            raise KeyRingError(
                f"鍵ファイル {file} は既にあります。上書きすると既存データが復号できなくなります"
            ) from None
        return ring

    @classmethod
    def load_or_create(cls, path: Path | str) -> KeyRing:
        """Load the key file, creating it on first use."""
        file = _resolve(path)
        if file.exists():
            return cls.load(file)
        try:
            return cls.generate(file)
        except KeyRingError:
            if file.exists():  # another process created it first
                return cls.load(file)
            raise

    @classmethod
    def for_deployment(cls, key_dir: Path | str, environ: Mapping[str, str] | None = None) -> KeyRing:
        """``YAKUBA_FIELD_KEYS`` if set (injected secret), else the file in ``key_dir`` (made if missing)."""
        return cls.from_env(environ) or cls.load_or_create(key_dir)

    # ----- rotation -----------------------------------------------------------------------

    def with_new_key(self) -> KeyRing:
        """A copy with a fresh data key made active; old keys stay for decryption; index key kept."""
        existing = {k.key_id: k for k in self.data_keys}
        fresh = DataKey(_new_key_id(existing), AESGCM.generate_key(bit_length=256), _now_iso())
        return replace(self, data_keys=(*self.data_keys, fresh), active_key_id=fresh.key_id)

    def rotate(self, path: Path | str) -> KeyRing:
        """Add a data key, make it active and save the ring to ``path`` atomically (mode 0600).

        Refuses if the file no longer holds this ring (someone else rotated in between), so no key
        is ever lost. Returns the new ring; build a new :class:`FieldCipher` from it.
        """
        file = _resolve(path)
        if KeyRing.load(file) != self:
            raise KeyRingError(
                f"鍵ファイル {file} は読み込み後に変更されています。読み直してから鍵を更新してください"
            )
        rotated = self.with_new_key()
        temp = file.with_name(f".{file.name}.{secrets.token_hex(4)}.tmp")
        _write_exclusive(temp, rotated.to_json())
        try:
            os.replace(temp, file)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return rotated

    # ----- lookup -------------------------------------------------------------------------

    @property
    def active_key(self) -> DataKey:
        return self.key(self.active_key_id)

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(k.key_id for k in self.data_keys)

    def key(self, key_id: str) -> DataKey:
        for data_key in self.data_keys:
            if data_key.key_id == key_id:
                return data_key
        raise UnknownKeyError(f"暗号文の鍵ID {key_id!r} は鍵ファイルにありません")


def _check_context(context: str) -> bytes:
    if not isinstance(context, str) or not context or "\x00" in context:
        raise ValueError("context は空でない文字列（例: 'resident.mynumber'）で、NUL を含めないでください")
    return context.encode("utf-8")


class FieldCipher:
    """Encrypts/decrypts single field values with a :class:`KeyRing`. Stateless apart from the ring."""

    def __init__(self, keyring: KeyRing) -> None:
        self.keyring = keyring
        self._aead = {k.key_id: AESGCM(k.key) for k in keyring.data_keys}

    def __repr__(self) -> str:
        return f"FieldCipher({self.keyring!r})"

    @staticmethod
    def _aad(key_id: str, context: str) -> bytes:
        return _AAD_PREFIX + key_id.encode("ascii") + b"\x00" + _check_context(context)

    def encrypt(self, plaintext: str, *, context: str) -> str:
        """Seal ``plaintext`` under the active key, bound to ``context`` (e.g. ``"table.column"``)."""
        if not isinstance(plaintext, str):
            raise TypeError("plaintext must be str")
        key_id = self.keyring.active_key_id
        aad = self._aad(key_id, context)
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._aead[key_id].encrypt(nonce, plaintext.encode("utf-8"), aad)
        payload = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
        return f"{_TOKEN_VERSION}.{key_id}.{payload}"

    @staticmethod
    def _parse(token: str) -> tuple[str, bytes]:
        if not isinstance(token, str):
            raise DecryptionError("暗号文の形式が正しくありません（文字列ではありません）")
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != _TOKEN_VERSION or not _KEY_ID_RE.fullmatch(parts[1]):
            raise DecryptionError("暗号文の形式が正しくありません（v1.<鍵ID>.<本体> ではありません）")
        payload = parts[2]
        try:
            raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        except (binascii.Error, ValueError):
            raise DecryptionError("暗号文の形式が正しくありません（本体が base64url でない）") from None
        # Only the canonical encoding is accepted, so every character of the token is authenticated.
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != payload:
            raise DecryptionError("暗号文の形式が正しくありません（本体の符号化が正規形ではありません）")
        if len(raw) < _NONCE_BYTES + _TAG_BYTES:
            raise DecryptionError("暗号文の形式が正しくありません（短すぎます）")
        return parts[1], raw

    def key_id_of(self, token: str) -> str:
        """The data key id a token was sealed with (no decryption)."""
        return self._parse(token)[0]

    def decrypt(self, token: str, *, context: str) -> str:
        """Open a token made by :meth:`encrypt` for the same ``context``, else :class:`DecryptionError`."""
        key_id, raw = self._parse(token)
        aead = self._aead.get(key_id)
        if aead is None:
            raise UnknownKeyError(
                f"暗号文の鍵ID {key_id!r} は鍵ファイルにありません（鍵の取り違え、または廃止済みの鍵）"
            )
        try:
            plain = aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], self._aad(key_id, context))
        except InvalidTag:
            raise DecryptionError(
                f"暗号文を復号できません（改ざん、または項目 {context!r} 以外の暗号文の可能性があります）"
            ) from None
        try:
            return plain.decode("utf-8")
        except UnicodeDecodeError:  # pragma: no cover - only reachable with a forged key
            raise DecryptionError("復号結果が UTF-8 ではありません") from None

    def needs_rotation(self, token: str) -> bool:
        """True if the token is sealed with a key other than the active one."""
        return self._parse(token)[0] != self.keyring.active_key_id

    def reencrypt(self, token: str, *, context: str) -> str:
        """The same value sealed under the active key (the token itself if it already is; verified)."""
        plaintext = self.decrypt(token, context=context)
        if not self.needs_rotation(token):
            return token
        return self.encrypt(plaintext, context=context)

    def blind_index(self, value: str, *, context: str) -> str:
        """Keyed HMAC-SHA256 (32 hex chars) for exact-match lookup; unaffected by data-key rotation.

        Different ``context`` values give unrelated indexes, so equal values in two columns cannot be
        joined through their index. No normalisation is applied: normalise before calling if needed.
        """
        if not isinstance(value, str):
            raise TypeError("value must be str")
        message = _INDEX_PREFIX + _check_context(context) + b"\x00" + value.encode("utf-8")
        return hmac.new(self.keyring.index_key, message, hashlib.sha256).hexdigest()[:_BLIND_INDEX_HEX]
