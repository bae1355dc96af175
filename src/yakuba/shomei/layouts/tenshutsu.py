"""転出証明書 (20.2.1) and 転出証明書に準ずる証明書 (20.2.2): the 世帯's moving members, 4 per sheet.

The head carries 住所・方書・世帯主 and the 転出先 with its (予定) date; each member block the items the
new municipality needs for its 転入 (氏名, 生年月日, 性別, 続柄, 本籍・筆頭者, 住民票コード, and for a
外国人住民 the 法第30条の45 items). 個人番号 only when asked for.
"""

from __future__ import annotations

from functools import partial

from yakuba.forms import BODY_BOTTOM, BODY_TOP, CONTENT_W, MARGIN, Overflow, PageBody, Pen
from yakuba.shomei.items import Item, PersonView
from yakuba.shomei.layouts.common import Document, Row, draw_rows, header_rows, pack

PER_SHEET = 4
HEAD_ROW_H = 17.0
GAP = 5.0
NUMBER_W = 14.0
LABELS = (
    "氏名",
    "氏名（漢字）",
    "通称",
    "氏名の振り仮名",
    "生年月日",
    "性別",
    "続柄",
    "本籍",
    "筆頭者",
    "住民票コード",
    "個人番号",
    "国籍・地域",
    "法第30条の45の区分",
    "在留資格",
    "在留期間",
    "在留期間の満了の日",
    "在留カード等の番号",
)
WIDE = {"本籍"}


def pages(doc: Document) -> list[PageBody]:
    persons = doc.persons
    sheets = [persons[i : i + PER_SHEET] for i in range(0, len(persons), PER_SHEET)]
    head = [
        *header_rows(persons[0]),
        Row([Item(doc.extra["destination_label"], doc.extra["destination"])], wide=True),
        Row([Item(doc.extra["date_label"], doc.extra["date"])], wide=True),
    ]
    return [
        partial(_sheet, head=head, members=sheet, first=i * PER_SHEET + 1, more=i < len(sheets) - 1)
        for i, sheet in enumerate(sheets)
    ]


def _sheet(pen: Pen, *, head: list[Row], members: list[PersonView], first: int, more: bool) -> None:
    top = draw_rows(pen, head, x=MARGIN, top=BODY_TOP, width=CONTENT_W, row_h=HEAD_ROW_H)
    height = (top - GAP - BODY_BOTTOM) / PER_SHEET - GAP
    for offset, person in enumerate(members):
        block_top = top - GAP - offset * (height + GAP)
        rows = pack([i for i in person.items if i.label in LABELS], wide=WIDE)
        row_h = min(16.0, height / max(len(rows), 1))
        if row_h < 9:
            raise Overflow(f"{first + offset}人目の記載事項")
        used = row_h * len(rows)
        pen.shade(MARGIN, block_top - used, NUMBER_W, used)
        pen.box(MARGIN, block_top - used, NUMBER_W, used)
        pen.text(MARGIN + NUMBER_W / 2, block_top - used / 2 - 3, str(first + offset), 9, align="center")
        draw_rows(
            pen, rows, x=MARGIN + NUMBER_W, top=block_top, width=CONTENT_W - NUMBER_W, row_h=row_h, size=8.5
        )
    if more:
        pen.text(MARGIN + CONTENT_W, BODY_BOTTOM - 12, "（次頁に続く）", 8, align="right")
