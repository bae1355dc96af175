"""Certificate issuance at the counter: persons, options and requester → 見本 (preview) → 発行 (PDF).

The screen calls the certificate API's own route functions (``yakuba.shomei.api``) with its request
context, so the law on what may be printed (住基法 §12–§12の4), the 抑止 and 支援措置 guards, the 交付履歴
and the audit entry are exactly the API's. ``yakuba.shomei`` is imported only when a certificate is
previewed or issued: importing it registers its table, which the schema may not have yet.
"""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy import inspect
from starlette.datastructures import FormData

from yakuba import params
from yakuba.errors import NotFound, YakubaError
from yakuba.juki.public import AlertConfirmationRequired, current_row, guard_read
from yakuba.kernel.clock import japan_date
from yakuba.security.auth import RequestContext, require
from yakuba.ui.common import error_json, error_page, form_data, input_error, page, templates
from yakuba.ui.form_reader import FormReader
from yakuba.ui.labels import full_name
from yakuba.ui.person import ordered_members

router = APIRouter(prefix="/ui/certificates", include_in_schema=False)
ISSUE = "juki.certificate.issue"
LOG_TABLE = "shomei_issuance"
KINDS = ("juminhyo", "joshohyo", "kisai_jiko")
REQUESTERS = {
    "honnin": "本人",
    "douitsu_setai": "同一世帯の者",
    "daisansha": "第三者",
    "koiki": "広域交付",
    "koyo": "公用",
}
LAYOUTS = {"setai": "世帯連記式（世帯票）", "kojin": "個人票"}
OPTIONAL = {
    "setainushi_zokugara": "世帯主・続柄",
    "honseki": "本籍・筆頭者",
    "mynumber": "個人番号",
    "jumin_code": "住民票コード",
}
CHOICE = {"": "既定（請求者の種類による）", "true": "記載する", "false": "省略する"}
NAMES = {
    "requester_name": "請求者の氏名・名称",
    "purpose": "請求事由",
    "atena_nos": "対象者",
    "setai_no": "世帯番号",
}


def _kind_names(ctx: RequestContext) -> dict[str, str]:
    forms = params.get("shomei.forms", on=japan_date(ctx.yakuba.clock()))
    return {k: str(forms[k]["name"]) for k in KINDS if k in forms}


@router.get("")
def certificate_page(
    request: Request,
    atena_no: str = Query("", max_length=15),
    ctx: RequestContext = require(ISSUE, categories=("juki.resident",)),
) -> HTMLResponse:
    """The request form for one resident's 世帯: whom, which form, for whom, what to print."""
    try:
        if not atena_no:
            raise NotFound("対象の住民を検索してから発行してください")
        guard_read(ctx, atena_no)
        person = current_row(ctx.uow.session, atena_no, active=False)
    except YakubaError as exc:
        ctx.touched(atena_no)
        return error_page(request, ctx, exc)
    members = ordered_members(ctx, person.setai_no) or [person]
    ctx.touched(*(m.atena_no for m in members))
    ctx.commit()
    return page(
        request,
        "certificates.html",
        ctx,
        person=person,
        members=members,
        kinds=_kind_names(ctx),
        requesters=REQUESTERS,
        layouts=LAYOUTS,
        optional=OPTIONAL,
        choice=CHOICE,
    )


def _request_body(r: FormReader) -> dict[str, Any]:
    chosen = r.many("atena_nos")
    everyone = r.many("member_nos")
    setai_no = r.raw("setai_no")
    whole = bool(setai_no) and set(chosen) == set(everyone)
    body: dict[str, Any] = {
        "kind": r.raw("kind") or "juminhyo",
        "layout": r.raw("layout") or None,
        "setai_no": setai_no if whole else None,
        "atena_nos": None if whole else chosen,
        "requester_type": r.raw("requester_type") or "honnin",
        "requester_name": r.raw("requester_name") or None,
        "purpose": r.raw("purpose") or None,
        "include_history": r.raw("include_history") == "true",
        "omit_katagaki": r.raw("omit_katagaki") == "true",
        "with_kana": r.raw("with_kana") == "true",
        "confirm_alerts": r.raw("confirm_alerts") == "true",
    }
    for item in OPTIONAL:
        value = r.raw(f"include_{item}")
        body[f"include_{item}"] = None if value == "" else value == "true"
    if not chosen:
        r.problem("対象者", "1人以上選んでください")
    r.check()
    return body


@router.post("")
def certificate_submit(
    form: FormData = Depends(form_data), ctx: RequestContext = require(ISSUE, categories=("juki.resident",))
) -> Response:
    """``step=check``: the 見本 and what will be printed; ``step=commit``: issue and answer the PDF."""
    reader = FormReader(form)
    try:
        _require_log_table(ctx)
        from yakuba.shomei.public import CertificateRequest, issue_certificate, preview_certificate, resolve

        try:
            body = CertificateRequest.model_validate(_request_body(reader))
        except ValidationError as exc:
            raise input_error(exc, NAMES) from None
        if reader.raw("step") == "commit":
            return issue_certificate(body, ctx)
        resolved = resolve(body, japan_date(ctx.yakuba.clock()))
        names = _names(ctx, reader.many("atena_nos"))
        try:
            pdf = preview_certificate(body, ctx).body
            alerts: list[str] = []
        except AlertConfirmationRequired as exc:
            pdf, alerts = b"", exc.alerts
            ctx.uow.rollback()
            ctx.commit()
    except YakubaError as exc:
        return error_json(ctx, exc)
    html = templates.get_template("partials/certificate_confirm.html").render(
        kind=_kind_names(ctx).get(body.kind, body.kind),
        layout=LAYOUTS.get(body.layout or "", ""),
        requester=REQUESTERS[body.requester_type],
        body=body,
        names=names,
        printed=[label for item, label in OPTIONAL.items() if getattr(resolved, item)],
        omitted=[label for item, label in OPTIONAL.items() if not getattr(resolved, item)],
        alerts=alerts,
    )
    return JSONResponse({"confirm": html, "pdf": base64.b64encode(bytes(pdf)).decode() if pdf else None})


class NotReady(YakubaError):
    http_status = 503


def _require_log_table(ctx: RequestContext) -> None:
    """No issuance without its 交付履歴: refuse (and do not import yakuba.shomei) until the table exists."""
    if not inspect(ctx.yakuba.engine).has_table(LOG_TABLE):
        raise NotReady(
            "証明書の交付履歴の表がありません。データベースを更新（yakuba migrate）してから発行してください"
        )


def _names(ctx: RequestContext, atena_nos: list[str]) -> list[str]:
    session = ctx.uow.session
    return [full_name(current_row(session, a, active=False)) for a in atena_nos]
