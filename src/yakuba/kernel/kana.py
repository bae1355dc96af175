"""Japanese text helpers for names: search keys, フリガナ validation, joining 氏 and 名.

The core rule: **a stored name is never altered.** No NFC/NFKC is applied to what is stored, because
行政事務標準文字 (MJ+) characters and IVS sequences must round-trip byte for byte (NFC would, for
example, turn CJK compatibility ideographs into unified ones). See cross-cutting.md §5: "Never apply
NFC/NFKC to names/addresses ... Normalise only search keys."

What this module does instead is derive *search keys*:

- :func:`kana_search_key` for カナ search (住民記録システム標準仕様書 j340 検索: a clerk finds a person
  by カナ氏名 typed in whatever width/script the keyboard gives);
- :func:`name_search_key` for 漢字/mixed/alphabet names (ignoring IVS/SVS and a small table of
  well-known 異体字, so 「髙橋」 finds 「高橋」; the exact glyph is still what is stored and printed).

Keys are meant to be stored next to the name (or computed on the fly) and compared with ``=`` or
``LIKE`` (:func:`prefix_pattern`, :func:`contains_pattern`, escape character :data:`LIKE_ESCAPE`).

長音 decision: in :func:`kana_search_key` a 長音符 (ー, ｰ, and hyphen/dash look-alikes typed by mistake)
is replaced by **the vowel of the preceding kana** (「オーノ」→「オオノ」, 「キョーコ」→「キヨオコ」).
Dropping it instead would make 「オーノ」 collide with 「オノ」 (大野 vs 小野 — different surnames) while
still not matching 「オオノ」, the spelling a 大野 usually has in the register. Mapping to the vowel keeps
the mora count, so those stay apart, and matches the two common spellings of the same long vowel.
A 長音 with no preceding vowel (at the start, after ン, after a non-kana) is dropped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

from yakuba.errors import InputError

__all__ = [
    "IDEOGRAPH_VARIANT_FOLDS",
    "LIKE_ESCAPE",
    "NAME_SEPARATOR",
    "contains_pattern",
    "is_katakana_reading",
    "join_name",
    "kana_search_key",
    "name_search_key",
    "prefix_pattern",
    "to_katakana",
    "validate_furigana",
]

#: Separator between 氏 and 名 (共通機能標準仕様書 項目定義書 凡例: 氏名 parts are joined by one
#: full-width space, 「佐藤　一郎」, 「ＺＨＡＮＧ　ＹＵＬＩ」; shared/specs/spec-resident-2.md §4.2).
NAME_SEPARATOR: Final = "\u3000"

#: Escape character used by :func:`prefix_pattern` / :func:`contains_pattern`:
#: use ``... LIKE :pattern ESCAPE '\\'`` in SQL.
LIKE_ESCAPE: Final = "\\"

#: Well-known 異体字 (旧字体 / 俗字) → the 標準字 used for *search only*. Keys are NFC-stable single
#: code points; no value is itself a key (so folding is idempotent). Pairs deliberately NOT folded,
#: because they are different characters that happen to look or sound alike: 淵/渕, 斎/斉 (齋 folds to
#: 斎 and 齊 to 斉; 斎藤 and 斉藤 are different surnames), 藤/籐, 竜/龍. CJK compatibility ideographs
#: that have a canonical decomposition (e.g. U+FA19 神) need no entry: NFC of the key handles them.
#: Kept as a constant so that a later change can move it to a dated data file.
IDEOGRAPH_VARIANT_FOLDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "髙": "高",  # U+9AD9 はしごだか
        "﨑": "崎",  # U+FA11 たつさき (compatibility block, but no canonical decomposition)
        "嵜": "崎",  # U+5D5C
        "邊": "辺",  # U+908A
        "邉": "辺",  # U+9089
        "齋": "斎",  # U+9F4B 旧字体 of 斎
        "齊": "斉",  # U+9F4A 旧字体 of 斉 (not 斎)
        "濵": "浜",  # U+6FF5
        "濱": "浜",  # U+6FF1 旧字体
        "德": "徳",  # U+5FB7
        "栁": "柳",  # U+6901
        "櫻": "桜",  # U+6AFB
        "廣": "広",  # U+5EE3
        "澤": "沢",  # U+6FA4
        "國": "国",  # U+570B
        "藏": "蔵",  # U+85CF
        "眞": "真",  # U+771E
        "嶋": "島",  # U+5D8B
        "嶌": "島",  # U+5D8C
        "𠮷": "吉",  # U+20BB7 つちよし
        "槗": "橋",  # U+69D7
        "惠": "恵",  # U+60E0
        "榮": "栄",  # U+69AE
        "壽": "寿",  # U+58FD
        "實": "実",  # U+5BE6
        "穗": "穂",  # U+7A57
        "曾": "曽",  # U+66FE
        "淺": "浅",  # U+6DFA
        "增": "増",  # U+589E
        "靜": "静",  # U+975C
        "彌": "弥",  # U+5F4C
        "圓": "円",  # U+5713
        "條": "条",  # U+689D
        "莊": "荘",  # U+838A
        "與": "与",  # U+8207
        "傳": "伝",  # U+50B3
        "冨": "富",  # U+51A8 俗字
        "舘": "館",  # U+8218 俗字
    }
)

# --- character classes ---------------------------------------------------------------------------

_DAKUTEN: Final = "\u3099"  # combining voiced sound mark
_HANDAKUTEN: Final = "\u309a"  # combining semi-voiced sound mark
_SPACING_MARKS: Final = {"\u309b": _DAKUTEN, "\u309c": _HANDAKUTEN}  # ゛ ゜ typed as characters
_COMBINING_MARKS: Final = frozenset((_DAKUTEN, _HANDAKUTEN))

_CHOON: Final = "ー"  # U+30FC KATAKANA-HIRAGANA PROLONGED SOUND MARK
#: 長音 and the hyphen/dash look-alikes a clerk types for it (after width folding ｰ is ー, － is -).
_CHOON_LIKE: Final = frozenset("ー-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
#: Separators removed from kana keys besides whitespace: 中黒 (foreign names, 「ジョン・スミス」).
_KANA_SEPARATORS: Final = frozenset("・")

_SMALL_TO_LARGE: Final = str.maketrans(
    "ァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ",
    "アイウエオツヤユヨワカケクシストヌハヒフヘホムラリルレロ",
)
_OBSOLETE_KANA: Final = {"ヰ": "イ", "ヱ": "エ", "ヷ": "ヴア", "ヸ": "ヴイ", "ヹ": "ヴエ", "ヺ": "ヴオ"}

_VOWEL_ROWS: Final = {
    "ア": "アカガサザタダナハバパマヤラワ",
    "イ": "イキギシジチヂニヒビピミリ",
    "ウ": "ウクグスズツヅヌフブプムユルヴ",
    "エ": "エケゲセゼテデネヘベペメレ",
    "オ": "オコゴソゾトドノホボポモヨロヲ",
}
_VOWEL_OF: Final = {kana: vowel for vowel, row in _VOWEL_ROWS.items() for kana in row}

_ITERATION_MARKS: Final = frozenset("ヽヾ")

# フリガナ accepts full-width katakana ァ (U+30A1) … ヺ (U+30FA), ー, and full-width spaces.
_FURIGANA_KATAKANA: Final = frozenset(chr(c) for c in range(0x30A1, 0x30FB)) | {_CHOON}


def _is_variation_selector(ch: str) -> bool:
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _is_kana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa"


# --- shared folding -------------------------------------------------------------------------------


def _fold_char(ch: str) -> str:
    """Width and script fold of one character (the key-side counterpart of :func:`to_katakana`)."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII → ASCII
        return chr(code - 0xFEE0)
    if 0xFF61 <= code <= 0xFF9F:  # half-width katakana and punctuation; ﾞﾟ → combining marks
        return unicodedata.normalize("NFKC", ch)
    if 0x3041 <= code <= 0x3096 or code in (0x309D, 0x309E):  # ひらがな, ゝゞ → カタカナ, ヽヾ
        return chr(code + 0x60)
    return _SPACING_MARKS.get(ch, ch)


