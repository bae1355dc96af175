"""特別徴収税額決定通知書 (地方税法第321条の4): the monthly amounts the employer withholds, June → May.

A 給与特別徴収 assessment is notified twice: to the 特別徴収義務者 (the employer, who withholds each month
and pays in by the 10th of the next month, 第321条の5) and, through the employer, to the 納税義務者
(第321条の4第2項). Both copies are one layout here — the variant only changes to whom it is addressed,
the title's 「（…用）」 and the kind recorded in the 交付履歴, so ``/verify`` says which copy it was.

Printed from the 課税台帳 row in force, never recomputed: the 12 amounts are the schedule stored with the
row and the calculation lines its steps. The employer's name is not yet in the data model (it will come
with the 給与支払報告書 of the 特別徴収義務者); until then the caller passes it, defaulting to
「（特別徴収義務者）」. Never commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from yakuba import params
from yakuba.config import Settings
from yakuba.errors import InputError
from yakuba.forms import BODY_TOP, CONTENT_W, MARGIN, Pen, assert_printable, full_name
from yakuba.kernel.clock import japan_date
from yakuba.uow import UnitOfWork
from yakuba.zeimu.kojin.forms.issuing import IssuedForm, address_of, issue_signed, wrap, yen
from yakuba.zeimu.models import KazeiRireki
from yakuba.zeimu.nendo import label

Copy = Literal["gimusha", "nozeisha"]
DEFAULT_GIMUSHA = "（特別徴収義務者）"
COPIES: dict[Copy, str] = {"gimusha": "特別徴収義務者用", "nozeisha": "納税義務者用"}
KINDS: dict[Copy, str] = {
    "gimusha": "zeimu_kojin_tokucho_gimusha",
    "nozeisha": "zeimu_kojin_tokucho_nozeisha",
}
ROW_H = 17
LABEL_W = 190
# The main lines of the calculation, in order (step key, printed label); the 定額減税 line is added
# only when non-zero, as the employee is otherwise puzzled by a 0.
LINES: tuple[tuple[str, str], ...] = (
    ("soshotoku", "総所得金額"),
    ("shotoku_kojo_gokei", "所得控除の合計"),
    ("kazei_soshotoku", "課税総所得金額"),
    ("shotokuwari_shi", "所得割額（市町村民税）"),
    ("shotokuwari_ken", "所得割額（道府県民税）"),
    ("kintowari_shi", "均等割額（市町村民税）"),
    ("kintowari_ken", "均等割額（道府県民税）"),
    ("shinrin_kankyozei", "森林環境税"),
)


@dataclass(frozen=True)
class TokuchoNotice:
    nendo: int
    copy: Copy
    gimusha: str
    name: str
    address: str
    atena_no: str
    lines: list[tuple[str, str]]
    nenzei: int
    months: list[tuple[str, str]]  # (月, 特別徴収税額)
    kyoji: str


def _notice(
    row: KazeiRireki, *, copy: Copy, gimusha: str, name: str, address: str, kyoji: str
) -> TokuchoNotice:
    steps: dict[str, int] = row.details.get("steps", {})
    schedule: dict[str, Any] = row.details.get("schedule", {})
    if row.details.get("choshu") != "tokubetsu":
        raise InputError.single(
            "choshu", "この課税は普通徴収です（特別徴収税額決定通知書は給与特別徴収の課税にだけ作成します）"
        )
    if not steps or len(schedule.get("amounts", [])) != 12:
        raise InputError.single("課税", "この課税には計算の内訳と12か月の特別徴収税額がありません")
    lines = [(text, yen(int(steps[key]))) for key, text in LINES if key in steps]
    genzei = int(steps.get("teigaku_genzei_shi", 0)) + int(steps.get("teigaku_genzei_ken", 0))
    if genzei:
        lines.append(("定額減税（特別税額控除）", f"△{yen(genzei)}"))
    months = [(str(m), yen(int(a))) for m, a in zip(schedule["periods"], schedule["amounts"], strict=True)]
    return TokuchoNotice(
        nendo=row.nendo, copy=copy, gimusha=gimusha, name=name, address=address, atena_no=row.atena_no,
        lines=lines, nenzei=row.nenzei, months=months, kyoji=kyoji,
    )  # fmt: skip


def _body(pen: Pen, notice: TokuchoNotice) -> None:
    x, y = MARGIN, BODY_TOP
    pen.text(x + CONTENT_W, y - 10, f"（{COPIES[notice.copy]}）", 10, align="right")
    if notice.copy == "gimusha":
        pen.fit(x, y - 34, CONTENT_W - 150, 18, f"{notice.gimusha}　様", field="特別徴収義務者", size=13)
    else:
        pen.text(x, y - 16, notice.address, 11)
        pen.text(x, y - 34, f"{notice.name}　様", 13)
    y -= 58
    for text, value in (
        ("特別徴収義務者", notice.gimusha),
        ("納税義務者", f"{notice.name}（宛名番号 {notice.atena_no}）"),
        ("住所", notice.address),
    ):
        pen.label_cell(x, y, 110, ROW_H, text)
        pen.box(x + 110, y, CONTENT_W - 110, ROW_H)
        pen.fit(x + 114, y, CONTENT_W - 118, ROW_H, value, field=text, size=10)
        y -= ROW_H
    y -= 12
    pen.text(
        x,
        y,
        f"{label(notice.nendo)}の給与から特別徴収する市町村民税・道府県民税の税額を次のとおり決定しました。",
        10,
    )
    y -= 24
    pen.text(x, y, "月別の特別徴収税額（翌月10日までに納入）", 11)
    y -= 6  # the heading's descenders clear the table
    width = CONTENT_W / 6
    for half in (notice.months[:6], notice.months[6:]):
        y -= ROW_H
        for i, (month, _) in enumerate(half):
            pen.label_cell(x + i * width, y, width, ROW_H, month)
        y -= ROW_H
        for i, (_, amount) in enumerate(half):
            pen.box(x + i * width, y, width, ROW_H)
            pen.text(x + (i + 1) * width - 6, y + 5, amount, 10, align="right")
    y -= 28
    pen.text(x, y, "税額の内訳", 11)
    y -= 6
    for text, value in [*notice.lines, ("年税額", yen(notice.nenzei))]:
        y -= ROW_H
        pen.label_cell(x, y, LABEL_W, ROW_H, text)
        pen.box(x + LABEL_W, y, CONTENT_W - LABEL_W, ROW_H)
        pen.text(x + LABEL_W + 150, y + 5, value, 10, align="right")
    y -= 28
    for i, part in enumerate(wrap(notice.kyoji, 52)):
        pen.text(x, y - i * 12, part, 8)


def issue(
    uow: UnitOfWork,
    row: KazeiRireki,
    *,
    copy: Copy,
    gimusha: str = DEFAULT_GIMUSHA,
    settings: Settings,
    now: dt.datetime,
) -> IssuedForm:
    """Issue one copy of the 特別徴収税額決定通知書 of ``row``; 422 (``choshu``) for a 普通徴収 row."""
    on = japan_date(now)
    person, address = address_of(uow, row.atena_no, settings)
    kyoji = str(params.get("municipal.zeimu.kyoji", on=on)).format(municipality=settings.municipality_name)
    notice = _notice(
        row,
        copy=copy,
        gimusha=gimusha or DEFAULT_GIMUSHA,
        name=full_name(person),
        address=address,
        kyoji=kyoji,
    )
    for text, value in (("氏名", notice.name), ("住所", notice.address), ("特別徴収義務者", notice.gimusha)):
        assert_printable(text, value)
    # 市町村民税・道府県民税 is in the first sentence of the body: the full name would not fit the title line
    title = f"{label(row.nendo)} 特別徴収税額決定通知書（{COPIES[copy]}）"
    return issue_signed(
        uow, row, settings=settings, now=now, on=on, kind=KINDS[copy], title=title,
        body=[partial(_body, notice=notice)], options={"copy": copy, "tokucho_gimusha": notice.gimusha},
    )  # fmt: skip
