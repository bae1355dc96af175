"""Assess the 個人住民税 of a whole municipality in one call, or explain one person's bill.

``assess`` runs the formula chain (:mod:`.chain`) over columns — a list of inputs is turned into columns
first — and ``simulate`` is ``assess`` on a list of one, so the counter's explanation and the batch can
never disagree. Neither reads the clock: the 年度 and its settings are arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from yakuba.zeimu.kojin.chain import compute
from yakuba.zeimu.kojin.columns import Columns
from yakuba.zeimu.kojin.schemas import TaxpayerInput
from yakuba.zeimu.kojin.settings import KojinSettings
from yakuba.zeimu.kojin.steps import STEPS


@dataclass(frozen=True)
class Assessment:
    """The result of one batch: one int64 (or bool) array per step key, in calculation order."""

    nendo: int
    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.columns["nenzei"])

    def rows(self) -> list[dict[str, int | bool]]:
        """One dict per taxpayer with plain Python ints and bools (for the 課税台帳 and the API)."""
        lists = {key: values.tolist() for key, values in self.columns.items()}
        return [{key: lists[key][i] for key in lists} for i in range(len(self))]


@dataclass(frozen=True)
class Step:
    """One line of the explanation: the amount, the rule applied and where the rule comes from."""

    key: str
    label: str
    amount: int
    rule: str
    reference: str


@dataclass(frozen=True)
class Explanation:
    """A one-person simulation, step by step in calculation order, and the annual total."""

    nendo: int
    steps: list[Step]
    nenzei: int

    def amount(self, key: str) -> int:
        for step in self.steps:
            if step.key == key:
                return step.amount
        raise KeyError(key)


def assess(people: Sequence[TaxpayerInput] | Columns, *, nendo: int, settings: KojinSettings) -> Assessment:
    """The assessment of every taxpayer in ``people`` for ``nendo`` (vectorised over all of them)."""
    if settings.nendo != nendo:
        raise ValueError(f"settings は {settings.nendo}年度のものです（{nendo}年度が指定されました）")
    columns = people if isinstance(people, Columns) else Columns.from_inputs(people)
    return Assessment(nendo=nendo, columns=compute(columns, settings))


def simulate(person: TaxpayerInput, *, nendo: int, settings: KojinSettings) -> Explanation:
    """One person's bill with every step explained — the same code path as :func:`assess`."""
    row = assess([person], nendo=nendo, settings=settings).rows()[0]
    steps = [
        Step(key=key, label=info.label, amount=int(row[key]), rule=info.rule, reference=info.reference)
        for key, info in STEPS.items()
    ]
    missing = set(row) - set(STEPS)
    if missing:  # every computed step must be explainable
        raise RuntimeError(f"説明のない計算段階があります: {sorted(missing)}")
    return Explanation(nendo=nendo, steps=steps, nenzei=int(row["nenzei"]))
