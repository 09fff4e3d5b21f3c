"""PAdES signatures with the issuers' X.509 certificates (service/docsign/): from the demo PEM
chain, a PKCS#12 file, a key on a real PKCS#11 token (SoftHSM2) and the remote-signing seam;
each checked by poppler's pdfsig and by pyHanko's validator against the root, and refused by
both once a byte changes. With a timestamp authority and CRL/OCSP served on loopback
(certomancer), the signature reaches B-LTA and validates from what it embeds alone."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from cryptography.hazmat.primitives.serialization import pkcs12

from service.docsign.pades import FORMAT, async_sign_pdf, sign_pdf
from service.docsign.registry import (
    DemoCertificateError,
    DocSigners,
    DocSigningConfig,
    doc_signers_for,
    refuse_demo_certificates,
)
from service.docsign.signers import (
    DocumentSigner,
    DocumentSignerError,
    from_pem,
    from_remote,
    load_certificates,
)
from service.settings import Settings, SettingsError
from tests.conftest import ROOT
from tests.pki import running_pki
from tests.signing_tools import (
    DEMO_SIGNING,
    Pdfsig,
    SoftHsm,
    import_into_token,
    lta_validation,
    own_certificate,
    pyhanko_status,
    small_pdf,
    tampered,
    write_secret,
)

ISSUER = "SGDDT-HN"
DEMO_ROOT_PEM = (DEMO_SIGNING / "ca" / "root.pem").read_bytes()
DEMO_ROOT = load_certificates(DEMO_ROOT_PEM)[0]
DEMO_KEY = DEMO_SIGNING / f"{ISSUER}.key.pem"
DEMO_CHAIN = DEMO_SIGNING / f"{ISSUER}.chain.pem"


def demo_signers(**config: Any) -> DocSigners:
    """Signers from a directory of the test's own, with the demo chain behind it."""
    return DocSigners(
        DocSigningConfig(demo_directory=DEMO_SIGNING, **config), demo_dir=ROOT / "keys-example"
    )


def assert_both_accept(pdf: bytes, tmp_path: Path, root_pem: bytes = DEMO_ROOT_PEM) -> None:
    pdfsig = Pdfsig.trusting(tmp_path / "nss", root_pem)
    report = pdfsig.check(pdf, tmp_path / "signed.pdf")
    assert "Signature Validation: Signature is Valid." in report, report
    assert "Certificate Validation: Certificate is Trusted." in report, report
    assert "Signature Type: ETSI.CAdES.detached" in report, report  # PAdES, not adbe.pkcs7
    status = pyhanko_status(pdf, load_certificates(root_pem)[0])
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.bottom_line
    # The bad copy fails in both.
    report = pdfsig.check(tampered(pdf), tmp_path / "changed.pdf")
    assert "Signature Validation: Digest Mismatch." in report, report
    status = pyhanko_status(tampered(pdf), load_certificates(root_pem)[0])
    assert not status.intact
    assert not status.bottom_line


def test_the_demo_pem_chain_signs_and_without_a_tsa_the_result_says_b_b(tmp_path: Path) -> None:
    signers = demo_signers(directory=tmp_path / "own")
    signer = signers.doc_signer_for(ISSUER)
    assert signer is not None
    assert signer.source == "pem"
    assert [c.subject.native["organization_name"] for c in signer.chain] == [
        "Sở Giáo dục và Đào tạo Hà Nội",
        "vanbang – dữ liệu mẫu công khai",
        "vanbang – dữ liệu mẫu công khai",
    ]
    assert not signer.fetch_revocation  # the demo's CRL addresses are on a reserved domain

    document = small_pdf()  # made once: its creation date is the second it is made
    signed = sign_pdf(document, signer)

    assert signed.pdf.startswith(document)  # an incremental update of the document
    assert signed.level.level == "B-B"
    assert signed.level.name == f"{FORMAT} B-B"
    assert not signed.level.timestamped
    assert not signed.level.archive_timestamp
    # No timestamp, but the demo CAs' CRLs are embedded (the "plus what can be embedded").
    assert signed.level.revocation_embedded
    assert_both_accept(signed.pdf, tmp_path)


