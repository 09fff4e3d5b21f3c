"""Issuers' document-signing certificates in the trust list, offline: a list carries them
as DER beside the keys and says whose each is; a list without them keeps its bytes and still
loads; an entry naming an unknown issuer or holding no certificate is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from verifier import TrustedCertificate, TrustedIssuer, TrustList, TrustListError
from verifier._cbor import canonical, decode
from verifier.trust_list import encode_trust_list, sign_trust_list

ROOT = Path(__file__).resolve().parent.parent.parent
LEAF_PEM = (ROOT / "keys-example" / "doc-signing" / "SGDDT-HN.chain.pem").read_text()
ISSUERS = [
    TrustedIssuer("SGDDT-HN", "Sở Giáo dục và Đào tạo Hà Nội", "provincial_department", None)
]
AT = datetime(2026, 1, 1, tzinfo=UTC)


def _der() -> bytes:
    from base64 import b64decode

    body = LEAF_PEM.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    return b64decode("".join(body.split()))


def _load(payload: bytes, root: Ed25519PrivateKey) -> TrustList:
    return TrustList.from_bytes(sign_trust_list(payload, root), root_key=root.public_key())


def test_a_list_says_whose_each_certificate_is() -> None:
    root = Ed25519PrivateKey.generate()
    der = _der()
    payload = encode_trust_list(
        ISSUERS, [], updated_at=AT, certificates=[TrustedCertificate("SGDDT-HN", der)]
    )
    assert decode(payload, what="list")["certs"] == [{"issuer": "SGDDT-HN", "der": der}]
    trust = _load(payload, root)
    assert trust.issuer_of_certificate(der) == "SGDDT-HN"
    (published,) = trust.certificates_of("SGDDT-HN")
    assert published.certificate().subject.rfc4514_string().startswith("CN=Sở Giáo dục")
    assert trust.issuer_of_certificate(der[:-1] + b"\x00") is None


def test_a_list_without_certificates_keeps_its_bytes_and_loads() -> None:
    root = Ed25519PrivateKey.generate()
    payload = encode_trust_list(ISSUERS, [], updated_at=AT)
    assert payload == encode_trust_list(ISSUERS, [], updated_at=AT, certificates=())
    assert "certs" not in decode(payload, what="list")
    assert _load(payload, root).certificates == {}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"issuer": "NOPE", "der": b"x"}, "does not match"),
        ({"issuer": "SGDDT-HN", "der": "text"}, "does not match"),
        ({"issuer": "SGDDT-HN", "der": b"not a certificate"}, "not well-formed"),
    ],
)
def test_a_bad_certificate_entry_is_refused(entry: dict[str, object], message: str) -> None:
    root = Ed25519PrivateKey.generate()
    body = decode(encode_trust_list(ISSUERS, [], updated_at=AT), what="list")
    body["certs"] = [entry]
    with pytest.raises(TrustListError, match=message):
        _load(canonical(body), root)
