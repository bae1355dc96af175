"""印鑑登録 API (``/api/v1/inkan``).

Every route passes ``require("inkan.read" | "inkan.write", categories=("inkan.seal",))`` (audited; the
response is labelled 機密性3B), hides 支援措置 subjects exactly like 住民記録 (``juki.visibility.guard_read``)
and marks the person it touched. An alert (印文と氏名の不一致、同一世帯の類似印影、抑止) answers HTTP 428
with the alerts: send the same request again with ``confirm_alerts = true``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from yakuba.inkan import queries, schemas
from yakuba.inkan.commands import massho, shimei
from yakuba.inkan.commands.card import boshitsu, card_henkan, saikofu
from yakuba.inkan.commands.haishi import haishi
from yakuba.inkan.commands.shokai import expire_overdue, kaito
from yakuba.inkan.commands.toroku import shinsei
from yakuba.inkan.forms import shomeisho
from yakuba.inkan.models import InkanToroku
from yakuba.juki.public import guard_read
from yakuba.kernel.clock import japan_date
from yakuba.security.auth import RequestContext, require
from yakuba.validation import RowId

router = APIRouter(prefix="/api/v1/inkan", tags=["印鑑登録"])

READ = "inkan.read"
WRITE = "inkan.write"
SEAL = ("inkan.seal",)


def _today(ctx: RequestContext) -> Any:
    return japan_date(ctx.yakuba.clock())


def _person(ctx: RequestContext, atena_no: str) -> None:
    guard_read(ctx, atena_no)
    ctx.touched(atena_no)


def _labels(ctx: RequestContext) -> dict[str, str]:
    return {k: v for k, v in ctx.response.headers.items() if k.lower().startswith("x-yakuba")}


def _toroku(ctx: RequestContext, toroku_id: int) -> InkanToroku:
    toroku = queries.get_toroku(ctx.uow.session, toroku_id)
    _person(ctx, toroku.atena_no)
    return toroku


def _done(ctx: RequestContext, outcome: schemas.Outcome) -> dict[str, Any]:
    ctx.audit.record_count = 1
    ctx.audit.detail.update(toroku_id=outcome.toroku_id, status=outcome.status, end_jiyu=outcome.end_jiyu)
    ctx.commit()
    return outcome.as_dict()


@router.get("/persons/{atena_no}", summary="印鑑登録の照会（人ごと）")
def person_registrations(
    atena_no: str, ctx: RequestContext = require(READ, categories=SEAL)
) -> dict[str, Any]:
    """その人の印鑑登録（照会中・登録中・抹消済み・不登録）と印鑑登録証。印影の画像は含みません。"""
    _person(ctx, atena_no)
    session = ctx.uow.session
    rows = queries.registrations_of(session, atena_no)
    items = [queries.summary(t, queries.cards_of(session, t.id)) for t in rows]
    ctx.audit.record_count = len(items)
    ctx.commit()
    return {"atena_no": atena_no, "items": items}


@router.get("/registrations/{toroku_id}", summary="印鑑登録原票の照会")
def registration(toroku_id: RowId, ctx: RequestContext = require(READ, categories=SEAL)) -> dict[str, Any]:
    """登録（申請）の内容と、申請から抹消までのすべての記録（追記のみの履歴）。"""
    toroku = _toroku(ctx, toroku_id)
    session = ctx.uow.session
    view = queries.summary(toroku, queries.cards_of(session, toroku.id))
    view["events"] = [queries.event_view(ev) for ev in queries.events_of(session, toroku.id)]
    ctx.audit.record_count = 1
    ctx.commit()
    return view


@router.get("/registrations/{toroku_id}/inei", summary="登録印影の画像", response_class=Response)
def registration_image(toroku_id: RowId, ctx: RequestContext = require(READ, categories=SEAL)) -> Response:
    """照合用の印影画像（PNG）。複製禁止の情報です。参照は監査ログに記録されます。"""
    toroku = _toroku(ctx, toroku_id)
    png = queries.inei_png(ctx.uow, toroku)
    ctx.audit.record_count = 1
    ctx.audit.detail["inei_viewed"] = True
    ctx.commit()
    return Response(content=png, media_type="image/png", headers=_labels(ctx))


@router.post("/applications", summary="印鑑登録申請", status_code=201)
def apply(command: schemas.Shinsei, ctx: RequestContext = require(WRITE, categories=SEAL)) -> dict[str, Any]:
    """顔写真付き本人確認書類または保証人があればその場で登録し印鑑登録証を交付します。
    それ以外（代理人申請を含む）は照会書を送付し、回答書が期限内に戻ったときに登録します。"""
    _person(ctx, command.atena_no)
    return _done(ctx, shinsei(ctx.uow, command, today=_today(ctx)))


@router.post("/applications/{toroku_id}/kaito", summary="回答書の受理")
def answer(
    toroku_id: RowId, command: schemas.Kaito, ctx: RequestContext = require(WRITE, categories=SEAL)
) -> dict[str, Any]:
    """期限内で本人の意思が確認できれば登録します。期限を過ぎた回答書では登録しません（status futoroku）。"""
    _toroku(ctx, toroku_id)
    return _done(ctx, kaito(ctx.uow, toroku_id, command, today=_today(ctx)))


@router.post("/registrations/{toroku_id}/haishi", summary="印鑑登録廃止申請")
def abolish(
    toroku_id: RowId, command: schemas.Haishi, ctx: RequestContext = require(WRITE, categories=SEAL)
) -> dict[str, Any]:
    _toroku(ctx, toroku_id)
    return _done(ctx, haishi(ctx.uow, toroku_id, command, today=_today(ctx)))


@router.post("/registrations/{toroku_id}/boshitsu", summary="印鑑登録証亡失届")
def lost(toroku_id: RowId, ctx: RequestContext = require(WRITE, categories=SEAL)) -> dict[str, Any]:
    """印鑑登録証をなくした届出。団体の設定（municipal.inkan.boshitsu_ends_registration）により登録を抹消します。"""
    _toroku(ctx, toroku_id)
    return _done(ctx, boshitsu(ctx.uow, toroku_id, today=_today(ctx)))


@router.post("/registrations/{toroku_id}/saikofu", summary="印鑑登録証の再交付")
def reissue(
    toroku_id: RowId, command: schemas.Saikofu, ctx: RequestContext = require(WRITE, categories=SEAL)
) -> dict[str, Any]:
    _toroku(ctx, toroku_id)
    return _done(ctx, saikofu(ctx.uow, toroku_id, command, today=_today(ctx)))


@router.post("/registrations/{toroku_id}/shimei-kakunin", summary="氏名等の変更後の確認")
def confirm_name(
    toroku_id: RowId, command: schemas.ShimeiKakunin, ctx: RequestContext = require(WRITE, categories=SEAL)
) -> dict[str, Any]:
    """氏名等の変更で再確認が必要になった登録の確認。

    なお氏名等を表していれば確認、表さなければ変更の日で抹消します。"""
    _toroku(ctx, toroku_id)
    return _done(ctx, shimei.confirm_name(ctx.uow, toroku_id, command, today=_today(ctx)))


@router.post("/registrations/{toroku_id}/massho", summary="職権抹消")
def shokken_massho(
    toroku_id: RowId, command: schemas.ShokkenMassho, ctx: RequestContext = require(WRITE, categories=SEAL)
) -> dict[str, Any]:
    """住民記録の異動によらない職権抹消（登録資格の喪失が判明した場合など）。"""
    _toroku(ctx, toroku_id)
    return _done(ctx, massho.shokken_massho(ctx.uow, toroku_id, command, today=_today(ctx)))


@router.post("/cards/{card_no}/henkan", summary="亡失した印鑑登録証の返還")
def card_returned(card_no: str, ctx: RequestContext = require(WRITE, categories=SEAL)) -> dict[str, Any]:
    card = queries.card_by_no(ctx.uow.session, card_no)
    _toroku(ctx, card.toroku_id)
    return _done(ctx, card_henkan(ctx.uow, card_no, today=_today(ctx)))


@router.post("/certificates", summary="印鑑登録証明書の交付", response_class=Response)
def certificate(
    command: shomeisho.ShomeishoSeikyu, ctx: RequestContext = require(WRITE, categories=SEAL)
) -> Response:
    """印鑑登録証による交付。署名済み PDF を返し、交付履歴に記録します。

    手数料は municipal.inkan.fees.shomeisho です。"""
    issued = shomeisho.issue(
        ctx.uow,
        command,
        settings=ctx.yakuba.settings,
        now=ctx.yakuba.clock(),
        touched=lambda atena_no: _person(ctx, atena_no),
    )
    ctx.audit.record_count = 1
    ctx.audit.detail.update(issuance_id=issued.issuance_id, fee=issued.fee, alerts_confirmed=issued.alerts)
    ctx.commit()
    headers = _labels(ctx)
    headers.update(
        {
            "X-Yakuba-Issuance-Id": issued.issuance_id,
            "X-Yakuba-Fee": str(issued.fee),
            "Content-Disposition": 'attachment; filename="inkan-shomeisho.pdf"',
        }
    )
    return Response(content=issued.pdf, media_type="application/pdf", headers=headers)


class BatchResult(BaseModel):
    expired: list[dict[str, Any]] = Field(default_factory=list)


@router.post("/batch/expire-applications", summary="回答期限を過ぎた申請の不登録（日次）")
def expire(ctx: RequestContext = require(WRITE, categories=SEAL)) -> dict[str, Any]:
    """回答書の提出期限を過ぎた照会中の申請を、期限の翌日付けで不登録にします。"""
    results = expire_overdue(ctx.uow, today=_today(ctx))
    ctx.touched(*(r.atena_no for r in results))
    ctx.audit.record_count = len(results)
    ctx.commit()
    return BatchResult(expired=[r.as_dict() for r in results]).model_dump(mode="json")
