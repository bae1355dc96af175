"""選挙人名簿抄本の閲覧の申出を拒否する旨の書面 (PDF, A4 縦): the reasons are given in writing.

公職選挙法第28条の2・第28条の3 allow the 閲覧 only for their purposes; a refusal is a 処分 and is notified
in writing with its reasons and the 教示 of 行政不服審査法第82条.
"""

from __future__ import annotations

from typing import Any

from yakuba.kernel.wareki import format_wareki
from yakuba.senkyo.forms.pdf import PdfWriter

MARGIN = 56.0


def render(notice: dict[str, Any]) -> bytes:
    pdf = PdfWriter("選挙人名簿抄本閲覧拒否通知書")
    texts = [notice["applicant_name"], notice["issuer"], *notice["reasons"], notice["purpose_label"]]
    for text in texts:
        pdf.check("通知書", text)
    top = pdf.height - MARGIN
    pdf.text(pdf.width - MARGIN, top, f"第{notice['etsuran_id']}号", size=10.5, align="right")
    pdf.text(pdf.width - MARGIN, top - 16, format_wareki(notice["decided_on"]), size=10.5, align="right")
    pdf.text(MARGIN, top - 50, f"{notice['applicant_name']}　様", size=12)
    pdf.text(pdf.width - MARGIN, top - 80, notice["issuer"], size=12, align="right")
    pdf.text(pdf.width / 2, top - 125, "選挙人名簿抄本の閲覧の申出について（通知）", size=14, align="center")
    y = top - 165
    body = (
        f"{format_wareki(notice['received_on'])}付けで申出のあった選挙人名簿抄本の閲覧"
        f"（{notice['purpose_label']}）については、次の理由により閲覧させないこととしたので通知します。"
    )
    for chunk in _wrap(pdf, body, pdf.width - 2 * MARGIN, 11):
        pdf.text(MARGIN, y, chunk, size=11)
        y -= 18
    y -= 10
    pdf.text(pdf.width / 2, y, "記", size=11, align="center")
    y -= 26
    for i, reason in enumerate(notice["reasons"], start=1):
        for j, chunk in enumerate(_wrap(pdf, reason, pdf.width - 2 * MARGIN - 24, 11)):
            pdf.text(MARGIN + (0 if j == 0 else 24), y, f"{i}　{chunk}" if j == 0 else chunk, size=11)
            y -= 18
    y -= 24
    for chunk in _wrap(pdf, notice["kyoji"], pdf.width - 2 * MARGIN, 9.5):
        pdf.text(MARGIN, y, chunk, size=9.5)
        y -= 15
    return pdf.finish()


def _wrap(pdf: PdfWriter, text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for char in text:
        if pdf.text_width(current + char, size) > width:
            lines.append(current)
            current = char
        else:
            current += char
    if current:
        lines.append(current)
    return lines
