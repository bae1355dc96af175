"""Issued PDFs carry a PAdES signature; any altered byte makes the offline verification fail."""

from __future__ import annotations

import io
import stat
from pathlib import Path
from typing import Any

from yakuba.bootstrap import Yakuba

from .conftest import issue


def _material(yakuba: Yakuba) -> Any:
    from yakuba.forms import ensure_material

    settings = yakuba.settings
    return ensure_material(settings.key_dir, settings.municipality_name, settings.municipality_code)


def _signature_gap(pdf: bytes) -> tuple[int, int]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    byte_range = [
        int(v) for v in PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].sig_object["/ByteRange"]
    ]
    return byte_range[1], byte_range[2]


def test_an_issued_pdf_verifies_and_one_changed_byte_anywhere_breaks_it(yakuba: Yakuba, aoki: Any) -> None:
    from yakuba.forms import verify_pdf

    pdf = issue(yakuba, kind="juminhyo", setai_no=aoki.setai_nos[0], requester_type="honnin").pdf
    root = _material(yakuba).cert_file.read_bytes()
    good = verify_pdf(pdf, root)
    assert good.valid and good.intact and good.trusted and good.whole_file
    assert good.signer is not None and "やくば町" in good.signer
    start, end = _signature_gap(pdf)
    positions = [
        0,  # %PDF header
        len(pdf) // 4,  # page content / fonts
        start - 40,  # the signature dictionary (ByteRange, SubFilter …)
        start + 1,  # first hex digit of the CMS signature
        (start + end) // 2,  # inside the CMS
        end - 3,  # the zero padding after the CMS
        len(pdf) - 2,  # the trailer
    ]
    for position in positions:
        for mask in (0x01, 0x20):  # a different digit, or the same hex digit in lower case
            changed = bytearray(pdf)
            changed[position] ^= mask
            assert not verify_pdf(bytes(changed), root).valid, (position, mask)
    assert not verify_pdf(pdf + b"\n% appended\n", root).valid


def test_another_municipalitys_certificate_is_not_a_trust_root(
    yakuba: Yakuba, aoki: Any, tmp_path: Path
) -> None:
    from yakuba.forms import ensure_material, verify_pdf

    pdf = issue(yakuba, kind="juminhyo", setai_no=aoki.setai_nos[0], requester_type="honnin").pdf
    other = ensure_material(tmp_path / "other", "よそ村", "131016").cert_file.read_bytes()
    result = verify_pdf(pdf, other)
    assert not result.valid and not result.trusted


def test_the_key_is_made_once_outside_the_repository_and_private(yakuba: Yakuba, aoki: Any) -> None:
    issue(yakuba, kind="juminhyo", setai_no=aoki.setai_nos[0], requester_type="honnin")
    material = _material(yakuba)
    assert material.key_file.is_relative_to(yakuba.settings.key_dir)
    assert stat.S_IMODE(material.key_file.stat().st_mode) == 0o600
    before = material.key_file.read_bytes()
    issue(yakuba, kind="juminhyo", setai_no=aoki.setai_nos[0], requester_type="honnin")
    assert _material(yakuba).key_file.read_bytes() == before
    repo = Path(__file__).resolve().parents[2]
    assert not list((repo / "src").rglob("signing_key.pem"))
