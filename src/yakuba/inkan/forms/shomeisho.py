"""印鑑登録証明書: the registered 印影 with 氏名, 生年月日, 男女の別 and 住所, signed and logged.

Requested with the 印鑑登録証 (spec-resident.md §2). The items are read from 住民記録 at the moment of
issue (``juki.base.current_row``) — a 転居 therefore shows the new address without anything stored here.
The 登録番号 is not printed. 抑止 and 支援措置 are checked with ``juki.yokushi.check_process`` (process
``certificate``). The drawing, the 発行番号, the QR code, the 認証文 with the electronic 公印, the PAdES
signature and the 交付履歴 row (``shomei_issuance``, kind ``inkan.shomeisho.kind``) are those of the
forms toolkit :mod:`yakuba.forms`, so ``/verify/{issuance_id}`` and the offline signature check work as
for every other certificate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

from PIL import Image, ImageOps
from pydantic import BaseModel, Field
from reportlab.lib.utils import ImageReader

from yakuba import params
from yakuba.config import Settings
from yakuba.errors import InputError
from yakuba.forms import (
    BODY_TOP,
    CONTENT_W,
    MARGIN,
    MM,
    Furniture,
    Issuance,
    Pen,
    allocate_serial,
    assert_printable,
    ensure_material,
    full_name,
    kanji_name,
    new_issuance_id,
    new_verification_code,
    render,
    seal_path,
    seireki,
    sex,
    sign_pdf,
    wareki,
)
from yakuba.inkan import inei as inei_mod
from yakuba.inkan import queries, rules
from yakuba.inkan.events import InkanCertificateIssued
from yakuba.juki.public import AlertConfirmationRequired, Rireki, check_process, current_row
from yakuba.kernel.clock import japan_date
from yakuba.kernel.wareki import format_wareki
from yakuba.security.classification import label_for
from yakuba.uow import UnitOfWork

FRAME = 36 * MM  # the 印影欄: room for the largest impression (25 mm) at its real size
ROW_H = 26.0
LABEL_W = 78.0


class ShomeishoSeikyu(BaseModel):
    """印鑑登録証明書の交付申請 (at the counter, with the 印鑑登録証)."""

    card_no: str = Field(min_length=2, max_length=16, pattern=r"^\d+$", description="印鑑登録証の番号")
    requester: Literal["honnin", "dairinin"] = Field(default="honnin", description="申請者: 本人 / 代理人")
    birth_date: dt.date | None = Field(
        default=None, description="申請書に書かれた登録者の生年月日（入力すると登録と照合する）"
    )
    confirm_alerts: bool = Field(default=False, description="抑止のアラートを確認済み")
    terminal: str | None = Field(
        default=None, max_length=20, pattern=r"^\S+$", description="端末名（発行番号）"
    )
    printer: str | None = Field(
        default=None, max_length=20, pattern=r"^\S+$", description="プリンタ名（発行番号）"
    )


@dataclass(frozen=True)
class Printed:
    """The items as printed (also what a test reads back from the PDF)."""

    items: list[tuple[str, str]]
    inei_png: bytes
    inei_w_mm: float
    inei_h_mm: float


@dataclass(frozen=True)
class IssuedShomeisho:
    issuance_id: str
    verification_code: str
    pdf: bytes
    sha256: str
    fee: int
    atena_no: str
    alerts: list[str] = field(default_factory=list)


def printed_items(row: Rireki, toroku_represents: str | None, settings: Settings) -> list[tuple[str, str]]:
    """氏名 (+ 旧氏 / 通称 / 片仮名表記), 生年月日, 男女の別, 住所 — as 住民記録 has them today."""
    foreign = row.jumin_shubetsu == "2"
    items: list[tuple[str, str]] = [("氏名", full_name(row))]
    kanji = kanji_name(row)
    if kanji:
        items.append(("氏名（漢字）", kanji))
    if row.kyu_uji:
        items.append(("旧氏", row.kyu_uji))
    if row.tsusho:
        items.append(("通称", row.tsusho))
    if toroku_represents == "kana" and (row.shi_kana or row.mei_kana):
        items.append(("氏名の片仮名表記", "\u3000".join(k for k in (row.shi_kana, row.mei_kana) if k)))
    birth = (
        seireki(row.birth_date, row.birth_date_text)
        if foreign
        else wareki(row.birth_date, row.birth_date_text)
    )
    items.append(("生年月日", birth))
    items.append(("男女の別", sex(row.sex)))
    local = f"{row.choaza_name or ''}{row.banchi or ''}"
    address = f"{settings.prefecture_name}{settings.municipality_name}{local}"
    if row.katagaki:
        address += f"\u3000{row.katagaki}"
    items.append(("住所", address))
    return items


def _black_inei(png: bytes) -> tuple[bytes, float, float]:
    """The impression in black on white (as certificates print it) and its real size in mm."""
    with Image.open(io.BytesIO(png)) as image:
        dpi = inei_mod.dpi_from_file(image) or 600
        mask = inei_mod.ink_mask(inei_mod.flatten(image))
    out = io.BytesIO()
    ImageOps.invert(mask).save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue(), mask.width * 25.4 / dpi, mask.height * 25.4 / dpi


def _body(pen: Pen, printed: Printed) -> None:
    top = BODY_TOP
    x = MARGIN
    pen.label_cell(x, top - 18, FRAME, 18, "印影")
    pen.box(x, top - 18 - FRAME, FRAME, FRAME)
    w, h = printed.inei_w_mm * MM, printed.inei_h_mm * MM
    scale = min(1.0, (FRAME - 4) / max(w, h))  # the real size; a scan wider than the frame is shrunk
    w, h = w * scale, h * scale
    cx, cy = x + FRAME / 2, top - 18 - FRAME / 2
    pen.canvas.drawImage(ImageReader(io.BytesIO(printed.inei_png)), cx - w / 2, cy - h / 2, w, h)
    gx = x + FRAME + 12
    gw = CONTENT_W - FRAME - 12
    y = top
    for label, value in printed.items:
        y -= ROW_H
        pen.label_cell(gx, y, LABEL_W, ROW_H, label)
        pen.box(gx + LABEL_W, y, gw - LABEL_W, ROW_H)
        pen.fit(gx + LABEL_W, y, gw - LABEL_W, ROW_H, value, field=label, size=11)


def issue(
    uow: UnitOfWork,
    command: ShomeishoSeikyu,
    *,
    settings: Settings,
    now: dt.datetime,
    touched: Callable[[str], None] | None = None,
) -> IssuedShomeisho:
    """Issue one 印鑑登録証明書: checks, 交付履歴 row with its 連番, PDF, signature. Does not commit."""
    session = uow.session
    on = japan_date(now)
    if not rules.is_valid_card_no(command.card_no):
        raise InputError.single("印鑑登録証の番号", "番号が正しくありません（検査用数字が合いません）")
    card = queries.card_by_no(session, command.card_no)
    toroku = queries.get_toroku(session, card.toroku_id)
    if touched is not None:
        touched(toroku.atena_no)
    if card.status != "yuko":
        raise InputError.single("印鑑登録証", "この印鑑登録証は無効です（亡失・返還・登録の抹消）")
    if not rules.is_valid_on(toroku, on):
        raise InputError.single("印鑑登録", "印鑑登録が抹消されているか、転出予定日を過ぎています")
    if toroku.name_status != "confirmed":
        raise InputError.single(
            "氏名の確認", "氏名等が変わったため、登録印鑑が氏名等を表しているかの確認が済むまで交付できません"
        )
    row = current_row(session, toroku.atena_no)
    if command.birth_date is not None and row.birth_date != command.birth_date:
        raise InputError.single("生年月日", "申請書の生年月日が登録されている人と一致しません")
    warnings = check_process(
        session,
        atena_no=row.atena_no,
        setai_no=row.setai_no,
        process="certificate",
        now=now,
        confirm_alerts=False,
    )
    alerts = [w.message for w in warnings]
    if alerts and not command.confirm_alerts:
        raise AlertConfirmationRequired(alerts)
    items = printed_items(row, toroku.represents, settings)
    for label, value in items:
        assert_printable(label, value)
    png, w_mm, h_mm = _black_inei(queries.inei_png(uow, toroku))
    printed = Printed(items=items, inei_png=png, inei_w_mm=w_mm, inei_h_mm=h_mm)
    terminal = command.terminal or str(params.get("municipal.shomei.terminal_name", on=on))
    printer = command.printer or str(params.get("municipal.shomei.printer_name", on=on))
    fee = int(params.get("municipal.inkan.fees.shomeisho", on=on))
    log = Issuance(
        issuance_id=new_issuance_id(),
        verification_code=new_verification_code(),
        kind=str(params.get("inkan.shomeisho.kind", on=on)),
        issue_date=on,
        issued_at=now.astimezone(dt.UTC),
        issued_by=uow.actor.login,
        terminal=terminal,
        printer=printer,
        serial=0,
        municipality_code=settings.municipality_code,
        municipality_name=settings.municipality_name,
        requester_type=command.requester,
        options={"card_no": command.card_no, "alerts_confirmed": alerts},
        subjects=[toroku.atena_no],
        pages=0,
        fee=fee,
        status="issuing",
        public=True,
    )
    allocate_serial(session, log)
    hakko = f"{on:%Y%m%d} {settings.municipality_name} {terminal} {printer} {log.serial:03d}"
    base = str(params.get("municipal.shomei.verify_url_base", on=on)).rstrip("/")
    title = str(params.get("inkan.shomeisho.title", on=on))
    furniture = Furniture(
        title=title,
        hakko_prefix=hakko,
        marking=label_for("inkan.seal", on).marking(),
        issue_date=format_wareki(on),
        certifier=str(params.get("municipal.shomei.certifier", on=on)).format(
            municipality=settings.municipality_name
        ),
        ninshobun=str(params.get("inkan.shomeisho.ninshobun", on=on)),
        qr_payload=f"{base}/verify/{log.issuance_id}?code={log.verification_code}",
        verification_code=log.verification_code,
        seal=seal_path(settings.data_dir, settings.municipality_name, on),
    )
    pdf = render([partial(_body, printed=printed)], furniture, author=settings.municipality_name)
    material = ensure_material(settings.key_dir, settings.municipality_name, settings.municipality_code)
    signed = sign_pdf(pdf, material, reason=f"{title} {hakko}", location=settings.municipality_name)
    log.sha256 = hashlib.sha256(signed).hexdigest()
    log.pages = 1
    log.status = "issued"
    session.flush()
    uow.record(
        InkanCertificateIssued(
            toroku_id=toroku.id, atena_no=toroku.atena_no, issuance_id=log.issuance_id, fee=fee
        )
    )
    return IssuedShomeisho(
        issuance_id=log.issuance_id,
        verification_code=log.verification_code,
        pdf=signed,
        sha256=log.sha256,
        fee=fee,
        atena_no=toroku.atena_no,
        alerts=alerts,
    )
