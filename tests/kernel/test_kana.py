"""Tests for yakuba.kernel.kana: search keys, フリガナ validation, 氏名 joining, LIKE patterns.

Sources:
- 住民記録システム標準仕様書 (第1.0版 j340 検索; later versions keep the structure): persons are found by
  カナ氏名 / 氏名 among other keys, with aids for 外字 (shared/specs/spec-resident.md §5 文字).
- 住民記録システム標準仕様書 j180: a katakana フリガナ (+ 確認フラグ) is kept for 氏名, 旧氏 and 通称.
- 共通機能標準仕様書 項目定義書 凡例: 氏名 parts are joined by one full-width space, 「佐藤　一郎」,
  「ＺＨＡＮＧ　ＹＵＬＩ」 (shared/specs/spec-resident-2.md §4.2).
- 文字要件 (行政事務標準文字 / MJ+): MJ characters are addressed by UCS code point plus IVS
  (U+E0100–E01EF); never NFC/NFKC stored names, normalise only search keys (cross-cutting.md §5).
"""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yakuba.errors import InputError
from yakuba.kernel.kana import (
    IDEOGRAPH_VARIANT_FOLDS,
    LIKE_ESCAPE,
    contains_pattern,
    is_katakana_reading,
    join_name,
    kana_search_key,
    name_search_key,
    prefix_pattern,
    to_katakana,
    validate_furigana,
)

HIRAGANA = "".join(chr(c) for c in range(0x3041, 0x3097)) + "ゝゞー"
KATAKANA = "".join(chr(c) for c in range(0x30A1, 0x30FB)) + "ーヽヾ"
HALF_WIDTH_KANA = "".join(chr(c) for c in range(0xFF61, 0xFFA0))
KANA_ALPHABET = HIRAGANA + KATAKANA + HALF_WIDTH_KANA + " 　・-‐゛゜\u3099\u309a"

kana_text = st.text(alphabet=KANA_ALPHABET, max_size=30)
hiragana_text = st.text(alphabet=HIRAGANA, max_size=30)
any_text = st.text(max_size=30)
mixed_text = st.one_of(
    any_text, kana_text, st.text(alphabet=KANA_ALPHABET + "髙高﨑崎ＡａAa\U000e0100\ufe00", max_size=30)
)


# --- kana_search_key: j340 カナ検索 --------------------------------------------------------------


def test_width_script_and_spaces_share_one_key() -> None:
    # Half-width with a half-width space, hiragana with a full-width space, katakana without a space.
    keys = {
        kana_search_key(s) for s in ("ｻﾄｳ ｲﾁﾛｳ", "さとう　いちろう", "サトウイチロウ", "サトウ　イチロウ")
    }
    assert keys == {"サトウイチロウ"}


def test_half_width_voiced_pair_is_one_kana() -> None:
    assert kana_search_key("ｶﾞﾝﾀﾞﾑ") == kana_search_key("ガンダム") == "ガンダム"
    assert kana_search_key("ﾊﾟﾝ") == "パン"
    # ゛゜ typed as separate characters, and a combining mark, compose too.
    assert kana_search_key("か゛") == kana_search_key("カ\u3099") == "ガ"


def test_small_kana_fold_to_large() -> None:
    assert kana_search_key("キョウコ") == kana_search_key("キヨウコ") == "キヨウコ"
    assert kana_search_key("ハットリ") == kana_search_key("ハツトリ")
    assert kana_search_key("ァィゥェォッャュョヮヵヶ") == "アイウエオツヤユヨワカケ"
    assert kana_search_key("ぁぃぅぇぉっゃゅょゎゕゖ") == "アイウエオツヤユヨワカケ"


