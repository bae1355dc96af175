"""抑止・支援措置 API (``/api/v1/juki/yokushi``, ``/api/v1/juki/shien``; spec-resident.md §1.8).

Setting, releasing and temporarily releasing an 抑止 and every 支援措置 command need
``juki.shien.manage``; the 支援措置 list needs ``juki.shien.read`` (both also need a declared purpose by
the access policy). Listing the 抑止 of a person needs ``juki.read`` and passes the visibility chokepoint:
for a 支援措置 subject and a caller without ``juki.shien.read`` it answers 404 like an unknown person.
Every access to 支援措置 data is flagged in the audit log (``shien_subject``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from yakuba.errors import InputError
from yakuba.juki import yokushi as service
from yakuba.juki.models import Jumin
from yakuba.juki.visibility import guard_read, not_found
from yakuba.juki.yokushi_models import ShienSochi, Yokushi
from yakuba.kernel.wareki import format_wareki, parse_date
from yakuba.security.auth import RequestContext, require
from yakuba.validation import MAX_ROW_ID, RowId

router = APIRouter(prefix="/api/v1/juki", tags=["抑止・支援措置"])

SHIEN_VIEWS = {
    "active": "実施中",
    "ending_soon": "期間終了まで1か月以内",
    "expired": "期間終了",
    "all": "すべて",
}


class YokushiIn(BaseModel):
    """抑止の設定。"""

    target_kind: str = Field(description="対象 person（個人・宛名番号）/ setai（世帯・世帯番号）")
    target_no: str = Field(max_length=15, description="宛名番号または世帯番号")
    process: str = Field(
        description="抑止する業務 ido（異動入力）/ certificate（証明書発行）/ inquiry（照会）"
    )
    level: str = Field(description="レベル error（処理を止める）/ alert（警告して続行できる）")
    reason: str = Field(max_length=2000, description="抑止の理由（警告の場合は職員に表示されます）")
    start_date: str | None = Field(
        default=None, description="開始日（和暦 R7.4.1 等または西暦。省略時は当日）"
    )
    end_date: str | None = Field(
        default=None,
        description="終了日（参考。抑止は終了日になっても自動では終わらず、解除するまで続きます）",
    )


class TempReleaseIn(BaseModel):
    """抑止の一時解除。"""

    minutes: int | None = Field(
        default=None,
        description="一時解除の時間（分）。省略時はパラメータ juki.yokushi.temp_release_minutes の値",
    )


class ShienIn(BaseModel):
    """支援措置（仮支援措置）の申出。"""

    atena_no: str = Field(max_length=15, description="申出者の宛名番号")
    kind: str = Field(
        default="hon", description="種別 hon（支援措置）/ kari（仮支援措置。決定前でも直ちに保護）"
    )
    start: str = Field(description="開始日（和暦 R2.4.1 等または西暦）。終了日は期間のパラメータから自動設定")
    applicant: service.ShienApplicant | None = Field(
        default=None, description="申出者の氏名・フリガナ・連絡先等"
    )
    added_persons: list[service.AddedPerson] | None = Field(default=None, description="併せて支援を求める者")
    kagaisha: list[service.Kagaisha] | None = Field(default=None, description="加害者")
    target_processes: list[str] | None = Field(
        default=None,
        description=(
            "支援の対象とする業務 certificate / joshohyo / etsuran / fuhyo / fuhyo_joshohyo（省略時はすべて）"
        ),
    )
    details: dict[str, Any] | None = Field(default=None, description="対象住所・他団体への転送・備考")
    kari_id: int | None = Field(
        default=None, ge=1, le=MAX_ROW_ID, description="この決定で置き換える仮支援措置の番号"
    )


class ShienExtendIn(BaseModel):
    """支援措置の延長の申出。"""

    on: str | None = Field(
        default=None, description="延長の申出日（省略時は当日）。終了日の1か月前から受け付けます"
    )


def _date(text: str | None, field: str, default: dt.date | None = None) -> dt.date:
    if text:
        return parse_date(text, field=field)
    if default is None:
        raise InputError.single(field, "入力してください")
    return default


def _yokushi_view(row: Yokushi, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": row.id,
        "target_kind": row.target_kind,
        "target_no": row.target_no,
        "process": row.process,
        "process_name": service.PROCESSES[row.process],
        "level": row.level,
        "reason": row.reason,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "in_force": service.is_in_force(row, now),
        "released_at": row.released_at,
        "released_by": row.released_by,
        "temp_release_until": row.temp_release_until,
        "temp_released_by": row.temp_released_by,
        "created_at": row.created_at,
        "created_by": row.created_by,
    }


def _shien_view(row: ShienSochi) -> dict[str, Any]:
    return {
        "id": row.id,
        "atena_no": row.atena_no,
        "kind": row.kind,
        "kind_name": service.SHIEN_KINDS[row.kind],
        "start_date": row.start_date,
        "end_date": row.end_date,
        "period": f"{format_wareki(row.start_date)}〜{format_wareki(row.end_date)}",
        "status": row.status,
        "extended_from_id": row.extended_from_id,
        "kari_id": row.kari_id,
        "subjects": sorted(service.subjects_of(row)),
        "applicant": row.applicant,
        "added_persons": row.added_persons,
        "kagaisha": row.kagaisha,
        "target_processes": row.target_processes,
        "details": row.details,
        "created_at": row.created_at,
        "created_by": row.created_by,
        "ended_at": row.ended_at,
        "ended_by": row.ended_by,
    }


# --------------------------------------------------------------------------------------------- 抑止


@router.post("/yokushi", status_code=201, summary="抑止の設定")
def set_yokushi(
    body: YokushiIn, ctx: RequestContext = require("juki.shien.manage", categories=("juki.resident",))
) -> dict[str, Any]:
    """個人（宛名番号）または世帯（世帯番号）に、業務ごとの抑止（エラーまたは警告）を設定します。

    抑止は終了日になっても自動では終わりません。解除の操作をするまで有効です。
    """
    now = ctx.yakuba.clock()
    row = service.set_yokushi(
        ctx.uow,
        target_kind=body.target_kind,
        target_no=body.target_no,
        process=body.process,
        level=body.level,
        reason=body.reason,
        start_date=_date(body.start_date, "開始日", service.today_jst(now)),
        end_date=_date(body.end_date, "終了日") if body.end_date else None,
        now=now,
    )
    if row.target_kind == "person":
        ctx.touched(row.target_no)
    ctx.audit.record_count = 1
    ctx.audit.detail["yokushi_id"] = row.id
    view = _yokushi_view(row, now)
    ctx.commit()
    return view


@router.post("/yokushi/{yokushi_id}/release", summary="抑止の解除")
def release_yokushi(
    yokushi_id: RowId, ctx: RequestContext = require("juki.shien.manage", categories=("juki.resident",))
) -> dict[str, Any]:
    """抑止を解除します（取り消せません。必要なら新たに設定します）。"""
    now = ctx.yakuba.clock()
    row = service.release_yokushi(ctx.uow, yokushi_id, now=now)
    if row.target_kind == "person":
        ctx.touched(row.target_no)
    ctx.audit.record_count = 1
    ctx.audit.detail["yokushi_id"] = row.id
    view = _yokushi_view(row, now)
    ctx.commit()
    return view


@router.post("/yokushi/{yokushi_id}/temp-release", summary="抑止の一時解除")
def temp_release_yokushi(
    yokushi_id: RowId,
    body: TempReleaseIn | None = None,
    ctx: RequestContext = require("juki.shien.manage", categories=("juki.resident",)),
) -> dict[str, Any]:
    """抑止を一定時間だけ解除します。時間が過ぎると自動で抑止に戻ります。他システムへは連携しません。"""
    now = ctx.yakuba.clock()
    row = service.temp_release(ctx.uow, yokushi_id, body.minutes if body else None, now=now)
    if row.target_kind == "person":
        ctx.touched(row.target_no)
    ctx.audit.record_count = 1
    ctx.audit.detail["yokushi_id"] = row.id
    view = _yokushi_view(row, now)
    ctx.commit()
    return view


@router.get("/yokushi", summary="抑止の照会")
def list_yokushi(
    atena_no: str | None = Query(None, description="宛名番号（本人と、その世帯への抑止を返します）"),
    setai_no: str | None = Query(None, description="世帯番号（世帯への抑止を返します）"),
    include_released: bool = Query(False, description="解除済みの抑止も含める"),
    ctx: RequestContext = require("juki.read", categories=("juki.resident",)),
) -> dict[str, Any]:
    """本人または世帯に設定された抑止の一覧。in_force が現在有効かどうか（一時解除中は false）を示します。"""
    if not atena_no and not setai_no:
        raise InputError.single("検索条件", "宛名番号か世帯番号を指定してください")
    session = ctx.uow.session
    now = ctx.yakuba.clock()
    if atena_no:
        ctx.touched(atena_no)
        guard_read(ctx, atena_no, on=service.today_jst(now))
        person = session.get(Jumin, atena_no)
        if person is None:
            raise not_found(atena_no)
        setai_no = setai_no or person.setai_no
    rows = service.list_yokushi(session, atena_no=atena_no, setai_no=setai_no)
    items = [_yokushi_view(r, now) for r in rows if include_released or r.released_at is None]
    ctx.audit.record_count = len(items)
    ctx.commit()
    return {"atena_no": atena_no, "setai_no": setai_no, "items": items, "count": len(items)}


# --------------------------------------------------------------------------------------------- 支援措置


@router.post("/shien", status_code=201, summary="支援措置の登録")
def apply_shien(
    body: ShienIn, ctx: RequestContext = require("juki.shien.manage", categories=("juki.shien",))
) -> dict[str, Any]:
    """支援措置または仮支援措置を登録します。

    終了日は開始日から1年（例 令和2年4月1日→令和3年3月31日）で自動設定します。
    仮支援措置は決定前でも直ちに保護します。
    """
    now = ctx.yakuba.clock()
    row = service.apply_shien(
        ctx.uow,
        atena_no=body.atena_no,
        kind=body.kind,
        start=_date(body.start, "開始日"),
        applicant=body.applicant,
        added_persons=body.added_persons,
        kagaisha=body.kagaisha,
        target_processes=body.target_processes,
        details=body.details,
        kari_id=body.kari_id,
        now=now,
    )
    ctx.touched(*sorted(service.subjects_of(row)), shien=True)
    ctx.audit.record_count = 1
    ctx.audit.detail["shien_id"] = row.id
    view = _shien_view(row)
    ctx.commit()
    return view


@router.post("/shien/{shien_id}/extend", status_code=201, summary="支援措置の延長")
def extend_shien(
    shien_id: RowId,
    body: ShienExtendIn | None = None,
    ctx: RequestContext = require("juki.shien.manage", categories=("juki.shien",)),
) -> dict[str, Any]:
    """支援措置を延長します（終了日の1か月前から受付）。新しい期間は終了日の翌日から1年です。"""
    now = ctx.yakuba.clock()
    on = _date(body.on if body else None, "延長の申出日", service.today_jst(now))
    row = service.extend_shien(ctx.uow, shien_id, on=on, now=now)
    ctx.touched(*sorted(service.subjects_of(row)), shien=True)
    ctx.audit.record_count = 1
    ctx.audit.detail["shien_id"] = row.id
    view = _shien_view(row)
    ctx.commit()
    return view


@router.post("/shien/{shien_id}/end", summary="支援措置の終了")
def end_shien(
    shien_id: RowId, ctx: RequestContext = require("juki.shien.manage", categories=("juki.shien",))
) -> dict[str, Any]:
    """支援措置を終了します（延長前・延長後の期間も含めて終了します）。"""
    row = service.end_shien(ctx.uow, shien_id, now=ctx.yakuba.clock())
    ctx.touched(*sorted(service.subjects_of(row)), shien=True)
    ctx.audit.record_count = 1
    ctx.audit.detail["shien_id"] = row.id
    view = _shien_view(row)
    ctx.commit()
    return view


@router.get("/shien", summary="支援措置の一覧")
def list_shien(
    view: str = Query(
        "active", description="active（実施中）/ ending_soon（1か月以内に終了）/ expired（期間終了）/ all"
    ),
    on: str | None = Query(None, description="基準日（省略時は当日）"),
    ctx: RequestContext = require("juki.shien.read", categories=("juki.shien",)),
) -> dict[str, Any]:
    """支援措置の一覧と、期間終了の警告（1か月以内に終了・期間終了）の件数。"""
    if view not in SHIEN_VIEWS:
        shown = " / ".join(f"{k}（{v}）" for k, v in SHIEN_VIEWS.items())
        raise InputError.single("表示区分", f"「{view}」は指定できません（{shown}）")
    session = ctx.uow.session
    day = _date(on, "基準日", service.today_jst(ctx.yakuba.clock()))
    soon = service.ending_soon(session, day)
    gone = service.expired(session, day)
    if view == "ending_soon":
        rows = soon
    elif view == "expired":
        rows = gone
    else:
        rows = service.list_shien(session, include_ended=view == "all")
    subjects = sorted({a for r in rows for a in service.subjects_of(r)})
    ctx.touched(*subjects, shien=True)
    ctx.audit.record_count = len(rows)
    items = [_shien_view(r) for r in rows]
    ctx.commit()
    return {
        "view": view,
        "on": day,
        "items": items,
        "count": len(items),
        "alerts": {"ending_soon": len(soon), "expired": len(gone)},
    }
