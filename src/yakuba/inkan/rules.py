"""Pure rules of 印鑑登録: code tables, name forms a seal may show, card-number check digit, deadlines.

Nothing here touches the database (dated parameters are read through :mod:`yakuba.params`), so each rule
can be checked on its own; the commands in :mod:`yakuba.inkan.commands` fetch the rows and ask these.
Facts: spec-resident.md §2 and §6 #13–#15 (the municipal 印鑑条例 modelled on the 印鑑登録証明事務処理要領).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from yakuba import params
from yakuba.errors import FieldProblem, InputError
from yakuba.inkan.models import InkanToroku
from yakuba.kernel.age import age_on
from yakuba.kernel.holidays import next_working_day
from yakuba.kernel.wareki import format_wareki

Represents = Literal["shimei", "shi", "mei", "kyu_uji", "kyu_uji_mei", "tsusho", "kana", "ichibu"]
REPRESENTS_LABELS: dict[str, str] = {
    "shimei": "氏名",
    "shi": "氏",
    "mei": "名",
    "kyu_uji": "旧氏",
    "kyu_uji_mei": "旧氏と名",
    "tsusho": "通称",
    "kana": "氏名の片仮名表記",
    "ichibu": "氏名（旧氏・通称を含む）の一部の組合せ",
}
INBUN_SUFFIXES = (
    "之印",
    "の印",
    "ノ印",
    "印",
)  # 「之印」「の印」 may be appended (浜松市; spec-resident.md §2)
KAKUNIN_LABELS = {
    "photo_id": "官公署発行の顔写真付き本人確認書類",
    "hoshonin": "保証人による保証",
    "shokaisho": "照会書・回答書",
}
KANA_ITEMS = frozenset({"shi_kana", "mei_kana"})


# --------------------------------------------------------------------------------------------- card numbers


def luhn_digit(digits: str) -> int:
    """Mod-10 (Luhn) check digit, so that a mistyped 印鑑登録証番号 is caught at the counter."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return (10 - total % 10) % 10


def is_valid_card_no(card_no: str) -> bool:
    """Digits with a correct check digit: refused before any lookup."""
    return len(card_no) >= 2 and card_no.isdigit() and luhn_digit(card_no[:-1]) == int(card_no[-1])


# --------------------------------------------------------------------------------------------- validity


def is_valid_on(toroku: InkanToroku, on: dt.date) -> bool:
    """Registered, and (after a 転出届) before the 転出予定日."""
    if toroku.status != "toroku":
        return False
    return toroku.tenshutsu_yotei_date is None or on < toroku.tenshutsu_yotei_date


# --------------------------------------------------------------------------------------------- names


def name_items(row: Any) -> dict[str, str | None]:
    """The recorded name forms a seal may show (住民票 or an event's ResidentSummary), blanks removed."""

    def clean(*parts: str | None) -> str | None:
        if any(p is None or p == "" for p in parts):
            return None
        return "".join((p or "").replace(" ", "").replace("\u3000", "") for p in parts)

    shi, mei = row.shi, row.mei
    kyu_uji = getattr(row, "kyu_uji", None)
    return {
        "shimei": clean(shi, mei),
        "shi": clean(shi),
        "mei": clean(mei),
        "kyu_uji": clean(kyu_uji),
        "kyu_uji_mei": clean(kyu_uji, mei),
        "tsusho": clean(getattr(row, "tsusho", None)),
        "kana": clean(getattr(row, "shi_kana", None), getattr(row, "mei_kana", None)),
        "ichibu": None,
    }


def inbun_core(inbun: str) -> str:
    """The 印文 without spaces or an appended 「之印」「の印」「印」, as it is compared with names."""
    text = inbun.replace(" ", "").replace("\u3000", "")
    for suffix in INBUN_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def matching_items(items: Mapping[str, str | None], inbun: str) -> list[str]:
    """Which recorded name forms the 印文 shows exactly (kept in the log when a name changes)."""
    core = inbun_core(inbun)
    return [k for k, v in items.items() if v and v == core]


def ichibu_ok(items: dict[str, str | None], inbun: str) -> bool:
    """「氏名の一部の組合せ」: every character of the 印文 occurs in the recorded 氏名・旧氏・通称."""
    pool = "".join(v for k, v in items.items() if v and k in ("shimei", "kyu_uji", "tsusho", "kana"))
    return bool(pool) and all(ch in pool for ch in inbun_core(inbun))


