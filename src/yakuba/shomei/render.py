"""Drawing on A4 pages: text with font fallback, cells that shrink to fit, and what every page carries.

Every page gets the title, the 発行番号 ``YYYYMMDD 市区町村名 端末 プリンタ 連番 頁/総頁``, the classification
marking and (for an issued copy) a QR code with the verification URL and code. The last page alone gets
the 認証文, the date, the certifier and the electronic 公印. A preview carries 「見本」 and none of the
certification (no 発行番号, no QR code, no 認証文, no 公印), so it can never pass for an issued copy.
"""

from __future__ import annotations

import copy
import io
import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image
from qrcode import util as qr_util
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader, _digester
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from yakuba.errors import YakubaError
from yakuba.shomei.fonts import FontSet, font_set, units

PAGE_W, PAGE_H = A4
MARGIN = 36.0
CONTENT_W = PAGE_W - 2 * MARGIN
BODY_TOP = 770.0
BODY_BOTTOM = 200.0  # the 認証文 block lies below (on the last page)
MM = 72 / 25.4
SEAL_SIZE = 21 * MM  # the standard: 公印 at most 25 mm
SHADE = Color(0.93, 0.93, 0.93)  # label cells


class Overflow(YakubaError):
    """印字あふれ: an item does not fit its frame even at the smallest size. Nothing is issued."""

    http_status = 422

    def __init__(self, field_name: str) -> None:
        self.field = field_name
        super().__init__(
            f"印字あふれ: 項目「{field_name}」が枠に収まりません（縮小しても印字できません）。"
            "あふれ一覧として確認のうえ、個人票などの別の様式で交付してください"
        )


@dataclass(frozen=True)
class Furniture:
    """What every page of one document carries besides its body."""

    title: str
    hakko_prefix: str  # 「20261125 やくば町 本庁1 プリンタ001 011」
    marking: str
    issue_date: str  # 和暦
    certifier: str
    ninshobun: str | None
    qr_payload: str | None = None
    verification_code: str | None = None
    seal: Path | None = None
    preview: bool = False
    koyo: bool = False


PageBody = Callable[["Pen"], None]


class Pen:
    """The canvas plus the font set: text in runs (a glyph missing in one font comes from the next)."""

    def __init__(self, canvas: Canvas, fonts: FontSet) -> None:
        self.canvas = canvas
        self.fonts = fonts

    def width(self, text: str, size: float) -> float:
        return self.fonts.width(text, size)

    def text(self, x: float, y: float, text: str, size: float = 9, align: str = "left") -> None:
        if align != "left":
            w = self.width(text, size)
            x = x - w if align == "right" else x - w / 2
        for name, chunk in self.fonts.runs(text):
            self.canvas.setFont(name, size)
            self.canvas.drawString(x, y, chunk)
            x += self.canvas.stringWidth(chunk, name, size)

    def box(self, x: float, y: float, w: float, h: float, width: float = 0.5) -> None:
        self.canvas.setLineWidth(width)
        self.canvas.rect(x, y, w, h, stroke=1, fill=0)

    def shade(self, x: float, y: float, w: float, h: float) -> None:
        self.canvas.setFillColor(SHADE)
        self.canvas.rect(x, y, w, h, stroke=0, fill=1)
        self.canvas.setFillColor(black)

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        return wrap_text(self.fonts, text, width, size)

    def fit(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        text: str,
        *,
        field: str,
        size: float = 9,
        min_size: float = 5.5,
        align: str = "left",
    ) -> None:
        """Draw ``text`` in the cell (x, y = bottom left): shrink, then wrap; Overflow when neither fits."""
        pad, pad_y = 3.0, 1.0
        inner_w, inner_h = w - 2 * pad, h - 2 * pad_y
        step = size
        while step >= min_size and "\n" not in text:
            if self.width(text, step) <= inner_w and step <= inner_h:
                base = y + (h - step) / 2 + step * 0.12
                tx = x + pad if align == "left" else x + w / 2
                self.text(tx, base, text, step, align="left" if align == "left" else "center")
                return
            step -= 0.5
        step = size
        while step >= min_size:
            lines = self.wrap(text, inner_w, step)
            leading = step * 1.2
            if len(lines) * leading <= inner_h:
                top = y + h - pad_y - (inner_h - len(lines) * leading) / 2
                for index, line in enumerate(lines):
                    self.text(x + pad, top - (index + 1) * leading + step * 0.25, line, step)
                return
            step -= 0.5
        raise Overflow(field)

    def label_cell(self, x: float, y: float, w: float, h: float, label: str) -> None:
        self.shade(x, y, w, h)
        self.box(x, y, w, h)
        self.fit(x, y, w, h, label, field=label, size=8, min_size=5)


def wrap_text(fonts: FontSet, text: str, width: float, size: float) -> list[str]:
    """Greedy line breaking by character (Japanese has no spaces to break at); keeps IVS pairs whole."""
    lines: list[str] = []
    current = ""
    for unit in units(text):
        if unit == "\n":
            lines.append(current)
            current = ""
            continue
        if current and fonts.width(current + unit, size) > width:
            lines.append(current)
            current = unit.lstrip()
        else:
            current += unit
    lines.append(current)
    return lines


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


