"""What every issued 個人住民税 帳票 does around its body: 交付履歴 row, 連番, furniture, signature.

The 税額決定・納税通知書, the 特別徴収税額決定通知書 and the 課税（所得）証明書 share it here so that they
cannot drift apart in how they are numbered, marked
(``zeimu.assessment``), sealed and signed. The body and the printed values are the caller's: it must have
checked them with ``assert_printable`` before calling, because :func:`issue_signed` numbers the copy.
Never commits — the request boundary commits the ``Issuance`` row with its audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from yakuba import params
from yakuba.config import Settings
from yakuba.forms import (
    Furniture,
    Issuance,
    PageBody,
    allocate_serial,
    ensure_material,
    new_issuance_id,
    new_verification_code,
    render,
    seal_path,
    sign_pdf,
)
from yakuba.juki.public import current_row
from yakuba.kernel.wareki import format_wareki
from yakuba.security.classification import label_for
from yakuba.uow import UnitOfWork
from yakuba.zeimu.models import KazeiRireki


@dataclass(frozen=True)
class IssuedForm:
    issuance_id: str
    verification_code: str
    pdf: bytes
    fee: int


def yen(amount: int) -> str:
    return f"{amount:,}円"


def wrap(text: str, width: int) -> list[str]:
    """Cut a Japanese sentence every ``width`` characters (no spaces to break at)."""
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def address_of(uow: UnitOfWork, atena_no: str, settings: Settings) -> tuple[Any, str]:
    """The person's 住民記録 row today and the address printed on a notice (県 + 市 + 町字 + 番地 + 方書)."""
    person = current_row(uow.session, atena_no, active=False)
    local = f"{person.choaza_name or ''}{person.banchi or ''}"
    address = f"{settings.prefecture_name}{settings.municipality_name}{local}"
    if person.katagaki:
        address += f"\u3000{person.katagaki}"
    return person, address


def issue_signed(
    uow: UnitOfWork,
    row: KazeiRireki,
    *,
    settings: Settings,
    now: dt.datetime,
    on: dt.date,
    kind: str,
    title: str,
    body: list[PageBody],
    ninshobun: str | None = None,
    requester_type: str = "shokken",
    fee: int = 0,
    options: dict[str, Any] | None = None,
) -> IssuedForm:
    """Record, number, render and sign one copy of a form of the 課税台帳 row ``row``. No commit."""
    terminal = str(params.get("municipal.shomei.terminal_name", on=on))
    printer = str(params.get("municipal.shomei.printer_name", on=on))
    log = Issuance(
        issuance_id=new_issuance_id(),
        verification_code=new_verification_code(),
        kind=kind,
        issue_date=on,
        issued_at=now.astimezone(dt.UTC),
        issued_by=uow.actor.login,
        terminal=terminal,
        printer=printer,
        serial=0,
        municipality_code=settings.municipality_code,
        municipality_name=settings.municipality_name,
        requester_type=requester_type,
        options={"zeimoku": row.zeimoku, "nendo": row.nendo, "rireki_no": row.rireki_no} | (options or {}),
        subjects=[row.atena_no],
        pages=0,
        fee=fee,
        status="issuing",
        public=True,
    )
    allocate_serial(uow.session, log)
    hakko = f"{on:%Y%m%d} {settings.municipality_name} {terminal} {printer} {log.serial:03d}"
    base = str(params.get("municipal.shomei.verify_url_base", on=on)).rstrip("/")
    furniture = Furniture(
        title=title,
        hakko_prefix=hakko,
        marking=label_for("zeimu.assessment", on).marking(),
        issue_date=format_wareki(on),
        certifier=str(params.get("municipal.shomei.certifier", on=on)).format(
            municipality=settings.municipality_name
        ),
        ninshobun=ninshobun,
        qr_payload=f"{base}/verify/{log.issuance_id}?code={log.verification_code}",
        verification_code=log.verification_code,
        seal=seal_path(settings.data_dir, settings.municipality_name, on),
    )
    pdf = render(body, furniture, author=settings.municipality_name)
    material = ensure_material(settings.key_dir, settings.municipality_name, settings.municipality_code)
    signed = sign_pdf(pdf, material, reason=f"{title} {hakko}", location=settings.municipality_name)
    log.sha256 = hashlib.sha256(signed).hexdigest()
    log.pages = 1
    log.status = "issued"
    uow.session.flush()
    return IssuedForm(
        issuance_id=log.issuance_id, verification_code=log.verification_code, pdf=signed, fee=fee
    )