def name_alerts(items: dict[str, str | None], inbun: str, represents: str) -> list[str]:
    """Alerts the clerk confirms when the 印文 does not literally match the chosen name form."""
    label = REPRESENTS_LABELS[represents]
    if represents == "ichibu":
        if ichibu_ok(items, inbun):
            return []
        return [
            f"印文「{inbun}」の文字が記録された氏名等にありません（旧字・新字の違いなどを確認してください）"
        ]
    if represents in matching_items(items, inbun):
        return []
    return [
        f"印文「{inbun}」は記録された{label}「{items.get(represents)}」と一致しません"
        "（旧字・新字の違い、之印・の印の付加などを確認してください）"
    ]


def check_recorded(items: Mapping[str, str | None], represents: str) -> None:
    """The name form the seal is said to represent must be on the 住民票 (「一部の組合せ」 apart).

    Asked both at the 申請 and at the confirmation after a name change, with the same message."""
    if represents != "ichibu" and not items.get(represents):
        raise InputError.single(
            "印鑑が表す氏名等", f"{REPRESENTS_LABELS[represents]}は住民票に記録されていません"
        )


# --------------------------------------------------------------------------------------------- eligibility


def kaito_deadline(base: dt.date, on: dt.date) -> dt.date:
    """The last day a 回答書 may come back for a 照会書 posted on ``base``.

    See docs/decisions/inkan-kaito-deadline.md."""
    rule = params.get("municipal.inkan.kaito_deadline", on=on)
    days = int(rule["days"])
    last = base + dt.timedelta(days=days - 1 if rule.get("first_day_included") else days)
    return next_working_day(last) if rule.get("holiday_extends") else last


def capacity_problems(
    *, ishi_noryoku_nashi: bool, seinen_hikokennin: bool, kokennin_dohan: bool, on: dt.date
) -> list[FieldProblem]:
    """意思能力・成年被後見人: who may not register whatever their 住民票 says."""
    problems: list[FieldProblem] = []
    if ishi_noryoku_nashi:
        problems.append(FieldProblem("意思能力", "意思能力を有しない人は登録できません"))
    if seinen_hikokennin and not (
        kokennin_dohan and params.get("municipal.inkan.seinen_hikokennin_with_kokennin", on=on)
    ):
        problems.append(
            FieldProblem(
                "成年被後見人",
                "成年被後見人は登録できません"
                + (
                    "（成年後見人が同行する場合を除く）"
                    if params.get("municipal.inkan.seinen_hikokennin_with_kokennin", on=on)
                    else ""
                ),
            )
        )
    return problems


def resident_problems(row: Any, on: dt.date) -> list[FieldProblem]:
    """What in the person's current 住民票 row bars a registration on ``on`` (転出予定日, 年齢)."""
    problems: list[FieldProblem] = []
    yotei = row.tenshutsu_yotei_date if row.jumin_jotai == "02" else None
    if yotei is not None and on >= yotei:
        problems.append(
            FieldProblem(
                "転出予定日",
                f"転出届があった人は転出予定日（{format_wareki(yotei)}）の前日までしか登録できません",
            )
        )
    minimum = int(params.get("inkan.min_age", on=on))
    if row.birth_date is None:
        problems.append(FieldProblem("生年月日", "生年月日が不詳のため、登録できる年齢か確認できません"))
    else:
        age = age_on(row.birth_date, on)
        if age < minimum:
            problems.append(
                FieldProblem(
                    "生年月日",
                    f"満{minimum}歳未満の人は登録できません（{format_wareki(row.birth_date)}生まれ、"
                    f"{format_wareki(on)}現在 満{age}歳。年齢計算ニ関スル法律による）",
                )
            )
    return problems


def existing_problem(existing: InkanToroku) -> FieldProblem:
    """One seal per person: an open registration or pending application bars another."""
    if existing.status == "toroku":
        return FieldProblem(
            "宛名番号",
            f"既に印鑑登録を受けています（登録番号 {existing.toroku_no}）。1人1個に限ります",
        )
    return FieldProblem("宛名番号", "照会書による登録申請が手続中です（回答書を待っています）")