def test_a_pkcs12_file_signs_with_its_passphrase_file(tmp_path: Path) -> None:
    own = tmp_path / "own"
    own.mkdir()
    key = serialization.load_pem_private_key(DEMO_KEY.read_bytes(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    certs = [
        x509.load_der_x509_certificate(c.dump()) for c in load_certificates(DEMO_CHAIN.read_bytes())
    ]
    passphrase = b"mat-khau-thu"
    write_secret(
        own / f"{ISSUER}.p12",
        pkcs12.serialize_key_and_certificates(
            ISSUER.encode(),
            key,
            certs[0],
            certs[1:],
            serialization.BestAvailableEncryption(passphrase),
        ),
    )
    # Without its passphrase the file cannot be opened, and the lookup says so.
    with pytest.raises(DocumentSignerError, match="PKCS#12"):
        demo_signers(directory=own).doc_signer_for(ISSUER)
    (own / f"{ISSUER}.pass").write_bytes(passphrase + b"\n")
    # Readable by others, the passphrase is refused, saying how to fix it.
    with pytest.raises(DocumentSignerError, match="chmod 600"):
        demo_signers(directory=own).doc_signer_for(ISSUER)
    (own / f"{ISSUER}.pass").chmod(0o600)

    signer = demo_signers(directory=own).doc_signer_for(ISSUER)

    assert signer is not None
    assert signer.source == "pkcs12"  # the issuer's own file comes before the demo's
    assert len(signer.chain) == 3
    assert_both_accept(sign_pdf(small_pdf(), signer).pdf, tmp_path)


def test_a_key_on_a_pkcs11_token_signs(softhsm: SoftHsm, tmp_path: Path) -> None:
    label = f"{ISSUER}-token"
    import_into_token(
        softhsm, label, DEMO_KEY, load_certificates(DEMO_CHAIN.read_bytes())[0].dump()
    )
    own = tmp_path / "own"
    shutil.copytree(DEMO_SIGNING / "ca", own / "ca")  # the CA certificates complete the chain
    (own / f"{ISSUER}.pkcs11").write_text(label + "\n")
    config = DocSigningConfig(
        directory=own,
        pkcs11_module=softhsm.module,
        pkcs11_token=softhsm.token,
        pkcs11_pin=softhsm.pin,
    )
    signers = DocSigners(config, demo_dir=ROOT / "keys-example")
    try:
        signer = signers.doc_signer_for(ISSUER)
        assert signer is not None
        assert signer.source == "pkcs11"
        assert len(signer.chain) == 3
        signed = sign_pdf(small_pdf(), signer)
        # No key labelled with this issuer's code on the token, and no demo behind: none.
        assert signers.doc_signer_for("DHSPHN") is None
        # A label written down must be on the token.
        (own / "BGDDT.pkcs11").write_text("no-such-label\n")
        with pytest.raises(DocumentSignerError, match="no-such-label"):
            signers.doc_signer_for("BGDDT")
    finally:
        signers.close()
    assert signed.level.revocation_embedded  # the CRLs in ca/
    assert_both_accept(signed.pdf, tmp_path)


def test_a_wrong_pin_or_token_is_refused(softhsm: SoftHsm, tmp_path: Path) -> None:
    for token, pin in ((softhsm.token, "0000"), ("no-such-token", softhsm.pin)):
        config = DocSigningConfig(
            directory=tmp_path, pkcs11_module=softhsm.module, pkcs11_token=token, pkcs11_pin=pin
        )
        with pytest.raises(DocumentSignerError, match="cannot open the PKCS#11 token"):
            DocSigners(config).doc_signer_for(ISSUER)
    config = DocSigningConfig(directory=tmp_path, pkcs11_module=softhsm.module)
    with pytest.raises(DocumentSignerError, match="VANBANG_PKCS11_TOKEN"):
        DocSigners(config).doc_signer_for(ISSUER)


class KeyOnAnotherMachine:
    """A RemoteSigning service for the test: it holds the key and signs digests."""

    def __init__(self) -> None:
        key = serialization.load_pem_private_key(DEMO_KEY.read_bytes(), None)
        assert isinstance(key, rsa.RSAPrivateKey)
        self._key = key
        self.digests: list[bytes] = []

    def certificate_chain(self) -> list[bytes]:
        return [c.dump() for c in load_certificates(DEMO_CHAIN.read_bytes())]

    async def sign_digest(self, digest: bytes, digest_algorithm: str) -> bytes:
        assert digest_algorithm == "sha256"
        self.digests.append(digest)
        return self._key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))


