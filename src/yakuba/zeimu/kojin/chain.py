"""The formula chain of tax-rules.md §1.2 over whole columns: 所得 → 非課税 → 所得控除 → 所得割 → 税額.

Every step is an int64 array operation across all taxpayers (masks for conditions, searchsorted for
tables); relatives are judged in their own flat table and summed back per taxpayer with ``np.add.at``.
The order of the 税額控除 is the statute's: 調整控除 → 配当控除 → 住宅借入金等 → 寄附金 → 定額減税,
and the ¥100 rounding of each 所得割 comes last, after all credits (地方税法第20条の4の2第3項).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from yakuba.zeimu.kojin.columns import Columns
from yakuba.zeimu.kojin.credits import tax_credits
from yakuba.zeimu.kojin.rules import I64, ints, rate_ceil, rate_floor
from yakuba.zeimu.kojin.settings import KojinSettings
from yakuba.zeimu.money import Rate, kakutei_zeigaku, kazei_hyojun

Out = dict[str, np.ndarray]

FUTSU, TOKUBETSU, DOKYO = 1, 2, 3
KAFU, HAHA, CHICHI = 1, 2, 3


def _per_person(owner: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Sum a per-relative column back to its taxpayer (the vectorised reduction)."""
    total = np.zeros(size, dtype=I64)
    np.add.at(total, owner, values.astype(I64))
    return total


def _by_code(codes: np.ndarray, table: dict[str, Any], names: tuple[str, ...]) -> np.ndarray:
    """Amount per 障害 code (0 none, 1 普通, 2 特別, 3 同居特別) from a ``{futsu, tokubetsu, …}`` table."""
    lookup = ints([0, *(int(table.get(name, 0)) for name in names)])
    return lookup[codes]


