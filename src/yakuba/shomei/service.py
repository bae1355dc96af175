"""Issuing certificates and notices: the rules, the data, the layout, the 発行番号, the signature, the log.

:func:`issue` validates the request against 住基法 §12–§12の4 (options.py), loads and checks the persons
(subjects.py), passes the 抑止・支援措置 gate (guards.py), refuses a name no font can draw, numbers the
copy in the 交付履歴, renders the layout (layouts/) with 認証文, 公印, 発行番号 and QR code, signs it — those
four with the forms toolkit :mod:`yakuba.forms` — and stores the document's SHA-256. It never commits: the
request boundary commits the log row together with its audit entry.

:func:`preview` does the same checks and renders a 「見本」 without any of the certification and without
a log row, so it can never be verified as issued.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from yakuba import params
from yakuba.config import Settings
from yakuba.errors import Forbidden, InputError
from yakuba.forms import (
    BLANK,
    Furniture,
    Issuance,
    allocate_serial,
    assert_printable,
    ensure_material,
    fee_for,
    new_issuance_id,
    new_verification_code,
    render,
    seal_path,
    sign_pdf,
    wareki,
)
from yakuba.juki import public as juki
from yakuba.juki.public import MYNUMBER_CONTEXT, Ido, Rireki
from yakuba.kernel.clock import japan_date
from yakuba.kernel.wareki import format_wareki
from yakuba.security.classification import label_for, most_restrictive
from yakuba.shomei import guards, subjects
from yakuba.shomei.items import OMITTED, Context, Item, PersonView, or_blank
from yakuba.shomei.layouts import Document, pages_for
from yakuba.shomei.options import CertificateRequest, Resolved, resolve
from yakuba.shomei.person import build_person
from yakuba.uow import UnitOfWork

Touched = Callable[[str, bool], None]
NOTICE_TITLES = {
    "kisai": "住民票コード通知票",
    "henko": "住民票コード変更通知票",
    "shusei": "住民票コード修正通知票",
}


@dataclass(frozen=True)
class Caller:
    """What the caller may do besides issuing (decided and logged by the route)."""

    login: str
    can_see_shien: bool = False
    can_print_mynumber: bool = False
    can_manage_shien: bool = False


@dataclass(frozen=True)
class Issued:
    issuance_id: str
    verification_code: str
    pdf: bytes
    sha256: str
    pages: int
    fee: int
    kind: str
    subjects: list[str]
    alerts: list[str] = field(default_factory=list)
    mynumber_printed: bool = False


@dataclass
class Prepared:
    document: Document
    layout: str
    resolved: Resolved
    rows: list[Rireki]
    alerts: list[str]
    on: dt.date
    marking: str


def today_jst(now: dt.datetime) -> dt.date:
    return japan_date(now)


def prepare(
    uow: UnitOfWork,
    request: CertificateRequest,
    *,
    settings: Settings,
    now: dt.datetime,
    caller: Caller,
    touched: Touched | None = None,
) -> Prepared:
    on = today_jst(now)
    session = uow.session
    resolved = resolve(request, on)
    layout = _layout(request)
    if request.kind == "shien_shuryo_tsuchi" and not caller.can_manage_shien:
        raise Forbidden("支援措置期間終了通知の発行には権限 juki.shien.manage が必要です")
    if resolved.mynumber and not caller.can_print_mynumber:
        raise Forbidden("個人番号を記載するには権限 juki.mynumber.read と業務目的の申告が必要です")
    rows = subjects.load(session, request, on=on)
    mark = touched or (lambda _a, _s: None)
    if request.kind == "shien_shuryo_tsuchi":
        mark(rows[0].atena_no, True)
        alerts: list[str] = []
    else:
        alerts = guards.check(
            session,
            rows,
            kind=request.kind,
            can_see_shien=caller.can_see_shien,
            now=now,
            confirm_alerts=request.confirm_alerts,
            touched=mark,
        )
    if layout == "setai":
        rows = subjects.ordered(rows, on=on)
    resolved = _forced(request.kind, resolved)
    persons = [_person(uow, row, resolved, settings, on) for row in rows]
    document = Document(kind=request.kind, title=_title(request, on), persons=persons, rows=rows)
    document.extra = _extra(session, request, rows, persons, on)
    _check_printable(document)
    categories = ["juki.resident"]
    if resolved.mynumber:
        categories.append("juki.mynumber")
    if request.kind == "shien_shuryo_tsuchi":
        categories.append("juki.shien")
    marking = most_restrictive([label_for(c, on) for c in categories]).marking()
    return Prepared(document, layout, resolved, rows, alerts, on, marking)


def _layout(request: CertificateRequest) -> str:
    kind = request.kind
    if kind == "juminhyo":
        return request.layout or "setai"
    if kind in ("tenshutsu", "tenshutsu_junzuru"):
        return "setai"
    if request.layout == "setai":
        raise InputError.single("様式", "この帳票は個人票の様式だけです（除票の写しは個人票のみ）")
    return "kojin"


def _forced(kind: str, resolved: Resolved) -> Resolved:
    """転出証明書 always carries 世帯主・続柄, 本籍・筆頭者 and 住民票コード (住基令 §23)."""
    if kind not in ("tenshutsu", "tenshutsu_junzuru"):
        return resolved
    return Resolved(
        setainushi_zokugara=True,
        honseki=True,
        mynumber=resolved.mynumber,
        jumin_code=True,
        history=False,
        katagaki=resolved.katagaki,
        kana=resolved.kana,
        items=resolved.items,
    )


def _person(uow: UnitOfWork, row: Rireki, resolved: Resolved, settings: Settings, on: dt.date) -> PersonView:
    mynumber = None
    if resolved.mynumber and row.mynumber_enc:
        mynumber = uow.field_cipher.decrypt(row.mynumber_enc, context=MYNUMBER_CONTEXT)
    ctx = Context(
        on=on,
        prefecture=settings.prefecture_name,
        municipality=settings.municipality_name,
        options=resolved,
        mynumber=mynumber,
    )
    history: list[tuple[Rireki, Ido]] = juki.resident_history(uow.session, row.atena_no)
    return build_person(row, history, ctx)


def _title(request: CertificateRequest, on: dt.date) -> str:
    if request.kind == "jumin_code_tsuchi":
        return NOTICE_TITLES[request.notice_variant]
    name = str(params.get("shomei.forms", on=on)[request.kind]["name"])
    return f"{name}（再交付）" if request.kind == "tenshutsu" and request.reissue else name


def _extra(
    session: Session, request: CertificateRequest, rows: list[Rireki], persons: list[PersonView], on: dt.date
) -> dict[str, object]:
    kind = request.kind
    first = rows[0]
    if kind in ("kisai_jiko", "joshohyo_kisai_jiko"):
        return {"items": list(request.items or params.get("municipal.shomei.kisai_jiko_items", on=on))}
    if kind in ("tenshutsu", "tenshutsu_junzuru"):
        confirmed = bool(first.tenshutsu_kakutei_address) and kind == "tenshutsu_junzuru"
        return {
            "destination_label": "転出先住所" if confirmed else "転出先住所（予定）",
            "destination": or_blank(
                first.tenshutsu_kakutei_address if confirmed else first.tenshutsu_yotei_address
            ),
            "date_label": "転出年月日" if kind == "tenshutsu_junzuru" else "転出予定年月日",
            "date": wareki(
                (first.tenshutsu_kakutei_date or first.shojo_date or first.tenshutsu_yotei_date)
                if kind == "tenshutsu_junzuru"
                else first.tenshutsu_yotei_date
            ),
        }
    if kind == "jumin_code_tsuchi":
        return {"recorded": {r.atena_no: _code_recorded(session, r) for r in rows}}
    if kind == "shien_shuryo_tsuchi":
        return _shien_extra(request, on)
    return {}


def _code_recorded(session: Session, row: Rireki) -> str:
    """記載年月日: the 異動日 of the first snapshot carrying the present 住民票コード."""
    for snapshot, _ido in juki.resident_history(session, row.atena_no):
        if snapshot.jumin_code == row.jumin_code:
            return wareki(snapshot.effective_date)
    return wareki(row.effective_date)


def _shien_extra(request: CertificateRequest, on: dt.date) -> dict[str, object]:
    from yakuba.juki.public import extension_opens

    if request.shien_start is None or request.shien_end is None:
        raise InputError.single("支援措置の期間", "開始日と終了日を指定してください")
    if request.shien_end < request.shien_start:
        raise InputError.single("支援措置の終了日", "開始日より前の日付は指定できません")
    window = int(params.get("juki.shien_sochi.extension_window_months", on=request.shien_end))
    opens = extension_opens(request.shien_end, window)
    return {
        "start": format_wareki(request.shien_start),
        "end": format_wareki(request.shien_end),
        "window": f"{format_wareki(opens)}から{format_wareki(request.shien_end)}まで",
    }


def _check_printable(document: Document) -> None:
    """The 未登録外字 alert: every printed value must be drawable by an installed font."""
    for index, person in enumerate(document.persons, start=1):
        values: list[Item] = [*person.items, Item("住所", person.address), Item("世帯主", person.setainushi)]
        values.extend(Item("異動履歴", line) for line in person.history)
        for item in values:
            assert_printable(f"{index}人目の{item.label}", item.value)
    for key, value in document.extra.items():
        if isinstance(value, str):
            assert_printable(key, value)


def _furniture(
    request: CertificateRequest,
    prepared: Prepared,
    settings: Settings,
    *,
    hakko: str,
    qr: str | None,
    code: str | None,
    preview: bool,
) -> Furniture:
    on = prepared.on
    ninshobun = params.get("shomei.ninshobun", on=on)[request.kind]
    certifier = str(params.get("municipal.shomei.certifier", on=on)).format(
        municipality=settings.municipality_name
    )
    return Furniture(
        title=prepared.document.title,
        hakko_prefix=hakko,
        marking=prepared.marking,
        issue_date=format_wareki(on),
        certifier=certifier,
        ninshobun=ninshobun,
        qr_payload=qr,
        verification_code=code,
        seal=None if preview else seal_path(settings.data_dir, settings.municipality_name, on),
        preview=preview,
        koyo=request.requester_type == "koyo",
    )


def preview(
    uow: UnitOfWork,
    request: CertificateRequest,
    *,
    settings: Settings,
    now: dt.datetime,
    caller: Caller,
    touched: Touched | None = None,
) -> tuple[bytes, Prepared]:
    """A 「見本」 PDF: same content checks, no 発行番号, QR code, 認証文, 公印, signature or log row."""
    prepared = prepare(uow, request, settings=settings, now=now, caller=caller, touched=touched)
    furniture = _furniture(request, prepared, settings, hakko="", qr=None, code=None, preview=True)
    pages = pages_for(request.kind, prepared.layout, prepared.document)
    return render(pages, furniture, author=settings.municipality_name), prepared


def issue(
    uow: UnitOfWork,
    request: CertificateRequest,
    *,
    settings: Settings,
    now: dt.datetime,
    caller: Caller,
    touched: Touched | None = None,
) -> Issued:
    """Issue one copy: log row with its 連番, rendered and signed PDF, SHA-256 stored. Does not commit."""
    prepared = prepare(uow, request, settings=settings, now=now, caller=caller, touched=touched)
    on = prepared.on
    terminal = request.terminal or str(params.get("municipal.shomei.terminal_name", on=on))
    printer = request.printer or str(params.get("municipal.shomei.printer_name", on=on))
    for label, value in (("端末名", terminal), ("プリンタ名", printer)):
        if any(c.isspace() for c in value):
            raise InputError.single(label, "空白を含めることはできません")
    subject_nos = [r.atena_no for r in prepared.rows]
    row = Issuance(
        issuance_id=new_issuance_id(),
        verification_code=new_verification_code(),
        kind=request.kind,
        issue_date=on,
        issued_at=now.astimezone(dt.UTC),
        issued_by=caller.login,
        terminal=terminal,
        printer=printer,
        serial=0,
        municipality_code=settings.municipality_code,
        municipality_name=settings.municipality_name,
        requester_type=request.requester_type,
        options={
            "request": request.model_dump(mode="json", exclude={"atena_nos", "setai_no"}),
            "printed": prepared.resolved.as_dict(),
            "alerts_confirmed": prepared.alerts,
        },
        subjects=subject_nos,
        pages=0,
        fee=fee_for(request.kind, request.requester_type, on),
        status="issuing",
        public=request.kind != "shien_shuryo_tsuchi",
    )
    allocate_serial(uow.session, row)
    hakko = f"{on:%Y%m%d} {settings.municipality_name} {terminal} {printer} {row.serial:03d}"
    base = str(params.get("municipal.shomei.verify_url_base", on=on)).rstrip("/")
    qr = f"{base}/verify/{row.issuance_id}?code={row.verification_code}" if row.public else None
    furniture = _furniture(
        request, prepared, settings, hakko=hakko, qr=qr, code=row.verification_code, preview=False
    )
    pages = pages_for(request.kind, prepared.layout, prepared.document)
    pdf = render(pages, furniture, author=settings.municipality_name)
    material = ensure_material(settings.key_dir, settings.municipality_name, settings.municipality_code)
    signed = sign_pdf(
        pdf, material, reason=f"{prepared.document.title} {hakko}", location=settings.municipality_name
    )
    row.sha256 = hashlib.sha256(signed).hexdigest()
    row.pages = len(pages)
    row.status = "issued"
    uow.session.flush()
    return Issued(
        issuance_id=row.issuance_id,
        verification_code=row.verification_code,
        pdf=signed,
        sha256=row.sha256,
        pages=row.pages,
        fee=row.fee,
        kind=request.kind,
        subjects=subject_nos,
        alerts=prepared.alerts,
        mynumber_printed=_mynumber_printed(prepared),
    )


def _mynumber_printed(prepared: Prepared) -> bool:
    if not prepared.resolved.mynumber:
        return False
    return any(p.value("個人番号") not in (None, BLANK, OMITTED) for p in prepared.document.persons)


__all__ = ["Caller", "Issued", "Prepared", "issue", "prepare", "preview"]
