"""A small PDF writer over ReportLab with the embedded Japanese fonts of the forms toolkit.

Text is drawn run by run so that a character the first font lacks comes from the next one (IPAmj明朝 for
MJ characters); a character no font has raises the 未登録外字 alert instead of printing a blank box.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from yakuba.forms import UnprintableCharacter, font_set


class PdfWriter:
    def __init__(self, title: str, *, wide: bool = False) -> None:
        self.fonts = font_set()
        self.buffer = io.BytesIO()
        self.pagesize = landscape(A4) if wide else A4
        self.canvas = canvas.Canvas(self.buffer, pagesize=self.pagesize, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setAuthor("yakuba")
        self.width, self.height = self.pagesize

    def check(self, field: str, text: str | None) -> None:
        if not text:
            return
        missing = self.fonts.missing(text)
        if missing:
            raise UnprintableCharacter(field, missing)

    def text_width(self, text: str, size: float) -> float:
        return self.fonts.width(text, size)

    def text(self, x: float, y: float, text: str | None, *, size: float = 9, align: str = "left") -> None:
        if not text:
            return
        if align != "left":
            width = self.fonts.width(text, size)
            x -= width if align == "right" else width / 2
        for name, chunk in self.fonts.runs(text):
            self.canvas.setFont(name, size)
            self.canvas.drawString(x, y, chunk)
            x += pdfmetrics.stringWidth(chunk, name, size)

    def fit(self, text: str, width: float, size: float) -> float:
        """The font size (≤ ``size``) at which ``text`` fits in ``width`` points."""
        while size > 5 and self.fonts.width(text, size) > width:
            size -= 0.5
        return size

    def line(self, x1: float, y1: float, x2: float, y2: float, *, width: float = 0.5) -> None:
        self.canvas.setLineWidth(width)
        self.canvas.line(x1, y1, x2, y2)

    def new_page(self) -> None:
        self.canvas.showPage()

    def finish(self) -> bytes:
        self.canvas.save()
        return self.buffer.getvalue()
