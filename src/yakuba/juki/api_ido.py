"""住民記録 異動 API (``/api/v1/juki/ido``): one POST per 届出 / 職権 family, plus 本登録 and the daily batch.

Every command answers with what it did (異動番号, 宛名番号, 世帯番号, alerts, documents such as the
転出証明書 data). An alert of the specification answers HTTP 428 with the alerts; send the same request
again with ``dates.confirm_alerts = true`` after confirming them. A 世帯 changed by someone else since
the screen was loaded (``dates.expected_setai_versions``) answers 409.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select

from yakuba.errors import NotFound
from yakuba.juki import service
from yakuba.juki.base import IdoResult, setai_rows
from yakuba.juki.models import Ido, Rireki, Setai
from yakuba.juki.zokugara import MemberForOrder, display_order
from yakuba.kernel.clock import japan_date
from yakuba.security.auth import RequestContext, require
from yakuba.validation import RowId

router = APIRouter(prefix="/api/v1/juki", tags=["住民記録（異動）"])

C = TypeVar("C", bound=BaseModel)
WRITE = "juki.idou.write"


def _run(ctx: RequestContext, command: C, handler: Callable[..., IdoResult]) -> dict[str, Any]:
    today = japan_date(ctx.yakuba.clock())
    result = handler(ctx.uow, command, today=today)
    ctx.touched(*result.atena_nos)
    ctx.audit.record_count = len(result.atena_nos)
    ctx.audit.detail.update(ido_id=result.ido_id, jiyu_code=result.jiyu_code, status=result.status)
    ctx.commit()
    return dataclasses.asdict(result)


@router.post("/ido/tennyu", summary="転入・出生・職権記載", status_code=201)
def post_tennyu(
    command: service.Tennyu, ctx: RequestContext = require(WRITE, categories=("juki.resident",))
) -> dict[str, Any]:
    """転入届（国内・国外・法30条の46）、出生届、職権記載。新しい世帯を作るか既存の世帯に入ります。"""
    return _run(ctx, command, service.tennyu)


@router.post("/ido/tenkyo", summary="転居", status_code=201)
def post_tenkyo(
    command: service.Tenkyo, ctx: RequestContext = require(WRITE, categories=("juki.resident",))
) -> dict[str, Any]:
    """転居届。世帯の全員または一部が市区町村内で住所を変えます。"""
    return _run(ctx, command, service.tenkyo)


@router.post("/ido/tenshutsu", summary="転出", status_code=201)
def post_tenshutsu(
    command: service.Tenshutsu, ctx: RequestContext = require(WRITE, categories=("juki.resident",))
) -> dict[str, Any]:
    """転出届（国内・国外・特例）。転出予定日まで住民のままで、予定日または転入通知の転入日の早い日に除票になります。"""
    return _run(ctx, command, service.tenshutsu)


@router.post("/ido/tennyu-tsuchi", summary="転入通知の受理", status_code=201)
def post_tennyu_tsuchi(
    command: service.TennyuTsuchi, ctx: RequestContext = require(WRITE, categories=("juki.resident",))
) -> dict[str, Any]:
    """転入通知（法第9条第1項）を受け、転出の確定日・確定住所を予定の値と並べて記録します。"""
    return _run(ctx, command, service.receive_tennyu_tsuchi)


@router.post("/ido/setai-henko", summary="世帯分離・合併・変更・世帯主変更", status_code=201)
def post_setai_henko(
    command: service.SetaiHenko, ctx: RequestContext = require(WRITE, categories=("juki.resident",))
) -> dict[str, Any]:
    """世帯変更届。住所が変わる場合は受け付けません（転居届で処理します）。"""
    return _run(ctx, command, service.setai_henko)


@router.post("/ido/shojo", summary="死亡・職権消除", status_code=201)
def post_shojo(
    command: service.Shojo, ctx: RequestContext = require(WRITE, categories=("juki.resident",))
) -> dict[str, Any]:
    """死亡、失踪宣告、実態調査による職権消除。"""
    return _run(ctx, command, service.shojo)


@router.post("/ido/shusei", summary="職権修正・軽微な修正・誤記修正", status_code=201)
def post_shusei(
    command: service.Shusei, ctx: RequestContext = require(WRITE, categories=("juki.resident",))
) -> dict[str, Any]:
    """記載事項の修正。誤った履歴は残し、修正した行を追加します。"""
    return _run(ctx, command, service.shusei)


@router.post("/ido/kyu-uji", summary="旧氏の記載・変更・削除", status_code=201)
def post_kyu_uji(
    command: service.KyuUji, ctx: RequestContext = require(WRITE, categories=("juki.resident",))
) -> dict[str, Any]:
    """旧氏の記載・変更・削除の請求。"""
    return _run(ctx, command, service.kyu_uji)


@router.post("/ido/tsusho", summary="通称の記載・削除", status_code=201)
def post_tsusho(
    command: service.Tsusho, ctx: RequestContext = require(WRITE, categories=("juki.resident",))
) -> dict[str, Any]:
    """外国人住民の通称の記載・削除。"""
    return _run(ctx, command, service.tsusho)


@router.post("/ido/number-change", summary="個人番号・住民票コードの変更", status_code=201)
def post_number_change(
    command: service.NumberChange,
    ctx: RequestContext = require(WRITE, categories=("juki.resident", "juki.mynumber")),
) -> dict[str, Any]:
    """個人番号・住民票コードの変更（請求・職権）。個人番号の変更には個人番号の権限と業務目的が必要です。"""
    if command.item == "mynumber":
        decision = ctx.allows("juki.mynumber.read", sensitivity="3A")
        if not decision.allowed:
            from yakuba.errors import Forbidden

            raise Forbidden(decision.reason)
    return _run(ctx, command, service.number_change)


@router.post("/ido/kika", summary="帰化・国籍取得", status_code=201)
def post_kika(
    command: service.Kika, ctx: RequestContext = require(WRITE, categories=("juki.resident",))
) -> dict[str, Any]:
    """外国人住民の記録を消除し、同じ宛名番号で日本人住民の記録を作ります。"""
    return _run(ctx, command, service.kika)


@router.post("/ido/kokuseki-soshitsu", summary="国籍喪失", status_code=201)
def post_kokuseki_soshitsu(
    command: service.KokusekiSoshitsu, ctx: RequestContext = require(WRITE, categories=("juki.resident",))
) -> dict[str, Any]:
    """日本人住民の記録を消除し、同じ宛名番号で外国人住民の記録を作ります。"""
    return _run(ctx, command, service.kokuseki_soshitsu)


@router.post("/ido/torikeshi", summary="異動の取消し", status_code=201)
def post_torikeshi(
    command: service.Torikeshi, ctx: RequestContext = require(WRITE, categories=("juki.resident",))
) -> dict[str, Any]:
    """異動を取り消します。取り消した異動も取消しの異動も履歴に残ります。"""
    return _run(ctx, command, service.torikeshi)


def _ido_view(ido: Ido, subjects: list[str]) -> dict[str, Any]:
    return {
        "id": ido.id,
        "jiyu_code": ido.jiyu_code,
        "status": ido.status,
        "ido_date": ido.ido_date,
        "todoke_date": ido.todoke_date,
        "shori_date": ido.shori_date,
        "operator": ido.operator,
        "shokken": ido.shokken,
        "late_notification": ido.late_notification,
        "note_b": ido.note_b,
        "confirmed_by": ido.confirmed_by,
        "cancels_ido_id": ido.cancels_ido_id,
        "atena_nos": subjects,
    }


def _subjects(ctx: RequestContext, ido_id: int) -> list[str]:
    rows = ctx.uow.session.execute(select(Rireki.atena_no).where(Rireki.ido_id == ido_id)).scalars().all()
    return sorted(set(rows))


@router.get("/ido/{ido_id}", summary="異動の照会")
def get_ido(
    ido_id: RowId, ctx: RequestContext = require("juki.read", categories=("juki.history",))
) -> dict[str, Any]:
    """一つの異動（事由・日付・状態・対象者）。"""
    ido = ctx.uow.session.get(Ido, ido_id)
    if ido is None:
        raise NotFound(f"異動 {ido_id} はありません")
    subjects = _subjects(ctx, ido_id)
    ctx.touched(*subjects)
    ctx.commit()
    return _ido_view(ido, subjects)


def _decide(ctx: RequestContext, ido_id: int, decision: Callable[..., Ido]) -> dict[str, Any]:
    ido = decision(ctx.uow, ido_id, now=ctx.yakuba.clock())
    subjects = _subjects(ctx, ido_id)
    ctx.touched(*subjects)
    ctx.commit()
    return _ido_view(ido, subjects)


@router.post("/ido/{ido_id}/confirm", summary="本登録（決裁）")
def post_confirm(
    ido_id: RowId, ctx: RequestContext = require("juki.idou.confirm", categories=("juki.resident",))
) -> dict[str, Any]:
    """仮登録の異動を本登録します。住民票・他業務に反映されます。"""
    return _decide(ctx, ido_id, service.confirm)


@router.post("/ido/{ido_id}/discard", summary="仮登録の破棄")
def post_discard(
    ido_id: RowId, ctx: RequestContext = require("juki.idou.confirm", categories=("juki.resident",))
) -> dict[str, Any]:
    """仮登録の異動を破棄します（履歴には残ります）。"""
    return _decide(ctx, ido_id, service.discard)


@router.post("/batch/tenshutsu-due", summary="転出予定日到来の処理（日次）")
def post_tenshutsu_due(
    ctx: RequestContext = require("juki.idou.confirm", categories=("juki.resident",)),
) -> dict[str, Any]:
    """転出予定日が来た人を除票にします（毎日の処理。yakuba juki daily でも実行できます）。"""
    results = service.apply_due_tenshutsu(ctx.uow, today=japan_date(ctx.yakuba.clock()))
    subjects = [a for r in results for a in r.atena_nos]
    ctx.touched(*subjects)
    ctx.audit.record_count = len(subjects)
    ctx.commit()
    return {"processed": [dataclasses.asdict(r) for r in results]}


@router.get("/setai/{setai_no}", summary="世帯の照会")
def get_setai(
    setai_no: str, ctx: RequestContext = require("juki.read", categories=("juki.resident",))
) -> dict[str, Any]:
    """世帯員を標準の並び順（世帯連記式の順）で返します。version は同時更新の検出に使います。"""
    members = setai_rows(ctx.uow.session, setai_no)
    setai = ctx.uow.session.get(Setai, setai_no)
    if not members or setai is None:
        raise NotFound(f"世帯番号 {setai_no} の世帯は見つかりません")
    order = display_order(
        [
            MemberForOrder(
                atena_no=m.atena_no, zokugara=m.zokugara, birth_date=m.birth_date, sex=m.sex, joined_seq=0
            )
            for m in members
        ]
    )
    by_no = {m.atena_no: m for m in members}
    ctx.touched(*order)
    ctx.audit.record_count = len(order)
    ctx.commit()
    return {
        "setai_no": setai_no,
        "version": setai.version,
        "members": [
            {
                "atena_no": a,
                "shi": by_no[a].shi,
                "mei": by_no[a].mei,
                "zokugara": by_no[a].zokugara,
                "birth_date": by_no[a].birth_date,
                "sex": by_no[a].sex,
                "jumin_jotai": by_no[a].jumin_jotai,
            }
            for a in order
        ],
    }


@router.get("/late-notifications", summary="届出期間経過の一覧")
def late_notifications(
    ctx: RequestContext = require("juki.read", categories=("juki.history",)),
) -> dict[str, Any]:
    """届出期間（14日）を過ぎて受理した届出の一覧（届出期間経過通知の対象）。"""
    rows = (
        ctx.uow.session.execute(
            select(Ido).where(Ido.late_notification.is_(True), Ido.status == "hon").order_by(Ido.id)
        )
        .scalars()
        .all()
    )
    items = [_ido_view(i, _subjects(ctx, i.id)) for i in rows]
    ctx.audit.record_count = len(items)
    ctx.touched(*(a for item in items for a in item["atena_nos"]))
    ctx.commit()
    return {"items": items}
