"""What is kept between documents to make a copy fast, and that nothing of one copy reaches the next.

Kept per process: the font set's choice of font per character, the 公印 image (per file version), the
QR mask tables, and the signing key's CMS template (per key and certificate file version). Each test
checks the output is what the uncached path gives, and that a change of the input takes effect.
"""

from __future__ import annotations

import io
import random
import shutil
import string
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from yakuba.bootstrap import Yakuba
from yakuba.kernel import clock

from .conftest import Run, issue, pdf_text, person, tennyu


def _font_texts(pdf: bytes) -> str:
    """Every character the embedded font subsets can draw (their ToUnicode maps, decoded)."""
    from pypdf import PdfReader

    out: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
            chars = cmap.split("beginbfchar")[1].split("endbfchar")[0]
            for line in chars.strip().splitlines():
                out.append(bytes.fromhex(line.split("> <")[1].rstrip(">")).decode("utf-16-be"))
    return "".join(out)


def test_two_copies_in_a_row_share_no_text_or_glyph(yakuba: Yakuba, run: Run) -> None:
    first = tennyu(run, person(shi="鷗海", mei="鸚太", hittosha="鷗海　鸚太"))
    second = tennyu(run, person(shi="髙峯", mei="凜子", hittosha="髙峯　凜子", shi_kana="タカミネ"))
    one = issue(yakuba, kind="juminhyo", setai_no=first.setai_nos[0], requester_type="honnin")
    two = issue(yakuba, kind="juminhyo", setai_no=second.setai_nos[0], requester_type="honnin")
    text_one, text_two = pdf_text(one.pdf)[0], pdf_text(two.pdf)[0]
    assert "鷗海\u3000鸚太" in text_one and "髙峯\u3000凜子" in text_two
    assert not set("鷗鸚") & set(text_two) and not set("髙峯凜") & set(text_one)
    glyphs_one, glyphs_two = _font_texts(one.pdf), _font_texts(two.pdf)
    assert set("鷗鸚") <= set(glyphs_one) and set("髙峯凜") <= set(glyphs_two)
    assert not set("鷗鸚") & set(glyphs_two), "the second copy embeds glyphs of the first"
    assert not set("髙峯凜") & set(glyphs_one)


def test_a_character_drawn_without_a_font_stays_unprintable() -> None:
    """The per-character cache never turns an unprintable character into a printable one."""
    from yakuba.forms import font_set

    fonts = font_set()
    missing = "\U0002ebf0"
    fonts.runs(f"山{missing}")  # drawing without checking first (as a caller may) …
    assert fonts.missing(f"山{missing}") == [missing]  # … still reports it


def test_the_font_cache_belongs_to_the_font_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new font set (other files, e.g. a changed municipal.shomei.font_files) starts with no cache."""
    from yakuba.forms import fonts

    before = fonts.font_set()
    before.runs("青木")
    monkeypatch.setattr(fonts, "IPAMJ_PATHS", ())
    monkeypatch.setattr(fonts, "IPAEX_MINCHO_PATHS", ())
    fonts.font_set.cache_clear()
    try:
        after = fonts.font_set()
        assert after is not before and after.labels() == ["IPAexゴシック"]
        assert {name for name, _ in after.runs("青木")} == {after.primary.name}
    finally:
        fonts.font_set.cache_clear()


def test_subsetting_without_copying_the_glyph_table_gives_the_same_font() -> None:
    from reportlab.pdfbase.ttfonts import TTFontFace

    from yakuba.forms import font_set

    face = font_set().primary.font.face
    codes = [ord(c) for c in "住民票の写し青木太郎鷗髙𠮷 0123"]
    plain = TTFontFace(str(font_set().primary.path))
    assert face.makeSubset(codes) == plain.makeSubset(codes)


def _qrcode_modules(payload: str) -> list[list[bool]]:
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=1)
    code.add_data(payload)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.modules]


def test_the_qr_code_is_the_one_qrcode_makes() -> None:
    """Same version and the same mask pattern as ``qrcode``'s own penalty search, for many payloads."""
    from yakuba.forms.qr import qr_modules

    rng = random.Random(9)
    alphabet = string.ascii_letters + string.digits + "/:?=-_."
    payloads = ["https://example.lg.jp/verify/AbCdEfGhIjKlMnOp?code=ABCD-EFGH"]
    payloads += [
        "".join(rng.choice(alphabet) for _ in range(rng.choice((20, 70, 160, 300)))) for _ in range(40)
    ]
    for payload in payloads:
        assert qr_modules(payload) == _qrcode_modules(payload), payload