def compute(c: Columns, s: KojinSettings) -> Out:
    """All steps for all taxpayers, in calculation order (the dict's insertion order)."""
    out: Out = {}
    size = c.size
    age = c.person("age")
    fuyo_limit = int(s.kojo["fuyo_income_limit"])

    # Relatives: the flat table, judged with this 年度's income limit (48万 → 58万 from R8).
    owner = c.dependant("dep_owner")
    d_age, d_inc = c.dependant("dep_age"), c.dependant("dep_gokei_shotoku")
    d_shogai, d_kokugai = c.dependant("dep_shogai"), c.dependant("dep_kokugai").astype(bool)
    d_fuyo = d_inc <= fuyo_limit  # 扶養親族 (住民税 includes those under 16)
    has_spouse = c.person("has_spouse").astype(bool)
    sp_inc, sp_age = c.person("spouse_gokei_shotoku"), c.person("spouse_age")
    sp_shogai, sp_kokugai = c.person("spouse_shogai"), c.person("spouse_kokugai").astype(bool)
    doitsu = has_spouse & (sp_inc <= int(s.haigusha["kojo"]["upto"]))  # 同一生計配偶者

    # 1. 所得 by kind and 所得金額調整控除 (§1.3, §1.4).
    kyuyo_shunyu = c.person("kyuyo_shunyu")
    kyuyo_mae = np.where(kyuyo_shunyu > 0, s.kyuyo.apply(kyuyo_shunyu), 0)
    ch = s.chosei
    young_or_special = _per_person(
        owner, d_fuyo & ((d_age < int(ch["young_age_below"])) | (d_shogai >= TOKUBETSU)), size
    )
    needs = (c.person("shogai") == TOKUBETSU) | (doitsu & (sp_shogai >= TOKUBETSU)) | (young_or_special > 0)
    over = np.minimum(kyuyo_shunyu, int(ch["cap"])) - int(ch["threshold"])
    chosei1 = np.where(needs & (over > 0), rate_ceil(Rate.of(ch["rate"]), np.maximum(over, 0)), 0)
    kyuyo_1 = np.maximum(kyuyo_mae - chosei1, 0)
    others = (
        kyuyo_1
        + c.person("jigyo_shotoku")
        + c.person("fudosan_shotoku")
        + c.person("haito_shotoku")
        + c.person("zatsu_shotoku")
    )
    ichiji = np.maximum(c.person("ichiji_shunyu") - s.ichiji_special, 0)
    ichiji_sanyu = rate_floor(s.ichiji_fraction, ichiji)
    others = others + ichiji_sanyu
    nenkin_shunyu = c.person("nenkin_shunyu")
    nenkin_raw = np.where(
        age >= s.nenkin_age_boundary,
        s.nenkin_over.apply(nenkin_shunyu, clip=False),
        s.nenkin_under.apply(nenkin_shunyu, clip=False),
    )
    extra = np.zeros(size, dtype=I64)
    for threshold, amount in s.nenkin_other_bands:  # a handful of table rows, not people
        extra = np.where(others > threshold, amount, extra)
    nenkin = np.where(nenkin_shunyu > 0, np.maximum(nenkin_raw + extra, 0), 0)
    limit = int(ch["kyuyo_nenkin_limit"])
    chosei2 = np.where(
        (kyuyo_1 > 0) & (nenkin > 0),
        np.maximum(np.minimum(kyuyo_1, limit) + np.minimum(nenkin, limit) - limit, 0),
        0,
    )
    kyuyo = kyuyo_1 - chosei2
    out["kyuyo_shotoku_mae"] = kyuyo_mae
    out["shotoku_kingaku_chosei"] = chosei1 + chosei2
    out["kyuyo_shotoku"] = kyuyo
    out["nenkin_shotoku"] = nenkin
    out["jigyo_shotoku"] = c.person("jigyo_shotoku")
    out["fudosan_shotoku"] = c.person("fudosan_shotoku")
    out["haito_shotoku"] = c.person("haito_shotoku")
    out["zatsu_shotoku"] = c.person("zatsu_shotoku")
    out["ichiji_shotoku"] = ichiji

    # 2. 総所得金額 / 合計所得金額 / 総所得金額等 (no 分離課税, 繰越控除 or 損失 in the inputs yet).
    soshotoku = others - kyuyo_1 + kyuyo + nenkin
    gokei = soshotoku
    soshotoku_to = soshotoku
    out["soshotoku"] = soshotoku
    out["gokei_shotoku"] = gokei
    out["soshotoku_to"] = soshotoku_to

    # 3. 非課税 (§1.9).
    kj = s.kojo
    kafu_code = c.person("kafu_hitorioya")
    kafu_ok = (kafu_code == KAFU) & (gokei <= int(kj["kafu"]["income_limit"]))
    hitorioya_ok = (
        ((kafu_code == HAHA) | (kafu_code == CHICHI))
        & (gokei <= int(kj["hitorioya"]["income_limit"]))
        & (c.person("hitorioya_ko_shotoku") <= fuyo_limit)
    )
    hk = s.hikazei
    minor = age < int(hk["minor_age"])
    n_fuyo = _per_person(owner, d_fuyo & ~d_kokugai, size)
    n_people = 1 + (doitsu & ~sp_kokugai).astype(I64) + n_fuyo
    family = n_people > 1
    seikatsu = c.person("seikatsu_hogo").astype(bool)
    jinteki = ((c.person("shogai") > 0) | minor | kafu_ok | hitorioya_ok) & (
        gokei <= int(hk["jinteki_limit"])
    )
    lim = s.kintowari_limit
    kinto_gendo = lim["k"] * n_people + lim["base"] + np.where(family, lim["a"], 0)
    sw = hk["shotokuwari"]
    shotoku_gendo = int(sw["per_person"]) * n_people + int(sw["base"]) + np.where(family, int(sw["kasan"]), 0)
    hikazei_kinto = seikatsu | jinteki | (gokei <= kinto_gendo)
    hikazei_shotoku = hikazei_kinto | (soshotoku_to <= shotoku_gendo)
    out["hikazei_ninzu"] = n_people
    out["hikazei_seikatsu_hogo"] = seikatsu
    out["hikazei_jinteki"] = jinteki
    out["kintowari_gendo"] = kinto_gendo
    out["hikazei_kintowari"] = hikazei_kinto
    out["shotokuwari_gendo"] = shotoku_gendo
    out["hikazei_shotokuwari"] = hikazei_shotoku

    # 4. 所得控除 (住民税 amounts, §1.5).
    iryo = kj["iryohi"]
    iryo_net = np.maximum(c.person("iryohi_shiharai") - c.person("iryohi_hoten"), 0)
    ashikiri = np.minimum(int(iryo["ashikiri"]), rate_floor(Rate.of(iryo["ashikiri_rate"]), soshotoku_to))
    out["iryohi_kojo"] = np.minimum(np.maximum(iryo_net - ashikiri, 0), int(iryo["cap"]))
    out["shakai_hokenryo_kojo"] = c.person("shakai_hokenryo")
    out["shokibo_kyosai_kojo"] = c.person("shokibo_kyosai")
    new, old, both = s.seimei_new.apply, s.seimei_old.apply, s.seimei_combined_cap

    def best(shin: np.ndarray, kyu: np.ndarray) -> np.ndarray:
        n, o = new(shin), old(kyu)
        return np.maximum(np.maximum(n, o), np.minimum(n + o, both))

    seimei = (
        best(c.person("seimei_shin_ippan"), c.person("seimei_kyu_ippan"))
        + new(c.person("seimei_shin_kaigo"))
        + best(c.person("seimei_shin_nenkin"), c.person("seimei_kyu_nenkin"))
    )
    out["seimei_hokenryo_kojo"] = np.minimum(seimei, s.seimei_total_cap)
    js = s.jishin
    jishin = np.minimum(
        rate_ceil(Rate.of(js["jishin_rate"]), c.person("jishin_hokenryo")), int(js["jishin_cap"])
    )
    out["jishin_hokenryo_kojo"] = np.minimum(
        jishin + s.kyu_choki.apply(c.person("kyu_choki_songai")), int(js["total_cap"])
    )
    names = ("futsu", "tokubetsu", "dokyo_tokubetsu")
    family_shogai = np.where(doitsu, _by_code(sp_shogai, kj["shogai"], names), 0) + _per_person(
        owner, np.where(d_fuyo, _by_code(d_shogai, kj["shogai"], names), 0), size
    )
    out["shogaisha_kojo"] = _by_code(c.person("shogai"), kj["shogai"], names) + family_shogai
    out["kafu_kojo"] = np.where(kafu_ok, int(kj["kafu"]["amount"]), 0)
    out["hitorioya_kojo"] = np.where(hitorioya_ok, int(kj["hitorioya"]["amount"]), 0)
    kinro_ok = c.person("kinro_gakusei").astype(bool) & (gokei <= int(kj["kinro_gakusei"]["income_limit"]))
    out["kinro_gakusei_kojo"] = np.where(kinro_ok, int(kj["kinro_gakusei"]["amount"]), 0)

    hg = s.haigusha
    band = np.searchsorted(ints(hg["honnin_bands"]), gokei, side="left")  # 0 ≤900万, 1, 2, 3 = 1,000万超
    in_band = band < 3
    col = np.minimum(band, 2)
    roujin = sp_age >= int(hg["roujin_age"])
    kojo_amount = np.where(roujin, ints(hg["kojo"]["roujin"])[col], ints(hg["kojo"]["ippan"])[col])
    haigusha_kojo = np.where(doitsu & in_band, kojo_amount, 0)
    sp_rows = hg["tokubetsu"]
    sp_row = np.searchsorted(ints([r["upto"] for r in sp_rows]), sp_inc, side="left")
    sp_special = has_spouse & ~doitsu & (sp_row < len(sp_rows)) & in_band
    matrix = np.asarray([r["amounts"] for r in sp_rows], dtype=I64)
    special_amount = matrix[np.minimum(sp_row, len(sp_rows) - 1), col]
    out["haigusha_kojo"] = haigusha_kojo
    out["haigusha_tokubetsu_kojo"] = np.where(sp_special, special_amount, 0)

    ages, amounts = kj["fuyo_ages"], kj["fuyo"]
    excluded = kj["kokugai_excluded_ages"]
    kokugai_out = (
        d_kokugai
        & (d_age >= int(excluded["min"]))
        & (d_age <= int(excluded["max"]))
        & ~c.dependant("dep_kokugai_kojo_taisho").astype(bool)
    )
    taisho = d_fuyo & (d_age >= int(ages["kojo_min"])) & ~kokugai_out  # 控除対象扶養親族
    tokutei = (d_age >= int(ages["tokutei_min"])) & (d_age <= int(ages["tokutei_max"]))
    rojin = d_age >= int(ages["rojin_min"])
    roshin = c.dependant("dep_dokyo_roshin").astype(bool)
    d_kind = np.select([rojin & roshin, rojin, tokutei], [3, 2, 1], 0)  # 0 一般 1 特定 2 老人 3 同居老親
    fuyo_amount = ints([amounts["ippan"], amounts["tokutei"], amounts["rojin"], amounts["dokyo_roshin"]])[
        d_kind
    ]
    out["fuyo_kojo"] = _per_person(owner, np.where(taisho, fuyo_amount, 0), size)
    if s.tokutei_shinzoku is not None and s.tokutei_shinzoku_rows is not None:
        ts = s.tokutei_shinzoku
        ts_ok = (
            (d_age >= int(ts["age_min"]))
            & (d_age <= int(ts["age_max"]))
            & (d_inc > int(ts["over"]))
            & ~kokugai_out
        )
        ts_amount = s.tokutei_shinzoku_rows.apply(d_inc)
        out["tokutei_shinzoku_kojo"] = _per_person(owner, np.where(ts_ok, ts_amount, 0), size)
    else:
        ts_ok = np.zeros(len(owner), dtype=bool)
        out["tokutei_shinzoku_kojo"] = np.zeros(size, dtype=I64)
    out["kiso_kojo"] = s.kiso.apply(gokei)
    kojo_keys = (
        "iryohi_kojo",
        "shakai_hokenryo_kojo",
        "shokibo_kyosai_kojo",
        "seimei_hokenryo_kojo",
        "jishin_hokenryo_kojo",
        "shogaisha_kojo",
        "kafu_kojo",
        "hitorioya_kojo",
        "kinro_gakusei_kojo",
        "haigusha_kojo",
        "haigusha_tokubetsu_kojo",
        "fuyo_kojo",
        "tokutei_shinzoku_kojo",
        "kiso_kojo",
    )
    kojo_total = sum((out[key] for key in kojo_keys), np.zeros(size, dtype=I64))
    out["shotoku_kojo_gokei"] = kojo_total
    kazei = kazei_hyojun(np.maximum(soshotoku - kojo_total, 0))
    out["kazei_soshotoku"] = kazei

    # 人的控除額の差 (調整控除 and the ふるさと 特例率 band), statutory amounts (§1.7).
    sa = s.jinteki_sa
    gokei_ok = gokei <= int(s.chosei_kojo["gokei_limit"])
    sa_names = ("futsu", "tokubetsu", "dokyo_tokubetsu")
    d_sa_kind = ints(
        [sa["fuyo"]["ippan"], sa["fuyo"]["tokutei"], sa["fuyo"]["rojin"], sa["fuyo"]["dokyo_roshin"]]
    )
    sp_sa_rows = sa["haigusha_tokubetsu"]
    sp_sa = np.zeros(size, dtype=I64)
    for row in sp_sa_rows:  # two table rows at most
        hit = has_spouse & ~doitsu & in_band & (sp_inc > int(row["over"])) & (sp_inc < int(row["below"]))
        sp_sa = np.where(hit, ints(row["amounts"])[col], sp_sa)
    jinteki_sa = (
        np.where(gokei_ok, int(sa["kiso"]), 0)
        + _by_code(c.person("shogai"), sa["shogai"], sa_names)
        + np.where(doitsu, _by_code(sp_shogai, sa["shogai"], sa_names), 0)
        + _per_person(owner, np.where(d_fuyo, _by_code(d_shogai, sa["shogai"], sa_names), 0), size)
        + np.where(kafu_ok, int(sa["kafu"]), 0)
        + np.where(hitorioya_ok & (kafu_code == HAHA), int(sa["hitorioya"]["haha"]), 0)
        + np.where(hitorioya_ok & (kafu_code == CHICHI), int(sa["hitorioya"]["chichi"]), 0)
        + np.where(kinro_ok, int(sa["kinro_gakusei"]), 0)
        + _per_person(owner, np.where(taisho, d_sa_kind[d_kind], 0), size)
        + _per_person(owner, np.where(ts_ok & ~taisho, int(sa["tokutei_shinzoku"]), 0), size)
        + np.where(
            doitsu & in_band,
            np.where(roujin, ints(sa["roujin_haigusha"])[col], ints(sa["haigusha"])[col]),
            0,
        )
        + sp_sa
    )
    out["jinteki_kojo_sa"] = jinteki_sa

    # 5. 算出所得割 (§1.6): none when 所得割 is 非課税.
    r_shi, r_ken = s.rates
    out["sanshutsu_shi"] = np.where(hikazei_shotoku, 0, rate_floor(r_shi, kazei))
    out["sanshutsu_ken"] = np.where(hikazei_shotoku, 0, rate_floor(r_ken, kazei))

    # 6. 税額控除 in the statute's order, then 7. the ¥100 rounding of each level.
    remaining = tax_credits(
        out,
        c,
        s,
        gokei_ok=gokei_ok,
        doitsu=doitsu,
        sp_kokugai=sp_kokugai,
        n_fuyo=n_fuyo,
    )
    out["shotokuwari_shi"] = kakutei_zeigaku(remaining[0])
    out["shotokuwari_ken"] = kakutei_zeigaku(remaining[1])

    # 8. 均等割 (+超過課税) and 森林環境税, none when 均等割 is 非課税 (§1.8).
    out["kintowari_shi"] = np.where(hikazei_kinto, 0, s.kintowari[0]).astype(I64)
    out["kintowari_ken"] = np.where(hikazei_kinto, 0, s.kintowari[1]).astype(I64)
    out["shinrin_kankyozei"] = np.where(hikazei_kinto, 0, s.shinrin_kankyozei).astype(I64)

    # 9. 年税額.
    out["nenzei"] = (
        out["shotokuwari_shi"]
        + out["shotokuwari_ken"]
        + out["kintowari_shi"]
        + out["kintowari_ken"]
        + out["shinrin_kankyozei"]
    )
    return {key: (value if value.dtype == bool else value.astype(I64)) for key, value in out.items()}
