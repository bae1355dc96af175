"""The 交付履歴 of every form: numbering copies, their fee, searching them, and the public answer about one.

Which forms exist, their names and fees, is the parameter ``shomei.forms`` (kind → name, fee parameter);
a form whose kind is not listed there is still logged and numbered, and ``/verify`` calls it 「証明書」.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yakuba import params
from yakuba.errors import InputError
from yakuba.forms.issuance import Issuance
from yakuba.kernel.clock import JST

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper


def new_issuance_id() -> str:
    return secrets.token_urlsafe(12)  # 16 characters, 96 random bits


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def allocate_serial(session: Session, row: Issuance, *, attempts: int = 5) -> Issuance:
    """Give ``row`` the next 連番 of its municipality and day; a concurrent issuance just takes the next."""
    for _ in range(attempts):
        last = session.execute(
            select(func.max(Issuance.serial)).where(
                Issuance.municipality_code == row.municipality_code, Issuance.issue_date == row.issue_date
            )
        ).scalar()
        row.serial = int(last or 0) + 1
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
            return row
        except IntegrityError:
            if row in session:
                session.expunge(row)
    raise RuntimeError("発行番号の連番を採番できませんでした。もう一度発行してください")


def fee_for(kind: str, requester_type: str, on: dt.date) -> int:
    form = params.get("shomei.forms", on=on)[kind]
    if not form.get("fee") or requester_type in params.get("municipal.shomei.fee_exempt_requesters", on=on):
        return 0
    return int(params.get(str(form["fee"]), on=on))


def search_issuances(
    session: Session,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    atena_no: str | None = None,
    kind: str | None = None,
    requester_type: str | None = None,
    issued_by: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Issuance]:
    query = select(Issuance)
    if date_from:
        query = query.where(Issuance.issue_date >= date_from)
    if date_to:
        query = query.where(Issuance.issue_date <= date_to)
    if atena_no:
        if not atena_no.isdigit():
            raise InputError.single("宛名番号", "数字で指定してください")
        query = query.where(cast(Issuance.subjects, String).like(f'%"{atena_no}"%'))
    if kind:
        query = query.where(Issuance.kind == kind)
    if requester_type:
        query = query.where(Issuance.requester_type == requester_type)
    if issued_by:
        query = query.where(Issuance.issued_by == issued_by)
    query = query.order_by(Issuance.issued_at.desc(), Issuance.id.desc()).limit(limit).offset(offset)
    return list(session.execute(query).scalars())


def log_view(row: Issuance) -> dict[str, Any]:
    """A 交付履歴 entry for staff (personal data: the 宛名番号 and the request's options)."""
    return {
        "issuance_id": row.issuance_id,
        "kind": row.kind,
        "hakko_bango": f"{row.issue_date:%Y%m%d} {row.municipality_name} {row.terminal} {row.printer} "
        f"{row.serial:03d}",
        "issued_at": row.issued_at.astimezone(JST).isoformat(),
        "issued_by": row.issued_by,
        "requester_type": row.requester_type,
        "subjects": list(row.subjects or []),
        "options": dict(row.options or {}),
        "pages": row.pages,
        "fee": row.fee,
        "sha256": row.sha256,
        "status": row.status,
    }


def public_status(session: Session, issuance_id: str, code: str | None) -> dict[str, Any] | None:
    """What anyone holding the paper may learn: issued or not, when, by whom, the hash — no personal data."""
    row = session.execute(select(Issuance).where(Issuance.issuance_id == issuance_id)).scalar_one_or_none()
    if row is None or not row.public or row.status not in ("issued", "voided"):
        return None
    forms = params.get("shomei.forms", on=row.issue_date)
    answer: dict[str, Any] = {
        "issuance_id": row.issuance_id,
        "issued": row.status == "issued",
        "status": row.status,
        "kind": str(forms.get(row.kind, {}).get("name") or "証明書"),
        "issued_at": row.issued_at.astimezone(JST).isoformat(),
        "municipality": {"code": row.municipality_code, "name": row.municipality_name},
        "pages": row.pages,
        "sha256": row.sha256,
    }
    if code is not None:
        given = code.strip().upper().replace(" ", "")
        answer["code_valid"] = secrets.compare_digest(given.encode(), row.verification_code.encode())
    return answer
