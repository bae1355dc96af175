"""The pen a form body draws with: text in runs over the font set, boxes, shaded label cells, and cells that
shrink (then wrap) their text to fit — or raise :class:`Overflow` (印字あふれ) when nothing fits.
"""

from __future__ import annotations

from reportlab.lib.colors import Color, black
from reportlab.pdfgen.canvas import Canvas

from yakuba.errors import YakubaError
from yakuba.forms.fonts import FontSet, units

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
