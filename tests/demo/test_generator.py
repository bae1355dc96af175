"""Tests for yakuba.demo.generator: the seeded, streaming synthetic-town generator.

Rules checked come from shared/specs/spec-resident.md §1.1–1.4 (住民票 items, foreign resident items,
allowed 続柄 values; foreigners have no 振り仮名) and spec-resident-2.md §4.2 (性別 code, 町字コード X7,
郵便番号 X7 without hyphen, names joined by one full-width space).
"""

from __future__ import annotations

import dataclasses
import re
import time
import types
from collections import Counter
from datetime import date
from functools import cache
from itertools import islice

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yakuba.demo.generator import (
    ALLOWED_RELATIONSHIPS,
    FOREIGN_RESIDENT_START,
    FULLWIDTH_SPACE,
    SyntheticHousehold,
    SyntheticPerson,
    SyntheticTown,
    generate_town,
)
from yakuba.kernel.checkdigit import is_valid_jumin_code, is_valid_mynumber
from yakuba.kernel.kana import is_katakana_reading

AS_OF = date(2026, 4, 1)
ROMAN = re.compile(r"[A-Z]+( [A-Z]+)+")
CARD_NO = re.compile(r"[A-Z]{2}[0-9]{8}[A-Z]{2}")
BANCHI = re.compile(r"[0-9]+番地([0-9]+)?|[0-9]+番[0-9]+号")
FORBIDDEN_RELATIONSHIPS = {"孫", "祖父", "祖母", "おじ", "おば", "甥", "姪", "家事使用人", "準世帯主"}


@cache
def default_town() -> tuple[SyntheticTown, tuple[SyntheticHousehold, ...]]:
    town, households = generate_town()
    return town, tuple(households)


def persons(households: tuple[SyntheticHousehold, ...]) -> list[SyntheticPerson]:
    return [p for h in households for p in h.members]


def check_household(town: SyntheticTown, h: SyntheticHousehold, as_of: date = AS_OF) -> None:
    """Invariants every household must satisfy."""
    members = h.members
    assert members
    rels = [p.relationship for p in members]
    assert rels.count("世帯主") == 1
    assert rels[0] == "世帯主"
    assert set(rels) <= ALLOWED_RELATIONSHIPS
    assert not set(rels) & FORBIDDEN_RELATIONSHIPS

    # address
    codes = {c.code for c in town.choaza}
    assert h.address.choaza_code in codes
    assert re.fullmatch(r"[0-9]{7}", h.address.postal_code)
    assert BANCHI.fullmatch(h.address.banchi), h.address.banchi
    assert h.address.katagaki is None or h.address.katagaki.endswith("号")

    for p in members:
        check_person(p, as_of)

    # parents are older than their children
    head = members[0]
    by_rel: dict[str, list[SyntheticPerson]] = {}
    for p in members:
        by_rel.setdefault(p.relationship, []).append(p)
    parents = [head, *by_rel.get("妻", []), *by_rel.get("夫", [])]
    for child in by_rel.get("子", []):
        for parent in parents:
            assert child.birth_date > parent.birth_date, (child, parent)
    for grandchild in by_rel.get("子の子", []):
        for parent in by_rel.get("子", []) + by_rel.get("子の妻", []) + by_rel.get("子の夫", []):
            assert grandchild.birth_date > parent.birth_date
    for elder in by_rel.get("父", []) + by_rel.get("母", []):
        assert elder.birth_date < head.birth_date

    # mothers were 20–42 when their children were born
    mothers = [p for p in parents if p.sex == "2"]
    if len(mothers) == 1:
        for child in by_rel.get("子", []):
            at_birth = (child.birth_date - mothers[0].birth_date).days / 365.2425
            assert 20 <= at_birth < 43, (mothers[0], child)

    # Japanese spouses share the family name
    for spouse in by_rel.get("妻", []) + by_rel.get("夫", []):
        if not spouse.is_foreign and not head.is_foreign:
            assert spouse.family_name == head.family_name


