"""The face of 個人住民税: what the API, the 課税台帳 and the other businesses may use."""

from __future__ import annotations

from yakuba.zeimu.kojin.choshu import Schedule
from yakuba.zeimu.kojin.columns import Columns
from yakuba.zeimu.kojin.commands.shiryo import record_shiryo
from yakuba.zeimu.kojin.commands.tosho import ToshoReport, run_tosho
from yakuba.zeimu.kojin.engine import Assessment, Explanation, Step, assess, simulate
from yakuba.zeimu.kojin.explain import Choshu, StepUnit, collection_schedule, step_unit, stored_steps
from yakuba.zeimu.kojin.schemas import DependantInput, KafuHitorioya, Shogai, SpouseInput, TaxpayerInput
from yakuba.zeimu.kojin.settings import KojinSettings

__all__ = [
    "Assessment",
    "Choshu",
    "Columns",
    "DependantInput",
    "Explanation",
    "KafuHitorioya",
    "KojinSettings",
    "Schedule",
    "Shogai",
    "SpouseInput",
    "Step",
    "StepUnit",
    "TaxpayerInput",
    "ToshoReport",
    "assess",
    "collection_schedule",
    "record_shiryo",
    "run_tosho",
    "simulate",
    "step_unit",
    "stored_steps",
]
