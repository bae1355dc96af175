"""税額控除 of the 個人住民税 in the statute's order, each level (市 / 県) on its own (tax-rules.md §1.7).

調整控除 → 配当控除 → 住宅借入金等特別税額控除 → 寄附金税額控除 → 定額減税. Each credit is computed
with its own rate, rounded up to the yen (a 税額控除's fraction goes to the taxpayer, §5.3), and then
applied only up to what is left of that level's 所得割 — the recorded amount is the one applied, so
the explanation at the counter adds up. The ふるさと 特例控除 cap is 20% of the 所得割 after 調整控除.
"""

from __future__ import annotations

import numpy as np

from yakuba.zeimu.kojin.columns import Columns
from yakuba.zeimu.kojin.rules import I64, ints, mul_ceil, rate_ceil, rate_floor, split_rates
from yakuba.zeimu.kojin.settings import KojinSettings
from yakuba.zeimu.money import Rate

LEVELS = ("shi", "ken")


def _apply(out: dict[str, np.ndarray], key: str, credit: np.ndarray, remaining: np.ndarray) -> np.ndarray:
    """Record ``credit`` capped at the remaining 所得割 under ``key``; return what is left."""
    applied = np.minimum(np.maximum(credit, 0), remaining)
    out[key] = applied
    return remaining - applied


