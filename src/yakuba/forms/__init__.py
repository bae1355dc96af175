"""帳票 toolkit: what every printed form of yakuba is built on (docs/forms-toolkit.md).

A form (住民票, 附票の写し, 印鑑登録証明書, 選挙人名簿抄本, the coming tax notices) draws its body with a
:class:`Pen`; :func:`render` puts the page furniture around it (title, 発行番号, classification marking, QR
code, 認証文 and 公印 on the last page, or 「見本」 for a preview). The fonts check every character first
(:func:`assert_printable`, the 未登録外字 alert); the copy is numbered in the 交付履歴 (:class:`Issuance`,
:func:`allocate_serial`) and signed (:func:`sign_pdf`).

This package is the face: import from ``yakuba.forms`` only, never from its modules. The toolkit is a
shared layer and imports no business (juki, inkan, fuhyo, senkyo, shomei).
"""

from yakuba.forms.fonts import FontSet, UnprintableCharacter, assert_printable, can_draw, font_set
from yakuba.forms.formatters import BLANK, NamedPerson, full_name, kanji_name, seireki, sex, wareki
from yakuba.forms.issuance import Issuance
from yakuba.forms.page import (
    BODY_BOTTOM,
    BODY_TOP,
    CONTENT_W,
    MARGIN,
    MM,
    PAGE_H,
    PAGE_W,
    SEAL_SIZE,
    Furniture,
    PageBody,
    render,
)
from yakuba.forms.pens import Overflow, Pen, wrap_text
from yakuba.forms.qr import qr_image
from yakuba.forms.registry import (
    allocate_serial,
    fee_for,
    log_view,
    new_issuance_id,
    new_verification_code,
    public_status,
    search_issuances,
)
from yakuba.forms.seal import seal_path
from yakuba.forms.signing import (
    SigningMaterial,
    VerifyResult,
    ensure_material,
    load_certificate,
    sign_pdf,
    verify_pdf,
)

__all__ = [
    "BLANK",
    "BODY_BOTTOM",
    "BODY_TOP",
    "CONTENT_W",
    "MARGIN",
    "MM",
    "PAGE_H",
    "PAGE_W",
    "SEAL_SIZE",
    "FontSet",
    "Furniture",
    "Issuance",
    "NamedPerson",
    "Overflow",
    "PageBody",
    "Pen",
    "SigningMaterial",
    "UnprintableCharacter",
    "VerifyResult",
    "allocate_serial",
    "assert_printable",
    "can_draw",
    "ensure_material",
    "fee_for",
    "font_set",
    "full_name",
    "kanji_name",
    "load_certificate",
    "log_view",
    "new_issuance_id",
    "new_verification_code",
    "public_status",
    "qr_image",
    "render",
    "seal_path",
    "search_issuances",
    "seireki",
    "sex",
    "sign_pdf",
    "verify_pdf",
    "wareki",
    "wrap_text",
]