def check_person(p: SyntheticPerson, as_of: date) -> None:
    assert p.sex in ("1", "2")
    assert is_valid_mynumber(p.mynumber)
    assert is_valid_jumin_code(p.jumin_code, validator="kokuji436_probable")
    assert 0 <= p.age_on(as_of) <= 105
    assert p.birth_date <= p.became_resident_on <= as_of
    if p.is_foreign:
        assert p.family_kana is None and p.given_kana is None and p.full_kana is None
        assert p.honseki is None and p.hittosha is None
        assert p.nationality
        assert p.name_roman and ROMAN.fullmatch(p.name_roman), p.name_roman
        assert p.became_resident_on >= min(FOREIGN_RESIDENT_START, as_of)
        assert (p.family_name is None) == (p.given_name is None)
        if p.category_30_45 == "特別永住者":
            assert p.tokubetsu_eijusha_no and CARD_NO.fullmatch(p.tokubetsu_eijusha_no)
            assert p.zairyu_card_no is None and p.zairyu_shikaku is None
        else:
            assert p.category_30_45 == "中長期在留者"
            assert p.zairyu_card_no and CARD_NO.fullmatch(p.zairyu_card_no)
            assert p.zairyu_shikaku and p.zairyu_kikan
            assert p.tokubetsu_eijusha_no is None
            if p.zairyu_shikaku == "永住者":
                assert p.zairyu_kikan == "無期限" and p.zairyu_expiry is None
            else:
                assert p.zairyu_expiry is not None and p.zairyu_expiry > as_of
    else:
        assert p.family_name and p.given_name
        assert p.full_kana is not None and is_katakana_reading(p.full_kana), p.full_kana
        assert p.full_name == f"{p.family_name}{FULLWIDTH_SPACE}{p.given_name}"
        assert p.honseki and p.hittosha and FULLWIDTH_SPACE in p.hittosha
        assert p.nationality is None and p.name_roman is None and p.category_30_45 is None
        assert p.zairyu_card_no is None and p.tokubetsu_eijusha_no is None and p.tsusho is None
        if p.became_resident_on == p.birth_date:
            assert p.moved_in_from is None
        else:
            assert p.moved_in_from
    if p.kyu_uji is not None:
        assert p.kyu_uji != p.family_name
        assert p.kyu_uji_kana is not None and is_katakana_reading(p.kyu_uji_kana)


# --- determinism -----------------------------------------------------------------------------------


def test_same_seed_gives_identical_output() -> None:
    town1, it1 = generate_town(residents=2000, seed=7)
    town2, it2 = generate_town(residents=2000, seed=7)
    assert town1 == town2
    assert list(islice(it1, 50)) == list(islice(it2, 50))


def test_different_seed_gives_different_output() -> None:
    _, it1 = generate_town(residents=2000, seed=7)
    _, it2 = generate_town(residents=2000, seed=8)
    assert list(islice(it1, 50)) != list(islice(it2, 50))


def test_global_random_state_is_not_used() -> None:
    import random

    random.seed(1)
    _, it1 = generate_town(residents=300, seed=3)
    first = list(it1)
    random.seed(99)
    _, it2 = generate_town(residents=300, seed=3)
    assert list(it2) == first


# --- shape of the default town ---------------------------------------------------------------------


def test_default_town_size_and_structure() -> None:
    town, households = default_town()
    people = persons(households)
    assert len(people) == 2000
    assert 750 <= len(households) <= 1000
    assert 5 <= len(town.choaza) <= 7
    assert [h.seq for h in households] == list(range(1, len(households) + 1))
    for h in households:
        check_household(town, h)


def test_choaza_codes_names_and_postal_codes() -> None:
    town, _ = default_town()
    assert town.name.endswith(("市", "町"))
    codes = [c.code for c in town.choaza]
    assert len(set(codes)) == len(codes)
    for c in town.choaza:
        assert re.fullmatch(r"[0-9]{7}", c.code) and c.code != "0000000"
        assert re.fullmatch(r"[0-9]{7}", c.postal_code)
        assert c.banchi_count > 0
        assert c.name.endswith("丁目") == c.jukyo_hyoji


def test_foreign_share_is_two_to_four_percent() -> None:
    for seed in (1, 2, 3):
        _, households = generate_town(residents=2000, seed=seed)
        people = persons(tuple(households))
        share = sum(p.is_foreign for p in people) / len(people)
        assert 0.02 <= share <= 0.04, (seed, share)