def tax_credits(
    out: dict[str, np.ndarray],
    c: Columns,
    s: KojinSettings,
    *,
    gokei_ok: np.ndarray,
    doitsu: np.ndarray,
    sp_kokugai: np.ndarray,
    n_fuyo: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Apply the credits to ``sanshutsu_shi/ken`` (writing each step into ``out``); (市, 県) left."""
    kazei = out["kazei_soshotoku"]
    sa = out["jinteki_kojo_sa"]
    gokei = out["gokei_shotoku"]
    level = s.level
    remaining = {lv: out[f"sanshutsu_{lv}"].copy() for lv in LEVELS}

    # 調整控除 (地方税法第37条・第314条の6): only when 合計所得 ≤ 2,500万.
    ck = s.chosei_kojo
    threshold = int(ck["threshold"])
    small_base = np.minimum(sa, kazei)
    large_base = np.maximum(sa - (kazei - threshold), 0)
    for lv in LEVELS:
        part = ck[level][lv]
        rate = Rate.of(part["rate"])
        amount = np.where(
            kazei <= threshold,
            rate_ceil(rate, small_base),
            np.maximum(rate_ceil(rate, large_base), int(part["minimum"])),
        )
        remaining[lv] = _apply(out, f"chosei_kojo_{lv}", np.where(gokei_ok, amount, 0), remaining[lv])
    after_chosei = {lv: remaining[lv].copy() for lv in LEVELS}

    # 配当控除 (附則第5条): the part of 配当 above the 1,000万 line of 課税総所得金額等 gets the lower rate.
    ht = s.haito
    haito = c.person("haito_shotoku")
    above = np.minimum(haito, np.maximum(kazei - int(ht["line"]), 0))
    below = haito - above
    for lv in LEVELS:
        low, high = Rate.of(ht[level][lv]["low"]), Rate.of(ht[level][lv]["high"])
        numerator = below * low.numerator * high.denominator + above * high.numerator * low.denominator
        amount = -((-numerator) // (low.denominator * high.denominator))
        remaining[lv] = _apply(out, f"haito_kojo_{lv}", amount, remaining[lv])

    # 住宅借入金等特別税額控除 (附則第5条の4の2).
    jt = s.jutaku
    year = c.person("jutaku_kyoju_nen")
    zan = c.person("jutaku_kojo_zan")
    eligible = (zan > 0) & (year >= int(jt["kyoju_nen"]["min"])) & (year <= int(jt["kyoju_nen"]["max"]))
    tk = jt["tokutei"]
    special = (
        c.person("jutaku_tokutei").astype(bool)
        & (year >= int(tk["kyoju_min"]))
        & (year <= int(tk["kyoju_max"]))
    )
    base = c.person("shotokuzei_kazei_soshotoku")
    limit = np.where(
        special,
        np.minimum(rate_floor(Rate.of(tk["rate"]), base), int(tk["cap"])),
        np.minimum(rate_floor(Rate.of(jt["ippan"]["rate"]), base), int(jt["ippan"]["cap"])),
    )
    jutaku_total = np.where(eligible, np.minimum(zan, limit), 0)
    shares = split_rates(jt["split"], s.shitei_toshi)
    for lv, share in zip(LEVELS, shares, strict=True):
        remaining[lv] = _apply(out, f"jutaku_kojo_{lv}", rate_ceil(share, jutaku_total), remaining[lv])

    # 寄附金税額控除 (第37条の2・第314条の7, 附則第5条の6・第5条の7).
    kf = s.kifukin
    floor_amount = int(kf["floor_amount"])
    limit30 = rate_floor(Rate.of(kf["limit_rate"]), out["soshotoku_to"])
    furusato = c.person("furusato_kifu")
    targets = {
        "shi": furusato + c.person("kifu_shi_ken") + c.person("kifu_shi"),
        "ken": furusato + c.person("kifu_shi_ken") + c.person("kifu_ken"),
    }
    kihon_rates = split_rates(kf["kihon"], s.shitei_toshi)
    split = split_rates(kf["tokurei_split"], s.shitei_toshi)
    fb = s.furusato
    band = fb.band(kazei - sa) + 1  # 0 = the 90% row (negative base)
    rate_num = np.concatenate([ints([fb.negative.numerator]), fb.rate_num])[band]
    rate_den = np.concatenate([ints([fb.negative.denominator]), fb.rate_den])[band]
    ratio_num = np.concatenate([ints([0]), fb.shinkoku_num])[band]
    ratio_den = np.concatenate([ints([1]), fb.shinkoku_den])[band]
    out["furusato_tokureiritsu_kubun"] = band
    over_floor = np.maximum(furusato - floor_amount, 0)
    cap_rate = Rate.of(kf["cap_rate"])
    one_stop = c.person("one_stop").astype(bool)
    for lv, kihon_rate, share in zip(LEVELS, kihon_rates, split, strict=True):
        kihon = rate_ceil(kihon_rate, np.maximum(np.minimum(targets[lv], limit30) - floor_amount, 0))
        tokurei = mul_ceil(over_floor, rate_num * share.numerator, rate_den * share.denominator)
        tokurei = np.minimum(tokurei, rate_ceil(cap_rate, after_chosei[lv]))
        shinkoku = np.where(one_stop, mul_ceil(tokurei, ratio_num, ratio_den), 0)
        out[f"kifukin_kihon_{lv}"] = kihon
        out[f"furusato_tokurei_{lv}"] = tokurei
        out[f"shinkoku_tokurei_{lv}"] = shinkoku
        remaining[lv] = _apply(out, f"kifukin_kojo_{lv}", kihon + tokurei + shinkoku, remaining[lv])

    # 定額減税 (特別税額控除, 附則第5条の8・第5条の9): after every other credit.
    tg = s.teigaku
    kind = tg["kind"]
    size = len(kazei)
    payer = (out["sanshutsu_shi"] + out["sanshutsu_ken"]) > 0
    if kind == "per_person":
        taisho_haigusha = doitsu & ~sp_kokugai & (gokei <= int(s.haigusha["honnin_bands"][-1]))
        persons = np.where(payer & (gokei <= int(tg["gokei_limit"])), 1 + taisho_haigusha + n_fuyo, 0)
    elif kind == "spouse_only":
        persons = np.where(
            payer
            & (gokei > int(tg["gokei_over"]))
            & (gokei <= int(tg["gokei_limit"]))
            & doitsu
            & ~sp_kokugai,
            1,
            0,
        )
    else:
        persons = np.zeros(size, dtype=I64)
    out["teigaku_genzei_ninzu"] = persons.astype(I64)
    total = persons.astype(I64) * int(tg.get("amount", 0))
    none = (Rate(0, 1), Rate(0, 1))
    teigaku_shares = none if kind == "none" else split_rates(tg["split"], s.shitei_toshi)
    for lv, share in zip(LEVELS, teigaku_shares, strict=True):
        remaining[lv] = _apply(out, f"teigaku_genzei_{lv}", rate_ceil(share, total), remaining[lv])
    return remaining["shi"], remaining["ken"]
