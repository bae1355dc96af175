"""Every threshold of tax-rules.md §1 tested at the yen on both sides.

Expected values are computed here from the statute's wording (exact fractions), not from the engine's
tables, so a wrong parameter or an off-by-one in a comparison fails.
"""

from __future__ import annotations

from fractions import Fraction
from math import ceil, floor
from typing import Any

import pytest

from tests.zeimu.kojin.helpers import settings
from yakuba.zeimu.kojin.public import TaxpayerInput, assess

R6, R7, R8 = 2024, 2025, 2026


def row(nendo: int, municipal: dict[str, Any] | None = None, **inputs: Any) -> dict[str, Any]:
    person = TaxpayerInput.model_validate({"age": 40, **inputs})
    return assess([person], nendo=nendo, settings=settings(nendo, municipal)).rows()[0]


# 所得税法別表第五 (R3〜R7) and its R8 revision: each step of the table, both sides.
@pytest.mark.parametrize(
    ("nendo", "shunyu", "shotoku"),
    [
        (R6, 550_999, 0),
        (R6, 551_000, 1_000),
        (R6, 1_618_999, 1_068_999),
        (R6, 1_619_000, 1_069_000),
        (R6, 1_619_999, 1_069_000),
        (R6, 1_620_000, 1_070_000),
        (R6, 1_621_999, 1_070_000),
        (R6, 1_622_000, 1_072_000),
        (R6, 1_624_000, 1_074_000),
        (R6, 1_627_999, 1_074_000),
        (R6, 1_628_000, 1_628_000 * 6 // 10 + 100_000),
        (R6, 1_799_999, 1_796_000 * 6 // 10 + 100_000),
        (R6, 1_800_000, 1_800_000 * 7 // 10 - 80_000),
        (R6, 3_599_999, 3_596_000 * 7 // 10 - 80_000),
        (R6, 3_600_000, 3_600_000 * 8 // 10 - 440_000),
        (R6, 6_599_999, 6_596_000 * 8 // 10 - 440_000),
        (R6, 6_600_000, 6_600_000 * 9 // 10 - 1_100_000),
        (R6, 6_600_001, (6_600_001 * 9) // 10 - 1_100_000),
        (R6, 8_499_999, (8_499_999 * 9) // 10 - 1_100_000),
        (R6, 8_500_000, 8_500_000 - 1_950_000),
        (R7, 1_625_000, 1_074_000),
        (R8, 650_999, 0),
        (R8, 651_000, 1_000),
        (R8, 1_625_000, 975_000),
        (R8, 1_899_999, 1_249_999),
        (R8, 1_900_000, 1_250_000),
        (R8, 3_600_000, 2_440_000),
        (R8, 8_500_000, 6_550_000),
    ],
)
def test_kyuyo_shotoku_table_steps(nendo: int, shunyu: int, shotoku: int) -> None:
    """所得税法第28条・別表第五; tax-rules.md §1.3.1–§1.3.2."""
    assert row(nendo, kyuyo_shunyu=shunyu)["kyuyo_shotoku"] == shotoku


@pytest.mark.parametrize(
    ("age", "shunyu", "shotoku"),
    [
        (65, 1_100_000, 0),
        (65, 3_299_999, 2_199_999),
        (65, 3_300_000, 2_200_000),
        (65, 4_100_000, 4_100_000 * 85 // 100 - 685_000),
        (65, 7_700_000, 7_700_000 * 95 // 100 - 1_455_000),
        (65, 10_000_000, 10_000_000 - 1_955_000),
        (64, 600_000, 0),
        (64, 1_299_999, 699_999),
        (64, 1_300_000, 700_000),
        (64, 4_100_000, 4_100_000 * 85 // 100 - 685_000),
    ],
)
def test_nenkin_table_by_age(age: int, shunyu: int, shotoku: int) -> None:
    """所得税法第35条第4項; Aisai; tax-rules.md §1.4 (age at 12/31)."""
    assert row(R7, nenkin_shunyu=shunyu, age=age)["nenkin_shotoku"] == shotoku


@pytest.mark.parametrize(("other", "extra"), [(10_000_000, 0), (10_000_001, 100_000), (20_000_001, 200_000)])
def test_nenkin_deduction_shrinks_with_other_income(other: int, extra: int) -> None:
    """公的年金等以外の合計所得 1,000万超・2,000万超 (Aisai; tax-rules.md §1.4)."""
    assert row(R7, nenkin_shunyu=2_000_000, age=70, jigyo_shotoku=other)["nenkin_shotoku"] == 900_000 + extra


@pytest.mark.parametrize(
    ("shunyu", "chosei"), [(8_500_000, 0), (8_500_001, 1), (10_000_000, 150_000), (12_000_000, 150_000)]
)
def test_shotoku_kingaku_chosei_850man(shunyu: int, chosei: int) -> None:
    """租税特別措置法第41条の3の3第1項: (min(収入, 1,000万) − 850万) × 10%, 1円未満切上げ."""
    assert row(R7, kyuyo_shunyu=shunyu, dependants=[{"age": 22}])["shotoku_kingaku_chosei"] == chosei
    assert row(R7, kyuyo_shunyu=shunyu, dependants=[{"age": 23}])["shotoku_kingaku_chosei"] == 0


@pytest.mark.parametrize(
    ("kyuchi", "n_children", "limit"),
    [
        ("1", 0, 450_000),
        ("1", 1, 1_010_000),
        ("1", 2, 1_360_000),
        ("1", 3, 1_710_000),
        ("2", 0, 415_000),
        ("2", 1, 919_000),
        ("2", 2, 1_234_000),
        ("2", 3, 1_549_000),
        ("3", 0, 380_000),
        ("3", 1, 828_000),
        ("3", 2, 1_108_000),
        ("3", 3, 1_388_000),
    ],
)
def test_kintowari_hikazei_limit_plus_minus_one_yen(kyuchi: str, n_children: int, limit: int) -> None:
    """地方税法第295条第3項・施行令第47条の3; Isumi/Kizugawa table (tax-rules.md §1.9)."""
    dependants = [{"age": 5}] * n_children
    at = row(R6, {"kyuchi": kyuchi}, jigyo_shotoku=limit, dependants=dependants)
    above = row(R6, {"kyuchi": kyuchi}, jigyo_shotoku=limit + 1, dependants=dependants)
    assert at["kintowari_gendo"] == limit
    assert at["hikazei_kintowari"] and at["nenzei"] == 0
    assert not above["hikazei_kintowari"] and above["kintowari_shi"] == 3_000


@pytest.mark.parametrize(
    ("n", "limit"),
    [(1, 450_000), (2, 1_120_000), (3, 1_470_000), (4, 1_820_000), (5, 2_170_000), (6, 2_520_000)],
)
def test_shotokuwari_hikazei_limit_plus_minus_one_yen(n: int, limit: int) -> None:
    """地方税法附則第3条の3: 35万 × N + 10万 (+32万); Isumi (tax-rules.md §1.9). Pure cliff (§6 #1)."""
    dependants = [{"age": 10}] * (n - 1)
    at = row(R8, jigyo_shotoku=limit, dependants=dependants)
    above = row(R8, jigyo_shotoku=limit + 1, dependants=dependants)
    assert at["shotokuwari_gendo"] == limit
    assert at["hikazei_shotokuwari"] and at["shotokuwari_shi"] == 0
    assert not above["hikazei_shotokuwari"]


def test_kokugai_relatives_do_not_count_for_the_hikazei_limit() -> None:
    """docs/decisions/zeimu-kojin-hikazei.md: 国外居住の扶養親族は人数に入れない (令和6年度〜)."""
    assert row(R6, jigyo_shotoku=500_000, dependants=[{"age": 40, "kokugai": True}])["hikazei_ninzu"] == 1


@pytest.mark.parametrize(
    "kind",
    [{"shogai": "futsu"}, {"kafu_hitorioya": "kafu"}, {"kafu_hitorioya": "hitorioya_haha"}, {"age": 17}],
)
def test_jinteki_hikazei_135man(kind: dict[str, Any]) -> None:
    """地方税法第295条第1項第2号: 障害者・未成年者・寡婦・ひとり親 合計所得 135万以下."""
    assert row(R7, jigyo_shotoku=1_350_000, **kind)["hikazei_jinteki"]
    assert not row(R7, jigyo_shotoku=1_350_001, **kind)["hikazei_jinteki"]


def _chosei(sa: int, kazei: int, rate: Fraction, minimum: int) -> int:
    if kazei <= 2_000_000:
        return ceil(min(sa, kazei) * rate)
    return max(ceil(max(sa - (kazei - 2_000_000), 0) * rate), minimum)


@pytest.mark.parametrize("kazei", [1_999_000, 2_000_000, 2_001_000, 2_150_000, 2_199_000, 2_200_000])
def test_chosei_kojo_at_200man(kazei: int) -> None:
    """地方税法第314条の6・第37条: 200万以下/超 (Koriyama; §1.7). 差 = 基礎+配偶者+扶養2 = 20万."""
    family = {"spouse": {"gokei_shotoku": 0, "age": 40}, "dependants": [{"age": 17}, {"age": 17}]}
    result = row(R7, jigyo_shotoku=kazei + 1_420_000, **family)
    assert result["kazei_soshotoku"] == kazei and result["jinteki_kojo_sa"] == 200_000
    assert result["chosei_kojo_shi"] == _chosei(200_000, kazei, Fraction(3, 100), 1_500)
    assert result["chosei_kojo_ken"] == _chosei(200_000, kazei, Fraction(2, 100), 1_000)


def test_chosei_kojo_stops_above_2500man() -> None:
    """合計所得 2,500万超は調整控除なし・基礎控除0 (地方税法第314条の6; 第314条の2第2項)."""
    at = row(R7, jigyo_shotoku=25_000_000)
    above = row(R7, jigyo_shotoku=25_000_001)
    assert (at["chosei_kojo_shi"], at["chosei_kojo_ken"], at["kiso_kojo"]) == (1_500, 1_000, 150_000)
    assert (above["chosei_kojo_shi"], above["chosei_kojo_ken"], above["kiso_kojo"]) == (0, 0, 0)


@pytest.mark.parametrize(
    ("gokei", "kiso"),
    [(24_000_000, 430_000), (24_000_001, 290_000), (24_500_000, 290_000), (24_500_001, 150_000)],
)
def test_kiso_kojo_bands(gokei: int, kiso: int) -> None:
    """地方税法第314条の2第2項 (Nerima; R8 も43万 tax-rules.md §1.5)."""
    assert row(R8, jigyo_shotoku=gokei)["kiso_kojo"] == kiso


def test_furusato_cap_is_20_percent_of_shotokuwari_after_chosei() -> None:
    """地方税法第314条の7第11項: 特例控除 ≤ 所得割（調整控除後）× 20%. 給与 600万 単身 (特例率 69.58%)."""
    rate = Fraction(6958, 10000) * Fraction(3, 5)
    cap = ceil(Fraction(235_800 - 1_500) * Fraction(1, 5))
    below = row(R7, kyuyo_shunyu=6_000_000, furusato_kifu=114_242)["furusato_tokurei_shi"]
    assert below == ceil((114_242 - 2_000) * rate) == cap - 1
    for gift in (114_243, 114_246, 1_000_000):
        assert row(R7, kyuyo_shunyu=6_000_000, furusato_kifu=gift)["furusato_tokurei_shi"] == cap


@pytest.mark.parametrize(
    ("nendo", "income", "fuyo"),
    [(R6, 480_000, 330_000), (R6, 480_001, 0), (R8, 580_000, 330_000), (R8, 580_001, 0)],
)
def test_fuyo_income_limit_48_then_58(nendo: int, income: int, fuyo: int) -> None:
    """扶養親族の所得要件 48万 → 58万 from R8 (Karatsu, Uchiko; tax-rules.md §1.13)."""
    assert (
        row(nendo, kyuyo_shunyu=5_000_000, dependants=[{"age": 17, "gokei_shotoku": income}])["fuyo_kojo"]
        == fuyo
    )


@pytest.mark.parametrize(
    ("nendo", "income", "kojo", "tokubetsu"),
    [
        (R7, 480_000, 330_000, 0),
        (R7, 480_001, 0, 330_000),
        (R8, 580_000, 330_000, 0),
        (R8, 580_001, 0, 330_000),
        (R8, 1_330_000, 0, 30_000),
        (R8, 1_330_001, 0, 0),
    ],
)
def test_haigusha_limit_48_then_58(nendo: int, income: int, kojo: int, tokubetsu: int) -> None:
    """配偶者控除 / 配偶者特別控除 (Kyotamba; Narashino R8; tax-rules.md §1.5)."""
    result = row(nendo, kyuyo_shunyu=5_000_000, spouse={"gokei_shotoku": income, "age": 40})
    assert (result["haigusha_kojo"], result["haigusha_tokubetsu_kojo"]) == (kojo, tokubetsu)


@pytest.mark.parametrize(("nendo", "limit"), [(R7, 750_000), (R8, 850_000)])
def test_kinro_gakusei_75_then_85(nendo: int, limit: int) -> None:
    """勤労学生控除の所得要件 75万 → 85万 (Uchiko; tax-rules.md §1.5)."""
    assert row(nendo, jigyo_shotoku=limit, age=20, kinro_gakusei=True)["kinro_gakusei_kojo"] == 260_000
    assert row(nendo, jigyo_shotoku=limit + 1, age=20, kinro_gakusei=True)["kinro_gakusei_kojo"] == 0


@pytest.mark.parametrize(
    ("nendo", "child", "kojo"), [(R7, 480_001, 0), (R8, 580_000, 300_000), (R8, 580_001, 0)]
)
def test_hitorioya_child_income_48_then_58(nendo: int, child: int, kojo: int) -> None:
    """ひとり親の子の総所得金額等 48万 → 58万 (Karatsu, Saijo; tax-rules.md §1.5)."""
    result = row(nendo, jigyo_shotoku=3_000_000, kafu_hitorioya="hitorioya_haha", hitorioya_ko_shotoku=child)
    assert result["hitorioya_kojo"] == kojo


def test_tokutei_shinzoku_only_from_r8() -> None:
    """特定親族特別控除は令和8年度から (Tsugaru)."""
    dependants = [{"age": 20, "gokei_shotoku": 900_000}]
    assert row(R7, kyuyo_shunyu=6_000_000, dependants=dependants)["tokutei_shinzoku_kojo"] == 0
    assert row(R8, kyuyo_shunyu=6_000_000, dependants=dependants)["tokutei_shinzoku_kojo"] == 450_000


@pytest.mark.parametrize(("gokei", "persons"), [(18_050_000, 1), (18_050_001, 0)])
def test_teigaku_genzei_r6_income_limit(gokei: int, persons: int) -> None:
    """令和6年度 定額減税 合計所得 1,805万以下 (Hashikami; tax-rules.md §1.11)."""
    assert row(R6, jigyo_shotoku=gokei)["teigaku_genzei_ninzu"] == persons


@pytest.mark.parametrize(
    ("gokei", "persons"), [(10_000_000, 0), (10_000_001, 1), (18_050_000, 1), (18_050_001, 0)]
)
def test_teigaku_genzei_r7_spouse_band(gokei: int, persons: int) -> None:
    """令和7年度 定額減税 1,000万超1,805万以下で同一生計配偶者 (Yamaga; tax-rules.md §1.11)."""
    result = row(R7, jigyo_shotoku=gokei, spouse={"gokei_shotoku": 0, "age": 40})
    assert result["teigaku_genzei_ninzu"] == persons


def test_seimei_and_jishin_halves_round_up() -> None:
    """生命保険料・地震保険料の ½, ¼ は1円未満切上げ (tax-rules.md §0, §5.2)."""
    result = row(R7, jigyo_shotoku=3_000_000, seimei_shin_ippan=12_001, jishin_hokenryo=1)
    assert result["seimei_hokenryo_kojo"] == ceil(Fraction(12_001, 2)) + 6_000
    assert result["jishin_hokenryo_kojo"] == 1


def test_shotokuwari_is_floored_to_100_after_all_credits() -> None:
    """地方税法第20条の4の2第3項: 確定税額は税額控除の後に100円未満切捨て (tax-rules.md §1.2 note)."""
    result = row(R7, kyuyo_shunyu=4_370_000)
    assert (
        result["shotokuwari_shi"] == floor((result["sanshutsu_shi"] - result["chosei_kojo_shi"]) / 100) * 100
    )
