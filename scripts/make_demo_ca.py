"""Writes the demo CA chain for the digital diplomas' PAdES signatures (docs/digital-diplomas.md,
"Certificates and tokens"): a demo root CA, a demo issuing CA under it, and one organisation
certificate with its private key per demo issuer of keys-example/demo.json, RSA-2048 with
SHA-256, valid until 2046, named in Vietnamese (O = the issuer's name, C = VN), with the
extensions a document-signing certificate carries, and an empty CRL from each CA.

- keys-example/doc-signing/: what a VANBANG_DOC_SIGNING_DIR holds: `<CODE>.key.pem` (PKCS#8)
  and `<CODE>.chain.pem` (the issuer's certificate, then the issuing CA, then the root), and
  `ca/` with the CA certificates and their CRLs.
- keys-example/doc-signing-ca/: the demo CAs' own keys, kept so that a demo issuer added later
  gets a certificate from the same chain (the script issues only what is missing).

Everything here is public: the service refuses these certificates in production.

Run: .venv/bin/python scripts/make_demo_ca.py            (adds what is missing)
     .venv/bin/python scripts/make_demo_ca.py --renew    (a new chain, every file anew)
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO = Path(__file__).resolve().parent.parent / "keys-example"
OUT = DEMO / "doc-signing"
CA_KEYS = DEMO / "doc-signing-ca"
# What the certificate is for: RFC 9336's id-kp-documentSigning, and emailProtection beside it
# because NSS (poppler's pdfsig, Evince, Okular, LibreOffice) accepts a signer's certificate
# only when its extended key usage names emailProtection or is absent ("Certificate type not
# approved for application" otherwise); Acrobat accepts emailProtection too. No clientAuth.
EXTENDED_KEY_USAGE = [
    x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36"),
    ExtendedKeyUsageOID.EMAIL_PROTECTION,
]


def _name(common_name: str, organization: str, config: dict[str, Any]) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, config["country"]),
            x509.NameAttribute(NameOID.LOCALITY_NAME, config["locality"]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key(path: Path, renew: bool) -> rsa.RSAPrivateKey:
    if path.is_file() and not renew:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return key


def _policies(config: dict[str, Any]) -> x509.CertificatePolicies:
    return x509.CertificatePolicies(
        [
            x509.PolicyInformation(
                x509.ObjectIdentifier(config["policy_oid"]),
                [x509.UserNotice(None, config["policy_notice"])],
            )
        ]
    )


def _certificate(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
    config: dict[str, Any],
    *,
    ca: bool,
    crl_name: str | None,
) -> x509.Certificate:
    public = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject if issuer is None else issuer.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.fromisoformat(config["not_before"]))
        .not_valid_after(datetime.fromisoformat(config["not_after"]))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(_policies(config), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    if crl_name is not None:
        url = config["crl_base_url"] + crl_name
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if ca:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=None if issuer is None else 0),
            critical=True,
        ).add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    else:
        builder = (
            builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,  # nonRepudiation
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage(EXTENDED_KEY_USAGE), critical=False)
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _crl(
    issuer: x509.Certificate, key: rsa.RSAPrivateKey, config: dict[str, Any]
) -> x509.CertificateRevocationList:
    """An empty CRL that stays current as long as the chain: the demo revokes nothing."""
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(datetime.fromisoformat(config["not_before"]))
        .next_update(datetime.fromisoformat(config["not_after"]))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _load_or_make(path: Path, renew: bool, make: Any) -> x509.Certificate:
    if path.is_file() and not renew:
        return x509.load_pem_x509_certificate(path.read_bytes())
    cert: x509.Certificate = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_pem(cert))
    return cert


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renew", action="store_true", help="make every key and certificate anew")
    renew = parser.parse_args().renew
    data = json.loads((DEMO / "demo.json").read_text(encoding="utf-8"))
    config = data["doc_signing"]

    root_key = _key(CA_KEYS / "root.key.pem", renew)
    root_name = _name(config["root"]["common_name"], config["root"]["organization"], config)
    root = _load_or_make(
        OUT / "ca" / "root.pem",
        renew,
        lambda: _certificate(root_name, root_key, None, root_key, config, ca=True, crl_name=None),
    )
    issuing_key = _key(CA_KEYS / "issuing.key.pem", renew)
    issuing_name = _name(
        config["issuing"]["common_name"], config["issuing"]["organization"], config
    )
    issuing = _load_or_make(
        OUT / "ca" / "issuing.pem",
        renew,
        lambda: _certificate(
            issuing_name, issuing_key, root, root_key, config, ca=True, crl_name="root.crl"
        ),
    )
    for cert, key, name in ((root, root_key, "root.crl"), (issuing, issuing_key, "issuing.crl")):
        crl_path = OUT / "ca" / name
        if renew or not crl_path.is_file():
            crl_path.write_bytes(_crl(cert, key, config).public_bytes(serialization.Encoding.PEM))

    for issuer in data["issuers"]:
        code = issuer["code"]
        chain_path = OUT / f"{code}.chain.pem"
        if chain_path.is_file() and not renew:
            continue
        key = _key(OUT / f"{code}.key.pem", True)
        subject = _name(issuer["name"], issuer["name"], config)
        cert = _certificate(
            subject, key, issuing, issuing_key, config, ca=False, crl_name="issuing.crl"
        )
        chain_path.write_bytes(_pem(cert) + _pem(issuing) + _pem(root))
        print(f"{code}: {cert.subject.rfc4514_string()}")


if __name__ == "__main__":
    main()
