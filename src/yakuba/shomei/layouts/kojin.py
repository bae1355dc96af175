"""住民票の写し（個人票, 20.1.1）and 住民票の除票の写し (20.1.3, 個人票 only): A4 portrait.

One person per sheet: the items as a label/value grid, then (with history) the 統合記載欄 lines; a long
history continues on further sheets of the same person. Several persons give several sheets.
"""

from __future__ import annotations

from functools import partial

from yakuba.forms import BODY_BOTTOM, BODY_TOP, CONTENT_W, MARGIN, PageBody, Pen, font_set, wrap_text
from yakuba.shomei.items import PersonView
from yakuba.shomei.layouts.common import Document, Row, draw_rows, pack, rows_height

ROW_H = 19.0
LEADING = 11.0
HISTORY_SIZE = 8.0
SECTION = "異動履歴（統合記載欄）"


def pages(doc: Document) -> list[PageBody]:
    out: list[PageBody] = []
    for person in doc.persons:
        rows = pack(person.items)
        lines = [
            part
            for line in person.history
            for part in wrap_text(font_set(), line, CONTENT_W - 12, HISTORY_SIZE)
        ]
        first_room = BODY_TOP - rows_height(rows, ROW_H) - 20 - BODY_BOTTOM
        chunks = _chunks(lines, int(first_room // LEADING), int((BODY_TOP - BODY_BOTTOM - 20) // LEADING))
        out.append(partial(_first, person=person, rows=rows, lines=chunks[0], more=len(chunks) > 1))
        for index, chunk in enumerate(chunks[1:], start=1):
            out.append(partial(_continued, person=person, lines=chunk, more=index < len(chunks) - 1))
    return out


def _chunks(lines: list[str], first: int, rest: int) -> list[list[str]]:
    if not lines:
        return [[]]
    chunks = [lines[: max(first, 0)]]
    remaining = lines[max(first, 0) :]
    while remaining:
        chunks.append(remaining[:rest])
        remaining = remaining[rest:]
    return chunks


def _first(pen: Pen, *, person: PersonView, rows: list[Row], lines: list[str], more: bool) -> None:
    bottom = draw_rows(pen, rows, x=MARGIN, top=BODY_TOP, width=CONTENT_W, row_h=ROW_H)
    if person.history:
        _history(pen, bottom - 4, lines, more)


def _continued(pen: Pen, *, person: PersonView, lines: list[str], more: bool) -> None:
    pen.text(MARGIN, BODY_TOP + 4, f"（{person.name} の続き）", 9)
    _history(pen, BODY_TOP - 4, lines, more)


def _history(pen: Pen, top: float, lines: list[str], more: bool) -> None:
    pen.text(MARGIN + 2, top - 11, SECTION, 9)
    y = top - 16
    height = y - BODY_BOTTOM
    pen.box(MARGIN, BODY_BOTTOM, CONTENT_W, height)
    for index, line in enumerate(lines):
        pen.text(MARGIN + 6, y - (index + 1) * LEADING + 2, line, HISTORY_SIZE)
    if more:
        pen.text(MARGIN + CONTENT_W - 4, BODY_BOTTOM + 4, "（次頁に続く）", 8, align="right")
