"""Independent checks of PAdES signatures for the tests: poppler's pdfsig (NSS, with a root
trusted in an NSS database made by certutil) and pyHanko's validator; a real PKCS#11 token
(SoftHSM2) holding a key imported with softhsm2-util; and small PDFs made with fpdf2."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from fpdf import FPDF
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from service.docsign.registry import DocSigners, DocSigningConfig
from service.docsign.signers import DocumentSigner

ROOT = Path(__file__).resolve().parent.parent
DEMO_SIGNING = ROOT / "keys-example" / "doc-signing"
SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TEXT = "Van bang so: ban thu"  # an uncompressed line a test can find and change
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def own_certificate(
    directory: Path, code: str, key: PrivateKey, organisation: str = "Own CA"
) -> tuple[Path, Path, bytes]:
    """A self-signed certificate of an organisation's own (not the demo chain's), written as
    `code.key.pem` and `code.chain.pem` in `directory`; returns their paths and its DER."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=730))
        # digitalSignature and nonRepudiation (the first two), as docsign/pades.py asks.
        .add_extension(x509.KeyUsage(True, True, *[False] * 7), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    key_path, chain_path = directory / f"{code}.key.pem", directory / f"{code}.chain.pem"
    write_secret(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    chain_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, chain_path, cert.public_bytes(serialization.Encoding.DER)


def write_secret(path: Path, data: bytes) -> None:
    """A secret file as an operator keeps it: readable by its owner only (the service
    refuses one others may read, service/keyfiles.py)."""
    path.write_bytes(data)
    path.chmod(0o600)


def demo_doc_signer(issuer: str) -> DocumentSigner:
    """A demo issuer's document signer, from the demo CA chain in keys-example/."""
    signer = DocSigners(
        DocSigningConfig(directory=DEMO_SIGNING / "none-of-its-own", demo_directory=DEMO_SIGNING),
        demo_dir=ROOT / "keys-example",
    ).doc_signer_for(issuer)
    assert signer is not None
    return signer


def small_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_compression(False)
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=TEXT)
    return bytes(pdf.output())


def changed_content(pdf: bytes) -> bytes:
    """One byte of a content stream changed, inside the first signed range."""
    at = pdf.index(b"stream\n") + 20
    assert at < pdf.index(b"/ByteRange")
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]


def tampered(signed: bytes) -> bytes:
    """The signed document with one byte of its signed content changed."""
    at = signed.index(TEXT.encode())
    assert at < signed.index(b"/ByteRange")  # inside the first signed range
    return signed[:at] + b"W" + signed[at + 1 :]


def need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"{tool} is missing: ./scripts/test installs it (scripts/_browser.sh)")
    return found


@dataclass(frozen=True)
class Pdfsig:
    """pdfsig with an NSS database of its own that trusts one root."""

    nssdir: Path

    @classmethod
    def trusting(cls, directory: Path, root_pem: bytes) -> Pdfsig:
        certutil = need("certutil")
        directory.mkdir(parents=True)
        root = directory / "root.pem"
        root.write_bytes(root_pem)
        subprocess.run([certutil, "-N", "-d", f"sql:{directory}", "--empty-password"], check=True)
        subprocess.run(
            [certutil, "-A", "-d", f"sql:{directory}", "-n", "root", "-t", "C,C,C", "-i", root],
            check=True,
        )
        return cls(directory)

    def check(self, pdf: bytes, where: Path) -> str:
        where.write_bytes(pdf)
        result = subprocess.run(
            [need("pdfsig"), "-no-ocsp", "-nssdir", f"sql:{self.nssdir}", str(where)],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout + result.stderr


def pyhanko_status(pdf: bytes, root: asn1_x509.Certificate) -> PdfSignatureStatus:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    (signature,) = reader.embedded_regular_signatures
    return validate_pdf_signature(
        signature, ValidationContext(trust_roots=[root], allow_fetching=False)
    )


async def lta_validation(pdf: bytes, root: asn1_x509.Certificate) -> Any:
    """pyHanko's AdES long-term validation of the document's signature against `root`, from
    what the file embeds alone (revocation data required, nothing fetched)."""
    from pyhanko.sign.validation.ades import ades_lta_validation
    from pyhanko.sign.validation.policy_decl import (
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator.authority import CertTrustAnchor
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.policy_decl import (
        CertRevTrustPolicy,
        RevocationCheckingPolicy,
        RevocationCheckingRule,
    )
    from pyhanko_certvalidator.registry import SimpleTrustManager

    required = RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
    )
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=[CertTrustAnchor(root)]),
        revinfo_policy=CertRevTrustPolicy(required),
    )
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
        )
    )
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    (signature,) = reader.embedded_regular_signatures
    return await ades_lta_validation(signature, spec)


@dataclass(frozen=True)
class SoftHsm:
    module: str
    token: str
    pin: str
    conf: Path


def softhsm_token(directory: Path) -> SoftHsm:
    """A fresh SoftHSM2 token in `directory` (SOFTHSM2_CONF must point at its config before
    the module is first loaded in this process: the caller sets it)."""
    util = need("softhsm2-util")
    if not SOFTHSM_MODULE.is_file():
        pytest.fail(f"{SOFTHSM_MODULE} is missing: Debian's softhsm2 installs it")
    tokens = directory / "tokens"
    tokens.mkdir(parents=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    hsm = SoftHsm(str(SOFTHSM_MODULE), "vanbang-test", "1234", conf)
    subprocess.run(
        [
            util,
            "--init-token",
            "--free",
            "--label",
            hsm.token,
            "--so-pin",
            "12345678",
            "--pin",
            hsm.pin,
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "SOFTHSM2_CONF": str(conf)},
    )
    return hsm


def import_into_token(hsm: SoftHsm, label: str, key_pem: Path, cert_der: bytes) -> None:
    """The key with softhsm2-util --import (a PKCS#8 PEM, as an operator would), the
    certificate with python-pkcs11 (softhsm2-util imports keys only), both labelled `label`."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    key_id = label.encode().hex()
    subprocess.run(
        [
            need("softhsm2-util"),
            "--import",
            str(key_pem),
            "--token",
            hsm.token,
            "--label",
            label,
            "--id",
            key_id,
            "--pin",
            hsm.pin,
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "SOFTHSM2_CONF": str(hsm.conf)},
    )
    cert = asn1_x509.Certificate.load(cert_der)
    token = pkcs11.lib(hsm.module).get_token(token_label=hsm.token)
    with token.open(rw=True, user_pin=hsm.pin) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: label,
                Attribute.ID: bytes.fromhex(key_id),
                Attribute.SUBJECT: cert.subject.dump(),
                Attribute.VALUE: cert_der,
            }
        )