def test_choon_becomes_the_preceding_vowel() -> None:
    # 大野: 「オーノ」 finds 「オオノ」 but not 小野 「オノ」 — the reason we do not simply drop ー.
    assert kana_search_key("オーノ") == kana_search_key("オオノ") == "オオノ"
    assert kana_search_key("オーノ") != kana_search_key("オノ")
    # Half-width ｰ and hyphen/dash look-alikes count as 長音.
    for typed in ("ｵｰﾉ", "オ-ノ", "オ‐ノ", "オ－ノ", "オ―ノ", "オ−ノ"):
        assert kana_search_key(typed) == "オオノ", typed
    # The vowel of a 拗音 is that of the small kana: キョー → キヨオ.
    assert kana_search_key("キョーコ") == "キヨオコ"
    assert kana_search_key("ルーシー") == "ルウシイ"
    assert kana_search_key("アーー") == "アアア"
    # No vowel to lengthen: dropped.
    assert kana_search_key("ーア") == "ア"
    assert kana_search_key("ンー") == "ン"
    assert kana_search_key("ッー") == kana_search_key("ツー") == "ツウ"  # 小書き folds first


def test_obsolete_kana_and_vu() -> None:
    assert kana_search_key("ヰヱ") == "イエ"
    assert kana_search_key("ゐゑ") == "イエ"
    assert kana_search_key("ヴ") != kana_search_key("ウ")
    assert kana_search_key("ゔぁいおりん") == kana_search_key("ヴァイオリン") == "ヴアイオリン"
    assert kana_search_key("ヷヸヹヺ") == "ヴアヴイヴエヴオ"


def test_fold_dakuten_is_looser() -> None:
    assert kana_search_key("ガ") != kana_search_key("カ")
    assert kana_search_key("ガ", fold_dakuten=True) == kana_search_key("カ", fold_dakuten=True) == "カ"
    assert kana_search_key("パン", fold_dakuten=True) == "ハン"
    assert kana_search_key("ヴ", fold_dakuten=True) == "ウ"
    assert kana_search_key("ヷ", fold_dakuten=True) == kana_search_key("ヴァ", fold_dakuten=True) == "ウア"
    assert kana_search_key("ｶﾞﾝﾀﾞﾑ", fold_dakuten=True) == "カンタム"


def test_iteration_marks_and_separators() -> None:
    assert kana_search_key("すゞき") == kana_search_key("スズキ")
    assert kana_search_key("ササヽ") == "サササ"
    assert kana_search_key("ジョン・スミス") == kana_search_key("ジョン　スミス")


def test_latin_in_kana_field_is_upper_half_width() -> None:
    assert kana_search_key("ｊｏｈｎ") == kana_search_key("John") == "JOHN"


# --- name_search_key: 漢字 / alphabet names -------------------------------------------------------


def test_itaiji_share_a_key() -> None:
    assert name_search_key("髙橋") == name_search_key("高橋") == "高橋"
    assert name_search_key("山﨑") == name_search_key("山崎")
    assert name_search_key("渡邊") == name_search_key("渡邉") == name_search_key("渡辺")
    assert name_search_key("齋藤") == name_search_key("斎藤")
    assert name_search_key("齊藤") == name_search_key("斉藤")
    assert name_search_key("𠮷田") == name_search_key("吉田")


def test_distinct_characters_are_not_folded() -> None:
    assert name_search_key("淵上") != name_search_key("渕上")
    assert name_search_key("斎藤") != name_search_key("斉藤")
    assert name_search_key("藤") != name_search_key("籐")


def test_ivs_name_keeps_its_bytes_and_shares_a_key() -> None:
    # 文字要件: an MJ glyph is UCS + IVS; the stored name must round-trip byte for byte.
    stored = "葛\U000e0100城"
    original_bytes = stored.encode("utf-8")
    assert name_search_key(stored) == name_search_key("葛城") == "葛城"
    assert name_search_key("辻\ufe00") == "辻"  # SVS
    joined = join_name(stored, "太郎")
    assert joined.encode("utf-8") == original_bytes + "　太郎".encode()
    assert stored.encode("utf-8") == original_bytes


def test_compatibility_ideograph_with_decomposition_is_folded_in_key_only() -> None:
    stored = "\ufa19田"  # CJK COMPATIBILITY IDEOGRAPH-FA19 (神)
    assert name_search_key(stored) == name_search_key("\u795e田")
    assert stored[0] == "\ufa19"


def test_alphabet_names() -> None:
    # 共通機能 項目定義書 example of a foreign resident's name: 「ＺＨＡＮＧ　ＹＵＬＩ」.
    assert name_search_key("ＺＨＡＮＧ　ＹＵＬＩ") == name_search_key("Zhang Yuli") == "ZHANGYULI"
    assert name_search_key("ｚｈａｎｇ１２") == "ZHANG12"


