"""``yakuba demo``: build the synthetic town once, then reuse it.

The town is written through the 住民記録 commands themselves (one 転入 per household, one 出生
for each child born after the household arrived), so the demo exercises the real rules and history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from yakuba.bootstrap import Yakuba, bootstrap
from yakuba.config import Settings
from yakuba.demo.generator import SyntheticHousehold, SyntheticPerson, SyntheticTown, generate_town
from yakuba.juki.models import Jumin
from yakuba.juki.service import AddressInput, PersonInput, register_household
from yakuba.migrate import upgrade

DEMO_AS_OF = dt.date(2026, 4, 1)


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


def load_household(
    yakuba: Yakuba, town: SyntheticTown, household: SyntheticHousehold, *, today: dt.date
) -> None:
    """One 世帯 as a single 転入 (or, when its 世帯主 was born here, 出生)."""
    names = {c.code: c.name for c in town.choaza}
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
    with yakuba.uow() as uow:
        register_household(
            uow,
            jiyu_code="A01" if prev else "A03",
            persons=[_person_input(p) for p in household.members],
            address=address,
            ido_date=arrived,
            todoke_date=arrived + dt.timedelta(days=3) if prev else arrived,
            prev_address=prev,
            today=today,
        )
        uow.commit()


def resident_count(yakuba: Yakuba) -> int:
    with yakuba.uow() as uow:
        return int(uow.session.execute(select(func.count()).select_from(Jumin)).scalar_one())


def ensure_demo(
    settings: Settings,
    *,
    db_path: Path,
    residents: int,
    seed: int,
    echo: Callable[[str], None] = print,
) -> None:
    """Create the demo database if it does not exist yet; an existing one is left as it is."""
    exists = db_path.exists()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    yakuba = bootstrap(settings)
    try:
        if exists and resident_count(yakuba) > 0:
            echo(f"既存のデモデータベース {db_path} を使います（{resident_count(yakuba)} 人）。")
            return
        echo(f"架空の町を生成しています（住民 約{residents}人, seed={seed}）…")
        town, households = generate_town(residents=residents, seed=seed, as_of=DEMO_AS_OF)
        today = max(DEMO_AS_OF, dt.date.today())
        for household in households:
            load_household(yakuba, town, household, today=today)
        echo(f"{town.name}: {resident_count(yakuba)} 人を登録しました。")
    finally:
        yakuba.dispose()
