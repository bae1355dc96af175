"""戸籍の附票 API (``/api/v1/fuhyo``).

* ``GET /fuhyo`` search, ``GET /fuhyo/{id}`` one 附票 with every person's history — ``fuhyo.read``;
  a person under a 支援措置 is shown only to a caller with ``juki.shien.read`` (otherwise withheld), and the
  access is audited as touching a 支援措置 subject.
* ``POST /notices`` (JSON) and ``POST /notices/import`` (``text/csv``) — 附票記載事項通知 from another
  municipality (``fuhyo.write``); ``GET /notices`` the log of notices received and sent (``hold`` = 要確認).
* ``POST /zaigai`` — 在外選挙人名簿 登録・抹消 (the 選挙 module may call ``commands.zaigai`` instead).
* ``POST /fuhyo/{id}/shojo`` — a person left the 戸籍; ``POST /fuhyo/{id}/shien`` — a forwarded 支援措置.
* ``POST /fuhyo/{id}/utsushi`` — the 附票の写し PDF (``preview: true`` for a 見本).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from typing import Any

from fastapi import APIRouter, Body, Query, Response
from pydantic import BaseModel, Field

from yakuba import params
from yakuba.errors import InputError, NotFound
from yakuba.fuhyo import queries
from yakuba.fuhyo.commands import jushin, shien, shojo, zaigai
from yakuba.fuhyo.forms import utsushi
from yakuba.fuhyo.schemas import InboundNotice, UtsushiRequest, ZaigaiSenkyo
from yakuba.juki.public import can_see_shien
from yakuba.kernel.clock import japan_date
from yakuba.security.auth import RequestContext, require
from yakuba.validation import MAX_ROW_ID, Offset, RowId

router = APIRouter(prefix="/api/v1/fuhyo", tags=["戸籍の附票"])
READ = "fuhyo.read"
WRITE = "fuhyo.write"
CATEGORIES = ("fuhyo.entry",)


def _today(ctx: RequestContext) -> dt.date:
    return japan_date(ctx.yakuba.clock())


@router.get("/fuhyo", summary="附票の検索")
def search_fuhyo(
    honseki: str | None = Query(None, description="本籍（前方一致）"),
    hittosha: str | None = Query(None, description="筆頭者"),
    shi: str | None = Query(None, description="記載された人の氏"),
    mei: str | None = Query(None, description="記載された人の名"),
    jumin_code: str | None = Query(None, description="住民票コード"),
    limit: int = Query(50, ge=1, le=200),
    offset: Offset = 0,
    ctx: RequestContext = require(READ, categories=CATEGORIES),
) -> dict[str, Any]:
    """本籍・筆頭者・氏名・住民票コードで附票を探します（除票も含みます）。"""
    if not any((honseki, hittosha, shi, jumin_code)):
        raise InputError.single("検索条件", "本籍・筆頭者・氏・住民票コードのいずれかを入力してください")
    session = ctx.uow.session
    rows = queries.search(
        session, honseki=honseki, hittosha=hittosha, shi=shi, mei=mei, jumin_code=jumin_code, limit=limit
    )
    items = []
    for row in rows:
        status = queries.joshohyo_status(session, row.id)
        items.append(
            {
                "id": row.id,
                "honseki": row.honseki,
                "hittosha": row.hittosha,
                "joshohyo": status is not None,
                "persons": len(queries.current_entries(session, row.id)),
            }
        )
    ctx.audit.record_count = len(items)
    ctx.audit.detail["fuhyo_ids"] = [i["id"] for i in items]
    ctx.commit()
    return {"items": items, "count": len(items), "limit": limit, "offset": offset}


@router.get("/fuhyo/{fuhyo_id}", summary="附票の照会")
def get_fuhyo(fuhyo_id: RowId, ctx: RequestContext = require(READ, categories=CATEGORIES)) -> dict[str, Any]:
    """附票の記載事項と各人の記載の履歴。支援措置の対象者は権限 juki.shien.read がなければ表示しません。"""
    session = ctx.uow.session
    today = _today(ctx)
    protected = queries.protected_persons(session, fuhyo_id, today)
    subjects = queries.subjects_of(session, fuhyo_id)
    hide: set[int] = set()
    if protected:
        ctx.touched(*subjects, shien=True)
        if not can_see_shien(ctx):
            hide = protected
            ctx.audit.detail["shien_withheld"] = len(protected)
    else:
        ctx.touched(*subjects)
    view = queries.fuhyo_view(session, fuhyo_id, on=today, hide=hide)
    ctx.audit.record_count = len(view["persons"])
    ctx.commit()
    return view


@router.get("/notices", summary="附票記載事項通知の一覧")
def list_notices(
    direction: str | None = Query(None, pattern="^(in|out)$", description="in 受信 / out 送信"),
    status: str | None = Query(None, description="applied / unchanged / rejected / hold / sent"),
    fuhyo_id: int | None = Query(None, ge=1, le=MAX_ROW_ID, description="附票の番号"),
    limit: int = Query(100, ge=1, le=500),
    offset: Offset = 0,
    ctx: RequestContext = require(READ, categories=CATEGORIES),
) -> dict[str, Any]:
    """受信・送信した附票記載事項通知（新しい順）。status=hold は要確認の通知です。"""
    items = queries.notices(
        ctx.uow.session, direction=direction, status=status, fuhyo_id=fuhyo_id, limit=limit, offset=offset
    )
    ctx.audit.record_count = len(items)
    ctx.commit()
    return {"items": items, "count": len(items)}


@router.post("/notices", summary="附票記載事項通知の受信", status_code=201)
def post_notice(
    notice: InboundNotice, ctx: RequestContext = require(WRITE, categories=CATEGORIES)
) -> dict[str, Any]:
    """他の市区町村（住所地）からの附票記載事項通知を附票に反映します。

    本籍がこの団体にない通知は 422 です。"""
    applied = jushin.receive_notice(ctx.uow, notice, channel="api", today=_today(ctx))
    if applied.fuhyo is not None:
        ctx.touched(*queries.subjects_of(ctx.uow.session, applied.fuhyo.id))
    ctx.audit.record_count = 1
    ctx.audit.detail.update(notice_id=applied.notice.id, from_lg_code=notice.from_lg_code, kind=notice.kind)
    ctx.commit()
    return {
        "notice_id": applied.notice.id,
        "status": applied.notice.status,
        "fuhyo_id": applied.fuhyo.id if applied.fuhyo else None,
        "person_no": applied.entry.person_no if applied.entry else None,
        "changed": applied.changed,
    }


@router.post("/notices/import", summary="附票記載事項通知ファイルの取込み", status_code=201)
def import_notices(
    body: bytes = Body(..., media_type="text/csv", description="CSV（見出し行あり）"),
    ctx: RequestContext = require(WRITE, categories=CATEGORIES),
) -> dict[str, Any]:
    """CSV ファイルの通知をまとめて反映します。形式の誤りはファイル全体を受け付けず、行と項目を示します。"""
    encoding = str(params.get("municipal.fuhyo.import_csv", on=_today(ctx))["encoding"])
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        raise InputError.single("ファイル", f"文字コード {encoding} として読めません") from None
    result = jushin.import_notices(ctx.uow, text, today=_today(ctx))
    ctx.audit.record_count = len(result.notice_ids)
    ctx.audit.detail.update(batch=result.batch, applied=result.applied, rejected=len(result.rejected))
    ctx.commit()
    return {
        "batch": result.batch,
        "applied": result.applied,
        "unchanged": result.unchanged,
        "rejected": [{"line": line, "message": message} for line, message in result.rejected],
        "notice_ids": result.notice_ids,
    }


@router.post("/zaigai", summary="在外選挙人名簿の登録・抹消", status_code=201)
def post_zaigai(
    command: ZaigaiSenkyo, ctx: RequestContext = require(WRITE, categories=CATEGORIES)
) -> dict[str, Any]:
    """選挙管理委員会からの在外選挙人名簿 登録・抹消の通知。本籍が他の団体なら本籍地へ通知します。"""
    notice = zaigai.mark_zaigai_senkyo(ctx.uow, command, today=_today(ctx))
    ctx.audit.record_count = 1
    ctx.audit.detail.update(notice_id=notice.id, direction=notice.direction)
    if notice.fuhyo_id is not None:
        ctx.touched(*queries.subjects_of(ctx.uow.session, notice.fuhyo_id))
    ctx.commit()
    return {"notice_id": notice.id, "direction": notice.direction, "fuhyo_id": notice.fuhyo_id}


class ShojoBody(BaseModel):
    person_no: int = Field(ge=1, le=MAX_ROW_ID, description="人の番号")
    reason: str = Field(min_length=1, max_length=60, description="消除の事由（婚姻・転籍・死亡 など）")
    on: dt.date = Field(description="消除の日（戸籍から除かれた日）")


@router.post("/fuhyo/{fuhyo_id}/shojo", summary="附票の記載の消除", status_code=201)
def post_shojo(
    fuhyo_id: RowId, body: ShojoBody, ctx: RequestContext = require(WRITE, categories=CATEGORIES)
) -> dict[str, Any]:
    """戸籍から除かれた人（婚姻・転籍・死亡など）の附票の記載を消除します（職権、法第18条）。"""
    entry = shojo.shojo(
        ctx.uow,
        fuhyo_id=fuhyo_id,
        person_no=body.person_no,
        reason=body.reason,
        on=body.on,
        today=_today(ctx),
    )
    ctx.touched(*queries.subjects_of(ctx.uow.session, fuhyo_id, [body.person_no]))
    ctx.audit.record_count = 1
    ctx.commit()
    return {"fuhyo_id": fuhyo_id, "person_no": entry.person_no, "entry_no": entry.entry_no}


class ShienBody(BaseModel):
    person_no: int = Field(ge=1, le=MAX_ROW_ID, description="人の番号")
    from_lg_code: str = Field(pattern=r"^\d{6}$", description="通知元（住所地）の地方公共団体コード")
    start_date: dt.date = Field(description="支援措置の開始日")
    end_date: dt.date = Field(description="支援措置の終了日（早く終わるときはその日で新たに登録）")
    note: str | None = Field(default=None, max_length=1000, description="備考")


@router.post("/fuhyo/{fuhyo_id}/shien", summary="住所地から通知された支援措置の登録", status_code=201)
def post_shien(
    fuhyo_id: RowId, body: ShienBody, ctx: RequestContext = require(WRITE, categories=CATEGORIES)
) -> dict[str, Any]:
    """他の市区町村（住所地）から通知された支援措置。期間中はその人の附票の写しを交付しません。"""
    if not can_see_shien(ctx):
        raise NotFound(f"附票 {fuhyo_id} はありません")
    row = shien.record_shien_forward(
        ctx.uow,
        fuhyo_id=fuhyo_id,
        person_no=body.person_no,
        from_lg_code=body.from_lg_code,
        start_date=body.start_date,
        end_date=body.end_date,
        note=body.note,
    )
    ctx.touched(*queries.subjects_of(ctx.uow.session, fuhyo_id, [body.person_no]), shien=True)
    ctx.audit.record_count = 1
    ctx.commit()
    return {"id": row.id, "fuhyo_id": fuhyo_id, "person_no": body.person_no}


@router.post("/fuhyo/{fuhyo_id}/utsushi", summary="附票の写しの交付", response_class=Response)
def post_utsushi(
    fuhyo_id: RowId, body: UtsushiRequest, ctx: RequestContext = require(WRITE, categories=CATEGORIES)
) -> Response:
    """戸籍の附票の写し（除票の写し）の PDF。本籍・筆頭者と在外選挙人の記載は請求があるときだけです。"""
    session = ctx.uow.session
    chosen = body.persons
    subjects = queries.subjects_of(session, fuhyo_id, chosen)
    protected = queries.protected_persons(session, fuhyo_id, _today(ctx))
    shien = bool(protected & set(chosen or protected))
    ctx.touched(*subjects, shien=shien)
    ctx.audit.detail.update(fuhyo_id=fuhyo_id, requester_type=body.requester_type, preview=body.preview)
    issued = utsushi.issue(
        ctx.uow,
        fuhyo_id,
        body,
        settings=ctx.yakuba.settings,
        now=ctx.yakuba.clock(),
        issued_by=ctx.principal.login,
    )
    ctx.audit.record_count = len(issued.subjects)
    ctx.audit.detail.update(
        issuance_id=issued.issuance_id, printed=issued.printed, alerts_confirmed=issued.alerts, fee=issued.fee
    )
    ctx.commit()
    headers = {k: v for k, v in ctx.response.headers.items() if k.lower().startswith("x-yakuba")}
    headers["Content-Disposition"] = f'inline; filename="{issued.kind}-{issued.issuance_id or "preview"}.pdf"'
    headers["X-Pages"] = str(issued.pages)
    if issued.issuance_id:
        headers.update(
            {
                "X-Issuance-Id": issued.issuance_id,
                "X-Document-SHA256": issued.sha256 or "",
                "X-Fee": str(issued.fee),
            }
        )
    if issued.alerts:
        headers["X-Yakuba-Alerts"] = urllib.parse.quote(json.dumps(issued.alerts, ensure_ascii=False))
    return Response(content=issued.pdf, media_type="application/pdf", headers=headers)
