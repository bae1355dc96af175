"""Deterministic, seeded, streaming generator of a synthetic (fictional) town and its residents.

``generate_town`` returns the town (its 町字) at once and an iterator that yields one household at a
time, so a town of a million residents never sits in memory. Nothing here touches a database.

Everything is synthetic: the municipality and 町字 names are invented, 個人番号 and 住民票コード are
random numbers with valid check digits, 在留カード番号 only follow the card's letter/digit layout.
Conventions follow shared/specs/spec-resident-2.md §4.2: 性別 "1" 男 / "2" 女, 町字コード 7 digits
(ABR 町字ID layout: 4-digit 大字・町 + 3-digit 丁目), 郵便番号 7 digits without hyphen, name parts
joined by one full-width space. 続柄 values are those allowed by spec-resident.md §1.4.

Determinism: one ``random.Random(seed)`` drives all choices; Faker("ja_JP"), seeded per instance,
is only used up front to draw pools of paired (kanji, kana) names and town names.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import MISSING, dataclass, fields
from datetime import date
from itertools import accumulate
from typing import TypeVar

from faker import Faker

from yakuba.kernel.checkdigit import jumin_code_check_digit_kokuji436, mynumber_check_digit

__all__ = [
    "ALLOWED_RELATIONSHIPS",
    "FULLWIDTH_SPACE",
    "Choaza",
    "SyntheticAddress",
    "SyntheticHousehold",
    "SyntheticPerson",
    "SyntheticTown",
    "generate_town",
]

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


# --------------------------------------------------------------------------------------------------
# Static tables (all names of places invented unless noted; the "elsewhere" cities are real places)
# --------------------------------------------------------------------------------------------------

_TOWN_NAMES = (
    "青葉野市",
    "ひかり野市",
    "若葉台市",
    "みどり野町",
    "ゆめみ野市",
    "さくら川市",
    "星ヶ丘市",
    "あけぼの町",
)

_CHOAZA_FIRSTS = (
    "さくら", "青葉", "若葉", "緑", "旭", "ひばり", "つつじ", "松風", "梅園", "柏木", "藤見", "楓", "桐",
    "榎", "萩", "椿", "白樺", "朝日", "夕陽", "星見", "月見", "虹", "泉", "清水", "若松", "栄", "寿",
    "富士見", "東雲", "日の出",
)  # fmt: skip
_CHOAZA_SUFFIXES = ("台", "ヶ丘", "野", "原", "町", "が丘", "沢", "川", "浜", "平", "ヶ谷", "坂", "園")
_CHOAZA_DIRECTIONS = ("", "東", "西", "南", "北", "新", "上", "下")
_KANJI_DIGITS = "〇一二三四五六七八九"
_MAX_CHOAZA = 4000

# Real prefecture + city pairs used for 本籍 and 転入前住所 outside the town (with Faker town names).
_ELSEWHERE = (
    ("北海道", "札幌市中央区"), ("青森県", "青森市"), ("宮城県", "仙台市青葉区"), ("福島県", "郡山市"),
    ("茨城県", "水戸市"), ("栃木県", "宇都宮市"), ("群馬県", "高崎市"), ("埼玉県", "さいたま市浦和区"),
    ("千葉県", "千葉市中央区"), ("東京都", "世田谷区"), ("東京都", "八王子市"), ("神奈川県", "横浜市港北区"),
    ("神奈川県", "川崎市中原区"), ("新潟県", "新潟市中央区"), ("長野県", "松本市"),
    ("静岡県", "浜松市中央区"),
    ("愛知県", "名古屋市中村区"), ("愛知県", "豊田市"), ("京都府", "京都市左京区"), ("大阪府", "大阪市北区"),
    ("大阪府", "堺市堺区"), ("兵庫県", "神戸市中央区"), ("岡山県", "岡山市北区"), ("広島県", "広島市中区"),
    ("香川県", "高松市"), ("愛媛県", "松山市"), ("福岡県", "福岡市博多区"), ("熊本県", "熊本市中央区"),
    ("鹿児島県", "鹿児島市"), ("沖縄県", "那覇市"),
)  # fmt: skip

_BUILDING_EXTRAS = ("ハイツ", "コーポ", "荘", "マンション", "レジデンス", "ハイム", "テラス")

# Age bands: ((lo, hi), weight). Calibrated so the whole town looks like an ageing Japanese town.
_Bands = tuple[tuple[tuple[int, int], ...], tuple[float, ...]]


def _bands(*rows: tuple[int, int, float]) -> _Bands:
    return tuple((lo, hi) for lo, hi, _ in rows), tuple(accumulate(w for _, _, w in rows))


_SINGLE_AGES = _bands(
    (18, 29, 14),
    (30, 39, 9),
    (40, 49, 9),
    (50, 59, 11),
    (60, 69, 14),
    (70, 79, 20),
    (80, 89, 17),
    (90, 100, 6),
)
_COUPLE_WIFE_AGES = _bands((22, 34, 6), (35, 54, 8), (55, 64, 19), (65, 74, 34), (75, 84, 26), (85, 95, 7))
_PARENT_WIFE_AGES = _bands((26, 34, 12), (35, 44, 25), (45, 54, 28), (55, 64, 21), (65, 78, 14))
_SINGLE_PARENT_AGES = _bands((28, 39, 22), (40, 49, 26), (50, 59, 18), (60, 74, 18), (75, 90, 16))
_ELDER_WIFE_AGES = _bands((56, 64, 30), (65, 74, 45), (75, 84, 25))

# --- foreign residents -----------------------------------------------------------------------------

_NameEntry = tuple[str | None, str]  # (kanji or None, ROMAN)

_KIKAN_MONTHS = {
    "6月": 6,
    "1年": 12,
    "1年3月": 15,
    "2年": 24,
    "2年3月": 27,
    "3年": 36,
    "4年3月": 51,
    "5年": 60,
}
_KIKAN: dict[str, tuple[str, ...]] = {
    "技能実習": ("1年", "2年"),
    "特定技能": ("6月", "1年", "3年"),
    "留学": ("1年", "1年3月", "2年", "2年3月", "4年3月"),
    "家族滞在": ("1年", "2年", "3年", "5年"),
    "技術・人文知識・国際業務": ("1年", "3年", "5年"),
    "日本人の配偶者等": ("1年", "3年", "5年"),
    "永住者の配偶者等": ("1年", "3年", "5年"),
    "定住者": ("1年", "3年", "5年"),
    "技能": ("1年", "3年", "5年"),
    "教育": ("1年", "3年", "5年"),
    "経営・管理": ("1年", "3年", "5年"),
}
_STATUS_AGES: dict[str, tuple[int, int]] = {
    "技能実習": (20, 34),
    "特定技能": (21, 39),
    "留学": (19, 29),
    "技術・人文知識・国際業務": (23, 45),
    "日本人の配偶者等": (25, 60),
    "永住者": (30, 75),
    "定住者": (20, 65),
    "技能": (25, 50),
    "教育": (25, 60),
    "経営・管理": (30, 65),
    TOKUBETSU: (20, 95),
}
_SINGLES_ONLY = frozenset({"技能実習", "特定技能", "留学"})  # recent arrivals without family
# A 日本人の配偶者等 heading a foreign household lives alone (the Japanese spouse is registered elsewhere).
_LIVES_ALONE = _SINGLES_ONLY | {"日本人の配偶者等"}
_RECENT_MEAN_YEARS = {"技能実習": 1.2, "特定技能": 1.5, "留学": 1.5}


@dataclass(frozen=True, slots=True)
class _Nationality:
    name: str
    weight: float
    families: tuple[_NameEntry, ...]
    males: tuple[_NameEntry, ...]
    females: tuple[_NameEntry, ...]
    statuses: tuple[str, ...]
    status_cw: tuple[float, ...]
    cities: tuple[str, ...]
    style: str = "plain"  # plain / vietnam / philippines
    wife_keeps_name: bool = False
    male_share: float = 0.55
    kanji_share: float = 0.0
    tsusho_share: float = 0.01


def _nat(
    name: str,
    weight: float,
    families: str,
    males: str,
    females: str,
    statuses: Sequence[tuple[str, float]],
    cities: str,
    **kw: object,
) -> _Nationality:
    def entries(text: str) -> tuple[_NameEntry, ...]:
        out: list[_NameEntry] = []
        for item in text.split(","):
            kanji, _, roman = item.strip().rpartition(":")
            out.append((kanji or None, roman))
        return tuple(out)

    return _Nationality(
        name,
        weight,
        entries(families),
        entries(males),
        entries(females),
        tuple(s for s, _ in statuses),
        tuple(accumulate(w for _, w in statuses)),
        tuple(cities.split(",")),
        **kw,  # type: ignore[arg-type]
    )


_NATIONALITIES = (
    _nat(
        "中国", 24,
        "張:ZHANG,王:WANG,李:LI,劉:LIU,陳:CHEN,楊:YANG,趙:ZHAO,黄:HUANG,周:ZHOU,呉:WU,孫:SUN,馬:MA",
        "偉:WEI,強:QIANG,磊:LEI,軍:JUN,洋:YANG,勇:YONG,傑:JIE,涛:TAO,明:MING,超:CHAO,浩:HAO,鵬:PENG",
        "芳:FANG,娜:NA,敏:MIN,静:JING,麗:LI,艶:YAN,娟:JUAN,霞:XIA,秀英:XIUYING,婷:TING,雪:XUE,玲:LING",
        [("永住者", 35), ("技術・人文知識・国際業務", 22), ("留学", 14), ("技能実習", 6), ("特定技能", 4),
         ("日本人の配偶者等", 7), ("定住者", 5), ("経営・管理", 4), ("技能", 3)],
        "上海市,北京市,大連市,瀋陽市,広州市",
        wife_keeps_name=True, male_share=0.45, kanji_share=0.9, tsusho_share=0.04,
    ),
    _nat(
        "ベトナム", 17,
        "NGUYEN,TRAN,LE,PHAM,HOANG,PHAN,VU,DANG,BUI,DO,HO,NGO",
        "AN,BINH,CUONG,DUNG,HUNG,NAM,QUANG,THANH,TUAN,MINH,DUC,HIEU",
        "HUONG,LAN,LINH,MAI,PHUONG,TRANG,HOA,THAO,NGOC,HANG,YEN,THU",
        [("技能実習", 32), ("特定技能", 26), ("留学", 10), ("技術・人文知識・国際業務", 20), ("永住者", 8),
         ("日本人の配偶者等", 2), ("定住者", 2)],
        "ハノイ市,ホーチミン市,ハイフォン市,ダナン市",
        style="vietnam", wife_keeps_name=True, male_share=0.58,
    ),
    _nat(
        "韓国", 11,
        "金:KIM,李:LEE,朴:PARK,崔:CHOI,鄭:JUNG,姜:KANG,趙:CHO,尹:YOON,張:JANG,林:LIM,韓:HAN,呉:OH",
        "民俊:MINJUN,志勲:JIHOON,賢宇:HYUNWOO,成浩:SUNGHO,東旭:DONGWOOK,泰陽:TAEYANG,在明:JAEMYUNG,永洙:YOUNGSOO",
        "瑞妍:SEOYEON,秀彬:SUBIN,智恩:JIEUN,美貞:MIJUNG,英姫:YOUNGHEE,恩恵:EUNHYE,順子:SUNJA,貞淑:JEONGSOOK",
        [(TOKUBETSU, 45), ("永住者", 25), ("技術・人文知識・国際業務", 12), ("留学", 8),
         ("日本人の配偶者等", 10)],
        "ソウル特別市,釜山広域市,仁川広域市",
        wife_keeps_name=True, male_share=0.48, kanji_share=0.75, tsusho_share=0.15,
    ),
    _nat(
        "フィリピン", 9,
        "SANTOS,REYES,CRUZ,BAUTISTA,GARCIA,MENDOZA,DELA CRUZ,RAMOS,AQUINO,FERNANDEZ,VILLANUEVA,TORRES",
        "JOSE,MARK,JOHN PAUL,MICHAEL,RICARDO,JUAN,CARLO,ANGELO",
        "MARIA,ANGELICA,KRISTINE,JOY,MARICEL,MARY ANN,JENNIFER,ROSALIE",
        [("永住者", 45), ("定住者", 15), ("日本人の配偶者等", 12), ("特定技能", 12), ("技能実習", 10),
         ("技術・人文知識・国際業務", 6)],
        "マニラ市,ケソン市,セブ市,ダバオ市",
        style="philippines", male_share=0.32,
    ),
    _nat(
        "ネパール", 6,
        "GURUNG,SHRESTHA,THAPA,TAMANG,RAI,MAGAR,KC,ADHIKARI,SHARMA,POUDEL",
        "RAM,BIKASH,ANIL,PRAKASH,SANJAY,SURESH,RAJESH,DIPAK",
        "SITA,SUNITA,ANITA,GITA,SARITA,PUJA,RITA,KABITA",
        [("技能", 25), ("留学", 30), ("技術・人文知識・国際業務", 30), ("永住者", 10), ("特定技能", 5)],
        "カトマンズ,ポカラ,ラリトプル",
        male_share=0.6,
    ),
    _nat(
        "ブラジル", 6,
        "SILVA,SANTOS,OLIVEIRA,SOUZA,PEREIRA,LIMA,COSTA,FERREIRA,RODRIGUES,ALMEIDA,NAKAMURA,HIGA",
        "JOAO,PEDRO,LUCAS,GABRIEL,RAFAEL,BRUNO,CARLOS,MARCOS",
        "MARIA,ANA,JULIANA,FERNANDA,PATRICIA,CAMILA,ADRIANA,LUCIANA",
        [("永住者", 60), ("定住者", 35), ("日本人の配偶者等", 5)],
        "サンパウロ州サンパウロ市,パラナ州ロンドリーナ市,ミナスジェライス州ベロオリゾンテ市",
        male_share=0.53,
    ),
    _nat(
        "インドネシア", 5,
        "SANTOSO,WIJAYA,PRATAMA,SAPUTRA,HIDAYAT,NUGROHO,KURNIAWAN,SETIAWAN",
        "BUDI,AGUS,RIZKI,DWI,EKO,ADI,FAJAR,HENDRA",
        "SITI,DEWI,PUTRI,RINA,AYU,INDAH,WULAN,NURUL",
        [("技能実習", 45), ("特定技能", 35), ("留学", 8), ("技術・人文知識・国際業務", 8), ("永住者", 4)],
        "ジャカルタ,スラバヤ,バンドン",
        male_share=0.6,
    ),
    _nat(
        "米国", 2,
        "SMITH,JOHNSON,WILLIAMS,BROWN,JONES,MILLER,DAVIS,WILSON,TAYLOR,ANDERSON",
        "JAMES,JOHN,MICHAEL,DAVID,ROBERT,DANIEL,MATTHEW,CHRISTOPHER",
        "MARY,JENNIFER,EMILY,SARAH,JESSICA,ELIZABETH,ASHLEY,LAURA",
        [("技術・人文知識・国際業務", 25), ("永住者", 30), ("日本人の配偶者等", 15), ("教育", 20),
         ("経営・管理", 10)],
        "カリフォルニア州,ニューヨーク州,ハワイ州,テキサス州",
        male_share=0.6,
    ),
    _nat(
        "台湾", 2,
        "陳:CHEN,林:LIN,黄:HUANG,張:CHANG,李:LI,王:WANG,呉:WU,劉:LIU",
        "志明:CHIHMING,家豪:CHIAHAO,建宏:CHIENHUNG,俊傑:CHUNCHIEH,冠宇:KUANYU",
        "淑芬:SHUFEN,怡君:YICHUN,雅婷:YATING,美玲:MEILING,佳穎:CHIAYING",
        [("永住者", 40), ("技術・人文知識・国際業務", 30), ("留学", 15), ("日本人の配偶者等", 10),
         ("経営・管理", 5)],
        "台北市,台中市,高雄市",
        wife_keeps_name=True, male_share=0.45, kanji_share=0.9,
    ),
)  # fmt: skip
_NAT_CW = tuple(accumulate(n.weight for n in _NATIONALITIES))
# Foreign spouses of Japanese residents (国際結婚): mostly wives from these countries.
_MIXED_NATS = tuple(
    n for n in _NATIONALITIES if n.name in {"中国", "フィリピン", "韓国", "ベトナム", "ブラジル", "米国"}
)
_MIXED_CW = tuple(
    accumulate({"中国": 35, "フィリピン": 35, "韓国": 14, "ベトナム": 8}.get(n.name, 4) for n in _MIXED_NATS)
)

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_JP_KINDS = ("single", "couple", "couple_children", "single_parent", "three_gen", "other")
_JP_KIND_CW = tuple(accumulate((38.0, 19.5, 26.5, 9.0, 6.0, 1.0)))
_KATAGAKI_P = {
    "single": 0.5,
    "couple": 0.18,
    "couple_children": 0.22,
    "single_parent": 0.4,
    "three_gen": 0.03,
    "other": 0.4,
    "foreign_single": 0.85,
    "foreign_family": 0.55,
}

_Name = tuple[str, str]  # (kanji, kana)
_Koseki = tuple[str, str]  # (本籍, 筆頭者)


# --------------------------------------------------------------------------------------------------
# Numbers: a keyed Feistel permutation of a serial counter gives unique random-looking base numbers
# --------------------------------------------------------------------------------------------------


class _Permutation:
    """Keyed bijection on range(a * b) (two-round unbalanced Feistel network)."""

    def __init__(self, rng: random.Random, a: int, b: int) -> None:
        self.a, self.b = a, b
        self.k1, self.k2 = rng.getrandbits(40), rng.getrandbits(40)
        self.offset = rng.randrange(a * b)

    def __call__(self, serial: int) -> int:
        a, b = self.a, self.b
        left, right = divmod((serial + self.offset) % (a * b), b)
        # round 1: (left in Z_a, right in Z_b) -> (right, left + F(right) mod a); round 2 mirrors it.
        left, right = right, (left + (((right ^ self.k1) * 0x9E3779B1) >> 7)) % a
        left, right = right, (left + (((right ^ self.k2) * 0x9E3779B1) >> 7)) % b
        return left * b + right


# --------------------------------------------------------------------------------------------------
# Town
# --------------------------------------------------------------------------------------------------


def _build_town(rng: random.Random, residents: int) -> tuple[SyntheticTown, dict[str, str]]:
    prefecture = rng.choice(sorted({p for p, _ in _ELSEWHERE}))
    name = rng.choice(_TOWN_NAMES)
    wanted = min(_MAX_CHOAZA, max(1, round(residents / 330)))
    bases = [
        (f"{d}{first}{suffix}", first)
        for d in _CHOAZA_DIRECTIONS
        for first in _CHOAZA_FIRSTS
        for suffix in _CHOAZA_SUFFIXES
        if suffix[-1] not in first  # no 「梅園園」
    ]
    rng.shuffle(bases)
    postal_prefix = rng.randrange(100, 1000)
    postal_suffixes = rng.sample(range(10000), len(bases))
    choaza: list[Choaza] = []
    prefixes: dict[str, str] = {}
    for i, (base, first) in enumerate(bases):
        if len(choaza) >= wanted:
            break
        postal = f"{postal_prefix:03d}{postal_suffixes[i]:04d}"
        if rng.random() < 0.6:
            for chome in range(1, min(rng.randint(1, 5), wanted - len(choaza)) + 1):
                code = f"{i + 1:04d}{chome:03d}"
                choaza.append(
                    Choaza(code, f"{base}{_KANJI_DIGITS[chome]}丁目", postal, rng.randint(8, 35), True)
                )
                prefixes[code] = first
        else:
            code = f"{i + 1:04d}000"
            choaza.append(Choaza(code, base, postal, rng.randint(80, 1500), False))
            prefixes[code] = first
    return SyntheticTown(prefecture, name, tuple(choaza)), prefixes


# --------------------------------------------------------------------------------------------------
# Households
# --------------------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, town: SyntheticTown, prefixes: dict[str, str], seed: int, as_of: date) -> None:
        self.town = town
        self.prefixes = prefixes
        self.as_of = as_of.toordinal()
        self.min_birth = self.as_of - _years(105) + 1
        self.foreign_start = min(FOREIGN_RESIDENT_START.toordinal(), self.as_of)
        rng = self.rng = random.Random(f"yakuba-demo-households:{seed}")
        fk = Faker("ja_JP")
        fk.seed_instance(seed)
        self.last_names: list[_Name] = [fk.last_name_pair()[:2] for _ in range(2048)]
        self.male_names: list[_Name] = [fk.first_name_male_pair()[:2] for _ in range(1024)]
        self.female_names: list[_Name] = [fk.first_name_female_pair()[:2] for _ in range(1024)]
        self.other_towns: list[str] = [fk.town() for _ in range(256)]
        self.buildings: list[str] = [fk.building_name() for _ in range(32)] + list(_BUILDING_EXTRAS)
        self.choaza_cw = tuple(accumulate(rng.uniform(0.5, 1.5) for _ in town.choaza))
        self.perm11 = _Permutation(rng, 10**5, 10**6)
        self.perm10 = _Permutation(rng, 10**5, 10**5)
        self.serial = 0
        self.used_given: set[str] = set()
        self.produced = 0
        self.foreign = 0

    # --- small helpers -----------------------------------------------------------------------------

    def _ri(self, lo: int, hi: int) -> int:
        """Uniform integer in lo..hi (cheaper than Random.randint)."""
        return lo + int(self.rng.random() * (hi - lo + 1))

    def _rr(self, n: int) -> int:
        return int(self.rng.random() * n)

    def _pick(self, seq: Sequence[_T]) -> _T:
        return seq[int(self.rng.random() * len(seq))]

    def _wpick(self, seq: Sequence[_T], cum_weights: Sequence[float]) -> _T:
        return seq[bisect(cum_weights, self.rng.random() * cum_weights[-1])]

    def _ids(self) -> tuple[str, str]:
        n = self.serial
        self.serial = n + 1
        b11 = f"{self.perm11(n):011d}"
        b10 = f"{self.perm10(n):010d}"
        return f"{b11}{mynumber_check_digit(b11)}", f"{b10}{jumin_code_check_digit_kokuji436(b10)}"

    def _birth(self, lo: int, hi: int) -> int:
        """Birth ordinal of someone aged ``lo``..``hi`` on the reference date."""
        return self.as_of - _years(self._ri(lo, hi)) - self._rr(365)

    def _birth_in(self, bands: _Bands) -> int:
        lo, hi = self._wpick(bands[0], bands[1])
        return self._birth(lo, hi)

    def _spouse_birth(self, birth: int, older: bool) -> int:
        """Birth of a spouse: husbands are on average ~2 years older than wives."""
        diff = _years(max(-4.0, min(12.0, self.rng.gauss(2.2, 3.0))))
        other = birth - diff if older else birth + diff
        return max(self.min_birth, min(other, self.as_of - _years(18)))

    def _children(
        self,
        parent: int,
        n: int,
        *,
        max_age: int,
        min_age: int = 0,
        lo: int = 20,
        hi: int = 42,
        other: int | None = None,
    ) -> list[int]:
        """Up to ``n`` sibling birth ordinals, born when ``parent`` was ``lo``..``hi`` years old."""
        start = max(parent + _years(lo) + 1, self.as_of - _years(max_age + 1) + 1)
        if other is not None:
            start = max(start, other + _years(18) + 1)
        end = min(parent + _years(hi) - 1, self.as_of - _years(min_age))
        births: list[int] = []
        if start > end:
            return births
        # First child early enough in the window to leave room for siblings.
        cur = start + self._rr(max(1, (end - start) // (2 if n > 1 else 1) + 1))
        while len(births) < n and cur <= end:
            births.append(cur)
            cur += self._ri(_years(1.2), _years(5))
        return births

    def _move_in(self, earliest: int, mean_years: float) -> int:
        rng = self.rng
        day = self.as_of - int(rng.expovariate(1.0 / (mean_years * _Y)))
        if day < earliest:
            day = earliest + self._rr(max(1, self.as_of - earliest + 1))
        return min(day, self.as_of)

    def _given(self, sex: str) -> _Name:
        """A given name (kanji, kana), avoiding one already used in the current household."""
        pool = self.male_names if sex == MALE else self.female_names
        used = self.used_given
        for _ in range(6):
            name = pool[int(self.rng.random() * len(pool))]
            if name[0] not in used:
                break
        used.add(name[0])
        return name

    def _sex(self, male_share: float = 0.51) -> str:
        return MALE if self.rng.random() < male_share else FEMALE

    def _other_family(self, not_this: _Name) -> _Name:
        for _ in range(8):
            fam = self._pick(self.last_names)
            if fam[0] != not_this[0]:
                return fam
        return fam

    def _honseki(self) -> str:
        rng = self.rng
        if rng.random() < 0.6:
            c = self._pick(self.town.choaza)
            unit = "番" if c.jukyo_hyoji else "番地"
            return f"{self.town.prefecture}{self.town.name}{c.name}{self._ri(1, c.banchi_count)}{unit}"
        pref, city = self._pick(_ELSEWHERE)
        town = self._pick(self.other_towns)
        return f"{pref}{city}{town}{self._ri(1, 9)}丁目{self._ri(1, 40)}番地"

    def _koseki(self, hittosha: str) -> _Koseki:
        return self._honseki(), hittosha

    def _origin(self) -> str:
        rng = self.rng
        pref, city = self._pick(_ELSEWHERE)
        text = (
            f"{pref}{city}{self._pick(self.other_towns)}"
            f"{self._ri(1, 9)}丁目{self._ri(1, 30)}番{self._ri(1, 25)}号"
        )
        if rng.random() < 0.35:
            room = f"{self._ri(1, 8)}{self._ri(1, 12):02d}号"
            text += f"{FULLWIDTH_SPACE}{self._pick(self.other_towns)}{self._pick(self.buildings)}{room}"
        return text

    def _origin_abroad(self, nat: _Nationality) -> str:
        return f"{nat.name}{FULLWIDTH_SPACE}{self._pick(nat.cities)}"

    def _maybe_kyu_uji(self, fam: _Name, p: float = 0.07) -> _Name | None:
        return self._other_family(fam) if self.rng.random() < p else None

    @staticmethod
    def _full(fam: _Name, given: _Name) -> str:
        return f"{fam[0]}{FULLWIDTH_SPACE}{given[0]}"

    # --- persons ------------------------------------------------------------------------------------

    def _jp(
        self,
        fam: _Name,
        given: _Name,
        sex: str,
        birth: int,
        rel: str,
        koseki: _Koseki,
        arrive: int | None,
        origin: str | None,
        kyu: _Name | None = None,
    ) -> SyntheticPerson:
        mynumber, jumin = self._ids()
        if arrive is None or arrive <= birth:
            became, origin = birth, None
        else:
            became = arrive
        return _person(
            family_name=fam[0],
            given_name=given[0],
            family_kana=fam[1],
            given_kana=given[1],
            sex=sex,
            birth_date=date.fromordinal(birth),
            relationship=rel,
            mynumber=mynumber,
            jumin_code=jumin,
            became_resident_on=date.fromordinal(became),
            moved_in_from=origin,
            honseki=koseki[0],
            hittosha=koseki[1],
            kyu_uji=kyu[0] if kyu else None,
            kyu_uji_kana=kyu[1] if kyu else None,
        )

    def _fo(
        self,
        nat: _Nationality,
        family: _NameEntry,
        sex: str,
        birth: int,
        rel: str,
        status: str,
        arrive: int | None,
        origin: str | None,
        *,
        use_kanji: bool,
        tsusho_family: _Name | None,
    ) -> SyntheticPerson:
        rng = self.rng
        pool = nat.males if sex == MALE else nat.females
        for _ in range(6):
            given = pool[int(rng.random() * len(pool))]
            if given[1] not in self.used_given:
                break
        self.used_given.add(given[1])
        if nat.style == "vietnam":
            middle = "VAN" if sex == MALE else "THI"
            roman = f"{family[1]} {middle} {given[1]}"
        elif nat.style == "philippines" and rng.random() < 0.6:
            roman = f"{family[1]} {given[1]} {self._pick(nat.families)[1]}"
        else:
            roman = f"{family[1]} {given[1]}"
        kanji = use_kanji and family[0] is not None and given[0] is not None
        tsusho = None
        if tsusho_family is not None:
            tsusho = self._full(tsusho_family, self._given(sex))
        mynumber, jumin = self._ids()
        if arrive is None or arrive <= birth:
            became, origin = birth, None
        else:
            became = arrive
        became = max(became, self.foreign_start)
        letters = self._rr(26**4)
        a, b, c, d = (_UPPER[letters // 26**k % 26] for k in range(4))
        card = f"{a}{b}{self._rr(10**8):08d}{c}{d}"
        category = CHUCHOKI
        shikaku: str | None = status
        card_no: str | None = card
        tokubetsu_no: str | None = None
        kikan: str | None = None
        expiry: date | None = None
        if status == TOKUBETSU:
            category, shikaku, card_no, tokubetsu_no = TOKUBETSU, None, None, card
        elif status == "永住者":
            kikan = "無期限"
        else:
            kikan = self._pick(_KIKAN[status])
            expiry = date.fromordinal(self.as_of + self._ri(14, _KIKAN_MONTHS[kikan] * 30))
        return _person(
            family_name=family[0] if kanji else None,
            given_name=given[0] if kanji else None,
            family_kana=None,
            given_kana=None,
            sex=sex,
            birth_date=date.fromordinal(birth),
            relationship=rel,
            mynumber=mynumber,
            jumin_code=jumin,
            became_resident_on=date.fromordinal(became),
            moved_in_from=origin,
            is_foreign=True,
            nationality=nat.name,
            name_roman=roman,
            tsusho=tsusho,
            category_30_45=category,
            zairyu_shikaku=shikaku,
            zairyu_kikan=kikan,
            zairyu_expiry=expiry,
            zairyu_card_no=card_no,
            tokubetsu_eijusha_no=tokubetsu_no,
        )

    def _foreign_wife(self, birth: int, arrive: int) -> SyntheticPerson:
        """Foreign spouse of a Japanese head (国際結婚); keeps her own name, no 本籍."""
        rng = self.rng
        nat = self._wpick(_MIXED_NATS, _MIXED_CW)
        recent = (self.as_of - arrive) < _years(8)
        status = "日本人の配偶者等" if recent or rng.random() < 0.2 else "永住者"
        origin = self._origin_abroad(nat) if rng.random() < 0.5 else self._origin()
        family = self._pick(nat.families)
        return self._fo(
            nat,
            family,
            FEMALE,
            birth,
            "妻",
            status,
            arrive,
            origin,
            use_kanji=rng.random() < nat.kanji_share,
            tsusho_family=None,
        )

    # --- Japanese households ------------------------------------------------------------------------

    def _single(self) -> tuple[str, list[SyntheticPerson]]:
        rng = self.rng
        birth = self._birth_in(_SINGLE_AGES)
        age = (self.as_of - birth) / _Y
        sex = self._sex(0.32 if age >= 65 else 0.58)
        fam = self._pick(self.last_names)
        given = self._given(sex)
        kyu = None
        if age < 45 and rng.random() < 0.75:
            koseki = self._koseki(self._full(fam, self._given(MALE)))  # still in the parents' 戸籍
        elif sex == FEMALE and age >= 65 and rng.random() < 0.6:
            koseki = self._koseki(self._full(fam, self._given(MALE)))  # widow: late husband is 筆頭者
            kyu = self._maybe_kyu_uji(fam)
        else:
            koseki = self._koseki(self._full(fam, given))
        if rng.random() < 0.2:
            arrive, origin = None, None
        else:
            arrive = self._move_in(birth + _years(18), 6.0 if age < 40 else 18.0)
            origin = self._origin()
        return "single", [self._jp(fam, given, sex, birth, "世帯主", koseki, arrive, origin, kyu)]

    def _couple(self, with_children: bool) -> tuple[str, list[SyntheticPerson]]:
        rng = self.rng
        wife_birth = self._birth_in(_PARENT_WIFE_AGES if with_children else _COUPLE_WIFE_AGES)
        husband_birth = self._spouse_birth(wife_birth, older=True)
        kids: list[int] = []
        if with_children:
            n = self._wpick((1, 2, 3, 4), (44, 88, 98.5, 100))
            kids = self._children(wife_birth, n, max_age=45, other=husband_birth)
        fam = self._pick(self.last_names)
        h_given, w_given = self._given(MALE), self._given(FEMALE)
        koseki = self._koseki(self._full(fam, h_given))
        husband_head = rng.random() < 0.95
        native = rng.random() < (0.25 if with_children else 0.35)
        older = min(husband_birth, wife_birth)
        younger = max(husband_birth, wife_birth)
        if native:
            # The head was born here; the spouse married in from elsewhere.
            latest = kids[0] - self._ri(100, _years(3)) if kids else self.as_of
            marriage = self._move_in(younger + _years(20), 20.0)
            marriage = max(younger + _years(18), min(marriage, latest))
            head_arrive, spouse_arrive, origin, spouse_origin = None, marriage, None, self._origin()
            kids_arrive: int | None = None
        else:
            moved = self._move_in(max(older, younger) + _years(20), 10.0 if with_children else 15.0)
            head_arrive = spouse_arrive = kids_arrive = moved
            origin = spouse_origin = self._origin()
        foreign_wife = rng.random() < 0.015
        if foreign_wife:
            husband_head = True
        members: list[SyntheticPerson] = []
        h_arrive, h_origin = (head_arrive, origin) if husband_head else (spouse_arrive, spouse_origin)
        w_arrive, w_origin = (spouse_arrive, spouse_origin) if husband_head else (head_arrive, origin)
        husband = self._jp(
            fam, h_given, MALE, husband_birth, "世帯主" if husband_head else "夫", koseki, h_arrive, h_origin
        )
        if foreign_wife:
            wife = self._foreign_wife(wife_birth, w_arrive if w_arrive is not None else self.as_of)
        else:
            wife = self._jp(
                fam,
                w_given,
                FEMALE,
                wife_birth,
                "妻" if husband_head else "世帯主",
                koseki,
                w_arrive,
                w_origin,
                self._maybe_kyu_uji(fam),
            )
        members.extend((husband, wife) if husband_head else (wife, husband))
        for kb in kids:
            sex = self._sex()
            members.append(self._jp(fam, self._given(sex), sex, kb, "子", koseki, kids_arrive, origin))
        return ("couple_children" if kids else "couple"), members

    def _single_parent(self) -> tuple[str, list[SyntheticPerson]]:
        rng = self.rng
        sex = FEMALE if rng.random() < 0.85 else MALE
        birth = self._birth_in(_SINGLE_PARENT_AGES)
        n = self._wpick((1, 2, 3), (62, 93, 100))
        if sex == FEMALE:
            kids = self._children(birth, n, max_age=60)
        else:
            kids = self._children(birth, n, max_age=60, lo=20, hi=50)
        fam = self._pick(self.last_names)
        given = self._given(sex)
        kyu = None
        if sex == FEMALE and rng.random() < 0.3:
            koseki = self._koseki(self._full(fam, self._given(MALE)))  # widowed
            kyu = self._maybe_kyu_uji(fam)
        else:
            koseki = self._koseki(self._full(fam, given))
        if rng.random() < 0.25:
            arrive, origin = None, None
        else:
            arrive, origin = self._move_in(birth + _years(20), 8.0), self._origin()
        members = [self._jp(fam, given, sex, birth, "世帯主", koseki, arrive, origin, kyu)]
        for kb in kids:
            ks = self._sex()
            members.append(self._jp(fam, self._given(ks), ks, kb, "子", koseki, arrive, origin))
        return "single_parent", members

    def _three_gen(self) -> tuple[str, list[SyntheticPerson]]:
        return self._three_gen_elder_head() if self.rng.random() < 0.55 else self._three_gen_parents()

    def _three_gen_elder_head(self) -> tuple[str, list[SyntheticPerson]]:
        """世帯主 (+妻), 子, 子の妻 / 子の夫, 子の子."""
        rng = self.rng
        wife_birth = self._birth_in(_ELDER_WIFE_AGES)
        widowed = rng.random() < 0.3
        husband_birth = self._spouse_birth(wife_birth, older=True)
        fam = self._pick(self.last_names)
        h_given, w_given = self._given(MALE), self._given(FEMALE)
        koseki = self._koseki(self._full(fam, h_given))  # the late husband stays 筆頭者
        child_birth = self._children(
            wife_birth, 1, max_age=60, min_age=25, lo=22, hi=38, other=None if widowed else husband_birth
        )
        if not child_birth:
            return self._couple(with_children=True)
        cb = child_birth[0]
        son = rng.random() < 0.75
        in_law_birth = self._spouse_birth(cb, older=not son)
        sub_female, sub_male = (in_law_birth, cb) if son else (cb, in_law_birth)
        n = self._wpick((1, 2, 3), (35, 83, 100))
        grandkids = self._children(sub_female, n, max_age=30, other=sub_male)
        c_given = self._given(MALE if son else FEMALE)
        in_law_given = self._given(FEMALE if son else MALE)
        if son or rng.random() < 0.25:
            sub_fam = fam  # son's wife took the name, or the daughter's husband took hers
            sub_holder = self._full(fam, c_given)
            in_law_kyu = self._maybe_kyu_uji(fam) if son else None
            child_kyu = None
        else:
            sub_fam = self._other_family(fam)
            sub_holder = self._full(sub_fam, in_law_given)
            in_law_kyu = None
            child_kyu = fam if rng.random() < 0.07 else None
        sub_koseki = (koseki[0] if rng.random() < 0.7 else self._honseki(), sub_holder)

        latest = grandkids[0] - self._ri(100, _years(3)) if grandkids else self.as_of
        marriage = max(max(cb, in_law_birth) + _years(18), min(latest, self._move_in(cb + _years(22), 15.0)))
        if rng.random() < 0.6:  # a family rooted in the town
            head_arrive: int | None = None
            head_origin: str | None = None
            wife_arrive = max(wife_birth + _years(18), cb - self._ri(100, _years(4)))
            wife_origin: str | None = self._origin()
        else:
            head_arrive = wife_arrive = self._move_in(husband_birth + _years(25), 20.0)
            head_origin = wife_origin = self._origin()
        if head_arrive is not None and marriage <= head_arrive:
            in_law_arrive, in_law_origin = head_arrive, head_origin
        else:
            in_law_arrive, in_law_origin = marriage, self._origin()
        members: list[SyntheticPerson] = []
        if widowed:
            members.append(
                self._jp(fam, w_given, FEMALE, wife_birth, "世帯主", koseki, wife_arrive, wife_origin)
            )
        else:
            members.append(
                self._jp(fam, h_given, MALE, husband_birth, "世帯主", koseki, head_arrive, head_origin)
            )
            members.append(
                self._jp(
                    fam,
                    w_given,
                    FEMALE,
                    wife_birth,
                    "妻",
                    koseki,
                    wife_arrive,
                    wife_origin,
                    self._maybe_kyu_uji(fam),
                )
            )
        c_sex = MALE if son else FEMALE
        members.append(
            self._jp(sub_fam, c_given, c_sex, cb, "子", sub_koseki, head_arrive, head_origin, child_kyu)
        )
        members.append(
            self._jp(
                sub_fam,
                in_law_given,
                FEMALE if son else MALE,
                in_law_birth,
                "子の妻" if son else "子の夫",
                sub_koseki,
                in_law_arrive,
                in_law_origin,
                in_law_kyu,
            )
        )
        for gb in grandkids:
            gs = self._sex()
            members.append(
                self._jp(sub_fam, self._given(gs), gs, gb, "子の子", sub_koseki, head_arrive, head_origin)
            )
        return "three_gen", members

    def _three_gen_parents(self) -> tuple[str, list[SyntheticPerson]]:
        """世帯主, 妻, 子, and the 世帯主's 父 and/or 母."""
        rng = self.rng
        head_birth = self._birth(35, 58)
        head_age = (self.as_of - head_birth) // 365
        fam = self._pick(self.last_names)
        h_given = self._given(MALE)
        koseki = self._koseki(self._full(fam, h_given))
        with_wife = rng.random() < 0.88
        n = self._wpick((1, 2, 3), (35, 85, 100))
        if with_wife:
            wife_birth = self._spouse_birth(head_birth, older=False)
            kids = self._children(wife_birth, n, max_age=28, other=head_birth)
        else:
            wife_birth = head_birth
            kids = self._children(head_birth, n, max_age=28, lo=20, hi=50)
        mother_birth = head_birth - _years(self._ri(20, min(41, 103 - head_age))) - self._rr(300)
        mother_birth = max(mother_birth, self.min_birth + 30)
        father_birth = max(self.min_birth + 30, self._spouse_birth(mother_birth, older=True))
        father_birth = min(father_birth, head_birth - _years(18))
        which = self._wpick(("both", "mother", "father"), (40, 85, 100))
        p_given = self._given(MALE)
        parents_koseki = self._koseki(self._full(fam, p_given))
        if rng.random() < 0.55:
            head_arrive: int | None = None
            origin: str | None = None
            if kids:
                wife_arrive = kids[0] - self._ri(100, _years(3))
            else:
                wife_arrive = self._move_in(max(head_birth, wife_birth) + _years(20), 10.0)
            wife_arrive = max(wife_arrive, wife_birth + _years(18))
            wife_origin: str | None = self._origin()
            parents_arrive: int | None = None
            parents_origin: str | None = None
        else:
            head_arrive = wife_arrive = self._move_in(head_birth + _years(22), 12.0)
            origin = wife_origin = self._origin()
            if rng.random() < 0.5:
                parents_arrive, parents_origin = head_arrive, origin
            else:
                parents_arrive = head_arrive + self._rr(max(1, self.as_of - head_arrive + 1))
                parents_origin = self._origin()
        members = [self._jp(fam, h_given, MALE, head_birth, "世帯主", koseki, head_arrive, origin)]
        if with_wife:
            w_given = self._given(FEMALE)
            members.append(
                self._jp(
                    fam,
                    w_given,
                    FEMALE,
                    wife_birth,
                    "妻",
                    koseki,
                    wife_arrive,
                    wife_origin,
                    self._maybe_kyu_uji(fam),
                )
            )
        for kb in kids:
            ks = self._sex()
            members.append(self._jp(fam, self._given(ks), ks, kb, "子", koseki, head_arrive, origin))
        if which in ("both", "father"):
            members.append(
                self._jp(
                    fam, p_given, MALE, father_birth, "父", parents_koseki, parents_arrive, parents_origin
                )
            )
        if which in ("both", "mother"):
            members.append(
                self._jp(
                    fam,
                    self._given(FEMALE),
                    FEMALE,
                    mother_birth,
                    "母",
                    parents_koseki,
                    parents_arrive,
                    parents_origin,
                    self._maybe_kyu_uji(fam),
                )
            )
        return "three_gen", members

    def _other(self) -> tuple[str, list[SyntheticPerson]]:
        """Siblings living together, or a 世帯主 with a 同居人 / 縁故者."""
        rng = self.rng
        roll = rng.random()
        fam = self._pick(self.last_names)
        if roll < 0.5:
            head_birth = self._birth(40, 85)
            sib_birth = head_birth + _years(rng.uniform(-10, 10))
            sib_birth = max(self.min_birth, min(sib_birth, self.as_of - _years(30)))
            hs, ss = self._sex(), self._sex()
            older = sib_birth < head_birth
            rel = {(True, MALE): "兄", (True, FEMALE): "姉", (False, MALE): "弟", (False, FEMALE): "妹"}[
                older, ss
            ]
            koseki = self._koseki(self._full(fam, self._given(MALE)))
            if rng.random() < 0.5:
                arrive, origin = None, None
            else:
                arrive, origin = self._move_in(max(head_birth, sib_birth) + _years(20), 15.0), self._origin()
            return "other", [
                self._jp(fam, self._given(hs), hs, head_birth, "世帯主", koseki, arrive, origin),
                self._jp(fam, self._given(ss), ss, sib_birth, rel, koseki, arrive, origin),
            ]
        if roll < 0.85:
            head_birth, other_birth, rel = self._birth(20, 35), self._birth(20, 35), "同居人"
        else:
            head_birth, other_birth, rel = self._birth(50, 85), self._birth(20, 60), "縁故者"
        other_fam = self._other_family(fam) if rel == "同居人" or rng.random() < 0.5 else fam
        members = []
        head_arrive = self._move_in(head_birth + _years(18), 6.0)
        for f, b, r, arrive in (
            (fam, head_birth, "世帯主", head_arrive),
            (other_fam, other_birth, rel, max(other_birth + _years(18), self._move_in(head_arrive, 4.0))),
        ):
            s = self._sex()
            g = self._given(s)
            members.append(self._jp(f, g, s, b, r, self._koseki(self._full(f, g)), arrive, self._origin()))
        return "other", members

    # --- foreign households -------------------------------------------------------------------------

    def _foreign(self) -> tuple[str, list[SyntheticPerson]]:
        rng = self.rng
        nat = self._wpick(_NATIONALITIES, _NAT_CW)
        status = self._wpick(nat.statuses, nat.status_cw)
        if status in _LIVES_ALONE:
            kind = "single"
        else:
            kind = self._wpick(("single", "couple", "couple_children", "single_parent"), (35, 55, 93, 100))
        lo, hi = _STATUS_AGES[status]
        if status == TOKUBETSU and rng.random() < 0.6:
            lo = max(lo, 45)
        head_birth = self._birth(lo, hi)
        head_sex = self._sex(nat.male_share)
        if kind in ("couple", "couple_children") and rng.random() < 0.85:
            head_sex = MALE
        if status == TOKUBETSU:
            spouse_status = kid_status = TOKUBETSU if rng.random() < 0.8 else "永住者"
            if spouse_status == "永住者":
                kid_status = TOKUBETSU
        elif status == "永住者":
            spouse_status = "永住者" if rng.random() < 0.6 else "永住者の配偶者等"
            kid_status = "永住者" if rng.random() < 0.5 else "永住者の配偶者等"
        elif status == "定住者":
            spouse_status = kid_status = "定住者"
        else:
            spouse_status = kid_status = "家族滞在"
        # residence
        if status == TOKUBETSU and rng.random() < 0.6:
            arrive: int | None = None
            origin: str | None = None
        else:
            mean = _RECENT_MEAN_YEARS.get(status, 7.0)
            arrive = self._move_in(head_birth + _years(16), mean)
            if status in _SINGLES_ONLY:
                arrive = max(arrive, self.as_of - _years(5))
            abroad = 0.0 if status == TOKUBETSU else (0.8 if status in _SINGLES_ONLY else 0.4)
            origin = self._origin_abroad(nat) if rng.random() < abroad else self._origin()
        use_kanji = rng.random() < nat.kanji_share
        tsusho_family: _Name | None = None
        if rng.random() < (0.6 if status == TOKUBETSU else nat.tsusho_share):
            tsusho_family = self._pick(self.last_names)
        family = self._pick(nat.families)

        def person(fam: _NameEntry, sex: str, birth: int, rel: str, st: str) -> SyntheticPerson:
            return self._fo(
                nat,
                fam,
                sex,
                birth,
                rel,
                st,
                arrive,
                origin,
                use_kanji=use_kanji,
                tsusho_family=tsusho_family,
            )

        members = [person(family, head_sex, head_birth, "世帯主", status)]
        if kind == "single":
            return "foreign_single", members
        mother_birth = head_birth
        father_birth: int | None = None
        father_family = family  # children take the father's family name (or the single parent's)
        if kind in ("couple", "couple_children"):
            spouse_birth = self._spouse_birth(head_birth, older=head_sex == FEMALE)
            spouse_sex = FEMALE if head_sex == MALE else MALE
            keep = nat.wife_keeps_name or rng.random() < 0.3
            spouse_family = self._pick(nat.families) if keep else family
            rel = "妻" if spouse_sex == FEMALE else "夫"
            if rng.random() < 0.03:
                rel = "縁故者"  # de-facto partner without a recognised marriage document
            members.append(person(spouse_family, spouse_sex, spouse_birth, rel, spouse_status))
            if head_sex == MALE:
                mother_birth, father_birth = spouse_birth, head_birth
            else:
                mother_birth, father_birth, father_family = head_birth, spouse_birth, spouse_family
        if kind == "couple":
            return "foreign_family", members
        n = self._wpick((1, 2, 3), (45, 88, 100))
        if kind == "single_parent" and head_sex == MALE:
            kids = self._children(head_birth, n, max_age=22, lo=20, hi=50)
        else:
            kids = self._children(mother_birth, n, max_age=22, other=father_birth)
        for kb in kids:
            members.append(person(father_family, self._sex(), kb, "子", kid_status))
        return "foreign_family", members

    # --- main loop ----------------------------------------------------------------------------------

    def _draw(self) -> tuple[str, list[SyntheticPerson]]:
        rng = self.rng
        self.used_given.clear()
        deficit = _FOREIGN_TARGET * self.produced - self.foreign
        if deficit > 3:
            p = 0.5
        elif deficit < -3:
            p = 0.0
        else:
            p = _FOREIGN_HOUSEHOLD_P
        if rng.random() < p:
            return self._foreign()
        kind = self._wpick(_JP_KINDS, _JP_KIND_CW)
        if kind == "single":
            return self._single()
        if kind == "couple":
            return self._couple(with_children=False)
        if kind == "couple_children":
            return self._couple(with_children=True)
        if kind == "single_parent":
            return self._single_parent()
        if kind == "three_gen":
            return self._three_gen()
        return self._other()

    def _address(self, kind: str) -> SyntheticAddress:
        rng = self.rng
        c = self._wpick(self.town.choaza, self.choaza_cw)
        n = self._ri(1, c.banchi_count)
        if c.jukyo_hyoji:
            banchi = f"{n}番{self._ri(1, 25)}号"
        elif rng.random() < 0.55:
            banchi = f"{n}番地{self._ri(1, 15)}"
        else:
            banchi = f"{n}番地"
        katagaki = None
        if rng.random() < _KATAGAKI_P[kind]:
            name = f"{self.prefixes[c.code]}{self._pick(self.buildings)}"
            katagaki = f"{name}{self._ri(1, 6)}{self._ri(1, 8):02d}号"
        return SyntheticAddress(c.code, banchi, katagaki, c.postal_code)

    def households(self, residents: int) -> Iterator[SyntheticHousehold]:
        seq = 0
        while self.produced < residents:
            remaining = residents - self.produced
            for _ in range(6):
                kind, members = self._draw()
                if len(members) <= remaining:
                    break
            else:
                kind, members = self._single()
            seq += 1
            self.produced += len(members)
            self.foreign += sum(1 for m in members if m.is_foreign)
            yield SyntheticHousehold(seq, self._address(kind), tuple(members))


def generate_town(
    *, residents: int = 2000, seed: int = 1, as_of: date = date(2026, 4, 1)
) -> tuple[SyntheticTown, Iterator[SyntheticHousehold]]:
    """A synthetic town and a lazy iterator over its households (exactly ``residents`` persons).

    The same ``seed`` (with the same ``residents`` and ``as_of``) always yields the same data.
    """
    if residents < 0:
        raise ValueError("residents must be >= 0")
    town_rng = random.Random(f"yakuba-demo-town:{seed}")
    town, prefixes = _build_town(town_rng, residents)
    builder = _Builder(town, prefixes, seed, as_of)
    return town, builder.households(residents)