def _fold_width_and_script(text: str) -> str:
    return "".join(_fold_char(ch) for ch in text)


def _drop(text: str, unwanted: Iterable[str] = ()) -> str:
    extra = frozenset(unwanted)
    return "".join(ch for ch in text if not ch.isspace() and ch not in extra)


def _strip_marks(ch: str) -> str:
    """ガ → カ, パ → ハ, ヴ → ウ, ヷ → ワ; other characters unchanged."""
    if not _is_kana(ch):
        return ch
    return "".join(c for c in unicodedata.normalize("NFD", ch) if c not in _COMBINING_MARKS)


def _voiced(ch: str) -> str:
    """カ → ガ (for ヾ); a kana with no voiced form is returned as it is."""
    composed = unicodedata.normalize("NFC", _strip_marks(ch) + _DAKUTEN)
    return composed if len(composed) == 1 else _strip_marks(ch)


# --- search keys ----------------------------------------------------------------------------------


def kana_search_key(text: str, *, fold_dakuten: bool = False) -> str:
    """Key for カナ search (住民記録システム標準仕様書 j340 検索).

    Folds, so that what a clerk types matches the stored フリガナ: 全角/半角 (ｶﾞ → ガ), ひらがな →
    カタカナ, 小書き → 並字 (ョ → ヨ, ヵ → カ), ヰヱ → イエ, ヷヸヹヺ → ヴア ヴイ ヴエ ヴオ, iteration marks
    ヽヾ expanded, spaces and 中黒 removed, 長音 → the preceding vowel (see the module docstring), Latin
    letters → upper-case ASCII. ヴ stays distinct from ウ unless ``fold_dakuten`` is set, which also
    makes ガ → カ and パ → ハ for a looser match.

    >>> kana_search_key("ｷｮｰｺ") == kana_search_key("きよおこ") == "キヨオコ"
    True
    """
    folded = _drop(_fold_width_and_script(text), _KANA_SEPARATORS)
    folded = unicodedata.normalize("NFC", folded.upper())
    out: list[str] = []
    for ch in folded:
        if ch in _COMBINING_MARKS:  # a mark that composed with nothing
            continue
        if ch in _ITERATION_MARKS:
            prev = out[-1] if out else ""
            if not _is_kana(prev):
                out.append(ch)
                continue
            ch = _voiced(prev) if ch == "ヾ" else _strip_marks(prev)
        for c in _OBSOLETE_KANA.get(ch, ch):  # ヷ → ヴア gives two characters
            c = (_strip_marks(c) if fold_dakuten else c).translate(_SMALL_TO_LARGE)
            if c in _CHOON_LIKE:
                vowel = _VOWEL_OF.get(out[-1], "") if out else ""
                if vowel:
                    out.append(vowel)
            else:
                out.append(c)
    return unicodedata.normalize("NFC", "".join(out))


