"""The CMS SignedData of a PAdES signature, cut into a template once per key and refilled per copy.

pyHanko builds the container through asn1crypto on every copy, and once more as a dry run to size the
placeholder (about 60 ms a certificate). :func:`cut_template` cuts pyHanko's own dry-run container into
the DER pieces that never change; :meth:`CmsTemplate.container` puts in a new digest and signature.
Used by :mod:`yakuba.forms.signing` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec


def der(tag: int, content: bytes) -> bytes:
    """One DER TLV (definite length)."""
    size = len(content)
    if size < 0x80:
        return bytes((tag, size)) + content
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(octets))) + octets + content


# The signed attributes a PAdES B-B container of pyHanko carries; none of them changes between copies
# except the message digest. A template with anything else (a signing time …) is not used.
_CONSTANT_ATTRS = frozenset(
    {"content_type", "signing_certificate_v2", "signing_certificate", "cms_algorithm_protection"}
)


@dataclass(frozen=True)
class CmsTemplate:
    """pyHanko's CMS SignedData for one key, cut into the DER pieces that never change.

    :meth:`container` puts a new message digest into the signed attributes, signs their DER with the key
    (the same algorithm pyHanko chose: ECDSA or RSA PKCS#1 v1.5 with SHA-256) and reassembles the bytes
    in pyHanko's order. :func:`cut_template` checks, when it is made, that reassembling the dry run with
    its own digest and signature gives back pyHanko's bytes exactly; otherwise pyHanko signs every copy.
    """

    content_type: bytes  # the OID signedData, DER
    head: bytes  # SignedData: version, digestAlgorithms, encapContentInfo, certificates (and crls)
    signer_head: bytes  # SignerInfo: version, sid, digestAlgorithm
    attrs_before: bytes  # signed attributes before the message digest
    digest_oid: bytes  # the attribute type messageDigest, DER
    attrs_after: bytes
    signer_tail: bytes  # SignerInfo: signatureAlgorithm
    algorithm: str  # "ecdsa" or "rsa"

    def signed_attrs(self, digest: bytes) -> bytes:
        """The signed attributes as the SET OF that the signature covers."""
        message_digest = der(0x30, self.digest_oid + der(0x31, der(0x04, digest)))
        return der(0x31, self.attrs_before + message_digest + self.attrs_after)

    def assemble(self, digest: bytes, signature: bytes) -> bytes:
        attrs = self.signed_attrs(digest)
        signer_info = der(
            0x30, self.signer_head + b"\xa0" + attrs[1:] + self.signer_tail + der(0x04, signature)
        )
        signed_data = der(0x30, self.head + der(0x31, signer_info))
        return der(0x30, self.content_type + der(0xA0, signed_data))

    def container(self, digest: bytes, key: Any) -> bytes:
        from cryptography.hazmat.primitives.asymmetric import padding

        attrs = self.signed_attrs(digest)
        if self.algorithm == "ecdsa":
            signature = key.sign(attrs, ec.ECDSA(hashes.SHA256()))
        else:
            signature = key.sign(attrs, padding.PKCS1v15(), hashes.SHA256())
        return self.assemble(digest, signature)


def cut_template(info: Any, raw: bytes, key: Any) -> CmsTemplate | None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    signed = info["content"]
    signer_infos = signed["signer_infos"]
    if len(signer_infos) != 1:
        return None
    signer_info = signer_infos[0]
    algorithm = signer_info["signature_algorithm"]["algorithm"].native
    if signer_info["digest_algorithm"]["algorithm"].native != "sha256":
        return None
    if algorithm == "sha256_ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
        kind = "ecdsa"
    elif algorithm == "sha256_rsa" and isinstance(key, rsa.RSAPrivateKey):
        kind = "rsa"
    else:
        return None
    if signer_info["unsigned_attrs"].native is not None:
        return None
    attrs = list(signer_info["signed_attrs"])
    types = [a["type"].native for a in attrs]
    if types.count("message_digest") != 1 or any(
        t not in _CONSTANT_ATTRS for t in types if t != "message_digest"
    ):
        return None
    at = types.index("message_digest")
    template = CmsTemplate(
        content_type=info["content_type"].dump(),
        head=b"".join(
            signed[f].dump()
            for f in ("version", "digest_algorithms", "encap_content_info", "certificates", "crls")
        ),
        signer_head=b"".join(signer_info[f].dump() for f in ("version", "sid", "digest_algorithm")),
        attrs_before=b"".join(a.dump() for a in attrs[:at]),
        digest_oid=attrs[at]["type"].dump(),
        attrs_after=b"".join(a.dump() for a in attrs[at + 1 :]),
        signer_tail=signer_info["signature_algorithm"].dump(),
        algorithm=kind,
    )
    digest = attrs[at]["values"][0].native
    if template.assemble(digest, signer_info["signature"].native) != raw:
        return None
    return template
