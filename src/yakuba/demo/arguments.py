"""The ``register_household`` arguments for one synthetic 世帯, shared by both load paths.

Its own module so that the command path (:mod:`yakuba.demo.setup`) and the bulk path
(:mod:`yakuba.demo.bulk`) both import it without importing each other (issue 23: the circle
bulk → setup → bulk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from yakuba.demo.generator import SyntheticHousehold, SyntheticPerson
from yakuba.juki.public import AddressInput, PersonInput


def _person_input(person: SyntheticPerson) -> PersonInput:
    # A foreign resident's 氏名 is the alphabet name (and/or 漢字): without 漢字, the whole name is in 氏.
    shi = person.family_name or person.name_roman or ""
    mei = person.given_name or "" if person.family_name else ""
    return PersonInput(
        shi=shi,
        mei=mei,
        shi_kana=person.family_kana,
        mei_kana=person.given_kana,
        name_roman=person.name_roman,
        kyu_uji=person.kyu_uji,
        tsusho=person.tsusho,
        birth_date=person.birth_date,
        sex=person.sex,
        zokugara=person.relationship,
        honseki=person.honseki,
        hittosha=person.hittosha,
        mynumber=person.mynumber,
        jumin_code=person.jumin_code,
        nationality=person.nationality if person.is_foreign else None,
        category_30_45=person.category_30_45,
        zairyu_shikaku=person.zairyu_shikaku,
        zairyu_kikan=person.zairyu_kikan,
        zairyu_expiry=person.zairyu_expiry,
        zairyu_card_no=person.zairyu_card_no,
    )


def household_arguments(names: Mapping[str, str], household: SyntheticHousehold) -> dict[str, Any]:
    """The arguments of ``register_household`` for one synthetic 世帯 (``today`` aside).

    Shared by the command path below and the bulk path (``yakuba.demo.bulk``), so both record the
    same 事由, dates and address for the same household.
    """
    address = AddressInput(
        choaza_code=household.address.choaza_code,
        choaza_name=names[household.address.choaza_code],
        banchi=household.address.banchi,
        katagaki=household.address.katagaki,
        postal_code=household.address.postal_code,
    )
    arrived = min(p.became_resident_on for p in household.members)
    head = next(p for p in household.members if p.relationship == "世帯主")
    prev = head.moved_in_from
    return {
        "jiyu_code": "A01" if prev else "A03",
        "persons": [_person_input(p) for p in household.members],
        "address": address,
        "ido_date": arrived,
        "todoke_date": arrived + dt.timedelta(days=3) if prev else arrived,
        "prev_address": prev,
    }