def name_search_key(text: str) -> str:
    """Key for 漢字/mixed/alphabet name search. The stored name itself is never changed.

    Removes spaces, folds full-width ASCII to ASCII and upper-cases Latin letters (foreign residents'
    alphabet names are often stored full-width, 「ＺＨＡＮＧ　ＹＵＬＩ」), folds ひらがな and half-width
    カナ to full-width カタカナ, strips variation selectors (IVS U+E0100–E01EF, SVS U+FE00–FE0F),
    applies NFC (canonical equivalents such as U+FA19 神 → U+795E) and the
    :data:`IDEOGRAPH_VARIANT_FOLDS` table (髙 → 高). 小書き and 長音 are kept: use
    :func:`kana_search_key` for phonetic matching.

    >>> name_search_key("髙橋　ｊｏｈｎ") == name_search_key("高橋john") == "高橋JOHN"
    True
    """
    folded = "".join(ch for ch in _drop(_fold_width_and_script(text)) if not _is_variation_selector(ch))
    folded = unicodedata.normalize("NFC", folded.upper())
    return "".join(IDEOGRAPH_VARIANT_FOLDS.get(ch, ch) for ch in folded)


# --- フリガナ input --------------------------------------------------------------------------------


def to_katakana(text: str) -> str:
    """Convert what a clerk typed into a フリガナ field: ひらがな → カタカナ, half-width → full-width.

    ｶﾞ (two characters) becomes ガ; a half-width space becomes the full-width one (「さとう いちろう」 →
    「サトウ　イチロウ」). Everything else is left as it is (no NFC). This is input conversion for the
    UI, to be followed by :func:`validate_furigana`; it is not applied to stored names.
    """
    out: list[str] = []
    for ch in text:
        if ch == " ":
            out.append(NAME_SEPARATOR)
            continue
        converted = _fold_char(ch) if ("\u3041" <= ch <= "\u309e" or "\uff61" <= ch <= "\uff9f") else ch
        if converted in _COMBINING_MARKS:
            if out and _is_kana(out[-1]):
                composed = unicodedata.normalize("NFC", out[-1] + converted)
                if len(composed) == 1:
                    out[-1] = composed
                    continue
            if ch != converted:  # a half-width ﾞﾟ left alone: keep it visible as ゛゜
                converted = "\u309b" if converted == _DAKUTEN else "\u309c"
        out.append(converted)
    return "".join(out)


