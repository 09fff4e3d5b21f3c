"""Where each issuer's document signer comes from: one lookup, `DocSigners.doc_signer_for`.

In VANBANG_DOC_SIGNING_DIR, for the issuer with code CODE, the first that exists of:

1. `CODE.p12` (or `CODE.pfx`), opened with the passphrase in `CODE.pass` when there is one;
2. `CODE.key.pem` and `CODE.chain.pem` (the issuer's certificate first, then its CAs), the key
   decrypted with `CODE.pass` when it is encrypted;
3. with VANBANG_PKCS11_MODULE set, the key and certificate labelled CODE (or the label written
   in `CODE.pkcs11`) on the token VANBANG_PKCS11_TOKEN, logged in with the PIN;
4. with the demo enabled, the same files in keys-example/doc-signing/ (the demo CA chain).

`ca/` in the directory holds CA certificates (`*.pem`, `*.crt`, `*.cer`) completing the
chains, trusted roots among them, and CRLs (`*.crl`) to embed when none can be fetched.
Revocation data is fetched from the addresses in the certificates, except the demo's.

In production every demo certificate is refused: a signer whose chain is the demo CA's, and
at start-up (`refuse_demo_certificates`) the demo directory, demo files in
VANBANG_DOC_SIGNING_DIR and demo certificates published in the trust list.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509

from service.docsign.signers import (
    DocumentSigner,
    DocumentSignerError,
    fingerprint,
    from_pem,
    from_pkcs11,
    from_pkcs12,
    load_certificates,
    load_crls,
    open_token,
)
from service.keyfiles import KeyFileModeError, read_secret
from service.resources import demo_dir
from service.settings import Settings

CA_DIR = "ca"
CERT_SUFFIXES = (".pem", ".crt", ".cer")


def demo_signing_dir(demo_dir: Path) -> Path:
    return demo_dir / "doc-signing"


@dataclass(frozen=True)
class DocSigningConfig:
    directory: Path
    demo_directory: Path | None = None  # keys-example/doc-signing when the demo is enabled
    pkcs11_module: str | None = None
    pkcs11_token: str | None = None
    pkcs11_pin: str | None = None
    tsa_url: str | None = None
    production: bool = False

    @classmethod
    def from_settings(cls, settings: Settings, demo_dir: Path | None) -> DocSigningConfig:
        pin = settings.pkcs11_pin
        if settings.pkcs11_pin_file is not None:
            try:
                pin = read_secret(settings.pkcs11_pin_file).decode("utf-8").strip()
            except KeyFileModeError as exc:
                raise DocumentSignerError(str(exc)) from None
        return cls(
            directory=settings.doc_signing_dir,
            demo_directory=demo_signing_dir(demo_dir) if demo_dir is not None else None,
            pkcs11_module=settings.pkcs11_module,
            pkcs11_token=settings.pkcs11_token,
            pkcs11_pin=pin,
            tsa_url=settings.tsa_url,
            production=settings.env == "production",
        )


@dataclass(frozen=True)
class _Authorities:
    """The CA certificates and CRLs of a signing directory's ca/."""

    certs: tuple[asn1_x509.Certificate, ...]
    crls: tuple[Any, ...]

    @classmethod
    def read(cls, directory: Path) -> _Authorities:
        folder = directory / CA_DIR
        if not folder.is_dir():
            return cls((), ())
        certs = [
            cert
            for path in sorted(folder.iterdir())
            if path.suffix in CERT_SUFFIXES
            for cert in load_certificates(path.read_bytes())
        ]
        crls = [
            crl for path in sorted(folder.glob("*.crl")) for crl in load_crls(path.read_bytes())
        ]
        return cls(tuple(certs), tuple(crls))


class DemoCertificates:
    """The demo CA chain's certificates: what production refuses."""

    def __init__(self, demo_directory: Path) -> None:
        cas = _Authorities.read(demo_directory).certs
        self._fingerprints = {fingerprint(c) for c in cas}
        self._key_ids = {c.key_identifier for c in cas if c.key_identifier is not None}

    def is_demo(self, cert: asn1_x509.Certificate) -> bool:
        """A demo CA's certificate, or one a demo CA issued."""
        return (
            fingerprint(cert) in self._fingerprints
            or cert.authority_key_identifier in self._key_ids
            or cert.key_identifier in self._key_ids
        )


