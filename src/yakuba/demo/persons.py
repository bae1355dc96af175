"""Drawing one person: random helpers, names, 本籍, birth and move-in dates, Japanese and foreign persons.

The first layer of the household builder (:class:`yakuba.demo.generator._Builder`); every draw goes
through the one seeded ``rng``, in the same order as before the split, so a seed gives the same town.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from datetime import date
from itertools import accumulate

from faker import Faker

from yakuba.demo.model import (
    _T,
    _Y,
    CHUCHOKI,
    FEMALE,
    FOREIGN_RESIDENT_START,
    FULLWIDTH_SPACE,
    MALE,
    TOKUBETSU,
    SyntheticPerson,
    SyntheticTown,
    _person,
    _years,
)
from yakuba.demo.tables import (
    _BUILDING_EXTRAS,
    _ELSEWHERE,
    _KIKAN,
    _KIKAN_MONTHS,
    _MIXED_CW,
    _MIXED_NATS,
    _UPPER,
    _Bands,
    _Koseki,
    _Name,
    _NameEntry,
    _Nationality,
)
from yakuba.demo.town import _Permutation
from yakuba.kernel.checkdigit import jumin_code_check_digit_kokuji436, mynumber_check_digit

# --------------------------------------------------------------------------------------------------
# Households
# --------------------------------------------------------------------------------------------------


class _PersonBuilder:
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
