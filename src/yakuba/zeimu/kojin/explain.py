"""Explaining a bill from what the 課税台帳 kept, and the collection schedule of an explanation.

An assessment row keeps only ``{step key: amount}`` (details.steps) — the labels, rules and references
live in :data:`yakuba.zeimu.kojin.steps.STEPS`, so a wording fix there reaches every past bill shown at
the counter without rewriting the ledger. ``collection_schedule`` is the one place that turns an
explanation into 納期 or months, so the API, the counter screen and the stored row agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from yakuba.zeimu.kojin.choshu import Schedule, futsu_choshu, tokubetsu_choshu
from yakuba.zeimu.kojin.engine import Explanation, Step
from yakuba.zeimu.kojin.steps import STEPS

Choshu = Literal["futsu", "tokubetsu"]
StepUnit = Literal["yen", "ninzu", "flag", "kubun"]

# Steps that are not yen: a head count, a yes/no judgement (stored as 0/1), or a 区分 number.
_UNITS: dict[str, StepUnit] = {
    "hikazei_ninzu": "ninzu",
    "teigaku_genzei_ninzu": "ninzu",
    "hikazei_seikatsu_hogo": "flag",
    "hikazei_jinteki": "flag",
    "hikazei_kintowari": "flag",
    "hikazei_shotokuwari": "flag",
    "furusato_tokureiritsu_kubun": "kubun",
}


def step_unit(key: str) -> StepUnit:
    """How a step's amount reads: yen unless it is a count, a judgement or a 区分."""
    return _UNITS.get(key, "yen")


def stored_steps(amounts: Mapping[str, int]) -> list[Step]:
    """The steps of a stored assessment in calculation order, with today's labels, rules and references.

    A key the ledger kept but the table no longer knows is shown under its key rather than dropped: the
    amount was part of the bill the taxpayer received.
    """
    steps = [
        Step(key=key, label=info.label, amount=int(amounts[key]), rule=info.rule, reference=info.reference)
        for key, info in STEPS.items()
        if key in amounts
    ]
    steps.extend(
        Step(key=key, label=key, amount=int(amount), rule="", reference="")
        for key, amount in amounts.items()
        if key not in STEPS
    )
    return steps


def collection_schedule(explanation: Explanation, choshu: Choshu = "futsu") -> Schedule:
    """普通徴収 4 納期 or 給与特別徴収 12 months of the explained 年税額.

    The schedules take the tax before 定額減税 and the reduction separately (令和6年度 takes the 減税
    off the first 期 in turn), so both are handed over rather than the net 年税額.
    """
    genzei = explanation.amount("teigaku_genzei_shi") + explanation.amount("teigaku_genzei_ken")
    before = explanation.nenzei + genzei
    plan = tokubetsu_choshu if choshu == "tokubetsu" else futsu_choshu
    return plan(before, nendo=explanation.nendo, genzei=genzei)
