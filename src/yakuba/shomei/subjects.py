"""Who a document is about: load the persons, check they suit the kind of document, put them in order.

* 住民票の写し / 記載事項証明書 / 住民票コード通知票: current residents only; the 世帯連記式 never mixes in a
  除票 person, and all its persons belong to one 世帯.
* 除票の写し / 除票記載事項証明書 / 転出証明書に準ずる証明書: removed persons only, within the retention
  period (住基令 §34: 5 years, 150 years for removals on or after 2014-06-20).
* 転出証明書: persons who filed a 転出届.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from yakuba import params
from yakuba.errors import InputError, NotFound
from yakuba.forms import full_name
from yakuba.juki import public as juki
from yakuba.juki.public import Rireki
from yakuba.kernel.wareki import format_wareki
from yakuba.shomei.items import ACTIVE
from yakuba.shomei.options import CertificateRequest

REMOVED_KINDS = frozenset({"joshohyo", "joshohyo_kisai_jiko", "tenshutsu_junzuru"})
TENSHUTSU_STATES = frozenset({"02", "11", "15"})


def load(session: Session, request: CertificateRequest, *, on: dt.date) -> list[Rireki]:
    kind = request.kind
    if request.atena_nos:
        rows = [juki.get_resident_row(session, a) for a in dict.fromkeys(request.atena_nos)]
        if request.setai_no and any(r.setai_no != request.setai_no for r in rows):
            raise InputError.single(
                "宛名番号", f"世帯番号 {request.setai_no} の世帯員ではない人が含まれています"
            )
    elif request.setai_no:
        if kind in REMOVED_KINDS:
            raise InputError.single("宛名番号", "除票の証明は宛名番号で指定してください")
        rows = juki.search_residents(session, setai_no=request.setai_no, limit=200)
        if kind == "tenshutsu":
            rows = [r for r in rows if r.jumin_jotai == "02"]
        if not rows:
            raise NotFound(f"世帯番号 {request.setai_no} の世帯は見つかりません")
    else:
        raise InputError.single("宛名番号", "世帯番号か宛名番号を指定してください")
    _check_states(rows, kind, on)
    if kind == "shien_shuryo_tsuchi" and len(rows) != 1:
        raise InputError.single("宛名番号", "支援措置期間終了通知は申出者1人を指定してください")
    return rows


def _check_states(rows: Sequence[Rireki], kind: str, on: dt.date) -> None:
    for index, row in enumerate(rows, start=1):
        field = f"{index}人目（宛名番号 {row.atena_no}）"
        active = row.jumin_jotai in ACTIVE
        if kind in REMOVED_KINDS:
            if active:
                raise InputError.single(field, "住民票が消除されていません（除票の証明はできません）")
            _check_retention(row, field, on)
        elif kind == "tenshutsu":
            if row.jumin_jotai not in TENSHUTSU_STATES or row.tenshutsu_yotei_date is None:
                raise InputError.single(field, "転出届を受けていません")
        elif not active:
            raise InputError.single(field, "除票の人は含められません（除票の写しで請求してください）")
        if kind == "tenshutsu_junzuru" and not (row.tenshutsu_kakutei_address or row.tenshutsu_yotei_address):
            raise InputError.single(field, "転出先の記録がありません")
        if kind == "jumin_code_tsuchi" and not row.jumin_code:
            raise InputError.single(field, "住民票コードが記載されていません")


def _check_retention(row: Rireki, field: str, on: dt.date) -> None:
    removed = row.shojo_date or row.effective_date
    if removed is None or params.in_force("juki.joshohyo.retention_years", on=removed) is None:
        return
    retention = juki.joshohyo_retention(removed, on)
    if retention.expired:
        raise InputError.single(
            field,
            f"除票の保存期間（{retention.years}年、{format_wareki(removed)}消除）を経過しているため交付できません",
        )


def ordered(rows: list[Rireki], *, on: dt.date) -> list[Rireki]:
    """The 世帯連記式 order (住民記録システム標準仕様書 j1010, :mod:`yakuba.juki.zokugara`)."""
    if len({r.setai_no for r in rows}) != 1:
        raise InputError.single("宛名番号", "世帯連記式には同じ世帯の人だけを記載できます")
    from yakuba.juki.public import MemberForOrder, display_order

    members = [
        MemberForOrder(
            atena_no=r.atena_no,
            zokugara=r.zokugara,
            birth_date=r.birth_date,
            is_hittosha=bool(r.hittosha) and r.hittosha == full_name(r),
            sex=r.sex if r.sex in ("1", "2") else None,
        )
        for r in rows
    ]
    by_no = {r.atena_no: r for r in rows}
    return [by_no[a] for a in display_order(members, on=on)]
