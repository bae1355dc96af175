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
from collections.abc import Iterator
from datetime import date

from yakuba.demo.households import _HouseholdBuilder
from yakuba.demo.model import (
    _FOREIGN_HOUSEHOLD_P,
    _FOREIGN_TARGET,
    ALLOWED_RELATIONSHIPS,
    FEMALE,
    FOREIGN_RESIDENT_START,
    FULLWIDTH_SPACE,
    MALE,
    TOKUBETSU,
    Choaza,
    SyntheticAddress,
    SyntheticHousehold,
    SyntheticPerson,
    SyntheticTown,
    _years,
)
from yakuba.demo.tables import (
    _JP_KIND_CW,
    _JP_KINDS,
    _KATAGAKI_P,
    _LIVES_ALONE,
    _NAT_CW,
    _NATIONALITIES,
    _RECENT_MEAN_YEARS,
    _SINGLES_ONLY,
    _STATUS_AGES,
    _Name,
    _NameEntry,
)
from yakuba.demo.town import _build_town

__all__ = [
    "ALLOWED_RELATIONSHIPS",
    "FOREIGN_RESIDENT_START",
    "FULLWIDTH_SPACE",
    "Choaza",
    "SyntheticAddress",
    "SyntheticHousehold",
    "SyntheticPerson",
    "SyntheticTown",
    "generate_town",
]


class _Builder(_HouseholdBuilder):
    """The household builder: foreign households and the main loop over the layers below."""

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
