"""The records the demo generator yields (town, 町字, address, person, household) and their vocabularies.

Split from :mod:`yakuba.demo.generator` (issue 23) so the loaders can name the records without the
drawing machinery.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from datetime import date
from typing import TypeVar

FULLWIDTH_SPACE = "\u3000"
_T = TypeVar("_T")

ALLOWED_RELATIONSHIPS: frozenset[str] = frozenset(
    {
        "世帯主",
        "妻",
        "夫",
        "子",
        "父",
        "母",
        "子の妻",
        "子の夫",
        "子の子",
        "兄",
        "姉",
        "弟",
        "妹",
        "縁故者",
        "同居人",
    }
)

MALE = "1"
FEMALE = "2"
CHUCHOKI = "中長期在留者"
TOKUBETSU = "特別永住者"

# 外国人住民 exist in the 住民基本台帳 only since 2012-07-09 (改正住基法施行日).
FOREIGN_RESIDENT_START = date(2012, 7, 9)

_Y = 365.2425
_FOREIGN_TARGET = 0.03  # share of persons
_FOREIGN_HOUSEHOLD_P = 0.042  # base probability that a household is foreign (~3% of persons)


def _years(n: float) -> int:
    """Days in ``n`` years (average Gregorian year)."""
    return int(n * _Y)


# --------------------------------------------------------------------------------------------------
# Public records
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choaza:
    """A 町字 of the synthetic town (invented name)."""

    code: str  # 町字コード, 7 digits (4-digit 大字・町 + 3-digit 丁目; "000" when there is no 丁目)
    name: str  # e.g. 「さくら台一丁目」
    postal_code: str  # 7 digits, no hyphen
    banchi_count: int  # number of 番 (住居表示) or 番地 in this 町字
    jukyo_hyoji: bool  # True: 住居表示 area, addresses 「3番5号」; False: 「12番地3」


@dataclass(frozen=True, slots=True)
class SyntheticTown:
    prefecture: str
    name: str  # municipality name, invented, e.g. 「青葉野市」
    choaza: tuple[Choaza, ...]

    def choaza_by_code(self) -> dict[str, Choaza]:
        return {c.code: c for c in self.choaza}


@dataclass(frozen=True, slots=True)
class SyntheticAddress:
    choaza_code: str
    banchi: str  # 番地号表記: 「12番地3」 or 「3番5号」
    katagaki: str | None  # 方書, e.g. 「さくらハイツ201号」
    postal_code: str


@dataclass(frozen=True, kw_only=True)
class SyntheticPerson:
    family_name: str | None  # kanji; None for a foreigner without a kanji name
    given_name: str | None
    family_kana: str | None  # full-width katakana; None for foreigners (no 振り仮名)
    given_kana: str | None
    sex: str  # "1" 男 / "2" 女
    birth_date: date
    relationship: str  # 続柄 (ALLOWED_RELATIONSHIPS)
    mynumber: str  # 12 digits, synthetic
    jumin_code: str  # 11 digits, synthetic (check digit per 告示436 probable formula)
    became_resident_on: date  # 住民となった年月日 (外国人住民となった年月日 for foreigners)
    moved_in_from: str | None  # 転入前住所; None when born in the town
    is_foreign: bool = False
    honseki: str | None = None  # Japanese only
    hittosha: str | None = None  # 筆頭者氏名, Japanese only
    kyu_uji: str | None = None  # 旧氏
    kyu_uji_kana: str | None = None
    nationality: str | None = None  # 国籍・地域
    name_roman: str | None = None  # e.g. 「NGUYEN VAN AN」
    tsusho: str | None = None  # 通称 (full-width space between parts)
    category_30_45: str | None = None  # 中長期在留者 / 特別永住者
    zairyu_shikaku: str | None = None  # 在留資格 (None for 特別永住者)
    zairyu_kikan: str | None = None  # 在留期間, e.g. 「3年」, 「無期限」
    zairyu_expiry: date | None = None  # 在留期間満了日 (None for 永住者 / 特別永住者)
    zairyu_card_no: str | None = None  # 在留カード番号 (中長期在留者)
    tokubetsu_eijusha_no: str | None = None  # 特別永住者証明書番号

    @property
    def full_name(self) -> str:
        """Kanji name joined by a full-width space; a foreigner without kanji gets the Latin name."""
        if self.family_name is not None and self.given_name is not None:
            return f"{self.family_name}{FULLWIDTH_SPACE}{self.given_name}"
        return self.name_roman or ""

    @property
    def full_kana(self) -> str | None:
        if self.family_kana is None or self.given_kana is None:
            return None
        return f"{self.family_kana}{FULLWIDTH_SPACE}{self.given_kana}"

    def age_on(self, day: date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


_PERSON_DEFAULTS = {f.name: f.default for f in fields(SyntheticPerson) if f.default is not MISSING}


def _person(**values: object) -> SyntheticPerson:
    """Build a SyntheticPerson without the frozen ``__init__`` (one object.__setattr__ per field).

    Same result as ``SyntheticPerson(**values)`` (the tests check this), about three times faster,
    which matters for million-resident towns. Every field without a default must be given.
    """
    person: SyntheticPerson = object.__new__(SyntheticPerson)
    state = person.__dict__
    state.update(_PERSON_DEFAULTS)
    state.update(values)
    return person


@dataclass(frozen=True, slots=True)
class SyntheticHousehold:
    seq: int  # 1-based order of generation
    address: SyntheticAddress
    members: tuple[SyntheticPerson, ...]  # 世帯主 first, then the 世帯連記式 order

    @property
    def head(self) -> SyntheticPerson:
        return self.members[0]
