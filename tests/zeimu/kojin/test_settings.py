"""The 年度's rules are read on its 賦課期日 and the municipal choices come from params (tax-rules.md §0)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from pydantic import ValidationError

from tests.zeimu.kojin.helpers import settings
from yakuba.params import default_parameters
from yakuba.zeimu.kojin.public import Columns, KojinSettings, TaxpayerInput, assess, simulate
from yakuba.zeimu.money import Rate


@pytest.mark.parametrize(
    ("nendo", "day"), [(2024, dt.date(2024, 1, 1)), (2025, dt.date(2025, 1, 1)), (2026, dt.date(2026, 1, 1))]
)
def test_parameters_are_read_on_1_january_of_the_nendo(nendo: int, day: dt.date) -> None:
    """地方税法第39条・第318条: 賦課期日は1月1日; 令和8年度の改正は from: 2026-01-01."""
    assert KojinSettings.for_nendo(nendo).fuka_kijitsu == day


def test_before_r6_is_refused() -> None:
    """The engine is written for 令和6年度 onward (森林環境税, 定額減税); earlier years would be wrong."""
    with pytest.raises(ValueError, match="対象外"):
        KojinSettings.for_nendo(2023)


def test_settings_and_nendo_must_match() -> None:
    with pytest.raises(ValueError, match="年度"):
        assess([TaxpayerInput(age=30)], nendo=2025, settings=KojinSettings.for_nendo(2024))


def test_every_rate_in_the_tables_is_a_decimal_string() -> None:
    """Money is integers; a float rate would not be exact (money.Rate refuses it)."""
    params = default_parameters()

    def walk(value: object) -> None:
        assert not isinstance(value, float), value
        if isinstance(value, dict):
            for child in value.values():
                walk(child)
        if isinstance(value, list):
            for child in value:
                walk(child)

    prefixes = ("zeimu.kojin.", "municipal.zeimu.kojin.")
    keys = [key for key in params.keys() if key.startswith(prefixes)]  # noqa: SIM118
    assert len(keys) >= 25
    for key in keys:
        for item in params.parameter(key).values:
            walk(item.value)
    with pytest.raises(TypeError):
        Rate.of(0.06)


def test_municipal_settings_override_through_the_overlay() -> None:
    """級地・指定都市・超過課税 are municipal settings (municipal.zeimu.kojin.*)."""
    rules = settings(2025, {"kyuchi": "2", "shitei_toshi": True, "kintowari_chouka": {"shi": 0, "ken": 500}})
    assert (rules.kyuchi, rules.shitei_toshi, rules.kintowari) == ("2", True, (3_000, 1_500))
    assert rules.kintowari_limit == {"k": 315_000, "base": 100_000, "a": 189_000}


def test_municipal_kintowari_limit_override() -> None:
    """tax-rules.md §6 #6: 条例 may deviate from the 施行令 amounts (Moka 3級地 +170,000)."""
    rules = settings(2025, {"hikazei_kintowari_override": {"k": 280_000, "base": 100_000, "a": 170_000}})
    person = TaxpayerInput(age=40, jigyo_shotoku=550_000, dependants=[{"age": 5}])  # type: ignore[list-item]
    assert simulate(person, nendo=2025, settings=rules).amount("kintowari_gendo") == 830_000


def test_inputs_are_whole_yen() -> None:
    """A float or text amount is refused, naming the field."""
    with pytest.raises(ValidationError, match="kyuyo_shunyu"):
        TaxpayerInput.model_validate({"age": 30, "kyuyo_shunyu": 1.5})
    with pytest.raises(ValidationError, match="kyuyo_shunyu"):
        TaxpayerInput.model_validate({"age": 30, "kyuyo_shunyu": -1})


def test_columns_are_int64_and_the_result_is_int64_or_bool() -> None:
    people = [TaxpayerInput(age=40, kyuyo_shunyu=4_370_000), TaxpayerInput(age=75, nenkin_shunyu=3_200_000)]
    result = assess(Columns.from_inputs(people), nendo=2026, settings=KojinSettings.for_nendo(2026))
    assert all(values.dtype in (np.int64, np.bool_) for values in result.columns.values())
    assert [r["kyuyo_shotoku"] for r in result.rows()] == [3_054_400, 0]


def test_explanation_lists_every_step_in_order_with_rule_and_reference() -> None:
    """A clerk explains the bill: each step has a Japanese label, the rule and its source."""
    explanation = simulate(
        TaxpayerInput(age=40, kyuyo_shunyu=4_370_000), nendo=2026, settings=KojinSettings.for_nendo(2026)
    )
    keys = [step.key for step in explanation.steps]
    assert keys.index("kyuyo_shotoku") < keys.index("kazei_soshotoku") < keys.index("chosei_kojo_shi")
    assert keys.index("chosei_kojo_shi") < keys.index("haito_kojo_shi") < keys.index("jutaku_kojo_shi")
    assert keys.index("jutaku_kojo_shi") < keys.index("kifukin_kojo_shi") < keys.index("teigaku_genzei_shi")
    assert keys.index("teigaku_genzei_shi") < keys.index("shotokuwari_shi") < keys.index("nenzei")
    assert keys[-1] == "nenzei"
    assert all(step.label and step.rule and step.reference for step in explanation.steps)
    assert explanation.nenzei == 264_800


def test_columns_with_defaults_fill_missing_fields_and_refuse_unknown_ones() -> None:
    """The intake may give only the fields it has; a misspelt column is an error, not a zero."""
    columns = Columns.with_defaults({"kyuyo_shunyu": np.array([4_370_000]), "age": np.array([40])})
    result = assess(columns, nendo=2025, settings=KojinSettings.for_nendo(2025))
    assert result.rows()[0]["nenzei"] == 264_800
    with pytest.raises(ValueError, match="kyuyo"):
        Columns.with_defaults({"kyuyo": np.array([1])})
