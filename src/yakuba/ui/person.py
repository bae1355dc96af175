"""The person screen: current 住民票 items, the 世帯 in the standard order, the history, an as-of view.

Every read passes ``guard_read`` first, so a 支援措置 subject hidden from the caller answers the very
page an unknown 宛名番号 gets. Members of the 世帯 who are hidden from the caller are left out of the
世帯 list for the same reason (the list would otherwise reveal that they live there).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from yakuba.errors import YakubaError
from yakuba.juki import public as juki
from yakuba.juki.public import (
    LEVELS,
    PROCESSES,
    SNAPSHOT_COLUMNS,
    Ido,
    MemberForOrder,
    Rireki,
    Setai,
    can_see_shien,
    display_order,
    guard_read,
    hidden_subjects,
    is_in_force,
    list_yokushi,
    setai_rows,
    state_as_of,
)
from yakuba.kernel.clock import japan_date
from yakuba.kernel.wareki import parse_date
from yakuba.security.auth import RequestContext, require
from yakuba.ui import labels
from yakuba.ui.common import error_page, page

router = APIRouter(include_in_schema=False)

# The 住民票 items shown, in 住民票 order; foreign-resident items only for 外国人住民.
COMMON_ITEMS = (
    "shi_kana", "mei_kana", "kyu_uji", "kyu_uji_kana", "birth_date", "sex", "zokugara",
    "setainushi_name", "jumin_date", "jusho_date", "todoke_date", "prev_address", "honseki",
    "hittosha", "jumin_code",
)  # fmt: skip
FOREIGN_ITEMS = (
    "name_roman", "tsusho", "tsusho_kana", "nationality", "category_30_45", "zairyu_shikaku",
    "zairyu_kikan", "zairyu_expiry", "zairyu_card_no", "gaikokujin_date",
)  # fmt: skip
STATE_ITEMS = (
    "tenshutsu_yotei_date", "tenshutsu_yotei_address", "tenshutsu_kakutei_date",
    "tenshutsu_kakutei_address", "shojo_jiyu", "shojo_date", "remarks_c",
)  # fmt: skip


def ordered_members(ctx: RequestContext, setai_no: str) -> list[Rireki]:
    """The visible members of a 世帯 in the 世帯連記式 order (j1010), 世帯主 first."""
    session = ctx.uow.session
    hidden = hidden_subjects(session, can_see_shien(ctx), japan_date(ctx.yakuba.clock()))
    members = [m for m in setai_rows(session, setai_no) if m.atena_no not in hidden]
    order = display_order(
        [
            MemberForOrder(
                atena_no=m.atena_no, zokugara=m.zokugara, birth_date=m.birth_date, sex=m.sex, joined_seq=0
            )
            for m in members
        ]
    )
    by_no = {m.atena_no: m for m in members}
    return [by_no[a] for a in order]


def items_of(row: Rireki) -> list[tuple[str, str]]:
    names = COMMON_ITEMS + (FOREIGN_ITEMS if row.jumin_shubetsu == "2" else ()) + STATE_ITEMS
    shown = [(labels.ITEMS.get(n, n), labels.item_value(n, getattr(row, n), row)) for n in names]
    shown.insert(0, ("住所", labels.address(row)))
    shown.insert(1, ("郵便番号", row.postal_code or ""))
    return [(k, v) for k, v in shown if v]


def _changes(before: Rireki | None, after: Rireki) -> list[tuple[str, str, str]]:
    """(item, old, new) for the timeline: what this 異動 changed on the 住民票."""
    if before is None:
        return []
    out = []
    for name in SNAPSHOT_COLUMNS:
        if name in labels.NOT_COMPARED or name not in labels.ITEMS:
            continue
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            label = labels.ITEMS[name]
            if name == "mynumber_enc":
                out.append((label, "", "変更あり"))
            else:
                out.append((label, labels.item_value(name, old, before), labels.item_value(name, new, after)))
    return out


def timeline(history: list[tuple[Rireki, Ido]]) -> list[dict[str, Any]]:
    events = []
    previous: Rireki | None = None
    for row, ido in history:
        events.append({"row": row, "ido": ido, "changes": _changes(previous, row)})
        if ido.status == "hon":
            previous = row
    events.reverse()  # newest first: the clerk usually wants the last 異動
    return events


def _as_of(text: str) -> dt.date | None:
    return parse_date(text, field="基準日") if text.strip() else None


@router.get("/ui/persons/{atena_no}")
def person_page(
    request: Request,
    atena_no: str,
    as_of: str = Query("", max_length=40),
    done: str = Query("", max_length=40),
    ctx: RequestContext = require("juki.read", categories=("juki.resident", "juki.history")),
) -> HTMLResponse:
    """One resident: as on ``as_of`` (和暦 or 西暦) when given, else now; with 世帯, 抑止 and history."""
    session = ctx.uow.session
    try:
        guard_read(ctx, atena_no)
        day = _as_of(as_of)
        current = juki.get_resident_row(session, atena_no)
        history = juki.resident_history(session, atena_no)
    except YakubaError as exc:
        ctx.touched(atena_no)
        return error_page(request, ctx, exc)
    ctx.touched(atena_no)
    row = state_as_of(session, atena_no, day) if day else current
    members = ordered_members(ctx, current.setai_no)
    setai = session.get(Setai, current.setai_no)
    now = ctx.yakuba.clock()
    yokushi = [
        {
            "target": "本人" if y.target_kind == "person" else "世帯",
            "process": PROCESSES[y.process],
            "level": y.level,
            "level_name": LEVELS[y.level],
        }
        for y in list_yokushi(session, atena_no=atena_no, setai_no=current.setai_no)
        if is_in_force(y, now)
    ]
    pending = [ido for _row, ido in history if ido.status == "kari"]
    ctx.audit.record_count = 1 + len(members)
    ctx.touched(*(m.atena_no for m in members))
    ctx.commit()
    return page(
        request,
        "person.html",
        ctx,
        atena_no=atena_no,
        row=row,
        current=current,
        items=items_of(row) if row is not None else [],
        members=members,
        setai_version=setai.version if setai else None,
        events=timeline(history),
        yokushi=yokushi,
        pending=pending,
        as_of=as_of,
        as_of_day=day,
        active=current.jumin_jotai in ("01", "02"),
        done=done,
    )