def test_the_remote_signing_seam_signs_digests(tmp_path: Path) -> None:
    remote = KeyOnAnotherMachine()
    signer = from_remote(ISSUER, remote)
    assert signer.source == "remote"
    signed = sign_pdf(small_pdf(), signer)
    assert len(remote.digests) == 1  # sizing the signature asked nothing of the service
    status = pyhanko_status(signed.pdf, DEMO_ROOT)
    assert status.bottom_line


async def test_with_a_timestamp_authority_and_revocation_online_it_reaches_b_lta(
    tmp_path: Path,
) -> None:
    async with running_pki(tmp_path) as pki:
        signer = from_pem(ISSUER, pki.signer_key_pem(), pki.chain_pem(), None)
        assert signer.fetch_revocation  # its CRL and OCSP addresses are the loopback server's
        signed = await async_sign_pdf(small_pdf(), signer, tsa_url=pki.tsa_url)
    # The server is gone: what follows is checked from the document alone.
    assert signed.level.level == "B-LTA"
    assert signed.level.timestamped
    assert signed.level.revocation_embedded
    assert signed.level.archive_timestamp

    root = asn1_x509.Certificate.load(pki.cert_der("root"))
    result = await lta_validation(signed.pdf, root)
    assert result.ades_subindic.status.name == "PASSED", result.failure_msg
    assert result.signature_timestamp_status is not None
    assert result.oldest_evidence_record_timestamp is not None  # the document timestamp

    # Changed after signing: the LTV validation fails too.
    result = await lta_validation(tampered(signed.pdf), root)
    assert result.ades_subindic.status.name != "PASSED"


def _self_signed(directory: Path, bits: int = 2048) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    key_path, chain_path, _ = own_certificate(directory, ISSUER, key)
    return key_path, chain_path


def test_weak_or_mismatched_keys_are_refused(tmp_path: Path) -> None:
    key, chain = _self_signed(tmp_path, bits=1024)
    with pytest.raises(DocumentSignerError, match="1024 bits"):
        from_pem(ISSUER, key.read_bytes(), chain.read_bytes(), None)
    with pytest.raises(DocumentSignerError, match="not the certificate's key"):
        from_pem(ISSUER, DEMO_KEY.read_bytes(), chain.read_bytes(), None)


def test_production_refuses_the_demo_chain(tmp_path: Path) -> None:
    own = tmp_path / "own"
    own.mkdir()
    demo = ROOT / "keys-example"
    # A signer whose chain is the demo's: refused, wherever it came from.
    with pytest.raises(DocumentSignerError, match="public demo"):
        demo_signers(directory=own, production=True).doc_signer_for(ISSUER)
    # At start-up: the demo directory itself, a demo file copied in, a published demo
    # certificate.
    with pytest.raises(DemoCertificateError, match="points at the public demo"):
        refuse_demo_certificates(DocSigningConfig(directory=DEMO_SIGNING), demo, [])
    refuse_demo_certificates(DocSigningConfig(directory=own), demo, [])
    leaf = load_certificates(DEMO_CHAIN.read_bytes())[0]
    with pytest.raises(DemoCertificateError, match="published"):
        refuse_demo_certificates(DocSigningConfig(directory=own), demo, [leaf.dump()])
    shutil.copy(DEMO_CHAIN, own / f"{ISSUER}.chain.pem")
    with pytest.raises(DemoCertificateError, match="public demo chain"):
        refuse_demo_certificates(DocSigningConfig(directory=own), demo, [])
    # An organisation's own certificate is not the demo's.
    (own / f"{ISSUER}.chain.pem").unlink()
    _, chain = _self_signed(own)
    refuse_demo_certificates(
        DocSigningConfig(directory=own), demo, [load_certificates(chain.read_bytes())[0].dump()]
    )
    signer = DocSigners(DocSigningConfig(directory=own, production=True), demo).doc_signer_for(
        ISSUER
    )
    assert signer is not None
    assert signer.fetch_revocation


