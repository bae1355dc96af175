"""証明書 API: issue (PDF), preview (「見本」 PDF), search the 交付履歴, and the public verification.

* ``POST /api/v1/juki/certificates`` — permission ``juki.certificate.issue``; returns the signed PDF with
  ``X-Issuance-Id``, ``X-Document-SHA256`` and ``X-Fee`` headers. Audited with the subjects, the kind and
  the options; logged in ``shomei_issuance`` with the fee.
* ``POST /api/v1/juki/certificates/preview`` — same permission; a PDF marked 「見本」 with no 発行番号,
  QR code, 認証文, 公印 or signature, and no log row: it cannot be verified as issued.
* ``GET /api/v1/juki/certificates/issuances`` — search the 交付履歴.
* ``GET /verify/{issuance_id}`` — public (no login): issued or not, when, by which municipality, the
  document's SHA-256 and kind. No name, no 宛名番号, no address.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from yakuba import forms
from yakuba.bootstrap import Yakuba
from yakuba.juki import public as juki
from yakuba.kernel.wareki import parse_date
from yakuba.security.auth import RequestContext, require
from yakuba.shomei import service
from yakuba.shomei.options import CertificateRequest, Kind, RequesterType, resolve
from yakuba.validation import Offset

router = APIRouter(tags=["証明書"])
PERMISSION = "juki.certificate.issue"
VERIFY_PATH = "/verify/{issuance_id}"


def _caller(ctx: RequestContext, request: CertificateRequest) -> service.Caller:
    """Further permissions, asked (and logged) only when this request needs them."""
    on = service.today_jst(ctx.yakuba.clock())
    wants_mynumber = resolve(request, on).mynumber
    return service.Caller(
        login=ctx.principal.login,
        can_see_shien=juki.can_see_shien(ctx),
        can_print_mynumber=wants_mynumber and ctx.allows("juki.mynumber.read", sensitivity="3A").allowed,
        can_manage_shien=request.kind == "shien_shuryo_tsuchi"
        and ctx.allows("juki.shien.manage", sensitivity="3A").allowed,
    )


def _touch(ctx: RequestContext) -> service.Touched:
    return lambda atena_no, shien: ctx.touched(atena_no, shien=shien)


def _pdf(ctx: RequestContext, content: bytes, filename: str, extra: dict[str, str]) -> Response:
    headers = {k: v for k, v in ctx.response.headers.items() if k.lower().startswith("x-yakuba")}
    headers.update(extra)
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return Response(content=content, media_type="application/pdf", headers=headers)


@router.post("/api/v1/juki/certificates", summary="証明書の発行", response_class=Response)
def issue_certificate(
    body: CertificateRequest, ctx: RequestContext = require(PERMISSION, categories=("juki.resident",))
) -> Response:
    """住民票の写し等を発行し、署名付き PDF を返します（交付履歴に記録し、監査ログに残します）。"""
    caller = _caller(ctx, body)
    ctx.audit.detail.update(kind=body.kind, requester_type=body.requester_type)
    issued = service.issue(
        ctx.uow,
        body,
        settings=ctx.yakuba.settings,
        now=ctx.yakuba.clock(),
        caller=caller,
        touched=_touch(ctx),
    )
    if issued.mynumber_printed:
        ctx.label("juki.resident", "juki.mynumber")
        ctx.audit.mynumber_revealed = True
    ctx.audit.record_count = len(issued.subjects)
    ctx.audit.detail.update(
        issuance_id=issued.issuance_id,
        options=body.model_dump(mode="json", exclude={"atena_nos", "setai_no", "requester_name", "purpose"}),
        alerts_confirmed=issued.alerts,
        pages=issued.pages,
        fee=issued.fee,
        sha256=issued.sha256,
    )
    ctx.commit()
    extra = {
        "X-Issuance-Id": issued.issuance_id,
        "X-Document-SHA256": issued.sha256,
        "X-Fee": str(issued.fee),
        "X-Pages": str(issued.pages),
    }
    if issued.alerts:
        extra["X-Yakuba-Alerts"] = urllib.parse.quote(json.dumps(issued.alerts, ensure_ascii=False))
    return _pdf(ctx, issued.pdf, f"{body.kind}-{issued.issuance_id}.pdf", extra)


@router.post(
    "/api/v1/juki/certificates/preview", summary="証明書の見本（プレビュー）", response_class=Response
)
def preview_certificate(
    body: CertificateRequest, ctx: RequestContext = require(PERMISSION, categories=("juki.resident",))
) -> Response:
    """確認用 PDF（見本）。発行番号・QR コード・認証文・公印・電子署名はなく、交付履歴に残りません。"""
    caller = _caller(ctx, body)
    ctx.audit.detail.update(kind=body.kind, requester_type=body.requester_type, preview=True)
    pdf, prepared = service.preview(
        ctx.uow,
        body,
        settings=ctx.yakuba.settings,
        now=ctx.yakuba.clock(),
        caller=caller,
        touched=_touch(ctx),
    )
    if prepared.resolved.mynumber:
        ctx.label("juki.resident", "juki.mynumber")
        ctx.audit.mynumber_revealed = True
    ctx.audit.record_count = len(prepared.rows)
    ctx.commit()
    return _pdf(ctx, pdf, f"{body.kind}-preview.pdf", {"X-Preview": "1"})


def _date(text: str | None, field: str) -> dt.date | None:
    return parse_date(text, field=field) if text else None


@router.get("/api/v1/juki/certificates/issuances", summary="交付履歴の検索")
def search_issuances(
    date_from: str | None = Query(None, description="発行日（から）和暦または西暦"),
    date_to: str | None = Query(None, description="発行日（まで）"),
    atena_no: str | None = Query(None, max_length=15, description="対象者の宛名番号"),
    kind: Kind | None = Query(None, description="帳票の種類"),
    requester_type: RequesterType | None = Query(None, description="請求者の種類"),
    issued_by: str | None = Query(None, max_length=64, description="発行した職員のログインID"),
    limit: int = Query(50, ge=1, le=200),
    offset: Offset = 0,
    ctx: RequestContext = require(PERMISSION, categories=("juki.certificate_log",)),
) -> dict[str, Any]:
    """交付履歴（誰が・いつ・誰の・どの証明書を・どの請求者に・手数料・文書の SHA-256）。"""
    rows = forms.search_issuances(
        ctx.uow.session,
        date_from=_date(date_from, "発行日（から）"),
        date_to=_date(date_to, "発行日（まで）"),
        atena_no=atena_no,
        kind=kind,
        requester_type=requester_type,
        issued_by=issued_by,
        limit=limit,
        offset=offset,
    )
    subjects = list(dict.fromkeys(a for r in rows for a in (r.subjects or [])))
    ctx.touched(*subjects)
    ctx.audit.record_count = len(rows)
    items = [forms.log_view(r) for r in rows]
    ctx.commit()
    return {"items": items, "count": len(items), "limit": limit, "offset": offset}


@router.get(VERIFY_PATH, summary="交付済み証明書の真正性の確認（ログイン不要）", tags=["公開"])
def verify_issuance(
    issuance_id: str,
    request: Request,
    code: str | None = Query(None, max_length=20, description="証明書に印字された検証コード"),
) -> JSONResponse:
    """この ID の証明書の発行の有無・日時・発行団体・文書の SHA-256 を返します。個人情報は返しません。"""
    yakuba: Yakuba = request.app.state.yakuba
    if len(issuance_id) > 32:
        return JSONResponse(
            status_code=404, content={"issued": False, "detail": "該当する発行記録はありません"}
        )
    with yakuba.uow() as uow:
        answer = forms.public_status(uow.session, issuance_id, code)
    if answer is None:
        return JSONResponse(
            status_code=404, content={"issued": False, "detail": "該当する発行記録はありません"}
        )
    return JSONResponse(content=answer, headers={"Cache-Control": "no-store"})
