"""Static tables the demo generator draws from: invented place names, age bands, 在留資格 and nationalities.

Pure data (with the cumulative weights derived from it); kept apart from the drawing code that uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from yakuba.demo.model import TOKUBETSU

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