def test_the_settings_name_the_signing_sources(tmp_path: Path) -> None:
    settings = Settings.from_env({"VANBANG_KEYS_DIR": str(tmp_path)})
    assert settings.doc_signing_dir == tmp_path / "doc-signing"
    assert settings.tsa_url is None
    pin = tmp_path / "pin"
    write_secret(pin, b"1234\n")
    settings = Settings.from_env(
        {
            "VANBANG_DOC_SIGNING_DIR": str(tmp_path / "certs"),
            "VANBANG_PKCS11_MODULE": "/usr/lib/softhsm/libsofthsm2.so",
            "VANBANG_PKCS11_TOKEN": "vanbang",
            "VANBANG_PKCS11_PIN_FILE": str(pin),
            "VANBANG_TSA_URL": "http://127.0.0.1:9/tsa",
        }
    )
    config = DocSigningConfig.from_settings(settings, None)
    assert config.directory == tmp_path / "certs"
    assert config.pkcs11_pin == "1234"
    assert config.tsa_url == "http://127.0.0.1:9/tsa"
    assert doc_signers_for(settings).config.demo_directory == DEMO_SIGNING
    with pytest.raises(SettingsError, match="not both"):
        Settings.from_env({"VANBANG_PKCS11_PIN_FILE": str(pin), "VANBANG_PKCS11_PIN": "1"})
    with pytest.raises(SettingsError, match="VANBANG_TSA_URL"):
        Settings.from_env({"VANBANG_TSA_URL": "tsa.example"})


def test_the_demo_chain_is_as_documented() -> None:
    """Every demo issuer has a certificate (RSA-2048, to 2046, O = its name, C = VN) with the
    key usages of a document-signing certificate, from the demo issuing CA."""
    import json

    data = json.loads((ROOT / "keys-example" / "demo.json").read_text(encoding="utf-8"))
    issuing = load_certificates((DEMO_SIGNING / "ca" / "issuing.pem").read_bytes())[0]
    for issuer in data["issuers"]:
        chain = load_certificates((DEMO_SIGNING / f"{issuer['code']}.chain.pem").read_bytes())
        leaf = chain[0]
        subject = leaf.subject.native
        assert subject["organization_name"] == issuer["name"]
        assert subject["country_name"] == "VN"
        assert leaf.public_key.bit_size == 2048
        assert leaf.not_valid_after.year == 2046
        assert leaf.key_usage_value.native == {"digital_signature", "non_repudiation"}
        assert "1.3.6.1.5.5.7.3.36" in leaf.extended_key_usage_value.native  # documentSigning
        assert leaf.issuer == issuing.subject
        assert chain[-1].dump() == DEMO_ROOT.dump()


def test_one_signer_per_issuer_signs_many_documents(tmp_path: Path) -> None:
    signers = demo_signers(directory=tmp_path)
    signer = signers.doc_signer_for(ISSUER)
    assert isinstance(signer, DocumentSigner)
    assert signers.doc_signer_for(ISSUER) is signer  # found once, kept
    first, second = (sign_pdf(small_pdf(), signer).pdf for _ in range(2))
    assert first != second  # each signature its own (signing time, signature value)
    for pdf in (first, second):
        assert pyhanko_status(pdf, DEMO_ROOT).bottom_line