def test_name_key_folds_script_but_keeps_small_kana() -> None:
    assert name_search_key("佐藤みゆき") == name_search_key("佐藤ミユキ") == name_search_key("佐藤ﾐﾕｷ")
    assert name_search_key("きょうこ") != name_search_key("きようこ")


def test_variant_table_is_well_formed() -> None:
    for variant, standard in IDEOGRAPH_VARIANT_FOLDS.items():
        assert len(variant) == 1 and len(standard) == 1
        assert unicodedata.normalize("NFC", variant) == variant, variant
        assert standard not in IDEOGRAPH_VARIANT_FOLDS, standard
        assert variant != standard
    assert "淵" not in IDEOGRAPH_VARIANT_FOLDS and "渕" not in IDEOGRAPH_VARIANT_FOLDS


# --- フリガナ (j180) --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["サトウ　イチロウ", "サトウ", "ヴァン　ローム", "ジョン　ポール　スミス", "ヰヱヵヶー"]
)
def test_valid_furigana_is_returned_unchanged(value: str) -> None:
    assert validate_furigana(value) is value
    assert is_katakana_reading(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("さとう", "フリガナ: カタカナで入力してください（「さ」「と」「う」は使えません）"),
        ("ｻﾄｳ", "フリガナ: カタカナで入力してください（「ｻ」「ﾄ」「ｳ」は使えません）"),
        ("サトウ イチロウ", "フリガナ: カタカナで入力してください（半角スペースは使えません）"),
        ("佐藤", "フリガナ: カタカナで入力してください（「佐」「藤」は使えません）"),
        ("ジョン・スミス", "フリガナ: カタカナで入力してください（「・」は使えません）"),
        ("", "フリガナ: 入力されていません"),
        ("　サトウ", "フリガナ: 先頭と末尾に空白は入れられません"),
        ("サトウ　", "フリガナ: 先頭と末尾に空白は入れられません"),
        ("サトウ　　イチロウ", "フリガナ: 氏と名の間の空白は全角スペース1つにしてください"),
    ],
)
def test_invalid_furigana_names_the_field(value: str, message: str) -> None:
    assert not is_katakana_reading(value)
    with pytest.raises(InputError) as caught:
        validate_furigana(value)
    assert str(caught.value) == message
    assert [p.field for p in caught.value.problems] == ["フリガナ"]


def test_furigana_error_uses_the_given_field_name() -> None:
    with pytest.raises(InputError) as caught:
        validate_furigana("あ", field="旧氏フリガナ")
    assert str(caught.value) == "旧氏フリガナ: カタカナで入力してください（「あ」は使えません）"


def test_furigana_error_lists_at_most_five_characters() -> None:
    with pytest.raises(InputError) as caught:
        validate_furigana("あいうえおか")
    assert "「お」など" in str(caught.value)
    assert "「か」" not in str(caught.value)


def test_to_katakana_for_input() -> None:
    assert to_katakana("さとう いちろう") == "サトウ　イチロウ"
    assert to_katakana("ｻﾄｳ ｲﾁﾛｳ") == "サトウ　イチロウ"
    assert to_katakana("ｶﾞﾝﾀﾞﾑ") == "ガンダム"
    assert to_katakana("ゔぃ") == "ヴィ"
    assert to_katakana("は゛") == "バ"
    assert to_katakana("ﾞ") == "゛"  # an orphan mark stays visible
    assert to_katakana("佐藤ＡＢ") == "佐藤ＡＢ"  # not a general normaliser
    assert validate_furigana(to_katakana("じょん　すみす")) == "ジョン　スミス"


# --- join_name (共通機能 項目定義書) ---------------------------------------------------------------


def test_join_name() -> None:
    assert join_name("佐藤", "一郎") == "佐藤　一郎"
    assert join_name("ＺＨＡＮＧ", "ＹＵＬＩ") == "ＺＨＡＮＧ　ＹＵＬＩ"
    assert join_name("佐藤", "") == "佐藤"
    assert join_name("", "一郎") == "一郎"
    assert join_name("", "") == ""


