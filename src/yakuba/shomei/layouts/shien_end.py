"""支援措置期間終了通知 (20.5.1): tells the 申出者 that the 支援措置 period ends, and how to extend it.

The period (1 year) and the extension window (from 1 month before the end) come from the caller and the
parameters ``juki.shien_sochi.*`` (住民記録システム標準仕様書 j440).
"""

from __future__ import annotations

from functools import partial

from yakuba.forms import CONTENT_W, MARGIN, PageBody, Pen
from yakuba.shomei.items import Item, PersonView
from yakuba.shomei.layouts.common import Document, Row, draw_rows


def pages(doc: Document) -> list[PageBody]:
    return [partial(_sheet, person=doc.persons[0], extra=doc.extra)]


def _sheet(pen: Pen, *, person: PersonView, extra: dict[str, str]) -> None:
    pen.text(MARGIN + 10, 742, person.address, 11)
    pen.text(MARGIN + 10, 710, f"{person.name}\u3000様", 15)
    pen.text(MARGIN, 670, "あなたから申出のあった住民基本台帳事務における支援措置の期間は、", 10.5)
    pen.text(MARGIN, 654, "次の日をもって終了します。", 10.5)
    rows = [
        Row([Item("支援措置の開始日", extra["start"])], wide=True),
        Row([Item("支援措置の終了日", extra["end"])], wide=True),
        Row([Item("延長の申出ができる期間", extra["window"])], wide=True),
    ]
    bottom = draw_rows(pen, rows, x=MARGIN, top=630, width=CONTENT_W, row_h=24, size=10.5, label_w=130)
    notes = (
        "・支援措置の継続を希望される場合は、上記の期間内に延長の申出をしてください。",
        "・延長後の期間は、終了日の翌日から1年間です。",
        "・申出がない場合、終了日の翌日から住民票の写し等の交付制限は解除されます。",
    )
    y = bottom - 30
    for note in notes:
        pen.text(MARGIN, y, note, 9.5)
        y -= 17