def test_the_qr_image_has_qrcodes_pixels() -> None:
    import qrcode

    from yakuba.forms import qr_image

    payload = "https://example.lg.jp/verify/AbCdEfGhIjKlMnOp?code=ABCD-EFGH"
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=1)
    code.add_data(payload)
    code.make(fit=True)
    expected = code.make_image(fill_color="black", back_color="white").get_image()
    ours = qr_image(payload)
    assert ours.getSize() == expected.size
    assert ours.getRGBData() == expected.convert("RGB").tobytes()


def _image_streams(pdf: bytes) -> list[bytes]:
    from pypdf import PdfReader

    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            image = xobject.get_object()
            out.append(image._data)
            if "/SMask" in image:
                out.append(image["/SMask"].get_object()._data)
    return out


def _canvas_pdf(draw: Any) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(200, 200))
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_the_cached_seal_is_drawimages_seal_and_follows_the_file(tmp_path: Path) -> None:
    from yakuba.forms.seal import draw_image_file

    seal = tmp_path / "seal.png"
    Image.new("RGBA", (40, 40), (200, 30, 30, 255)).save(seal)
    expected = _image_streams(_canvas_pdf(lambda c: c.drawImage(str(seal), 10, 10, 50, 50, mask="auto")))
    first = _image_streams(_canvas_pdf(lambda c: draw_image_file(c, seal, 10, 10, 50, 50)))
    again = _image_streams(_canvas_pdf(lambda c: draw_image_file(c, seal, 10, 10, 50, 50)))
    assert first == again == expected and len(expected) == 2  # the image and its soft mask
    replacement = tmp_path / "new.png"
    Image.new("RGBA", (40, 40), (0, 0, 200, 128)).save(replacement)
    shutil.move(replacement, seal)  # a municipality puts its real 公印 in place
    changed = _image_streams(_canvas_pdf(lambda c: draw_image_file(c, seal, 10, 10, 50, 50)))
    assert changed != first
    assert changed == _image_streams(
        _canvas_pdf(lambda c: c.drawImage(str(seal), 10, 10, 50, 50, mask="auto"))
    )


def _unsigned_pdf() -> bytes:
    return _canvas_pdf(lambda c: c.drawString(20, 100, "test"))


def _rsa_material(folder: Path) -> Any:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    from yakuba.forms import SigningMaterial

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "RSA 公印")])
    now = clock.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return SigningMaterial(folder / "key.pem", folder / "cert.pem")


def test_an_rsa_key_signs_through_the_template_too(tmp_path: Path) -> None:
    import asyncio

    from yakuba.forms import sign_pdf, verify_pdf
    from yakuba.forms.signing import _prepared

    material = _rsa_material(tmp_path / "rsa")
    signed = sign_pdf(_unsigned_pdf(), material, reason="r", location="l")
    assert verify_pdf(signed, material.cert_file.read_bytes()).valid
    assert asyncio.run(_prepared(material)).template is not None


def test_without_a_template_pyhanko_signs_every_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yakuba.forms import cms, ensure_material, sign_pdf, verify_pdf

    monkeypatch.setattr(cms, "cut_template", lambda *_a: None)
    material = ensure_material(tmp_path / "keys", "やくば町", "131016")
    signed = sign_pdf(_unsigned_pdf(), material, reason="r", location="l")
    assert verify_pdf(signed, material.cert_file.read_bytes()).valid


def test_a_replaced_key_pair_signs_the_next_copy(tmp_path: Path) -> None:
    from yakuba.forms import ensure_material, sign_pdf, verify_pdf

    material = ensure_material(tmp_path / "keys", "やくば町", "131016")
    old_root = material.cert_file.read_bytes()
    assert verify_pdf(sign_pdf(_unsigned_pdf(), material, reason="r", location="l"), old_root).valid
    other = ensure_material(tmp_path / "other", "やくば町", "131016")  # e.g. the LGPKI pair put in place
    shutil.copy(other.key_file, material.key_file)
    shutil.copy(other.cert_file, material.cert_file)
    signed = sign_pdf(_unsigned_pdf(), material, reason="r", location="l")
    assert verify_pdf(signed, other.cert_file.read_bytes()).valid
    assert not verify_pdf(signed, old_root).valid
