"""PAdES signatures on issued PDFs, and their offline verification.

The municipality's signing key and a self-signed certificate are made at first use in
``settings.key_dir/shomei/`` (mode 0600, outside the repository; ``/var/`` is git-ignored). A
municipality that has a certificate from its CA (e.g. LGPKI) puts its key and certificate there instead.
:func:`verify_pdf` validates with that certificate as the only trust root and needs no network: a
changed byte anywhere in the file, or anything appended after the signature, makes it fail.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io
import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from yakuba.forms import cms
from yakuba.kernel import clock

KEY_FILE = "signing_key.pem"
CERT_FILE = "signing_cert.pem"
_LOCK = threading.Lock()


@dataclass(frozen=True)
class SigningMaterial:
    key_file: Path
    cert_file: Path


@dataclass(frozen=True)
class VerifyResult:
    """What an offline check of a PDF found. ``valid`` is the bottom line."""

    valid: bool
    intact: bool
    trusted: bool
    whole_file: bool
    signer: str | None
    signed_at: dt.datetime | None
    reason: str


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def ensure_material(key_dir: Path, municipality_name: str, municipality_code: str) -> SigningMaterial:
    """The key and certificate, generated (EC P-256, self-signed, 10 years) when the folder has none."""
    folder = key_dir / "shomei"
    material = SigningMaterial(folder / KEY_FILE, folder / CERT_FILE)
    if material.key_file.is_file() and material.cert_file.is_file():
        return material
    with _LOCK:
        if material.key_file.is_file() and material.cert_file.is_file():
            return material
        key_dir.mkdir(parents=True, exist_ok=True)
        staging = key_dir / f".shomei.{secrets.token_hex(4)}.tmp"
        staging.mkdir(mode=0o700)
        key, cert = _self_signed(municipality_name, municipality_code)
        _write_private(
            staging / KEY_FILE,
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        )
        _write_private(staging / CERT_FILE, cert.public_bytes(serialization.Encoding.PEM))
        try:
            os.rename(staging, folder)  # atomic: another process that won the race keeps its pair
        except OSError:
            for name in (KEY_FILE, CERT_FILE):
                (staging / name).unlink(missing_ok=True)
            staging.rmdir()
    return material


def _self_signed(name: str, code: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"{name}（{code}）"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{name} 証明書発行用電子公印"),
        ]
    )
    now = clock.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def sign_pdf(pdf: bytes, material: SigningMaterial, *, reason: str, location: str) -> bytes:
    """The PDF with a PAdES baseline (B-B) signature covering the whole file.

    pyHanko writes the incremental update (signature field, ``/ByteRange``, ``/M``) and digests it; the
    CMS container comes from :class:`yakuba.forms.cms.CmsTemplate`, pyHanko's own container for this key
    with only the message digest and the signature value replaced. Building it again through asn1crypto
    on every copy, and once more as a dry run to size the placeholder, took about 60 ms of a certificate.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import PdfTBSDocument

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name="YakubaKoin",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )

    async def sign() -> bytes:
        prepared = await _prepared(material)
        template = prepared.template
        if template is None:  # a key type the template does not handle: pyHanko does it all
            out = await signers.PdfSigner(meta, signer=prepared.signer).async_sign_pdf(
                writer, bytes_reserved=prepared.bytes_reserved
            )
            return bytes(out.getvalue())
        output = io.BytesIO()
        digest, _tbs, _out = await signers.PdfSigner(
            meta, signer=prepared.signer
        ).async_digest_doc_for_signing(writer, bytes_reserved=prepared.bytes_reserved, output=output)
        container = template.container(digest.document_digest, prepared.key)
        await PdfTBSDocument.async_finish_signing(output, digest, container)
        return output.getvalue()

    # pyHanko's API is asynchronous; inside a running loop (an async caller) it runs in a worker thread.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(sign())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, sign()).result()


@dataclass(frozen=True)
class _Prepared:
    signer: Any  # pyhanko SimpleSigner
    key: Any
    template: cms.CmsTemplate | None
    bytes_reserved: int


_PREPARED: dict[tuple[object, ...], _Prepared] = {}


def _file_stamp(path: Path) -> tuple[object, ...]:
    info = path.stat()
    return (str(path), info.st_ino, info.st_size, info.st_mtime_ns)


