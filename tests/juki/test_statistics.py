"""Population as of a date (住民記録システム標準仕様書 j1080; spec-resident.md §6 #24)."""

from __future__ import annotations

import datetime as dt

from yakuba.bootstrap import Yakuba
from yakuba.juki import service
from yakuba.juki.statistics import population, totals

from .conftest import TODAY, UME_3, Run, dates, new_setai, person


def test_a_pending_tenshutsu_counts_until_the_yotei_date(run: Run, yakuba: Yakuba) -> None:
    # §6 #24: a statistics run on a day when someone has filed a 転出 whose 予定日 has not come ⇒ counted.
    family = new_setai(
        run, person(), person(mei="花子", sex="2", zokugara="妻", birth_date=dt.date(1982, 7, 7))
    )
    new_setai(
        run,
        person(
            shi="NGUYEN VAN AN",
            mei="",
            shi_kana=None,
            mei_kana=None,
            honseki=None,
            hittosha=None,
            nationality="ベトナム",
            category_30_45="中長期在留者",
        ),
        address=UME_3,
    )
    run(
        service.tenshutsu,
        service.Tenshutsu(
            atena_nos=[family.atena_nos[1]],
            destination="横浜市",
            dates=dates(dt.date(2026, 12, 10), todoke=TODAY),
        ),
    )
    with yakuba.uow() as uow:
        before = totals(population(uow.session, dt.date(2026, 12, 9)))
        on_the_day = totals(population(uow.session, dt.date(2026, 12, 10)))
        before_arrival = totals(population(uow.session, dt.date(2026, 3, 31)))
        cells = population(uow.session, dt.date(2026, 12, 9))
    assert before == {"総数": 3, "日本人": 2, "外国人": 1, "男": 2, "女": 1}
    assert on_the_day == {"総数": 2, "日本人": 1, "外国人": 1, "男": 2}
    assert before_arrival == {}
    # 年齢計算ニ関スル法律: born 1980-05-01 ⇒ 46 on 2026-12-09.
    assert ("0010001", 46, "1", "1", 1) in {
        (c.choaza_code, c.age, c.sex, c.jumin_shubetsu, c.count) for c in cells
    }


def test_joshohyo_retention_depends_on_the_day_of_removal() -> None:
    # §6 #9 (豊川市; 住民基本台帳法施行令第34条第1項 as amended by 令和元年政令第26号, in force 2019-06-20).
    from yakuba.juki.queries import joshohyo_retention

    old = joshohyo_retention(dt.date(2014, 6, 19), dt.date(2026, 11, 26))
    new = joshohyo_retention(dt.date(2014, 6, 20), dt.date(2026, 11, 26))
    assert (old.years, old.kept_until, old.expired) == (5, dt.date(2019, 6, 19), True)
    assert (new.years, new.kept_until, new.expired) == (150, dt.date(2164, 6, 20), False)
