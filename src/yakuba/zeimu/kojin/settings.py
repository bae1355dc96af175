"""The rules of one 年度 in one municipality: every dated table read on the 賦課期日, parsed once.

A 住民税 年度 is judged on 1 January of the 年度 (地方税法第39条・第318条), so 令和8年度 reads its
parameters on 2026-01-01 and a 制度改正 is simply an entry from that date. The municipal choices
(級地, 指定都市, 均等割の超過課税) come from ``municipal.zeimu.kojin.*``, which an installation
overrides with its overlay folder. Nothing here reads the clock: the 年度 is the caller's argument.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from yakuba.params import ParameterSet, default_parameters
from yakuba.zeimu.kojin.rules import AmountRows, CappedRows, FurusatoBands, RateRows
from yakuba.zeimu.money import Rate
from yakuba.zeimu.nendo import fuka_kijitsu

FIRST_NENDO = 2024  # 令和6年度: the first 年度 this engine is written and tested for (森林環境税, 定額減税)


@dataclass(frozen=True)
class KojinSettings:
    """Everything the engine needs for one 年度 — tables, rates, thresholds and municipal settings."""

    nendo: int
    fuka_kijitsu: dt.date
    shitei_toshi: bool
    kyuchi: str
    kyuyo: RateRows
    chosei: dict[str, Any]
    nenkin_age_boundary: int
    nenkin_over: RateRows
    nenkin_under: RateRows
    nenkin_other_bands: tuple[tuple[int, int], ...]
    ichiji_special: int
    ichiji_fraction: Rate
    hikazei: dict[str, Any]
    kintowari_limit: dict[str, int]
    kojo: dict[str, Any]
    seimei_new: CappedRows
    seimei_old: CappedRows
    seimei_combined_cap: int
    seimei_total_cap: int
    jishin: dict[str, Any]
    kyu_choki: CappedRows
    haigusha: dict[str, Any]
    tokutei_shinzoku: dict[str, Any] | None
    tokutei_shinzoku_rows: AmountRows | None
    kiso: AmountRows
    rates: tuple[Rate, Rate]
    chosei_kojo: dict[str, Any]
    jinteki_sa: dict[str, Any]
    haito: dict[str, Any]
    jutaku: dict[str, Any]
    kifukin: dict[str, Any]
    furusato: FurusatoBands
    teigaku: dict[str, Any]
    kintowari: tuple[int, int]
    shinrin_kankyozei: int
    references: dict[str, str]

    @classmethod
    def for_nendo(cls, nendo: int, parameters: ParameterSet | None = None) -> KojinSettings:
        """Read every table of ``nendo`` on its 賦課期日 (1 January), with the municipal settings."""
        if nendo < FIRST_NENDO:
            raise ValueError(f"{nendo}年度は対象外です（令和6年度＝{FIRST_NENDO}年度以降）")
        parameters = parameters or default_parameters()
        on = fuka_kijitsu("kojin", nendo, parameters)

        def get(key: str) -> Any:
            return parameters.get(f"zeimu.kojin.{key}", on=on)

        def municipal(key: str) -> Any:
            return parameters.get(f"municipal.zeimu.kojin.{key}", on=on)

        shitei = bool(municipal("shitei_toshi"))
        kyuchi = str(municipal("kyuchi"))
        override = municipal("hikazei_kintowari_override")
        limit = override or get("hikazei_kintowari_kyuchi")[kyuchi]
        nenkin = get("nenkin_shotoku")
        ichiji = get("ichiji_shotoku")
        seimei = get("seimei_hokenryo")
        jishin = get("jishin_hokenryo")
        tokutei = parameters.in_force("zeimu.kojin.tokutei_shinzoku", on=on)
        chouka = municipal("kintowari_chouka")
        kintowari = get("kintowari")
        shotokuwari = get("shotokuwari_rate")["shitei_toshi" if shitei else "standard"]
        references = {
            key.removeprefix("zeimu.kojin."): parameters.parameter(key).reference
            for key in parameters.keys()  # noqa: SIM118 (ParameterSet is not a mapping)
            if key.startswith("zeimu.kojin.")
        }
        return cls(
            nendo=nendo,
            fuka_kijitsu=on,
            shitei_toshi=shitei,
            kyuchi=kyuchi,
            kyuyo=RateRows.parse(get("kyuyo_shotoku")),
            chosei=get("shotoku_kingaku_chosei"),
            nenkin_age_boundary=int(nenkin["age_boundary"]),
            nenkin_over=RateRows.parse(nenkin["over_65"]),
            nenkin_under=RateRows.parse(nenkin["under_65"]),
            nenkin_other_bands=tuple((int(b["over"]), int(b["extra"])) for b in nenkin["other_bands"]),
            ichiji_special=int(ichiji["special"]),
            ichiji_fraction=Rate.of(ichiji["fraction"]),
            hikazei=get("hikazei"),
            kintowari_limit={name: int(limit[name]) for name in ("k", "base", "a")},
            kojo=get("shotoku_kojo"),
            seimei_new=CappedRows.parse(seimei["new"]),
            seimei_old=CappedRows.parse(seimei["old"]),
            seimei_combined_cap=int(seimei["new_old_combined_cap"]),
            seimei_total_cap=int(seimei["total_cap"]),
            jishin=jishin,
            kyu_choki=CappedRows.parse(jishin["kyu_choki"]),
            haigusha=get("haigusha"),
            tokutei_shinzoku=tokutei,
            tokutei_shinzoku_rows=AmountRows.parse(tokutei["rows"]) if tokutei else None,
            kiso=AmountRows.parse(get("kiso_kojo")),
            rates=(Rate.of(shotokuwari["shi"]), Rate.of(shotokuwari["ken"])),
            chosei_kojo=get("chosei_kojo"),
            jinteki_sa=get("jinteki_kojo_sa"),
            haito=get("haito_kojo"),
            jutaku=get("jutaku_kojo"),
            kifukin=get("kifukin"),
            furusato=FurusatoBands.parse(get("kifukin")["bands"], get("kifukin")["negative_rate"]),
            teigaku=get("teigaku_genzei"),
            kintowari=(
                int(kintowari["shi"]) + int(chouka["shi"]),
                int(kintowari["ken"]) + int(chouka["ken"]),
            ),
            shinrin_kankyozei=int(get("shinrin_kankyozei")),
            references=references,
        )

    @property
    def level(self) -> str:
        """Which column of the split tables applies: ``shitei_toshi`` or ``standard``."""
        return "shitei_toshi" if self.shitei_toshi else "standard"
