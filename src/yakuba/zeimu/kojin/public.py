"""The face of 個人住民税: what the API, the 課税台帳 and the other businesses may use."""

from __future__ import annotations

from yakuba.zeimu.kojin.columns import Columns
from yakuba.zeimu.kojin.commands.shiryo import record_shiryo
from yakuba.zeimu.kojin.commands.tosho import ToshoReport, run_tosho
from yakuba.zeimu.kojin.engine import Assessment, Explanation, Step, assess, simulate
from yakuba.zeimu.kojin.schemas import DependantInput, KafuHitorioya, Shogai, SpouseInput, TaxpayerInput
from yakuba.zeimu.kojin.settings import KojinSettings

__all__ = [
    "Assessment",
    "Columns",
    "DependantInput",
    "Explanation",
    "KafuHitorioya",
    "KojinSettings",
    "Shogai",
    "SpouseInput",
    "Step",
    "TaxpayerInput",
    "ToshoReport",
    "assess",
    "record_shiryo",
    "run_tosho",
    "simulate",
]
