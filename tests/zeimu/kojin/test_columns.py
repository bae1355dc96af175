"""Stored 課税資料 become the same columns as validated inputs (the batch skips re-validation)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.zeimu.kojin.test_batch_equals_simulate import taxpayers
from yakuba.zeimu.kojin.public import Columns, TaxpayerInput


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(taxpayers(), min_size=1, max_size=8))
def test_records_and_inputs_give_the_same_columns(people: list[TaxpayerInput]) -> None:
    stored = [person.model_dump(mode="json") for person in people]  # what record_shiryo keeps
    expected = Columns.from_inputs(people)
    got = Columns.from_records(stored)
    assert set(got.persons) == set(expected.persons)
    for name, values in expected.persons.items():
        assert np.array_equal(got.persons[name], values), name
    for name, values in expected.dependants.items():
        assert np.array_equal(got.dependants[name], values), name
