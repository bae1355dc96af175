"""Classification labels per data category (dated parameter ``security.classification``) and field masking.

Sources:
- 総務省「地方公共団体における情報セキュリティポリシーに関するガイドライン」（令和6年10月版）: information
  assets are classified 自治体機密性 3A/3B/3C/2/1, 完全性 2/1, 可用性 2/1; 3B = leak would seriously
  infringe individuals' rights (特定個人情報, bulk resident records in マイナンバー利用事務系); 取扱制限 marks
  (持出禁止, 複製禁止, 暗号化必須 …) go on exports and prints (shared/specs/cross-cutting.md §0 item 2, §1.3).
- The product ships 個人番号 and 支援措置 one step up, as 3A, so contractors (capped at 3B by the access
  policy) never touch them; the reference text of the parameter records this choice.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import shutil
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from yakuba.params import ParameterError, ParameterSet, load
from yakuba.params.loader import DATA_DIR
from yakuba.security.classification import (
    CLASSIFICATION_KEY,
    ORDER,
    Label,
    classification_from_mapping,
    confidentiality_rank,
    label_for,
    mask_fields,
    most_restrictive,
    normalize_confidentiality,
)

ON = dt.date(2026, 11, 26)

REQUIRED_CATEGORIES = [
    "juki.resident",
    "juki.mynumber",
    "juki.shien",
    "juki.history",
    "juki.certificate_log",
    "inkan.seal",
    "fuhyo.entry",
    "senkyo.roll",
    "zeimu.assessment",
    "audit.log",
    "security.users",
    "public.verification",
]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> ParameterSet:
    """Only the shipped classification file, so other parameter files cannot interfere."""
    folder = tmp_path_factory.mktemp("params")
    shutil.copy(DATA_DIR / "classification.yaml", folder / "classification.yaml")
    return load([folder])


@pytest.fixture(scope="module")
def raw_table(shipped: ParameterSet) -> dict[str, Any]:
    value: dict[str, Any] = shipped.get(CLASSIFICATION_KEY, on=ON)
    return value


def test_order_runs_from_public_to_most_secret() -> None:
    assert ORDER == ("1", "2", "3C", "3B", "3A")
    assert [confidentiality_rank(c) for c in ORDER] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("3A", "3A"), ("３ａ", "3A"), ("機密性3B", "3B"), ("自治体機密性3C", "3C"), (2, "2"), ("1", "1")],
)
def test_confidentiality_spellings_are_normalised(raw: object, canonical: str) -> None:
    assert normalize_confidentiality(raw) == canonical


@pytest.mark.parametrize("raw", ["3", "3D", "4", 0, True, None, ""])
def test_unknown_confidentiality_is_rejected(raw: object) -> None:
    with pytest.raises(ValueError, match="機密性の区分"):
        normalize_confidentiality(raw)


@pytest.mark.parametrize("category", REQUIRED_CATEGORIES)
def test_every_required_category_is_labelled(shipped: ParameterSet, category: str) -> None:
    label = label_for(category, ON, shipped)
    assert label.category == category
    assert label.confidentiality in ORDER
    assert label.integrity in (1, 2) and label.availability in (1, 2)


@pytest.mark.parametrize(
    ("category", "marking"),
    [
        # 個人番号 and 支援措置: the most restricted class, with 暗号化必須 and 持出禁止.
        (
            "juki.mynumber",
            "機密性3A・完全性2・可用性2【持出禁止】【複製禁止】【暗号化必須】【配布禁止】【印刷制限】",
        ),
        (
            "juki.shien",
            "機密性3A・完全性2・可用性2【持出禁止】【複製禁止】【暗号化必須】【配布禁止】【送信禁止】【印刷制限】【関係者限り】",
        ),
        # 住民票記載事項: 個人情報 processed in bulk in マイナンバー利用事務系 → 3B (guideline definition).
        ("juki.resident", "機密性3B・完全性2・可用性2【持出禁止】【複製禁止】【暗号化必須】"),
        ("juki.certificate_log", "機密性3B・完全性2・可用性1【持出禁止】【複製禁止】"),
        ("senkyo.roll", "機密性3B・完全性2・可用性2【持出禁止】【複製禁止】"),
        ("public.verification", "機密性1・完全性2・可用性1"),
    ],
)
def test_marking_strings(shipped: ParameterSet, category: str, marking: str) -> None:
    assert label_for(category, ON, shipped).marking() == marking


def test_mynumber_and_shien_are_the_most_restricted(shipped: ParameterSet) -> None:
    labels = [label_for(c, ON, shipped) for c in REQUIRED_CATEGORIES]
    top = max(confidentiality_rank(label.confidentiality) for label in labels)
    for category in ("juki.mynumber", "juki.shien"):
        label = label_for(category, ON, shipped)
        assert confidentiality_rank(label.confidentiality) == top
        assert {"暗号化必須", "持出禁止"} <= set(label.handling)
    assert label_for("juki.resident", ON, shipped).confidentiality == "3B"
    assert label_for("juki.mynumber", ON, shipped).is_at_least("3B")
    assert not label_for("public.verification", ON, shipped).is_at_least("2")


def test_reference_text_justifies_the_resident_class(shipped: ParameterSet) -> None:
    reference = shipped.parameter(CLASSIFICATION_KEY).reference
    assert "令和6年10月版" in reference
    assert "juki.resident" in reference and "3B" in reference


def test_unknown_category_names_the_key(shipped: ParameterSet) -> None:
    with pytest.raises(ParameterError, match=r"security\.classification: データ分類 'juki\.nothing'"):
        label_for("juki.nothing", ON, shipped)


def test_most_restrictive_takes_the_strictest_of_each_axis() -> None:
    a = Label("public.verification", "真正性確認", "1", 2, 1, ())
    b = Label("juki.certificate_log", "交付記録", "3B", 1, 1, ("複製禁止", "持出禁止"))
    c = Label("juki.shien", "支援措置", "3A", 1, 2, ("関係者限り", "暗号化必須"))
    mixed = most_restrictive([a, b, c])
    assert (mixed.confidentiality, mixed.integrity, mixed.availability) == ("3A", 2, 2)
    assert mixed.handling == ("持出禁止", "複製禁止", "暗号化必須", "関係者限り")
    assert mixed.marking() == "機密性3A・完全性2・可用性2【持出禁止】【複製禁止】【暗号化必須】【関係者限り】"
    assert mixed.category == "public.verification+juki.certificate_log+juki.shien"
    assert most_restrictive([c, b, a]).marking() == mixed.marking()
    assert most_restrictive([a]) == Label(a.category, a.name, "1", 2, 1, ())
    with pytest.raises(ValueError):
        most_restrictive([])


def _shipped_value() -> dict[str, Any]:
    document = yaml.safe_load((DATA_DIR / "classification.yaml").read_text(encoding="utf-8"))
    value: dict[str, Any] = document["security"]["classification"]["values"][-1]["value"]
    return value


SHIPPED_TABLE = classification_from_mapping(_shipped_value())


@given(st.lists(st.sampled_from(REQUIRED_CATEGORIES), min_size=1, max_size=6))
def test_most_restrictive_is_never_weaker_than_any_part(categories: list[str]) -> None:
    table = SHIPPED_TABLE
    labels = [table.label(c) for c in categories]
    mixed = most_restrictive(labels)
    for label in labels:
        assert confidentiality_rank(mixed.confidentiality) >= confidentiality_rank(label.confidentiality)
        assert mixed.integrity >= label.integrity and mixed.availability >= label.availability
        assert set(label.handling) <= set(mixed.handling)


# ------------------------------------------------------------------------------------- malformed data


def _mutate(raw: dict[str, Any], path: list[str], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(raw)
    node: Any = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["colours"], {}, r"security\.classification: 不明な項目 \['colours'\]"),
        (
            ["categories", "juki.mynumber", "confidentiality"],
            "3D",
            r"categories\.juki\.mynumber\.confidentiality: '3D'",
        ),
        (
            ["categories", "juki.mynumber", "integrity"],
            3,
            r"categories\.juki\.mynumber\.integrity: 3 は 1 か 2",
        ),
        (
            ["categories", "juki.mynumber", "handling"],
            ["焼却処分"],
            r"juki\.mynumber\.handling: '焼却処分' は handling_marks",
        ),
        (
            ["categories", "juki.mynumber", "colour"],
            "red",
            r"categories\.juki\.mynumber: 不明な項目 \['colour'\]",
        ),
        (["categories", "Juki Resident"], {}, r"categories\.Juki Resident: 分類名"),
    ],
)
def test_malformed_table_is_rejected_naming_the_key(
    raw_table: dict[str, Any], path: list[str], value: Any, message: str
) -> None:
    with pytest.raises(ParameterError, match=message):
        classification_from_mapping(_mutate(raw_table, path, value))


def test_missing_basis_is_rejected(raw_table: dict[str, Any]) -> None:
    raw = copy.deepcopy(raw_table)
    del raw["categories"]["senkyo.roll"]["basis"]
    with pytest.raises(ParameterError, match=r"categories\.senkyo\.roll: \['basis'\] がありません"):
        classification_from_mapping(raw)


# ------------------------------------------------------------------------------------- masking

FIELD_CATEGORIES = {
    "mynumber": "juki.mynumber",
    "shien": "juki.shien",
    "tax": "zeimu.assessment",
    "name": "juki.resident",
    "setai.head.birth": "juki.resident",  # by dotted path
}
CATEGORIES = sorted(set(FIELD_CATEGORIES.values()))
MASK = "＊＊＊＊"


def test_mask_fields_example() -> None:
    data = {
        "atena_no": "000000001",
        "name": "山田　太郎",
        "mynumber": "123456789018",
        "shien": None,
        "setai": {
            "head": {"name": "山田　花子", "birth": "1970-01-01", "mynumber": "987654321098"},
            "members": [{"name": "山田　一郎", "mynumber": "111111111118"}],
        },
    }
    before = copy.deepcopy(data)
    masked = mask_fields(data, FIELD_CATEGORIES, {"juki.resident"})
    assert masked == {
        "atena_no": "000000001",
        "name": "山田　太郎",
        "mynumber": MASK,
        "shien": MASK,  # even None: whether a 支援措置 record exists is itself sensitive
        "setai": {
            "head": {"name": "山田　花子", "birth": "1970-01-01", "mynumber": MASK},
            "members": [{"name": "山田　一郎", "mynumber": MASK}],
        },
    }
    assert data == before
    nothing_allowed = mask_fields(data, FIELD_CATEGORIES, set(), mask="xxx")
    assert nothing_allowed["setai"]["head"] == {"name": "xxx", "birth": "xxx", "mynumber": "xxx"}
    assert nothing_allowed["atena_no"] == "000000001"  # fields with no category are not touched


def test_a_masked_container_is_replaced_whole() -> None:
    data = {"shien": {"start": "2026-04-01", "offender": {"name": "加害者"}}, "tax": [1, 2, 3]}
    assert mask_fields(data, FIELD_CATEGORIES, set()) == {"shien": MASK, "tax": MASK}


SECRET = "SECRET-"
plain_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=8).filter(lambda s: SECRET not in s),
)
# Ordinary keys, including ones that share a path segment with "setai.head.birth" and a non-str key.
plain_key = st.sampled_from(["atena_no", "kana", "setai", "head", "members", "birth", "x", "", 0, 1])
secret_value = st.recursive(
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"{SECRET}{n}"),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from(["v", "mynumber"]), inner, max_size=2)
    ),
    max_leaves=4,
)


@functools.cache
def _tree(hidden: frozenset[str], visible: frozenset[str]) -> st.SearchStrategy[dict[Any, Any]]:
    hidden_fields = st.dictionaries(st.sampled_from(sorted(hidden)), secret_value) if hidden else st.just({})

    def node(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        visible_fields = (
            st.dictionaries(st.sampled_from(sorted(visible)), children, max_size=2)
            if visible
            else st.just({})
        )
        mapping = st.tuples(
            st.dictionaries(plain_key, children, max_size=4), visible_fields, hidden_fields
        ).map(lambda parts: {**parts[0], **parts[1], **parts[2]})
        return mapping | st.lists(children, max_size=4) | st.lists(children, max_size=3).map(tuple)

    leaves = st.recursive(plain_leaf, node, max_leaves=12)
    return st.tuples(st.dictionaries(plain_key, leaves, max_size=4), hidden_fields).map(
        lambda parts: {**parts[0], **parts[1]}
    )


@st.composite
def masking_cases(draw: st.DrawFn) -> tuple[dict[Any, Any], set[str]]:
    allowed = draw(st.sets(st.sampled_from(CATEGORIES)))
    bare = {k: c for k, c in FIELD_CATEGORIES.items() if "." not in k}
    hidden = frozenset(k for k, c in bare.items() if c not in allowed)
    visible = frozenset(k for k, c in bare.items() if c in allowed)
    return draw(_tree(hidden, visible)), allowed


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def _containers(value: Any) -> list[int]:
    if isinstance(value, dict):
        return [id(value), *(i for v in value.values() for i in _containers(v))]
    if isinstance(value, list):
        return [id(value), *(i for v in value for i in _containers(v))]
    if isinstance(value, tuple):
        return [i for v in value for i in _containers(v)]
    return []


@settings(max_examples=150, deadline=None)
@given(masking_cases())
def test_mask_fields_never_leaks_a_masked_value(case: tuple[dict[Any, Any], set[str]]) -> None:
    data, allowed = case
    before = copy.deepcopy(data)
    masked = mask_fields(data, FIELD_CATEGORIES, allowed)
    # No secret (placed only under fields whose category is not allowed) survives, at any depth.
    assert not [s for s in _strings(masked) if SECRET in s]
    # The input is untouched and shares no mutable container with the result.
    assert data == before
    assert not set(_containers(masked)) & set(_containers(data))
    # Allowing every category changes nothing.
    assert mask_fields(data, FIELD_CATEGORIES, set(CATEGORIES)) == data


def test_path_key_only_matches_at_that_path() -> None:
    data = {"birth": "1980-01-01", "setai": {"head": {"birth": "1950-05-05"}, "birth": "x"}}
    masked = mask_fields(data, FIELD_CATEGORIES, set())
    assert masked == {"birth": "1980-01-01", "setai": {"head": {"birth": MASK}, "birth": "x"}}
