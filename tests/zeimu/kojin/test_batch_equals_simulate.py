"""The vectorised batch and the one-person path agree, for any municipality (Hypothesis).

`assess` over a random list of taxpayers must give, row for row, what `simulate` gives each one alone:
a taxpayer's bill cannot depend on who else is in the batch. Plus the statute's invariants on every
row: 所得割 in ¥100 (地方税法第20条の4の2第3項), nothing below zero, nothing charged when 非課税 (第295条).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.zeimu.kojin.helpers import settings
from yakuba.zeimu.kojin.public import Columns, DependantInput, SpouseInput, TaxpayerInput, assess, simulate

yen = st.one_of(st.just(0), st.integers(0, 3_000_000), st.integers(0, 30_000_000))
small = st.one_of(st.just(0), st.integers(0, 200_000))
shogai = st.sampled_from(["none", "futsu", "tokubetsu", "dokyo_tokubetsu"])

dependants = st.builds(
    DependantInput,
    age=st.integers(0, 95),
    gokei_shotoku=st.one_of(st.just(0), st.integers(0, 1_500_000)),
    dokyo_roshin=st.booleans(),
    shogai=shogai,
    kokugai=st.booleans(),
    kokugai_kojo_taisho=st.booleans(),
)
spouses = st.builds(
    SpouseInput,
    gokei_shotoku=st.one_of(st.just(0), st.integers(0, 1_500_000)),
    age=st.integers(18, 95),
    shogai=shogai,
)


@st.composite
def taxpayers(draw: Any) -> TaxpayerInput:
    furusato = draw(st.one_of(st.just(0), st.integers(0, 500_000)))
    jutaku = draw(st.one_of(st.just(0), st.integers(0, 300_000)))
    return TaxpayerInput(
        kyuyo_shunyu=draw(yen),
        nenkin_shunyu=draw(st.one_of(st.just(0), st.integers(0, 5_000_000))),
        age=draw(st.integers(15, 100)),
        jigyo_shotoku=draw(st.one_of(st.just(0), st.integers(0, 30_000_000))),
        haito_shotoku=draw(st.one_of(st.just(0), st.integers(0, 15_000_000))),
        ichiji_shunyu=draw(small),
        shakai_hokenryo=draw(st.one_of(st.just(0), st.integers(0, 1_500_000))),
        seimei_shin_ippan=draw(small),
        seimei_kyu_ippan=draw(small),
        seimei_shin_kaigo=draw(small),
        jishin_hokenryo=draw(small),
        kyu_choki_songai=draw(small),
        iryohi_shiharai=draw(st.one_of(st.just(0), st.integers(0, 3_000_000))),
        shogai=draw(st.sampled_from(["none", "futsu", "tokubetsu"])),
        kafu_hitorioya=draw(st.sampled_from(["none", "kafu", "hitorioya_haha", "hitorioya_chichi"])),
        kinro_gakusei=draw(st.booleans()),
        seikatsu_hogo=draw(st.integers(0, 9)) == 0,  # about one in ten
        spouse=draw(st.one_of(st.none(), spouses)),
        dependants=draw(st.lists(dependants, max_size=4)),
        furusato_kifu=furusato,
        kifu_shi_ken=draw(small),
        one_stop=draw(st.booleans()),
        jutaku_kojo_zan=jutaku,
        shotokuzei_kazei_soshotoku=draw(st.integers(0, 10_000_000)) if jutaku else 0,
        jutaku_kyoju_nen=draw(st.integers(2009, 2025)) if jutaku else None,
        jutaku_tokutei=draw(st.booleans()),
    )


MUNICIPAL = st.sampled_from(
    [{}, {"kyuchi": "1"}, {"shitei_toshi": True}, {"kintowari_chouka": {"shi": 300, "ken": 500}}]
)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(taxpayers(), min_size=1, max_size=8),
    nendo=st.sampled_from([2024, 2025, 2026]),
    municipal=MUNICIPAL,
)
def test_assess_equals_simulate_on_each(
    people: list[TaxpayerInput], nendo: int, municipal: dict[str, Any]
) -> None:
    rules = settings(nendo, municipal)
    batch = assess(people, nendo=nendo, settings=rules)
    from_columns = assess(Columns.from_inputs(people), nendo=nendo, settings=rules)
    rows = batch.rows()
    assert rows == from_columns.rows()
    for person, got in zip(people, rows, strict=True):
        alone = simulate(person, nendo=nendo, settings=rules)
        assert {step.key: step.amount for step in alone.steps} == {
            key: int(value) for key, value in got.items()
        }
        assert alone.nenzei == got["nenzei"]
        assert got["shotokuwari_shi"] % 100 == 0 and got["shotokuwari_ken"] % 100 == 0
        assert all(int(value) >= 0 for value in got.values())
        if got["hikazei_kintowari"]:
            assert got["nenzei"] == 0
        if got["hikazei_shotokuwari"]:
            assert got["shotokuwari_shi"] == got["shotokuwari_ken"] == 0
        assert got["furusato_tokurei_shi"] <= -(-(got["sanshutsu_shi"] - got["chosei_kojo_shi"]) // 5)
