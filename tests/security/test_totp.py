from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlparse

import pyotp
import pytest

from yakuba.kernel import clock
from yakuba.security.totp import new_secret, provisioning_uri, qr_svg, verify_totp

# RFC 6238 Appendix B: the SHA1 seed is the ASCII string "12345678901234567890".
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode("ascii")
RFC_SHA1_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@pytest.mark.parametrize(("unix_time", "expected"), RFC_SHA1_VECTORS)
def test_rfc6238_appendix_b_sha1_vectors(unix_time: int, expected: str) -> None:
    # 8-digit values straight from the RFC table ...
    assert pyotp.TOTP(RFC_SECRET, digits=8).at(unix_time) == expected
    # ... and our 6-digit verifier accepts the same truncated value (last 6 digits) at that step.
    assert verify_totp(RFC_SECRET, expected[-6:], at=_at(unix_time)) == unix_time // 30


def test_new_secret_is_base32_of_160_bits() -> None:
    secret = new_secret()
    assert len(base64.b32decode(secret)) == 20
    assert secret != new_secret()


def test_current_code_is_accepted_and_returns_step() -> None:
    secret = new_secret()
    now = datetime(2025, 4, 1, 9, 0, 15, tzinfo=UTC)
    code = pyotp.TOTP(secret).at(now)
    assert verify_totp(secret, code, at=now) == int(now.timestamp()) // 30
    assert verify_totp(secret, code[:3] + " " + code[3:], at=now) is not None  # spaces ignored


def test_window_is_one_step_each_way() -> None:
    secret = new_secret()
    now = datetime(2025, 4, 1, 9, 0, 15, tzinfo=UTC)
    step = int(now.timestamp()) // 30
    totp = pyotp.TOTP(secret)
    assert verify_totp(secret, totp.generate_otp(step - 1), at=now) == step - 1
    assert verify_totp(secret, totp.generate_otp(step + 1), at=now) == step + 1
    assert verify_totp(secret, totp.generate_otp(step - 2), at=now) is None
    assert verify_totp(secret, totp.generate_otp(step + 2), at=now) is None


def test_replay_is_rejected() -> None:
    secret = new_secret()
    now = datetime(2025, 4, 1, 9, 0, 15, tzinfo=UTC)
    code = pyotp.TOTP(secret).at(now)
    used = verify_totp(secret, code, at=now)
    assert used is not None
    assert verify_totp(secret, code, at=now, last_used_step=used) is None
    assert verify_totp(secret, code, at=now + timedelta(seconds=20), last_used_step=used) is None
    # an older code is not accepted after a newer one was used
    previous = pyotp.TOTP(secret).generate_otp(used - 1)
    assert verify_totp(secret, previous, at=now, last_used_step=used) is None
    # the next step's code is still fine
    later = now + timedelta(seconds=30)
    assert verify_totp(secret, pyotp.TOTP(secret).at(later), at=later, last_used_step=used) == used + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "１２３４５６"])
def test_malformed_codes_are_rejected(code: str) -> None:
    assert verify_totp(RFC_SECRET, code, at=_at(59)) is None


def test_wrong_code_is_rejected() -> None:
    assert verify_totp(RFC_SECRET, "000000", at=_at(59)) is None


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError):
        verify_totp(RFC_SECRET, "287082", at=datetime(1970, 1, 1, 0, 0, 59))


def test_default_time_is_now() -> None:
    secret = new_secret()
    assert verify_totp(secret, pyotp.TOTP(secret).at(clock.now())) is not None


def test_provisioning_uri_round_trips_through_pyotp() -> None:
    secret = new_secret()
    uri = provisioning_uri(secret, login="yamada", issuer="やくば町")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert unquote(parsed.path) == "/やくば町:yamada"
    query = parse_qs(parsed.query)
    assert query["secret"] == [secret]
    assert query["issuer"] == ["やくば町"]
    assert pyotp.parse_uri(uri).secret == secret


def test_qr_svg_is_inline_svg() -> None:
    uri = provisioning_uri(new_secret(), login="yamada", issuer="やくば町")
    svg = qr_svg(uri)
    assert isinstance(svg, str)
    assert svg.startswith("<svg") and not svg.startswith("<?xml")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}path") is not None