# --- LIKE patterns ---------------------------------------------------------------------------------


def _like(value: str, pattern: str) -> bool:
    with sqlite3.connect(":memory:") as conn:
        (result,) = conn.execute(f"SELECT ? LIKE ? ESCAPE '{LIKE_ESCAPE}'", (value, pattern)).fetchone()
    return bool(result)


def _ascii_lower(s: str) -> str:  # SQLite's LIKE is case-insensitive for ASCII only
    return s.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


def test_like_patterns_escape_wildcards() -> None:
    assert prefix_pattern("サトウ") == "サトウ%"
    assert contains_pattern("サトウ") == "%サトウ%"
    assert prefix_pattern("10%_") == "10\\%\\_%"
    assert prefix_pattern("a\\b") == "a\\\\b%"
    assert _like("10%_x", prefix_pattern("10%_"))
    assert not _like("10ab", prefix_pattern("10%_"))
    assert _like("x_yz", contains_pattern("_y"))
    assert not _like("xayz", contains_pattern("_y"))


def _unescaped_wildcards(pattern: str) -> list[int]:
    positions, i = [], 0
    while i < len(pattern):
        if pattern[i] == LIKE_ESCAPE:
            i += 2
            continue
        if pattern[i] in "%_":
            positions.append(i)
        i += 1
    return positions


@given(st.text(alphabet=st.sampled_from("ab%_\\サ"), max_size=12) | any_text)
def test_like_patterns_have_only_their_own_wildcards(key: str) -> None:
    prefix = prefix_pattern(key)
    assert _unescaped_wildcards(prefix) == [len(prefix) - 1]
    contains = contains_pattern(key)
    assert _unescaped_wildcards(contains) == [0, len(contains) - 1]


@given(
    st.text(alphabet=st.sampled_from("ab%_\\サ"), max_size=8),
    st.text(alphabet=st.sampled_from("ab%_\\サ"), max_size=8),
)
def test_like_patterns_match_exactly_prefix_and_substring(value: str, key: str) -> None:
    assert _like(value, prefix_pattern(key)) == _ascii_lower(value).startswith(_ascii_lower(key))
    assert _like(value, contains_pattern(key)) == (_ascii_lower(key) in _ascii_lower(value))


# --- properties ------------------------------------------------------------------------------------


@given(mixed_text, st.booleans())
def test_kana_key_is_idempotent(text: str, fold: bool) -> None:
    key = kana_search_key(text, fold_dakuten=fold)
    assert kana_search_key(key, fold_dakuten=fold) == key


@given(mixed_text)
def test_name_key_is_idempotent(text: str) -> None:
    key = name_search_key(text)
    assert name_search_key(key) == key


@given(mixed_text)
def test_to_katakana_does_not_change_the_kana_key(text: str) -> None:
    assert kana_search_key(to_katakana(text)) == kana_search_key(text)
    assert kana_search_key(to_katakana(text), fold_dakuten=True) == kana_search_key(text, fold_dakuten=True)


@given(hiragana_text)
def test_hiragana_and_katakana_share_keys(text: str) -> None:
    katakana = to_katakana(text)
    assert name_search_key(text) == name_search_key(katakana)
    assert kana_search_key(text) == kana_search_key(katakana)


@given(mixed_text)
def test_folding_dakuten_only_merges_keys(text: str) -> None:
    # The loose key is a function of the strict key: equal strict keys give equal loose keys.
    strict = kana_search_key(text)
    assert kana_search_key(strict, fold_dakuten=True) == kana_search_key(text, fold_dakuten=True)


@given(mixed_text)
def test_keys_have_no_spaces_or_variation_selectors(text: str) -> None:
    for key in (kana_search_key(text), name_search_key(text)):
        assert not any(ch.isspace() for ch in key)
    assert not any(
        0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF for ch in name_search_key(text)
    )


@given(st.text(alphabet=KATAKANA[:-2] + "　", max_size=20))
def test_accepted_furigana_round_trips_through_to_katakana(text: str) -> None:
    if is_katakana_reading(text):
        assert to_katakana(text) == text
        assert validate_furigana(text) == text
