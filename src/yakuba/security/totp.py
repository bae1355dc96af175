"""TOTP second factor (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps — what authenticator apps use).

The guideline requires two or more factors for マイナンバー利用事務系 logins (cross-cutting.md
§1.4「Authentication」); a TOTP app or token is the *possession* factor next to the password.
Nothing here needs the Internet: the QR code is rendered locally as inline SVG (no Pillow).

:func:`verify_totp` returns the accepted time step; store it per user and pass it back as
``last_used_step`` next time so a code (or an earlier one) cannot be replayed.
"""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathImage

from yakuba.kernel import clock

__all__ = ["DIGITS", "INTERVAL", "VALID_WINDOW", "new_secret", "provisioning_uri", "qr_svg", "verify_totp"]

DIGITS = 6
INTERVAL = 30
VALID_WINDOW = 1  # accept the previous and next step too (clock drift, slow typing)


def new_secret() -> str:
    """A random base32 secret of 160 bits (RFC 4226 recommends at least 128, 160 advised)."""
    return pyotp.random_base32(length=32)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)


def provisioning_uri(secret: str, *, login: str, issuer: str) -> str:
    """The ``otpauth://totp/...`` URI an authenticator app reads from the QR code."""
    return _totp(secret).provisioning_uri(name=login, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The URI as a QR code in an inline ``<svg>`` element (qrcode's pure-Python SVG path factory)."""
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4, image_factory=SvgPathImage
    )
    qr.add_data(uri)
    qr.make(fit=True)
    svg = qr.make_image().to_string(encoding="unicode")
    return str(svg)


def _time_step(at: datetime) -> int:
    if at.tzinfo is None:
        raise ValueError("at はタイムゾーン付きの日時にしてください（例: datetime.now(UTC)）")
    return int(at.timestamp()) // INTERVAL


def verify_totp(
    secret: str, code: str, *, at: datetime | None = None, last_used_step: int | None = None
) -> int | None:
    """The time step the code belongs to if it is valid at ``at`` (±1 step), else None.

    A step ≤ ``last_used_step`` is rejected (replay protection). Spaces in the code are ignored.
    """
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    totp = _totp(secret)
    current = _time_step(at or clock.now())
    for step in (current, current - 1, current + 1):
        if step < 0 or (last_used_step is not None and step <= last_used_step):
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
