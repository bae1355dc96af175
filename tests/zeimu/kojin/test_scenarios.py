"""Worked examples of tax-rules.md §1 and full chains to 年税額, one YAML file per 年度 (OpenFisca style).

Each scenario names its source (a municipal page or the 条文) and the expected amount at each step it
checks, worked by hand in the file's comments. The batch (`assess`) and the counter (`simulate`) must
both give every expected amount.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.zeimu.kojin.helpers import settings
from yakuba.zeimu.kojin.public import TaxpayerInput, assess, simulate

SCENARIOS = Path(__file__).parent / "scenarios"


def _cases() -> list[Any]:
    cases = []
    for path in sorted(SCENARIOS.glob("r*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for scenario in document["scenarios"]:
            assert scenario.get("source"), f"{path.name}: {scenario['name']} has no source"
            cases.append(pytest.param(document["nendo"], scenario, id=f"{path.stem}: {scenario['name']}"))
    return cases


@pytest.mark.parametrize(("nendo", "scenario"), _cases())
def test_scenario(nendo: int, scenario: dict[str, Any]) -> None:
    person = TaxpayerInput.model_validate(scenario["inputs"])
    rules = settings(nendo, scenario.get("municipal"))
    row = assess([person], nendo=nendo, settings=rules).rows()[0]
    explanation = simulate(person, nendo=nendo, settings=rules)
    for key, expected in scenario["expected"].items():
        assert row[key] == expected, f"{key}: {row[key]} != {expected} ({scenario['source']})"
        assert explanation.amount(key) == int(expected), key
    assert explanation.nenzei == row["nenzei"]


def test_every_year_has_scenarios() -> None:
    """R6, R7 and R8 each carry worked examples (issue 14: proof per 年度)."""
    assert {path.stem for path in SCENARIOS.glob("r*.yaml")} == {"r6", "r7", "r8"}