class DocSigners:
    """Each issuer's document signer, found once and kept (a token's session stays open)."""

    def __init__(self, config: DocSigningConfig, demo_dir: Path | None = None) -> None:
        self.config = config
        self._demo = DemoCertificates(demo_signing_dir(demo_dir)) if demo_dir else None
        self._cache: dict[str, DocumentSigner] = {}
        self._session: Any = None
        self._lock = threading.Lock()

    def doc_signer_for(self, issuer_code: str) -> DocumentSigner | None:
        """The issuer's document signer, or None when nothing holds one."""
        with self._lock:
            found = self._cache.get(issuer_code)
            if found is None:
                found = self._find(issuer_code)
                if found is None:
                    return None
                if self._demo is not None and any(map(self._demo.is_demo, found.chain)):
                    self._refuse_demo(found)
                    # The demo chain's addresses are on a reserved domain: its CRLs are in
                    # its ca/, nothing is fetched.
                    found = dataclasses.replace(found, fetch_revocation=False)
                self._cache[issuer_code] = found
            return found

    def _find(self, code: str) -> DocumentSigner | None:
        config = self.config
        found = _from_files(code, config.directory)
        if found is None and config.pkcs11_module is not None:
            found = self._from_token(code)
        if found is None and config.demo_directory is not None:
            found = _from_files(code, config.demo_directory, public=True)
        return found

    def _from_token(self, code: str) -> DocumentSigner | None:
        config = self.config
        assert config.pkcs11_module is not None
        if config.pkcs11_token is None or config.pkcs11_pin is None:
            raise DocumentSignerError(
                "VANBANG_PKCS11_MODULE needs VANBANG_PKCS11_TOKEN and a PIN "
                "(VANBANG_PKCS11_PIN_FILE or VANBANG_PKCS11_PIN)"
            )
        if self._session is None:
            self._session = open_token(config.pkcs11_module, config.pkcs11_token, config.pkcs11_pin)
        label_file = config.directory / f"{code}.pkcs11"
        label = label_file.read_text(encoding="utf-8").strip() if label_file.is_file() else code
        authorities = _Authorities.read(config.directory)
        try:
            signer = from_pkcs11(code, self._session, label, authorities.certs)
        except DocumentSignerError:
            if label_file.is_file():
                raise  # a label written down must be there
            return None  # this token holds no key for the issuer
        return dataclasses.replace(signer, cas=authorities.certs, crls=authorities.crls)

    def _refuse_demo(self, signer: DocumentSigner) -> None:
        if self.config.production:
            raise DocumentSignerError(
                f"{signer.issuer_code}: the document-signing certificate is the public demo "
                "chain's (keys-example/doc-signing), refused in production"
            )

    def close(self) -> None:
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None
            self._cache.clear()


def _from_files(code: str, directory: Path, *, public: bool = False) -> DocumentSigner | None:
    """The issuer's signer from its files in `directory`: its key, PKCS#12 file and
    passphrase mode 0600 (service/keyfiles.py) unless the directory is the public demo's."""

    def secret(path: Path) -> bytes:
        if public:
            return path.read_bytes()
        try:
            return read_secret(path)
        except KeyFileModeError as exc:
            raise DocumentSignerError(str(exc)) from None

    pass_file = directory / f"{code}.pass"
    passphrase = secret(pass_file).strip() if pass_file.is_file() else None
    signer: DocumentSigner | None = None
    for suffix in (".p12", ".pfx"):
        path = directory / f"{code}{suffix}"
        if path.is_file():
            signer = from_pkcs12(code, secret(path), passphrase)
            break
    key, chain = directory / f"{code}.key.pem", directory / f"{code}.chain.pem"
    if signer is None and key.is_file() and chain.is_file():
        signer = from_pem(code, secret(key), chain.read_bytes(), passphrase)
    if signer is None:
        return None
    authorities = _Authorities.read(directory)
    return dataclasses.replace(signer, cas=authorities.certs, crls=authorities.crls)


def doc_signers_for(settings: Settings) -> DocSigners:
    """The document signers these settings give: VANBANG_DOC_SIGNING_DIR, the token, and the
    demo chain when the demo is enabled (known in production too, to refuse it)."""
    demo = demo_dir()
    return DocSigners(
        DocSigningConfig.from_settings(settings, demo if settings.demo else None), demo
    )


class DemoCertificateError(RuntimeError):
    """Production found the public demo CA chain where it could sign."""


def refuse_demo_certificates(
    config: DocSigningConfig, demo_dir: Path, published: Iterable[bytes]
) -> None:
    """For production: raises if a demo certificate could sign or is published."""
    demo_directory = demo_signing_dir(demo_dir)
    demo = DemoCertificates(demo_directory)
    if config.directory.resolve() == demo_directory.resolve():
        raise DemoCertificateError("VANBANG_DOC_SIGNING_DIR points at the public demo chain")
    for der in published:
        cert = asn1_x509.Certificate.load(der)
        if demo.is_demo(cert):
            raise DemoCertificateError(
                f"the demo certificate of {cert.subject.human_friendly} is published in the "
                "trust list"
            )
    files = [config.directory / CA_DIR, config.directory]
    for path in (p for folder in files if folder.is_dir() for p in sorted(folder.iterdir())):
        if path.suffix not in CERT_SUFFIXES or path.name.endswith(".key.pem"):
            continue
        try:
            certs = load_certificates(path.read_bytes())
        except DocumentSignerError:
            continue
        if any(demo.is_demo(cert) for cert in certs):
            raise DemoCertificateError(f"{path} is the public demo chain's")
    bundles = (
        [p for p in sorted(config.directory.iterdir()) if p.suffix in (".p12", ".pfx")]
        if (config.directory.is_dir())
        else []
    )
    for path in bundles:
        code = path.stem
        signer = _from_files(code, config.directory)
        if signer is not None and any(demo.is_demo(cert) for cert in signer.chain):
            raise DemoCertificateError(f"{path} is the public demo chain's")
