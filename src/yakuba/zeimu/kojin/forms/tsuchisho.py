"""税額決定・納税通知書 (普通徴収): the 年税額, how it was reached, and what to pay by when (issue 14).

Printed from the 課税台帳 row in force — the amounts decided, not a recomputation — to the person's
address in 住民記録 today (``juki.public.current_row``). The calculation lines are those a clerk explains
at the counter (所得 → 控除 → 課税総所得 → 所得割 → 均等割 → 年税額), the 納期 table comes from the
schedule stored with the row, and the 教示 of 行政不服審査法第82条 says how to appeal. The 発行番号,
the QR code, the 公印, the PAdES signature and the 交付履歴 row are the toolkit's (through
:func:`.issuing.issue_signed`, shared with the other 帳票 of 個人住民税), so ``/verify`` and the
offline signature check work as for every certificate. Never commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from yakuba import params
from yakuba.config import Settings
from yakuba.errors import InputError
from yakuba.forms import (
    BODY_TOP,
    CONTENT_W,
    MARGIN,
    Furniture,
    PageBody,
    Pen,
    assert_printable,
    full_name,
    render,
    seal_path,
    wareki,
)
from yakuba.kernel.clock import japan_date
from yakuba.kernel.wareki import format_wareki
from yakuba.security.classification import label_for
from yakuba.uow import UnitOfWork
from yakuba.zeimu.kojin.forms.issuing import address_of, issue_signed, wrap, yen
from yakuba.zeimu.models import KazeiRireki
from yakuba.zeimu.nendo import label

ROW_H = 17
LABEL_W = 190
# The lines of the 課税内訳, in calculation order: (step key, printed label).
LINES: tuple[tuple[str, str], ...] = (
    ("soshotoku", "総所得金額"),
    ("shotoku_kojo_gokei", "所得控除の合計"),
    ("kazei_soshotoku", "課税総所得金額"),
    ("sanshutsu_shi", "算出所得割額（市町村民税）"),
    ("sanshutsu_ken", "算出所得割額（道府県民税）"),
    ("shotokuwari_shi", "所得割額（市町村民税・税額控除後）"),
    ("shotokuwari_ken", "所得割額（道府県民税・税額控除後）"),
    ("kintowari_shi", "均等割額（市町村民税）"),
    ("kintowari_ken", "均等割額（道府県民税）"),
    ("shinrin_kankyozei", "森林環境税"),
)


@dataclass(frozen=True)
class Notice:
    nendo: int
    name: str
    address: str
    atena_no: str
    lines: list[tuple[str, str]]
    genzei: int
    nenzei: int
    periods: list[tuple[str, str, str]]  # 期別, 納期限, 納付額
    kyoji: str


@dataclass(frozen=True)
class IssuedNotice:
    issuance_id: str
    verification_code: str
    pdf: bytes


def _notice(row: KazeiRireki, name: str, address: str, kyoji: str) -> Notice:
    steps: dict[str, int] = row.details.get("steps", {})
    schedule: dict[str, Any] = row.details.get("schedule", {})
    if not steps or not schedule:
        raise InputError.single(
            "課税", "この課税には計算の内訳と納期がありません（個人住民税の課税で作成してください）"
        )
    due = schedule.get("due_dates") or [None] * len(schedule["periods"])
    periods = [
        (str(period), wareki(dt.date.fromisoformat(day)) if day else "—", yen(int(amount)))
        for period, day, amount in zip(schedule["periods"], due, schedule["amounts"], strict=True)
    ]
    genzei = int(steps.get("teigaku_genzei_shi", 0)) + int(steps.get("teigaku_genzei_ken", 0))
    lines = [(text, yen(int(steps[key]))) for key, text in LINES if key in steps]
    return Notice(
        nendo=row.nendo, name=name, address=address, atena_no=row.atena_no, lines=lines,
        genzei=genzei, nenzei=row.nenzei, periods=periods, kyoji=kyoji,
    )  # fmt: skip


def _body(pen: Pen, notice: Notice) -> None:
    x, y = MARGIN, BODY_TOP
    pen.text(x, y - 14, notice.address, 11)
    pen.text(x, y - 32, f"{notice.name}　様", 13)
    pen.text(x + CONTENT_W, y - 32, f"宛名番号 {notice.atena_no}", 9, align="right")
    pen.text(
        x,
        y - 56,
        f"{label(notice.nendo)}の市町村民税・道府県民税の税額を次のとおり決定しましたので通知します。",
        10,
    )
    y -= 76
    pen.text(x, y, "課税の内訳", 11)
    lines = [*notice.lines]
    if notice.genzei:
        lines.append(("定額減税（特別税額控除）", f"△{yen(notice.genzei)}"))
    lines.append(("年税額", yen(notice.nenzei)))
    for text, value in lines:
        y -= ROW_H
        pen.label_cell(x, y, LABEL_W, ROW_H, text)
        pen.box(x + LABEL_W, y, CONTENT_W - LABEL_W, ROW_H)
        pen.text(x + LABEL_W + 150, y + 5, value, 10, align="right")  # amounts line up on the yen
    y -= 28
    pen.text(x, y, "納期と納付額（普通徴収）", 11)
    width = CONTENT_W / 3
    y -= ROW_H
    for i, head in enumerate(("期別", "納期限", "納付額")):
        pen.label_cell(x + i * width, y, width, ROW_H, head)
    for period in notice.periods:
        y -= ROW_H
        for i, value in enumerate(period):
            pen.box(x + i * width, y, width, ROW_H)
            if i == 2:
                pen.text(x + (i + 1) * width - 8, y + 5, value, 10, align="right")
            else:
                pen.fit(x + i * width + 4, y, width - 8, ROW_H, value, field="納期", size=10)
    y -= 30
    for i, part in enumerate(wrap(notice.kyoji, 52)):
        pen.text(x, y - i * 12, part, 8)


def issue(
    uow: UnitOfWork, row: KazeiRireki, *, settings: Settings, now: dt.datetime, preview: bool = False
) -> IssuedNotice:
    """Issue the notice of the 課税台帳 row ``row``: 交付履歴 with its 連番, PDF, signature. No commit."""
    on = japan_date(now)
    person, address = address_of(uow, row.atena_no, settings)
    kyoji = str(params.get("municipal.zeimu.kyoji", on=on)).format(municipality=settings.municipality_name)
    notice = _notice(row, full_name(person), address, kyoji)
    for text, value in (("氏名", notice.name), ("住所", notice.address)):
        assert_printable(text, value)
    title = f"{label(row.nendo)} 市町村民税・道府県民税 税額決定・納税通知書"
    body: list[PageBody] = [partial(_body, notice=notice)]
    if preview:  # a 見本: no number, no QR, no signature, no 交付履歴 row
        sample = Furniture(
            title=title,
            hakko_prefix="",
            marking=label_for("zeimu.assessment", on).marking(),
            issue_date=format_wareki(on),
            certifier=str(params.get("municipal.shomei.certifier", on=on)).format(
                municipality=settings.municipality_name
            ),
            ninshobun=None,
            seal=seal_path(settings.data_dir, settings.municipality_name, on),
            preview=True,
        )
        pdf = render(body, sample, author=settings.municipality_name)
        return IssuedNotice(issuance_id="", verification_code="", pdf=pdf)
    issued = issue_signed(
        uow, row, settings=settings, now=now, on=on, kind="zeimu_kojin_tsuchi", title=title, body=body
    )
    return IssuedNotice(
        issuance_id=issued.issuance_id, verification_code=issued.verification_code, pdf=issued.pdf
    )
