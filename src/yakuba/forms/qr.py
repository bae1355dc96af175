"""The QR code of an issued copy (verification URL and code): the symbol ``qrcode`` would make, faster."""

from __future__ import annotations

import itertools
import re
import threading
from functools import lru_cache

import qrcode
from PIL import Image
from qrcode import util as qr_util
from reportlab.lib.utils import ImageReader

QR_BORDER = 1  # modules of quiet zone inside the printed square
QR_BOX = 4  # pixels a module


def qr_modules(payload: str) -> list[list[bool]]:
    """The QR code's modules (error correction M), with the mask pattern qrcode itself would choose.

    ``qrcode``'s ``make(fit=True)`` builds the symbol eight times and scores each with a pure-Python
    penalty (about 8 ms a certificate). Here the symbol is built once unmasked-for-test, the eight masked
    variants are XORs of bit rows, and :func:`_penalty` scores them with the same four rules as
    ``qrcode.util.lost_point`` (a test checks both pick the same mask), so the printed code is unchanged.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=QR_BORDER)
    code.add_data(payload)
    code.best_fit(start=None)
    code.makeImpl(True, 0)
    n = code.modules_count
    masks = _mask_rows(code.version, n)
    base = [_row_bits(row) for row in code.modules]
    best, best_points = 0, 0
    for pattern in range(8):
        rows = [b ^ m0 ^ mk for b, m0, mk in zip(base, masks[0], masks[pattern], strict=True)]
        points = _penalty(rows, n)
        if pattern == 0 or best_points > points:
            best, best_points = pattern, points
    code.makeImpl(False, best)
    return [[bool(cell) for cell in row] for row in code.modules]


def _row_bits(row: list[bool | None]) -> int:
    return sum(1 << col for col, dark in enumerate(row) if dark)


_MASK_LOCK = threading.Lock()


@lru_cache(maxsize=8)
def _mask_rows(version: int, n: int) -> tuple[tuple[int, ...], ...]:
    """For each mask pattern, the bits it flips in each row: only the data cells, as ``map_data`` does."""
    with _MASK_LOCK:
        probe = qrcode.QRCode(version=version, error_correction=qrcode.constants.ERROR_CORRECT_M)
        probe.add_data("")
        probe.makeImpl(True, 0)  # fills qrcode's blank symbol of this version
        probe.modules = [list(row) for row in qrcode.main.precomputed_qr_blanks[version]]
        probe.setup_type_info(True, 0)
        if version >= 7:
            probe.setup_type_number(True)
        data = [[cell is None for cell in row] for row in probe.modules]
    out = []
    for pattern in range(8):
        flips = qr_util.mask_func(pattern)
        out.append(tuple(sum(1 << c for c in range(n) if data[r][c] and flips(r, c)) for r in range(n)))
    return tuple(out)


_RUNS = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = re.compile(r"(?=10111010000|00001011101)")  # each is the other reversed


def _penalty(rows: list[int], n: int) -> int:
    """``qrcode.util.lost_point`` on bit rows: runs of 5+, 2×2 blocks, finder-like patterns, dark ratio."""
    lines = [format(r, f"0{n}b") for r in rows]
    lines += ["".join(column) for column in zip(*lines, strict=True)]
    points = 0
    for line in lines:
        runs = _RUNS.findall(line)
        points += sum(map(len, runs)) - 2 * len(runs)
        points += 40 * len(_FINDER_LIKE.findall(line))
    full = (1 << (n - 1)) - 1
    for a, b in itertools.pairwise(rows):
        same = ~(a ^ (a >> 1)) & ~(b ^ (b >> 1)) & ~(a ^ b) & full
        points += 3 * same.bit_count()
    dark = sum(r.bit_count() for r in rows)
    percent = float(dark) / (n**2)
    return points + int(abs(percent * 100 - 50) / 5) * 10


def qr_image(payload: str) -> ImageReader:
    """The QR code as the image ``qrcode`` draws (4 pixels a module, 1 module of border), made directly.

    The pixels are those of ``QRCode(box_size=4, border=1).make_image()``; a test compares them.
    """
    modules = qr_modules(payload)
    count = len(modules) + 2 * QR_BORDER
    blank = b"\xff" * QR_BORDER
    small = b"".join(blank + bytes(0 if dark else 0xFF for dark in row) + blank for row in modules)
    edge = b"\xff" * (count * QR_BORDER)
    image = Image.frombytes("L", (count, count), edge + small + edge)
    image = image.resize((count * QR_BOX, count * QR_BOX), Image.Resampling.NEAREST).convert("1")
    return ImageReader(image)
