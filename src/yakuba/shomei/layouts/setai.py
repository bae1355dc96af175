"""住民票の写し（世帯連記式, 20.1.2）: A4 portrait, 住所・方書・世帯主 at the head, 4 persons per sheet.

Five or more persons give several sheets; the 認証文 is on the last sheet only (render.py). Persons come in
the 世帯連記式 order (住民記録システム標準仕様書 j1010). A 除票 person is never mixed in (service.py).
"""

from __future__ import annotations

from functools import partial

from yakuba.forms import BODY_BOTTOM, BODY_TOP, CONTENT_W, MARGIN, Overflow, PageBody, Pen
from yakuba.shomei.items import Item, PersonView
from yakuba.shomei.layouts.common import Document, Row, draw_rows, header_rows, pack, rows_height

PER_SHEET = 4
HEAD_ROW_H = 17.0
GAP = 5.0
NUMBER_W = 14.0
MAX_ROW_H = 14.0
SKIP = frozenset({"住所", "方書", "世帯主"})
WIDE = {"本籍", "転入前住所", "異動前住所", "転出先住所", "転出先住所（予定）", "備考", "異動履歴"}


def pages(doc: Document) -> list[PageBody]:
    persons = doc.persons
    sheets = [persons[i : i + PER_SHEET] for i in range(0, len(persons), PER_SHEET)] or [[]]
    total = len(sheets)
    return [
        partial(
            _sheet, head=persons[0], members=sheet, first_number=index * PER_SHEET + 1, more=index < total - 1
        )
        for index, sheet in enumerate(sheets)
    ]


def member_rows(person: PersonView) -> list[Row]:
    items = [i for i in person.items if i.label not in SKIP]
    rows = pack(items, wide=WIDE)
    if person.history:
        rows.append(
            Row(
                [Item("異動履歴", "\n".join(person.history))], wide=True, height=9.5 * len(person.history) + 6
            )
        )
    return rows


def _sheet(pen: Pen, *, head: PersonView, members: list[PersonView], first_number: int, more: bool) -> None:
    top = draw_rows(pen, header_rows(head), x=MARGIN, top=BODY_TOP, width=CONTENT_W, row_h=HEAD_ROW_H)
    block_h = (top - GAP - BODY_BOTTOM) / PER_SHEET - GAP
    for offset, person in enumerate(members):
        block_top = top - GAP - offset * (block_h + GAP)
        _member(pen, person, first_number + offset, block_top, block_h)
    if more:
        pen.text(MARGIN + CONTENT_W, BODY_BOTTOM - 12, "（次頁に続く）", 8, align="right")


def _member(pen: Pen, person: PersonView, number: int, top: float, height: float) -> None:
    rows = member_rows(person)
    fixed = sum(r.height or 0 for r in rows)
    flexible = sum(1 for r in rows if r.height is None)
    row_h = min(MAX_ROW_H, (height - fixed) / max(flexible, 1))
    if row_h < 9 or rows_height(rows, row_h) > height + 0.5:
        raise Overflow(f"{number}人目の記載事項")
    pen.shade(MARGIN, top - height, NUMBER_W, height)
    pen.box(MARGIN, top - height, NUMBER_W, height)
    pen.text(MARGIN + NUMBER_W / 2, top - height / 2 - 3, str(number), 9, align="center")
    draw_rows(
        pen, rows, x=MARGIN + NUMBER_W, top=top, width=CONTENT_W - NUMBER_W, row_h=row_h, size=8, label_w=70
    )
