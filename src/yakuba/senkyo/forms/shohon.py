"""選挙人名簿抄本 (PDF) of one 投票区, in address order (A4 横).

Items of the roll (公職選挙法第20条 and the 選挙人名簿の様式): 氏名, 住所, 性別, 生年月日, with the
名簿番号 used at the polling station and the 表示 (転出とその日・選挙権なし) in the last column.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from yakuba.kernel.wareki import format_wareki
from yakuba.senkyo.forms.pdf import PdfWriter

MARGIN = 36.0
COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    ("meibo_no", "番号", 40, "right"),
    ("name", "氏名", 130, "left"),
    ("kana", "フリガナ", 128, "left"),
    ("sex", "性別", 30, "center"),
    ("birth_date", "生年月日", 96, "left"),
    ("address", "住所", 232, "left"),
    ("hyoji", "表示", 110, "left"),
)


def _cell(key: str, line: dict[str, Any]) -> str:
    value = line.get(key)
    if isinstance(value, dt.date):
        return format_wareki(value)
    return "" if value is None else str(value)


def render(
    lines: list[dict[str, Any]],
    *,
    tohyoku_code: str,
    tohyoku_name: str,
    on: dt.date,
    issuer: str,
    rows_per_page: int = 25,
) -> bytes:
    pdf = PdfWriter(f"選挙人名簿抄本 {tohyoku_name}", wide=True)
    for line in lines:
        for key, label, _w, _a in COLUMNS:
            pdf.check(f"{label}（名簿番号 {line['meibo_no']}）", _cell(key, line))
    pages = max(1, -(-len(lines) // rows_per_page))
    row_height = (pdf.height - 2 * MARGIN - 70) / rows_per_page
    for page in range(pages):
        top = pdf.height - MARGIN
        pdf.text(pdf.width / 2, top - 14, "選挙人名簿抄本", size=16, align="center")
        pdf.text(MARGIN, top - 36, f"{tohyoku_name}（{tohyoku_code}）", size=11)
        pdf.text(pdf.width / 2, top - 36, f"{format_wareki(on)}現在", size=11, align="center")
        pdf.text(pdf.width - MARGIN, top - 36, issuer, size=11, align="right")
        y = top - 58
        x = MARGIN
        for _key, label, width, _align in COLUMNS:
            pdf.text(x + width / 2, y, label, size=9, align="center")
            x += width
        pdf.line(MARGIN, y - 4, pdf.width - MARGIN, y - 4, width=0.8)
        y -= 4
        for line in lines[page * rows_per_page : (page + 1) * rows_per_page]:
            y -= row_height
            x = MARGIN
            for key, _label, width, align in COLUMNS:
                text = _cell(key, line)
                size = pdf.fit(text, width - 6, 9)
                anchor = {"left": x + 3, "right": x + width - 3, "center": x + width / 2}[align]
                pdf.text(anchor, y + row_height * 0.3, text, size=size, align=align)
                x += width
            pdf.line(MARGIN, y, pdf.width - MARGIN, y, width=0.3)
        pdf.text(pdf.width / 2, MARGIN / 2, f"{page + 1} / {pages}", size=9, align="center")
        pdf.text(pdf.width - MARGIN, MARGIN / 2, f"登録者 {len(lines)} 人", size=9, align="right")
        pdf.new_page()
    return pdf.finish()
