"""課税（所得）証明書: the 所得, 控除 and 税額 of one 年度 as assessed (地方税法第20条の10・施行令第6条の21).

Residents ask for it for 保育所, 公営住宅, 奨学金, loans: it certifies the amounts of the 課税台帳 row in
force on the day of issue — what was decided, including a later 更正 — never a recomputation. The items
are those the usual municipal 様式 carry: the 所得 by kind (給与収入 and 給与所得, 公的年金等に係る雑所得),
総所得金額 and 合計所得金額, the 所得控除 with their main breakdown, the 扶養 count, the 課税総所得金額 and
the 年税額 split into 所得割 and 均等割. The income is that of the year before the 年度 (「令和7年中の所得」
for 令和8年度).

The 認証文 is the dated parameter ``municipal.zeimu.shomeisho.ninshobun`` and the fee, recorded on the
交付履歴 row, the parameter ``municipal.fees.kazei_shomeisho`` through ``shomei.forms`` (so a 公用請求
is free by ``municipal.shomei.fee_exempt_requesters``, as for every certificate). Never commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from typing import Any

from yakuba import params
from yakuba.config import Settings
from yakuba.errors import InputError
from yakuba.forms import BODY_TOP, CONTENT_W, MARGIN, Pen, assert_printable, fee_for, full_name, wareki
from yakuba.kernel.clock import japan_date
from yakuba.kernel.wareki import format_wareki
from yakuba.uow import UnitOfWork
from yakuba.zeimu.kojin.forms.issuing import IssuedForm, address_of, issue_signed, yen
from yakuba.zeimu.models import KazeiRireki
from yakuba.zeimu.nendo import label

KIND = "zeimu_kojin_kazei_shomei"
TITLE = "課税（所得）証明書"
ROW_H = 17
LABEL_W = 220
# (section, [(step key or input key, printed label)]); an "input:" key reads details.input.
SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "所得",
        (
            ("input:kyuyo_shunyu", "給与収入"),
            ("kyuyo_shotoku", "給与所得"),
            ("nenkin_shotoku", "公的年金等に係る雑所得"),
            ("soshotoku", "総所得金額"),
            ("gokei_shotoku", "合計所得金額"),
        ),
    ),
    (
        "所得控除",
        (
            ("shakai_hokenryo_kojo", "社会保険料控除"),
            ("haigusha_kojo", "配偶者控除"),
            ("fuyo_kojo", "扶養控除"),
            ("kiso_kojo", "基礎控除"),
            ("shotoku_kojo_gokei", "所得控除の合計"),
        ),
    ),
    ("課税標準", (("kazei_soshotoku", "課税総所得金額"),)),
)


@dataclass(frozen=True)
class Certificate:
    nendo: int
    name: str
    birth: str
    address: str
    rows: list[tuple[str, str, str]]  # (section, label, value)


def _fuyo_ninzu(steps: dict[str, int]) -> int | None:
    """同一生計配偶者 and 扶養親族 (16歳未満 in, 国外居住者 out): the engine's 非課税判定の人数 − 本人.

    That count is judged with the 年度's income thresholds by the engine, so it is read from the steps,
    not re-judged from the inputs here (地方税法第295条第3項).
    """
    ninzu = steps.get("hikazei_ninzu")
    return None if ninzu is None else max(int(ninzu) - 1, 0)


def _certificate(row: KazeiRireki, *, name: str, birth: str, address: str) -> Certificate:
    steps: dict[str, int] = row.details.get("steps", {})
    given: dict[str, Any] = row.details.get("input", {})
    if not steps:
        raise InputError.single(
            "課税", "この課税には計算の内訳がありません（個人住民税の課税で作成してください）"
        )
    rows: list[tuple[str, str, str]] = []
    for section, lines in SECTIONS:
        for key, text in lines:
            if key.startswith("input:"):
                rows.append((section, text, yen(int(given.get(key.removeprefix("input:"), 0)))))
            elif key in steps:
                rows.append((section, text, yen(int(steps[key]))))
        if section == "所得控除" and (ninzu := _fuyo_ninzu(steps)) is not None:
            rows.append((section, "扶養親族等の数（同一生計配偶者・16歳未満を含む）", f"{ninzu}人"))
    shotokuwari = int(steps.get("shotokuwari_shi", 0)) + int(steps.get("shotokuwari_ken", 0))
    kintowari = int(steps.get("kintowari_shi", 0)) + int(steps.get("kintowari_ken", 0))
    rows += [
        ("税額", "所得割額（市町村民税・道府県民税）", yen(shotokuwari)),
        ("税額", "均等割額（市町村民税・道府県民税）", yen(kintowari)),
    ]
    if int(steps.get("shinrin_kankyozei", 0)):
        rows.append(("税額", "森林環境税", yen(int(steps["shinrin_kankyozei"]))))
    genzei = int(steps.get("teigaku_genzei_shi", 0)) + int(steps.get("teigaku_genzei_ken", 0))
    if genzei:
        rows.append(("税額", "定額減税（特別税額控除）", f"△{yen(genzei)}"))
    rows.append(("税額", "年税額", yen(row.nenzei)))
    return Certificate(nendo=row.nendo, name=name, birth=birth, address=address, rows=rows)


def _body(pen: Pen, cert: Certificate) -> None:
    x, y = MARGIN, BODY_TOP - 10
    for text, value in (("住所", cert.address), ("氏名", cert.name), ("生年月日", cert.birth)):
        y -= ROW_H
        pen.label_cell(x, y, 90, ROW_H, text)
        pen.box(x + 90, y, CONTENT_W - 90, ROW_H)
        pen.fit(x + 94, y, CONTENT_W - 98, ROW_H, value, field=text, size=10)
    y -= 26
    year = format_wareki(dt.date(cert.nendo - 1, 12, 31)).split("年")[0]  # the income year, 「令和7」
    pen.text(x, y, f"{label(cert.nendo)}（{year}年中の所得）", 11)
    y -= 6
    section_w = 70
    for section, group in groupby(cert.rows, key=lambda r: r[0]):
        lines = list(group)
        pen.label_cell(x, y - len(lines) * ROW_H, section_w, len(lines) * ROW_H, section)  # one merged cell
        for _, text, value in lines:
            y -= ROW_H
            pen.label_cell(x + section_w, y, LABEL_W, ROW_H, text)
            pen.box(x + section_w + LABEL_W, y, CONTENT_W - section_w - LABEL_W, ROW_H)
            pen.text(x + CONTENT_W - 12, y + 5, value, 10, align="right")


def issue(
    uow: UnitOfWork, row: KazeiRireki, *, settings: Settings, now: dt.datetime, requester_type: str = "honnin"
) -> IssuedForm:
    """Issue the 課税（所得）証明書 of ``row`` with its fee on the 交付履歴 row. No commit."""
    on = japan_date(now)
    person, address = address_of(uow, row.atena_no, settings)
    birth = wareki(person.birth_date, person.birth_date_text)
    cert = _certificate(row, name=full_name(person), birth=birth, address=address)
    for text, value in (("氏名", cert.name), ("住所", cert.address)):
        assert_printable(text, value)
    ninshobun = str(params.get("municipal.zeimu.shomeisho.ninshobun", on=on))
    return issue_signed(
        uow, row, settings=settings, now=now, on=on, kind=KIND, title=f"{label(row.nendo)} {TITLE}",
        body=[partial(_body, cert=cert)], ninshobun=ninshobun,
        requester_type=requester_type, fee=fee_for(KIND, requester_type, on),
    )  # fmt: skip
