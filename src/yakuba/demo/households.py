"""Drawing one Japanese household (single, couple, single parent, three generations, other).

The second layer of the household builder; see :mod:`yakuba.demo.persons`.
"""

from __future__ import annotations

from yakuba.demo.model import _Y, FEMALE, MALE, SyntheticPerson, _years
from yakuba.demo.persons import _PersonBuilder
from yakuba.demo.tables import (
    _COUPLE_WIFE_AGES,
    _ELDER_WIFE_AGES,
    _PARENT_WIFE_AGES,
    _SINGLE_AGES,
    _SINGLE_PARENT_AGES,
)


class _HouseholdBuilder(_PersonBuilder):
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
