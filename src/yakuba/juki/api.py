"""住民記録 API (``/api/v1/juki``): queries now; 異動 commands are added by the 住民記録 module proper."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from fastapi import APIRouter, Query

from yakuba.juki import queries, statistics
from yakuba.juki.visibility import can_see_shien, guard_read, guard_search, hidden_subjects
from yakuba.juki.yokushi import check_process, yokushi_flags
from yakuba.kernel.clock import japan_date
from yakuba.kernel.wareki import parse_date
from yakuba.security.auth import RequestContext, require
from yakuba.validation import Offset

router = APIRouter(prefix="/api/v1/juki", tags=["住民記録"])


def _date(text: str | None, field: str) -> dt.date | None:
    return parse_date(text, field=field) if text else None


@router.get("/residents", summary="住民の検索")
def search_residents(
    kana: str | None = Query(None, description="カナ氏名（前方一致。ひらがな・半角も可）"),
    name: str | None = Query(None, description="漢字氏名（前方一致）"),
    birth_date: str | None = Query(None, description="生年月日（和暦 R7.4.1 / 令和7年4月1日 または 西暦）"),
    setai_no: str | None = Query(None, description="世帯番号"),
    atena_no: str | None = Query(None, description="宛名番号"),
    choaza_code: str | None = Query(None, description="町字コード（7桁）"),
    banchi: str | None = Query(None, description="番地（前方一致）"),
    include_removed: bool = Query(False, description="除票も含める"),
    limit: int = Query(50, ge=1, le=200, description="件数"),
    offset: Offset = 0,
    ctx: RequestContext = require("juki.read", categories=("juki.resident",)),
) -> dict[str, Any]:
    """条件に合う住民の一覧（現在の住民票）。個人番号は含みません。"""
    session = ctx.uow.session
    today = japan_date(ctx.yakuba.clock())
    hidden = hidden_subjects(session, can_see_shien(ctx), today)
    criteria = {
        "kana": kana,
        "name": name,
        "birth_date": _date(birth_date, "生年月日"),
        "setai_no": setai_no,
        "atena_no": atena_no,
        "choaza_code": choaza_code,
        "banchi": banchi,
        "include_removed": include_removed,
    }
    rows = queries.search(session, **criteria, exclude=hidden, limit=limit, offset=offset)  # type: ignore[arg-type]
    if hidden:  # the attempt to find a 支援措置 subject is audited even though nothing is shown
        withheld = queries.search(session, **criteria, only=hidden)  # type: ignore[arg-type]
        if withheld:
            ctx.touched(*(r.atena_no for r in withheld), shien=True)
            ctx.audit.detail["shien_withheld"] = len(withheld)
    guard_search(ctx, [r.atena_no for r in rows])
    ctx.touched(*(r.atena_no for r in rows))
    ctx.audit.record_count = len(rows)
    flags = yokushi_flags(session, [(r.atena_no, r.setai_no) for r in rows], now=ctx.yakuba.clock())
    items = [queries.resident_view(r, cipher=None, reveal_mynumber=False) for r in rows]
    for item in items:
        item.pop("mynumber", None)
        item["yokushi"] = flags.get(item["atena_no"], [])
    ctx.commit()
    return {"items": items, "count": len(items), "limit": limit, "offset": offset}


@router.get("/residents/{atena_no}", summary="住民票の照会")
def get_resident(
    atena_no: str,
    as_of: str | None = Query(None, description="基準日（この日時点の記載内容。省略時は現在）"),
    reveal_mynumber: bool = Query(False, description="個人番号を表示する（権限と業務目的が必要）"),
    ctx: RequestContext = require("juki.read", categories=("juki.resident",)),
) -> dict[str, Any]:
    """一人の住民票の記載事項。個人番号は権限 juki.mynumber.read と業務目的の申告がある場合だけ表示します。"""
    guard_read(ctx, atena_no)
    row = queries.get_resident_row(ctx.uow.session, atena_no, as_of=_date(as_of, "基準日"))
    ctx.touched(row.atena_no)
    # 抑止 on 照会 (j410): error ⇒ 423; alert ⇒ shown with the record.
    warnings = check_process(
        ctx.uow.session,
        atena_no=row.atena_no,
        setai_no=row.setai_no,
        process="inquiry",
        now=ctx.yakuba.clock(),
    )
    ctx.audit.record_count = 1
    reveal = reveal_mynumber and ctx.allows("juki.mynumber.read", sensitivity="3A").allowed
    view = queries.resident_view(row, cipher=ctx.uow.cipher, reveal_mynumber=reveal)
    ctx.audit.mynumber_revealed = reveal and view["mynumber"] is not None
    if ctx.audit.mynumber_revealed:
        ctx.label("juki.resident", "juki.mynumber")
    view["yokushi_warnings"] = [w.message for w in warnings]
    ctx.commit()
    return view


@router.get("/residents/{atena_no}/history", summary="住民票の履歴")
def resident_history(
    atena_no: str, ctx: RequestContext = require("juki.read", categories=("juki.history",))
) -> dict[str, Any]:
    """異動ごとの履歴（異動日・届出日・処理日・操作者）。個人番号は含みません。"""
    guard_read(ctx, atena_no)
    rows = queries.history(ctx.uow.session, atena_no)
    ctx.touched(atena_no)
    ctx.audit.record_count = len(rows)
    items = []
    for row, ido in rows:
        view = queries.resident_view(row, cipher=None, reveal_mynumber=False)
        view.pop("mynumber", None)
        view["ido"] = {
            "id": ido.id,
            "jiyu_code": ido.jiyu_code,
            "ido_date": ido.ido_date,
            "todoke_date": ido.todoke_date,
            "shori_date": ido.shori_date,
            "operator": ido.operator,
            "status": ido.status,
        }
        items.append(view)
    ctx.commit()
    return {"atena_no": atena_no, "items": items}


@router.get("/statistics/population", summary="人口統計（基準日現在）")
def population_statistics(
    on: str = Query(description="基準日（和暦・西暦）"),
    ctx: RequestContext = require("juki.read"),
) -> dict[str, Any]:
    """町字・年齢・男女・日本人／外国人別の人口。転出届を受けた人は転出予定日まで数えます（j1080）。

    個人を特定しない集計値だけを返します。
    """
    day = parse_date(on, field="基準日")
    cells = statistics.population(ctx.uow.session, day)
    ctx.audit.record_count = sum(c.count for c in cells)
    ctx.audit.detail["statistics"] = {"on": day.isoformat()}
    ctx.commit()
    return {
        "on": day,
        "totals": statistics.totals(cells),
        "cells": [dataclasses.asdict(c) for c in cells],
    }
