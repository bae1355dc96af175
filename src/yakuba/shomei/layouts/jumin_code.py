"""住民票コード通知票 / 変更通知票 / 修正通知票 (20.4.1–20.4.3): one sheet per person (住基法 §30の3).

Addressed to the person: 〒, 住所, 氏名 様; then the 住民票コード in digit boxes, the date it was recorded,
and what the code is for. The issuer's name and 公印 close the last sheet (render.py).
"""

from __future__ import annotations

from functools import partial

from yakuba.forms import CONTENT_W, MARGIN, PageBody, Pen
from yakuba.juki.public import Rireki
from yakuba.shomei.items import Item, PersonView
from yakuba.shomei.layouts.common import Document, Row, draw_rows

NOTES = (
    "・住民票コードは、住民基本台帳ネットワークシステムで本人確認を行うための11桁の番号です。",
    "・住民票コードは、いつでも変更を請求することができます（住民基本台帳法第30条の4）。",
    "・住民票コードの告知を求めることは、住民基本台帳法で禁止されています。",
    "・この通知票は大切に保管してください。",
)


def pages(doc: Document) -> list[PageBody]:
    recorded: dict[str, str] = doc.extra["recorded"]
    return [
        partial(_sheet, person=person, row=row, recorded=recorded[person.atena_no])
        for person, row in zip(doc.persons, doc.rows, strict=True)
    ]


def _sheet(pen: Pen, *, person: PersonView, row: Rireki, recorded: str) -> None:
    postal = f"〒{row.postal_code[:3]}-{row.postal_code[3:]}" if row.postal_code else ""
    pen.text(MARGIN + 10, 760, postal, 10)
    pen.text(MARGIN + 10, 742, person.address, 11)
    if person.katagaki not in ("【空欄】", "省略"):
        pen.text(MARGIN + 10, 726, person.katagaki, 11)
    pen.text(MARGIN + 10, 700, f"{person.name}\u3000様", 15)
    pen.text(MARGIN, 660, "あなたの住民票に記載された住民票コードを、次のとおりお知らせします。", 10.5)
    rows = [
        Row([Item("氏名", person.name)], wide=True),
        Row([_item(person, "生年月日"), _item(person, "性別")]),
        Row([Item("記載年月日", recorded)], wide=True),
    ]
    bottom = draw_rows(pen, rows, x=MARGIN, top=640, width=CONTENT_W, row_h=22, size=10, label_w=90)
    code = row.jumin_code or ""
    pen.text(MARGIN, bottom - 30, "住民票コード", 11)
    box = 30.0
    left = MARGIN + 100
    for index, digit in enumerate(code):
        pen.box(left + index * box, bottom - 44, box, 34, width=0.8)
        pen.text(left + index * box + box / 2, bottom - 34, digit, 18, align="center")
    y = bottom - 80
    for note in NOTES:
        pen.text(MARGIN, y, note, 9)
        y -= 16


def _item(person: PersonView, label: str) -> Item:
    return Item(label, person.value(label) or "【空欄】")
