"""続柄 (住民記録システム標準仕様書 第1.0版 j110) and the 世帯員 display order (j1010).

Scenarios from spec-resident.md §6: #3 (one person, several labels → the highest ranked; 5 links →
縁故者) and #4 (妻の兄 before 妻の弟; twins by 宛名番号).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yakuba import params
from yakuba.errors import InputError
from yakuba.juki.zokugara import MemberForOrder, display_order, rank_label, validate_zokugara

D = dt.date


def _problem(text: str, **kwargs: str) -> str:
    with pytest.raises(InputError) as caught:
        validate_zokugara(text, **kwargs)
    (problem,) = caught.value.problems
    return str(problem)


# --- validate_zokugara (j110) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        # j110 ① ④ ⑤
        "世帯主",
        "縁故者",
        "同居人",
        # j110 ②
        "夫",
        "妻",
        "夫（未届）",
        "妻（未届）",
        "子",
        "子（子の夫）",
        "子（子の妻）",
        "父",
        "母",
        "兄",
        "姉",
        "弟",
        "妹",
        # j110 ③: ② joined by 「の」, up to 4 世代
        "子の夫",
        "子の妻",
        "子の子",
        "妻の父",
        "父の兄",
        "父の兄の子",
        "妻（未届）の子",
        "子の子の子",
        "子の子の子の子",
        "父の父の父の父",
    ],
)
def test_allowed_values_pass_unchanged(value: str) -> None:
    assert validate_zokugara(value) == value


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("夫(未届)", "夫（未届）"),
        ("妻(未届)", "妻（未届）"),
        ("妻（未届)", "妻（未届）"),
        (" 妻 (未届) ", "妻（未届）"),
        ("妻(未届)の子", "妻（未届）の子"),
        ("子(子の妻)", "子（子の妻）"),
        ("子　の　子", "子の子"),  # full-width blanks are ignored
    ],
)
def test_parenthesis_and_blank_variants_return_the_canonical_form(typed: str, canonical: str) -> None:
    # j110 spells 「夫（未届）」 with full-width parentheses.
    assert validate_zokugara(typed) == canonical


def test_five_links_must_be_written_enkosha() -> None:
    # j110 留意点 / §6 #3: 子の子の子の子の子 → 「縁故者」.
    assert _problem("子の子の子の子の子") == (
        "続柄: 「の」でつなげる続柄は4世代までです。"
        "5世代以上になる続柄は「縁故者」と記載します（子の子の子の子の子）"
    )


def test_the_message_names_the_field_given_by_the_caller() -> None:
    with pytest.raises(InputError) as caught:
        validate_zokugara("父の父の父の父の父", field="世帯員2 続柄")
    assert caught.value.problems[0].field == "世帯員2 続柄"
    assert "「縁故者」" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("forbidden", "message"),
    [
        # j110 実装しない機能: 祖父、祖母、おじ、おば、甥、姪、孫、家事使用人、準世帯主
        ("祖父", "「祖父」は続柄に使用できません。「父の父」または「母の父」と記載します"),
        ("祖母", "「祖母」は続柄に使用できません。「父の母」または「母の母」と記載します"),
        ("孫", "「孫」は続柄に使用できません。「子の子」と記載します"),
        ("曾孫", "「曾孫」は続柄に使用できません。「子の子の子」と記載します"),
        (
            "おじ",
            "「おじ」は続柄に使用できません。「父の兄」「父の弟」「母の兄」「母の弟」のいずれかと記載します",
        ),
        (
            "おば",
            "「おば」は続柄に使用できません。「父の姉」「父の妹」「母の姉」「母の妹」のいずれかと記載します",
        ),
        ("伯父", "「伯父」は続柄に使用できません。「父の兄」または「母の兄」と記載します"),
        ("叔父", "「叔父」は続柄に使用できません。「父の弟」または「母の弟」と記載します"),
        ("伯母", "「伯母」は続柄に使用できません。「父の姉」または「母の姉」と記載します"),
        ("叔母", "「叔母」は続柄に使用できません。「父の妹」または「母の妹」と記載します"),
        (
            "甥",
            "「甥」は続柄に使用できません。「兄の子」「弟の子」「姉の子」「妹の子」のいずれかと記載します",
        ),
        (
            "姪",
            "「姪」は続柄に使用できません。「兄の子」「弟の子」「姉の子」「妹の子」のいずれかと記載します",
        ),
        (
            "いとこ",
            "「いとこ」は続柄に使用できません。「父の兄の子」「父の弟の子」「父の姉の子」「父の妹の子」"
            "「母の兄の子」「母の弟の子」「母の姉の子」「母の妹の子」のいずれかと記載します",
        ),
        ("家事使用人", "「家事使用人」は続柄に使用できません。「同居人」と記載します"),
        ("内縁の夫", "「内縁の夫」は続柄に使用できません。「夫（未届）」と記載します"),
        ("内縁の妻", "「内縁の妻」は続柄に使用できません。「妻（未届）」と記載します"),
        ("長男", "「長男」は続柄に使用できません。「子」と記載します"),
        ("嫁", "「嫁」は続柄に使用できません。「子の妻」と記載します"),
        ("義父", "「義父」は続柄に使用できません。「妻の父」または「夫の父」と記載します"),
    ],
)
def test_forbidden_values_fail_with_the_chain_form_to_use(forbidden: str, message: str) -> None:
    assert _problem(forbidden) == f"続柄: {message}"


def test_jun_setainushi_has_no_replacement_and_the_message_explains_the_allowed_forms() -> None:
    message = _problem("準世帯主")
    assert message.startswith("続柄: 「準世帯主」は続柄に使用できません。世帯主・縁故者・同居人のほかは、")
    assert "「の」で4世代までつなげて記載します" in message


def test_a_forbidden_link_inside_a_chain_is_replaced_in_the_suggestion() -> None:
    assert _problem("妻の祖父") == (
        "続柄: 「祖父」は続柄に使用できません（妻の祖父）。「妻の父の父」または「妻の母の父」と記載します"
    )
    # 孫の子の子の子 would be 子の子の子の子の子: five links, so 縁故者.
    assert (
        _problem("孫の子の子の子")
        == "続柄: 「孫」は続柄に使用できません（孫の子の子の子）。「縁故者」と記載します"
    )


@pytest.mark.parametrize("value", ["同居人の子", "妻の縁故者", "世帯主の妻"])
def test_standalone_terms_cannot_be_chained(value: str) -> None:
    assert _problem(value) == f"続柄: 「世帯主」「縁故者」「同居人」は「の」でつなげられません（{value}）"


@pytest.mark.parametrize("value", ["", "  ", "兄弟の子ども", "妻の", "の子", "son"])
def test_other_text_is_refused(value: str) -> None:
    assert _problem(value).startswith("続柄: ")


def test_the_rules_are_dated_data() -> None:
    on = D(2026, 4, 1)
    assert params.get("juki.zokugara.max_generations", on=on) == 4
    assert params.get("juki.zokugara.forbidden_terms", on=on)["孫"] == ["子の子"]
    assert "妻（未届）" in params.get("juki.zokugara.link_terms", on=on)


# --- rank_label (j110 留意点, j1010 order) ------------------------------------------------------------


def test_scenario_3_the_highest_ranked_label_wins() -> None:
    # §6 #3: the 世帯主's father's elder brother's child who is also the 世帯主's 妻 → 「妻」.
    assert rank_label(["父の兄の子", "妻"]) == "妻"
    assert rank_label(["妻", "父の兄の子"]) == "妻"


def test_scenario_3_five_links_become_enkosha() -> None:
    assert rank_label(["子の子の子の子の子"]) == "縁故者"
    assert rank_label(["子の子の子の子の子", "同居人"]) == "縁故者"
    assert rank_label(["子の子の子の子の子", "妻の兄の子"]) == "妻の兄の子"


RANKED = [
    "世帯主",
    "妻",
    "子",
    "子の妻",
    "子の子",
    "子の子の妻",
    "子の子の子",
    "父",
    "兄",
    "父の母",
    "妻の父",
    "妻の妹",
    "妻の母の父",
    "兄の子",
    "縁故者",
    "同居人",
]


@pytest.mark.parametrize(("higher", "lower"), list(itertools.pairwise(RANKED)))
def test_rank_follows_the_j1010_order(higher: str, lower: str) -> None:
    assert rank_label([lower, higher]) == higher
    assert rank_label([higher, lower]) == higher


def test_rank_ties_go_to_the_shorter_chain_then_to_the_first_candidate() -> None:
    assert rank_label(["妻（未届）", "妻"]) == "妻（未届）"  # 配偶者 includes 準婚 (未届)
    assert rank_label(["子の夫", "子（子の夫）"]) == "子（子の夫）"
    assert rank_label(["兄の子", "妻の兄の子"]) == "兄の子"


def test_rank_label_returns_the_canonical_spelling_and_checks_every_candidate() -> None:
    assert rank_label(["妹", "夫(未届)"]) == "夫（未届）"
    with pytest.raises(InputError, match="「孫」は続柄に使用できません"):
        rank_label(["妻", "孫"])
    with pytest.raises(InputError, match="続柄の候補がありません"):
        rank_label([])


# --- display_order (j1010) --------------------------------------------------------------------------


def M(atena: str, zokugara: str, born: dt.date | None, **kwargs: object) -> MemberForOrder:
    return MemberForOrder(atena, zokugara, born, **kwargs)  # type: ignore[arg-type]


def test_scenario_4_the_wifes_elder_brother_before_the_younger() -> None:
    # j1010 例1 (§6 #4): 妻の兄 before 妻の弟, even with the larger 宛名番号.
    members = [
        M("0000000101", "世帯主", D(1970, 1, 1)),
        M("0000000201", "妻の弟", D(1975, 3, 3)),
        M("0000000309", "妻の兄", D(1968, 2, 2)),
        M("0000000151", "妻", D(1972, 5, 5)),
    ]
    assert display_order(members) == ["0000000101", "0000000151", "0000000309", "0000000201"]


def test_scenario_4_twins_are_ordered_by_atena_number() -> None:
    # j1010 例2: 妻の兄 (123…45) and 妻の姉 (124…67) are twins → 宛名番号 order.
    twins = D(1969, 7, 7)
    members = [
        M("1240000067", "妻の姉", twins),
        M("1000000013", "世帯主", D(1970, 1, 1)),
        M("1230000045", "妻の兄", twins),
        M("1100000018", "妻", D(1971, 1, 1)),
    ]
    assert display_order(members) == ["1000000013", "1100000018", "1230000045", "1240000067"]


def test_a_three_generation_household() -> None:
    # j1010: 第1順位 世帯主 → 配偶者 → 子 (not heading a family); 第2順位 the eldest son's family;
    # 第3順位 母; 第4順位 同居人.
    members = [
        M("0000000009", "同居人", D(1990, 6, 1)),
        M("0000000008", "母", D(1930, 2, 11)),
        M("0000000007", "子の子", D(2015, 9, 1)),
        M("0000000006", "子の子", D(2012, 4, 20)),
        M("0000000005", "子の妻", D(1984, 12, 24), sex="2"),
        M("0000000004", "子", D(1988, 8, 8), sex="2"),  # younger daughter
        M("0000000003", "子", D(1982, 1, 15), sex="1"),  # eldest son
        M("0000000002", "妻", D(1957, 3, 3), sex="2"),
        M("0000000001", "世帯主", D(1955, 4, 1), sex="1"),
    ]
    expected = [
        "0000000001",  # 世帯主
        "0000000002",  # 妻
        "0000000004",  # 子 (daughter, no family of her own in the 世帯)
        "0000000003",  # 子 (eldest son) heads the family
        "0000000005",  # 子の妻
        "0000000006",  # 子の子 (2012)
        "0000000007",  # 子の子 (2015)
        "0000000008",  # 母
        "0000000009",  # 同居人
    ]
    assert display_order(members) == expected
    # Without 性別 the 子の妻 still goes to the eldest 子.
    unsexed = [MemberForOrder(m.atena_no, m.zokugara, m.birth_date) for m in members]
    assert display_order(unsexed) == expected


def test_a_son_in_law_joins_the_eldest_daughters_family() -> None:
    members = [
        M("05", "子の子", D(2020, 1, 1)),
        M("04", "子の夫", D(1985, 1, 1), sex="1"),
        M("03", "子", D(1986, 1, 1), sex="2"),
        M("02", "子", D(1980, 1, 1), sex="1"),
        M("01", "世帯主", D(1950, 1, 1), sex="1"),
    ]
    assert display_order(members) == ["01", "02", "03", "04", "05"]


def test_two_families_of_children_by_the_childs_birth_date() -> None:
    # j1010 第2順位: families ordered by the child's birth date; 子の夫 → eldest daughter,
    # 子の妻 → eldest son; the grandchildren go to the elder of the two.
    members = [
        M("07", "子の子", D(2010, 1, 1)),
        M("06", "子の夫", D(1979, 1, 1), sex="1"),
        M("05", "子の妻", D(1981, 1, 1), sex="2"),
        M("04", "子", D(1978, 1, 1), sex="2"),
        M("03", "子", D(1980, 1, 1), sex="1"),
        M("01", "世帯主", D(1950, 1, 1)),
    ]
    assert display_order(members) == ["01", "04", "06", "07", "03", "05"]


def test_grandchildren_without_their_parent_form_a_family_after_the_others() -> None:
    members = [
        M("03", "子の子", D(2012, 1, 1)),
        M("02", "子の子", D(2010, 1, 1)),
        M("04", "父", D(1920, 1, 1)),
        M("01", "世帯主", D(1950, 1, 1)),
    ]
    assert display_order(members) == ["01", "02", "03", "04"]


def test_third_and_fourth_rank_order() -> None:
    # j1010 第3順位: 父母 (筆頭者 first) → 兄弟姉妹 → 祖父母; 第4順位: the spouse's 父母 → 兄弟姉妹 → 祖父母
    # (like 第3順位), other 親族, 縁故者, 同居人.
    members = [
        M("13", "同居人", D(2000, 1, 1)),
        M("12", "縁故者", D(1999, 1, 1)),
        M("11", "兄の子", D(2001, 1, 1)),
        M("10", "妻の母の母", D(1910, 1, 1)),
        M("09", "妻の妹", D(1974, 1, 1)),
        M("08", "妻の母", D(1945, 1, 1)),
        M("07", "妻の父", D(1940, 1, 1)),
        M("06", "父の母", D(1905, 1, 1)),
        M("05", "妹", D(1972, 1, 1)),
        M("04", "兄", D(1968, 1, 1)),
        M("03", "母", D(1938, 1, 1), is_hittosha=True),
        M("02", "父", D(1935, 1, 1)),
        M("01", "世帯主", D(1970, 1, 1)),
        M("00", "妻", D(1971, 1, 1)),
    ]
    assert display_order(members) == [
        "01", "00", "03", "02", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13"
    ]  # fmt: skip


def test_unknown_birth_dates_sort_last_within_their_group() -> None:
    members = [
        M("05", "弟", None),
        M("04", "兄", None),
        M("03", "妹", D(1980, 1, 1)),
        M("02", "同居人", None),
        M("06", "同居人", D(1990, 1, 1)),
        M("01", "世帯主", D(1975, 1, 1)),
    ]
    # 兄 before 弟 when neither date is known.
    assert display_order(members) == ["01", "03", "04", "05", "06", "02"]


def test_manual_order_and_newcomers() -> None:
    # j1010: a saved manual order is kept; later arrivals (転入等) are appended at the end.
    members = [
        M("01", "世帯主", D(1950, 1, 1), manual_position=9),
        M("02", "妻", D(1952, 1, 1), manual_position=2),
        M("03", "同居人", D(1990, 1, 1), manual_position=1),
        M("04", "子", D(1980, 1, 1)),
        M("05", "母", D(1925, 1, 1), joined_seq=2),
        M("06", "子", D(2020, 1, 1), joined_seq=1),
    ]
    assert display_order(members) == ["01", "03", "02", "04", "06", "05"]


def test_legacy_and_unknown_values_still_get_a_place() -> None:
    members = [
        M("04", "???", D(1990, 1, 1)),
        M("03", "孫", D(2010, 1, 1)),  # read as 子の子
        M("02", "子", D(1980, 1, 1)),
        M("05", "子の子の子の子の子", D(2020, 1, 1)),  # read as 縁故者
        M("06", "同居人", D(1970, 1, 1)),
        M("01", "世帯主", D(1950, 1, 1)),
    ]
    assert display_order(members) == ["01", "02", "03", "05", "06", "04"]


# --- properties -------------------------------------------------------------------------------------

ZOKUGARA = st.sampled_from(
    [
        "世帯主",
        "夫",
        "妻",
        "妻(未届)",
        "子",
        "子（子の夫）",
        "子の妻",
        "子の夫",
        "子の子",
        "子の子の妻",
        "子の子の子",
        "父",
        "母",
        "兄",
        "姉",
        "弟",
        "妹",
        "父の父",
        "母の母",
        "妻の父",
        "妻の兄",
        "妻の妹",
        "兄の子",
        "縁故者",
        "同居人",
        "孫",
        "子の子の子の子の子",
        "???",
    ]
)
MEMBERS = st.lists(
    st.builds(
        MemberForOrder,
        atena_no=st.text(alphabet="0123456789", min_size=1, max_size=4),
        zokugara=ZOKUGARA,
        birth_date=st.none() | st.dates(min_value=D(1900, 1, 1), max_value=D(2030, 12, 31)),
        is_hittosha=st.booleans(),
        manual_position=st.none() | st.integers(min_value=0, max_value=5),
        joined_seq=st.integers(min_value=0, max_value=2),
        sex=st.sampled_from([None, "1", "2"]),
    ),
    max_size=12,
    unique_by=lambda m: m.atena_no,
)


@settings(max_examples=200)
@given(members=MEMBERS, data=st.data())
def test_display_order_is_a_deterministic_permutation_with_the_head_first(
    members: list[MemberForOrder], data: st.DataObject
) -> None:
    ordered = display_order(members)
    assert sorted(ordered) == sorted(m.atena_no for m in members)
    heads = {m.atena_no for m in members if m.zokugara == "世帯主"}
    if heads:
        assert ordered[0] in heads
    shuffled = data.draw(st.permutations(members))
    assert display_order(shuffled) == ordered
