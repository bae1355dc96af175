"""A4 pages: the layout constants, and what every page carries around the body a form draws.

Every page gets the title, the 発行番号 ``YYYYMMDD 市区町村名 端末 プリンタ 連番 頁/総頁``, the classification
marking and (for an issued copy) a QR code with the verification URL and code. The last page alone gets
the 認証文, the date, the certifier and the electronic 公印. A preview carries 「見本」 and none of the
certification (no 発行番号, no QR code, no 認証文, no 公印), so it can never pass for an issued copy.

A body is a :data:`PageBody`: a function that draws one page with the :class:`~yakuba.forms.pens.Pen`
between :data:`BODY_TOP` and :data:`BODY_BOTTOM`, from :data:`MARGIN` over :data:`CONTENT_W`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from yakuba.forms.fonts import font_set
from yakuba.forms.pens import Pen
from yakuba.forms.qr import qr_image
from yakuba.forms.seal import draw_image_file

PAGE_W, PAGE_H = A4
MARGIN = 36.0
CONTENT_W = PAGE_W - 2 * MARGIN
BODY_TOP = 770.0
BODY_BOTTOM = 200.0  # the 認証文 block lies below (on the last page)
MM = 72 / 25.4
SEAL_SIZE = 21 * MM  # the standard: 公印 at most 25 mm


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


PageBody = Callable[[Pen], None]


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