def test_foreigners_mostly_in_foreign_households() -> None:
    _, it = generate_town(residents=20000, seed=5)
    households = tuple(it)
    foreign = [p for p in persons(households) if p.is_foreign]
    in_foreign_households = sum(1 for h in households if h.head.is_foreign for p in h.members if p.is_foreign)
    assert in_foreign_households / len(foreign) > 0.6
    nationalities = Counter(p.nationality for p in foreign)
    assert nationalities.most_common(1)[0][0] in ("中国", "ベトナム")
    categories = Counter(p.category_30_45 for p in foreign)
    assert categories["中長期在留者"] > categories["特別永住者"] > 0
    assert any(p.tsusho for p in foreign)
    assert any(p.family_name for p in foreign)  # some have a kanji name


def test_household_mix_and_age_pyramid() -> None:
    _, it = generate_town(residents=20000, seed=11)
    households = tuple(it)
    n = len(households)
    singles = sum(1 for h in households if len(h.members) == 1)
    assert 0.32 <= singles / n <= 0.44
    three_gen = sum(1 for h in households if any(p.relationship == "子の子" for p in h.members))
    assert 0.02 <= three_gen / n <= 0.08
    ages = [p.age_on(AS_OF) for p in persons(households)]
    share = lambda lo, hi: sum(lo <= a <= hi for a in ages) / len(ages)  # noqa: E731
    assert share(45, 75) > 0.3
    assert share(0, 14) < share(65, 105)
    assert 0.08 <= share(0, 14) <= 0.16
    assert max(ages) <= 105


def test_identifiers_valid_and_unique() -> None:
    people = persons(default_town()[1])
    assert len({p.mynumber for p in people}) == len(people)
    assert len({p.jumin_code for p in people}) == len(people)
    assert all(is_valid_mynumber(p.mynumber) for p in people)


def test_readings_are_paired_with_their_kanji() -> None:
    """Faker's paired providers: the same kanji always comes with the same reading."""
    readings: dict[str, set[str]] = {}
    for p in persons(default_town()[1]):
        if not p.is_foreign:
            assert p.family_name and p.family_kana and p.given_name and p.given_kana
            readings.setdefault(p.family_name, set()).add(p.family_kana)
    assert all(len(r) == 1 for r in readings.values()), readings


def test_honseki_about_sixty_percent_local() -> None:
    town, households = default_town()
    japanese = [p for p in persons(households) if not p.is_foreign]
    local = sum(1 for p in japanese if p.honseki and p.honseki.startswith(town.prefecture + town.name))
    assert 0.45 <= local / len(japanese) <= 0.75


def test_locally_born_have_no_previous_address() -> None:
    people = persons(default_town()[1])
    born_here = [p for p in people if not p.is_foreign and p.moved_in_from is None]
    moved_in = [p for p in people if p.moved_in_from is not None]
    assert born_here and moved_in
    assert all(p.became_resident_on == p.birth_date for p in born_here)
    assert all(p.became_resident_on > p.birth_date for p in moved_in)


def test_fast_person_construction_matches_dataclass_init() -> None:
    for p in persons(default_town()[1])[:200]:
        rebuilt = SyntheticPerson(**{f.name: getattr(p, f.name) for f in dataclasses.fields(p)})
        assert rebuilt == p
        assert vars(rebuilt) == vars(p)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.sex = "0"  # type: ignore[misc]


# --- streaming -------------------------------------------------------------------------------------


def test_streams_a_million_resident_town() -> None:
    start = time.perf_counter()
    town, it = generate_town(residents=1_000_000, seed=1)
    assert isinstance(it, types.GeneratorType)
    first = list(islice(it, 200))
    elapsed = time.perf_counter() - start
    assert len(first) == 200
    assert elapsed < 10, elapsed
    assert 2000 <= len(town.choaza) <= 4000
    for h in first:
        check_household(town, h)


def test_exact_total_and_empty_town() -> None:
    for residents in (1, 2, 7, 150):
        _, it = generate_town(residents=residents, seed=residents)
        assert sum(len(h.members) for h in it) == residents
    town, it = generate_town(residents=0)
    assert list(it) == []
    assert town.choaza
    with pytest.raises(ValueError):
        generate_town(residents=-1)


# --- property-based --------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    residents=st.integers(min_value=1, max_value=400),
    as_of=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
)
def test_invariants_hold_for_any_seed(seed: int, residents: int, as_of: date) -> None:
    town, it = generate_town(residents=residents, seed=seed, as_of=as_of)
    total = 0
    for h in it:
        check_household(town, h, as_of)
        total += len(h.members)
    assert total == residents
