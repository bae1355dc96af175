"""住民票記載事項証明書 and 住民票の除票記載事項証明書 (20.1.4): only the items asked for are certified.

Persons follow one another down the sheet; a person who does not fit starts a new sheet.
"""

from __future__ import annotations

from functools import partial

from yakuba.forms import BODY_BOTTOM, BODY_TOP, CONTENT_W, MARGIN, PageBody, Pen
from yakuba.shomei.items import PersonView
from yakuba.shomei.layouts.common import Document, Row, draw_rows, pack, rows_height

ROW_H = 18.0
GAP = 10.0
ITEM_LABELS: dict[str, tuple[str, ...]] = {
    "shimei": ("氏名", "氏名（漢字）"),
    "furigana": ("氏名の振り仮名",),
    "kyu_uji": ("旧氏",),
    "tsusho": ("通称",),
    "birth_date": ("生年月日",),
    "sex": ("性別",),
    "setainushi_zokugara": ("世帯主", "続柄"),
    "honseki": ("本籍", "筆頭者"),
    "jumin_date": ("住民となった年月日", "外国人住民となった年月日"),
    "address": ("住所", "方書"),
    "jusho_date": ("住所を定めた年月日",),
    "todoke_date": ("届出年月日",),
    "prev_address": ("転入前住所",),
    "ido_mae_address": ("異動前住所",),
    "mynumber": ("個人番号",),
    "jumin_code": ("住民票コード",),
    "gaikokujin": (
        "国籍・地域",
        "法第30条の45の区分",
        "在留資格",
        "在留期間",
        "在留期間の満了の日",
        "在留カード等の番号",
    ),
}
ALWAYS_ON_JOSHOHYO = (
    "消除事由",
    "消除年月日",
    "転出先住所",
    "転出年月日",
    "転出先住所（予定）",
    "転出予定年月日",
)


def chosen_rows(person: PersonView, items: tuple[str, ...], removed: bool) -> list[Row]:
    labels = {label for item in items for label in ITEM_LABELS[item]}
    if removed:
        labels.update(ALWAYS_ON_JOSHOHYO)
    return pack([i for i in person.items if i.label in labels])


def pages(doc: Document) -> list[PageBody]:
    items: tuple[str, ...] = tuple(doc.extra["items"])
    removed = doc.kind == "joshohyo_kisai_jiko"
    sheets: list[list[list[Row]]] = [[]]
    room = BODY_TOP - BODY_BOTTOM
    for person in doc.persons:
        rows = chosen_rows(person, items, removed)
        need = rows_height(rows, ROW_H) + GAP
        if sheets[-1] and need > room:
            sheets.append([])
            room = BODY_TOP - BODY_BOTTOM
        sheets[-1].append(rows)
        room -= need
    return [partial(_sheet, blocks=blocks) for blocks in sheets]


def _sheet(pen: Pen, *, blocks: list[list[Row]]) -> None:
    top = BODY_TOP
    for rows in blocks:
        top = draw_rows(pen, rows, x=MARGIN, top=top, width=CONTENT_W, row_h=ROW_H) - GAP