async def _prepared(material: SigningMaterial) -> _Prepared:
    """The signer, key, CMS template and placeholder size of a key pair, made once per pair of files.

    Keyed by the files' inode, size and mtime: a municipality that puts its CA-issued key and
    certificate in place is signing with them from the next copy on.
    """
    stamp = (*_file_stamp(material.key_file), *_file_stamp(material.cert_file))
    found = _PREPARED.get(stamp)
    if found is not None:
        return found
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(str(material.key_file), str(material.cert_file))
    if signer is None:
        raise RuntimeError(f"署名鍵を読み込めません: {material.key_file}")
    key = serialization.load_pem_private_key(material.key_file.read_bytes(), password=None)
    dry_run, template = await _template(signer, key)
    # pyHanko's own estimate (a dry-run container, as hex, plus 50 %), computed once instead of per copy.
    test_len = len(dry_run) * 2
    prepared = _Prepared(signer, key, template, test_len + 2 * (test_len // 4))
    with _LOCK:
        if len(_PREPARED) > 16:
            _PREPARED.clear()
        _PREPARED[stamp] = prepared
    return prepared


async def _template(signer: Any, key: Any) -> tuple[bytes, cms.CmsTemplate | None]:
    """pyHanko's dry-run container for this key, and the template cut from it (None if it does not fit)."""
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    digest = hashes.Hash(hashes.SHA256()).finalize()
    info = await signer.async_sign(
        digest,
        "sha256",
        use_pades=True,
        dry_run=True,
        signed_attr_settings=PdfCMSSignedAttributes(signing_time=clock.now()),
    )
    raw = bytes(info.dump())
    try:
        return raw, cms.cut_template(info, raw, key)
    except Exception:  # an unexpected structure: keep pyHanko for every copy
        return raw, None


def load_certificate(material: SigningMaterial) -> x509.Certificate:
    return x509.load_pem_x509_certificate(material.cert_file.read_bytes())


def verify_pdf(data: bytes, trust_root_pem: bytes) -> VerifyResult:
    """Offline validation with ``trust_root_pem`` as the only trust anchor; never raises."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    def failed(reason: str) -> VerifyResult:
        return VerifyResult(False, False, False, False, None, None, reason)

    try:
        root = _load_pem(trust_root_pem)
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        if len(signatures) != 1:
            return failed(f"署名が{len(signatures)}個あります（1個であるべき）")
        problem = _contents_problem(data, signatures[0], root)
        if problem is not None:
            return failed(problem)
        context = ValidationContext(trust_roots=[root], allow_fetching=False, moment=clock.now())
        status = validate_pdf_signature(signatures[0], context)
    except SignatureValidationError as exc:
        return failed(f"署名を検証できません: {exc}")
    except Exception as exc:  # a damaged file must read as "not valid", whatever the parser says
        return failed(f"PDF または署名を読めません: {type(exc).__name__}: {exc}")
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    valid = bool(status.intact and status.valid and status.trusted and whole)
    reason = "有効" if valid else "改変されているか、信頼できない署名です"
    signer = status.signing_cert.subject.human_friendly if status.signing_cert is not None else None
    return VerifyResult(
        valid=valid,
        intact=bool(status.intact),
        trusted=bool(status.trusted),
        whole_file=whole,
        signer=signer,
        signed_at=status.signer_reported_dt,
        reason=reason,
    )


_HEX = re.compile(rb"[0-9A-F]*")


def _contents_problem(data: bytes, signature: Any, root: Any) -> str | None:
    """Why the signature value's bytes are not exactly what the signer wrote, or None.

    The ByteRange digest covers the whole file except the /Contents hex string, and CMS signs only part
    of its own structure. So the string must be upper-case hex, one DER value plus zero padding, with
    one signer, one digest algorithm, the trust root as the only certificate and no unsigned attributes:
    then no single changed byte anywhere in the file can leave the document valid.
    """
    from asn1crypto import cms as asn1_cms

    byte_range = [int(v) for v in signature.sig_object["/ByteRange"]]
    if len(byte_range) != 4 or byte_range[0] != 0:
        return "署名の対象範囲（ByteRange）が不正です"
    gap = data[byte_range[1] : byte_range[2]]
    if len(gap) < 2 or gap[:1] != b"<" or gap[-1:] != b">" or _HEX.fullmatch(gap[1:-1]) is None:
        return "署名値の格納部分が改変されています"
    raw = bytes.fromhex(gap[1:-1].decode("ascii"))
    info = asn1_cms.ContentInfo.load(raw, strict=False)
    # asn1crypto checks neither the outer tag nor whether the outer length swallowed padding zeros.
    children = len(info["content_type"].dump()) + len(info["content"].dump())
    if raw[:1] != b"\x30" or children != len(info.contents) or any(raw[len(info.dump()) :]):
        return "署名値の格納部分が改変されています"
    signed = info["content"]
    signers = signed["signer_infos"]
    certificates = signed["certificates"]
    if (
        info["content_type"].native != "signed_data"
        or signed["version"].native != "v1"
        or len(signers) != 1
        or signers[0]["version"].native != "v1"
        or signers[0]["unsigned_attrs"].native is not None
        or [a.dump() for a in signed["digest_algorithms"]] != [signers[0]["digest_algorithm"].dump()]
        or certificates.native is None
        or len(certificates) != 1
        or certificates[0].chosen.dump() != root.dump()
        or signed["crls"].native is not None
        or signed["encap_content_info"].native != {"content_type": "data", "content": None}
    ):
        return "署名の構造が発行時のものと異なります"
    return None


def _load_pem(data: bytes) -> object:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    der = pem.unarmor(data)[2] if pem.detect(data) else data
    return asn1_x509.Certificate.load(der)
