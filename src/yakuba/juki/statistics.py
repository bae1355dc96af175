"""Population statistics as of any date (住民記録システム標準仕様書 j1080 and the 住基年報 counts).

A person counts on a date when their last 本登録 snapshot effective on or before it shows them on the
住民基本台帳; a filed 転出 counts until its 転出予定日 (§6 #24). The query is one pass over the
history (latest row per person), grouped in the database by 町字 × 生年月日 × 性別 × 住民種別 — ages
are then computed per 生年月日 group, so the work is proportional to distinct birth dates, not people.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import Session

from yakuba.juki.history import ACTIVE_STATES, registered
from yakuba.juki.models import Rireki
from yakuba.kernel.age import age_on
from yakuba.kernel.history import latest_numbers


@dataclass(frozen=True)
class PopulationCell:
    choaza_code: str | None
    choaza_name: str | None
    age: int | None  # None: 生年月日が不詳
    sex: str
    jumin_shubetsu: str
    count: int


def population(session: Session, on: dt.date) -> list[PopulationCell]:
    latest = latest_numbers(Rireki, on=on, narrow=registered).subquery()
    pending_gone = and_(Rireki.jumin_jotai == "02", Rireki.tenshutsu_yotei_date <= on)
    rows = session.execute(
        select(
            Rireki.choaza_code,
            Rireki.choaza_name,
            Rireki.birth_date,
            Rireki.sex,
            Rireki.jumin_shubetsu,
            func.count().label("n"),
        )
        .join(latest, and_(latest.c.atena_no == Rireki.atena_no, latest.c.rireki_no == Rireki.rireki_no))
        .where(
            Rireki.jumin_jotai.in_(tuple(ACTIVE_STATES)),
            or_(not_(pending_gone), Rireki.tenshutsu_yotei_date.is_(None)),
        )
        .group_by(
            Rireki.choaza_code, Rireki.choaza_name, Rireki.birth_date, Rireki.sex, Rireki.jumin_shubetsu
        )
    ).all()
    cells: Counter[tuple[str | None, str | None, int | None, str, str]] = Counter()
    for code, name, birth, sex, shubetsu, n in rows:
        age = age_on(birth, on) if birth is not None and birth <= on else None
        cells[(code, name, age, sex, shubetsu)] += int(n)
    return [
        PopulationCell(code, name, age, sex, shubetsu, count)
        for (code, name, age, sex, shubetsu), count in sorted(
            cells.items(),
            key=lambda kv: (kv[0][0] or "", -1 if kv[0][2] is None else kv[0][2], kv[0][3], kv[0][4]),
        )
    ]


def totals(cells: list[PopulationCell]) -> dict[str, int]:
    """日本人・外国人・男・女・総数."""
    out = Counter[str]()
    for c in cells:
        out["総数"] += c.count
        out["日本人" if c.jumin_shubetsu == "1" else "外国人"] += c.count
        out[{"1": "男", "2": "女"}.get(c.sex, "不明")] += c.count
    return dict(out)