def _describe(ch: str) -> str:
    if ch == " ":
        return "半角スペース"
    if not ch.isprintable() or unicodedata.category(ch).startswith(("M", "Z", "C")):
        return f"U+{ord(ch):04X}"
    return f"「{ch}」"


def _furigana_problem(text: str) -> str | None:
    if text == "":
        return "入力されていません"
    bad: list[str] = []
    for ch in text:
        if ch not in _FURIGANA_KATAKANA and ch != NAME_SEPARATOR and ch not in bad:
            bad.append(ch)
    if bad:
        shown = "".join(_describe(ch) for ch in bad[:5]) + ("など" if len(bad) > 5 else "")
        return f"カタカナで入力してください（{shown}は使えません）"
    if text.startswith(NAME_SEPARATOR) or text.endswith(NAME_SEPARATOR):
        return "先頭と末尾に空白は入れられません"
    if NAME_SEPARATOR * 2 in text:
        return "氏と名の間の空白は全角スペース1つにしてください"
    return None


def is_katakana_reading(text: str) -> bool:
    """True if ``text`` is a valid フリガナ (see :func:`validate_furigana`)."""
    return _furigana_problem(text) is None


def validate_furigana(text: str, *, field: str = "フリガナ") -> str:
    """Return ``text`` unchanged if it is a valid フリガナ, else raise :class:`InputError` naming ``field``.

    住民記録 keeps a katakana フリガナ (+ 確認フラグ) for 氏名, 旧氏 and 通称 (標準仕様書 j180). Accepted:
    full-width katakana ァ–ヺ, ー, and full-width spaces between parts (氏 and 名; a foreign resident's
    name may have more parts), never leading, trailing or doubled. An empty string is rejected; callers
    of optional fields check for "not given" first.
    """
    problem = _furigana_problem(text)
    if problem is not None:
        raise InputError.single(field, problem)
    return text


# --- display and SQL helpers ----------------------------------------------------------------------


def join_name(family: str, given: str) -> str:
    """Join 氏 and 名 with one full-width space (共通機能 項目定義書: 「佐藤　一郎」); either may be empty."""
    return NAME_SEPARATOR.join(part for part in (family, given) if part)


def _escape_like(key: str) -> str:
    return (
        key.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


def prefix_pattern(key: str) -> str:
    """SQL LIKE pattern for 前方一致 on ``key`` (use with ``ESCAPE '\\'``): ``100%`` → ``100\\%%``."""
    return _escape_like(key) + "%"


def contains_pattern(key: str) -> str:
    """SQL LIKE pattern for 部分一致 on ``key`` (use with ``ESCAPE '\\'``)."""
    return "%" + _escape_like(key) + "%"