_IMAGES: dict[tuple[object, ...], pdfdoc.PDFImageXObject] = {}
_IMAGES_LOCK = threading.Lock()


def _image_template(path: Path) -> pdfdoc.PDFImageXObject:
    """The 公印 PNG read and compressed once per file version (path, inode, size, mtime)."""
    info = path.stat()
    key = (str(path), info.st_ino, info.st_size, info.st_mtime_ns)
    template = _IMAGES.get(key)
    if template is None:
        name = _digester(f"{path}auto".encode())  # ReportLab's name for a file drawn with mask="auto"
        template = pdfdoc.PDFImageXObject(name, str(path), mask="auto")
        template.name = name
        with _IMAGES_LOCK:
            if len(_IMAGES) > 16:
                _IMAGES.clear()
            _IMAGES[key] = template
    return template


def draw_image_file(canvas: Canvas, path: Path, x: float, y: float, w: float, h: float) -> None:
    """``canvas.drawImage(str(path), …, mask="auto")`` without decoding and deflating the PNG again.

    ReportLab reads, converts and deflates a file image in every document (≈ 15 ms for the 公印). The
    loaded XObject is kept and a shallow copy registered in each document, exactly as ``drawImage``
    registers it, so the PDF carries the same image and soft mask.
    """
    template = _image_template(path)
    doc = canvas._doc
    name = template.name
    registered = doc.getXObjectName(name)
    if registered not in doc.idToObject:
        image = copy.copy(template)
        canvas._setXObjects(image)
        doc.Reference(image, registered)
        doc.addForm(name, image)
        smask = getattr(template, "_smask", None)
        if smask is not None:
            del image._smask
            mask_name = doc.getXObjectName(smask.name)
            if mask_name in doc.idToObject:
                image.smask = pdfdoc.PDFObjectReference(mask_name)
            else:
                mask = copy.copy(smask)
                canvas._setXObjects(mask)
                image.smask = doc.Reference(mask, mask_name)
    canvas._currentPageHasImages = 1
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(w, h)
    canvas._code.append(f"/{registered} Do")
    canvas.restoreState()
    canvas._formsinuse.append(name)


def _furniture(pen: Pen, f: Furniture, page: int, total: int) -> None:
    c = pen.canvas
    pen.text(PAGE_W / 2, 800, f.title, 18, align="center")
    if f.koyo:
        c.setStrokeColor(black)
        pen.box(MARGIN, 792, 46, 24, width=1.2)
        pen.text(MARGIN + 23, 798, "公用", 14, align="center")
    if f.preview:
        pen.text(MARGIN, 44, f"見本（交付用ではありません） {page}/{total}", 7.5)
    else:
        pen.text(MARGIN, 44, f"発行番号 {f.hakko_prefix} {page}/{total}", 7.5)
    pen.text(PAGE_W / 2, 20, f.marking, 6.5, align="center")
    if f.qr_payload and not f.preview:
        size = 52.0
        x = PAGE_W - MARGIN - size
        c.drawImage(qr_image(f.qr_payload), x, 30, size, size)
        pen.text(x - 6, 70, "真正性の確認", 6.5, align="right")
        pen.text(x - 6, 60, f"検証コード {f.verification_code}", 7, align="right")
        pen.text(x - 6, 50, f.qr_payload.split("?")[0], 5.5, align="right")


def _watermark(pen: Pen) -> None:
    c = pen.canvas
    c.saveState()
    c.setFillColor(Color(0.55, 0.55, 0.55, alpha=0.35))
    c.translate(PAGE_W / 2, PAGE_H / 2)
    c.rotate(40)
    pen.text(0, 10, "見　本", 96, align="center")
    pen.text(0, -40, "交付用ではありません（認証文・公印なし）", 22, align="center")
    c.restoreState()


def _certification(pen: Pen, f: Furniture) -> None:
    if f.preview:
        pen.text(MARGIN + 10, 160, "（見本のため認証文・公印はありません）", 10)
        return
    if f.ninshobun:
        pen.text(MARGIN + 10, 170, f.ninshobun, 10.5)
    pen.text(MARGIN + 10, 148, f.issue_date, 10.5)
    right = PAGE_W - MARGIN - 40
    pen.text(right - SEAL_SIZE * 0.55, 118, f.certifier, 13, align="right")
    if f.seal is not None:
        draw_image_file(pen.canvas, f.seal, right - SEAL_SIZE * 0.5, 100, SEAL_SIZE, SEAL_SIZE)


def render(pages: list[PageBody], furniture: Furniture, *, author: str) -> bytes:
    """The PDF of ``pages`` (each draws its body) with the furniture; 認証文 on the last page only."""
    buffer = io.BytesIO()
    fonts = font_set()
    # The initial font is ours too, so no non-embedded base-14 font (Helvetica) is referenced.
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=fonts.primary.name)
    canvas.setTitle(furniture.title)  # the form's name only: no personal data in the metadata
    canvas.setAuthor(author)
    canvas.setCreator("yakuba")
    pen = Pen(canvas, fonts)
    total = len(pages)
    for number, body in enumerate(pages, start=1):
        _furniture(pen, furniture, number, total)
        body(pen)
        if number == total:
            _certification(pen, furniture)
        if furniture.preview:
            _watermark(pen)  # on top of the body, so no table hides it
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
