"""Taxpayer inputs as columns: one int64 array per field, the shape the vectorised engine computes on.

A municipality's batch arrives as columns (the intake builds them straight from its files) or as a
list of :class:`TaxpayerInput` that :meth:`Columns.from_inputs` turns into columns. Relatives other than
the spouse are a second, flat table (one row per 親族 with ``dep_owner`` = the taxpayer's row), so the
engine judges them with the 年度's thresholds in array operations and sums them back per taxpayer
with ``np.bincount`` — building the columns loops over the input list, the calculation never does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from yakuba.zeimu.kojin.schemas import KafuHitorioya, Shogai, TaxpayerInput

I64 = np.int64

# Codes of the enum columns (the arrays hold these integers).
SHOGAI_CODE = {Shogai.NONE: 0, Shogai.FUTSU: 1, Shogai.TOKUBETSU: 2, Shogai.DOKYO_TOKUBETSU: 3}
KAFU_CODE = {
    KafuHitorioya.NONE: 0,
    KafuHitorioya.KAFU: 1,
    KafuHitorioya.HITORIOYA_HAHA: 2,
    KafuHitorioya.HITORIOYA_CHICHI: 3,
}

YEN_FIELDS = (
    "kyuyo_shunyu",
    "nenkin_shunyu",
    "jigyo_shotoku",
    "fudosan_shotoku",
    "haito_shotoku",
    "zatsu_shotoku",
    "ichiji_shunyu",
    "shakai_hokenryo",
    "shokibo_kyosai",
    "seimei_shin_ippan",
    "seimei_shin_kaigo",
    "seimei_shin_nenkin",
    "seimei_kyu_ippan",
    "seimei_kyu_nenkin",
    "jishin_hokenryo",
    "kyu_choki_songai",
    "iryohi_shiharai",
    "iryohi_hoten",
    "hitorioya_ko_shotoku",
    "furusato_kifu",
    "kifu_shi_ken",
    "kifu_shi",
    "kifu_ken",
    "jutaku_kojo_zan",
    "shotokuzei_kazei_soshotoku",
)
FLAG_FIELDS = ("kinro_gakusei", "seikatsu_hogo", "one_stop", "jutaku_tokutei")
PERSON_COLUMNS = (
    *YEN_FIELDS,
    *FLAG_FIELDS,
    "age",
    "shogai",
    "kafu_hitorioya",
    "jutaku_kyoju_nen",
    "has_spouse",
    "spouse_gokei_shotoku",
    "spouse_age",
    "spouse_shogai",
    "spouse_kokugai",
)
DEPENDANT_COLUMNS = (
    "dep_owner",
    "dep_age",
    "dep_gokei_shotoku",
    "dep_dokyo_roshin",
    "dep_shogai",
    "dep_kokugai",
    "dep_kokugai_kojo_taisho",
)


@dataclass(frozen=True)
class Columns:
    """Per-taxpayer arrays (``persons``, length P) and per-relative arrays (``dependants``, length D)."""

    persons: Mapping[str, np.ndarray]
    dependants: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = [name for name in PERSON_COLUMNS if name not in self.persons]
        if missing:
            raise ValueError(f"列がありません: {', '.join(missing)}")
        sizes = {len(self.persons[name]) for name in PERSON_COLUMNS}
        if len(sizes) != 1:
            raise ValueError("列の長さがそろっていません")
        if self.dependants:
            lost = [name for name in DEPENDANT_COLUMNS if name not in self.dependants]
            if lost:
                raise ValueError(f"親族の列がありません: {', '.join(lost)}")

    @property
    def size(self) -> int:
        return len(self.persons["age"])

    def person(self, name: str) -> np.ndarray:
        return np.asarray(self.persons[name], dtype=I64)

    def dependant(self, name: str) -> np.ndarray:
        if not self.dependants:
            return np.zeros(0, dtype=I64)
        return np.asarray(self.dependants[name], dtype=I64)

    @classmethod
    def with_defaults(
        cls, persons: Mapping[str, np.ndarray], dependants: Mapping[str, np.ndarray] | None = None
    ) -> Columns:
        """Columns from an intake that carries only some fields: the others are 0 (no income, no flag).

        An unknown column name is refused, so a misspelt field is an error rather than a silent zero.
        """
        unknown = sorted(set(persons) - set(PERSON_COLUMNS)) + sorted(
            set(dependants or {}) - set(DEPENDANT_COLUMNS)
        )
        if unknown:
            raise ValueError(f"不明な列: {', '.join(unknown)}")
        size = len(next(iter(persons.values())))
        full = {name: np.asarray(persons.get(name, np.zeros(size)), dtype=I64) for name in PERSON_COLUMNS}
        relatives = dependants or {}
        count = len(next(iter(relatives.values()))) if relatives else 0
        dep = {
            name: np.asarray(relatives.get(name, np.zeros(count)), dtype=I64) for name in DEPENDANT_COLUMNS
        }
        return cls(persons=full, dependants=dep)

    @classmethod
    def from_inputs(cls, people: Sequence[TaxpayerInput]) -> Columns:
        """Build the columns from validated inputs (the only loop over people: reading, not computing)."""
        persons: dict[str, list[int]] = {name: [] for name in PERSON_COLUMNS}
        dependants: dict[str, list[int]] = {name: [] for name in DEPENDANT_COLUMNS}
        for row, person in enumerate(people):
            for name in YEN_FIELDS:
                persons[name].append(getattr(person, name))
            for name in FLAG_FIELDS:
                persons[name].append(int(getattr(person, name)))
            persons["age"].append(person.age)
            persons["shogai"].append(SHOGAI_CODE[person.shogai])
            persons["kafu_hitorioya"].append(KAFU_CODE[person.kafu_hitorioya])
            persons["jutaku_kyoju_nen"].append(person.jutaku_kyoju_nen or 0)
            spouse = person.spouse
            persons["has_spouse"].append(int(spouse is not None))
            persons["spouse_gokei_shotoku"].append(spouse.gokei_shotoku if spouse else 0)
            persons["spouse_age"].append(spouse.age if spouse else 0)
            persons["spouse_shogai"].append(SHOGAI_CODE[spouse.shogai] if spouse else 0)
            persons["spouse_kokugai"].append(int(spouse.kokugai) if spouse else 0)
            for dependant in person.dependants:
                dependants["dep_owner"].append(row)
                dependants["dep_age"].append(dependant.age)
                dependants["dep_gokei_shotoku"].append(dependant.gokei_shotoku)
                dependants["dep_dokyo_roshin"].append(int(dependant.dokyo_roshin))
                dependants["dep_shogai"].append(SHOGAI_CODE[dependant.shogai])
                dependants["dep_kokugai"].append(int(dependant.kokugai))
                dependants["dep_kokugai_kojo_taisho"].append(int(dependant.kokugai_kojo_taisho))
        return cls(
            persons={name: np.asarray(values, dtype=I64) for name, values in persons.items()},
            dependants={name: np.asarray(values, dtype=I64) for name, values in dependants.items()},
        )

    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, Any]]) -> Columns:
        """The same columns from stored 課税資料 (a :class:`TaxpayerInput` dumped as JSON when received).

        The batch reads a whole municipality's 課税資料; validating each again as a Pydantic model costs
        more than the assessment itself, and they were validated when they were received.
        ``tests/zeimu/kojin/test_columns.py`` proves this equals :meth:`from_inputs` on the dumps.
        """
        persons: dict[str, list[int]] = {name: [] for name in PERSON_COLUMNS}
        dependants: dict[str, list[int]] = {name: [] for name in DEPENDANT_COLUMNS}
        shogai = {item.value: code for item, code in SHOGAI_CODE.items()}
        kafu = {item.value: code for item, code in KAFU_CODE.items()}
        for row, record in enumerate(records):
            for name in YEN_FIELDS:
                persons[name].append(int(record.get(name) or 0))
            for name in FLAG_FIELDS:
                persons[name].append(int(bool(record.get(name))))
            persons["age"].append(int(record["age"]))
            persons["shogai"].append(shogai[record.get("shogai") or "none"])
            persons["kafu_hitorioya"].append(kafu[record.get("kafu_hitorioya") or "none"])
            persons["jutaku_kyoju_nen"].append(int(record.get("jutaku_kyoju_nen") or 0))
            spouse = record.get("spouse")
            persons["has_spouse"].append(int(spouse is not None))
            persons["spouse_gokei_shotoku"].append(int(spouse.get("gokei_shotoku") or 0) if spouse else 0)
            persons["spouse_age"].append(int(spouse["age"]) if spouse else 0)
            persons["spouse_shogai"].append(shogai[spouse.get("shogai") or "none"] if spouse else 0)
            persons["spouse_kokugai"].append(int(bool(spouse.get("kokugai"))) if spouse else 0)
            for dependant in record.get("dependants") or ():
                dependants["dep_owner"].append(row)
                dependants["dep_age"].append(int(dependant["age"]))
                dependants["dep_gokei_shotoku"].append(int(dependant.get("gokei_shotoku") or 0))
                dependants["dep_dokyo_roshin"].append(int(bool(dependant.get("dokyo_roshin"))))
                dependants["dep_shogai"].append(shogai[dependant.get("shogai") or "none"])
                dependants["dep_kokugai"].append(int(bool(dependant.get("kokugai"))))
                dependants["dep_kokugai_kojo_taisho"].append(int(bool(dependant.get("kokugai_kojo_taisho"))))
        return cls(
            persons={name: np.asarray(values, dtype=I64) for name, values in persons.items()},
            dependants={name: np.asarray(values, dtype=I64) for name, values in dependants.items()},
        )
