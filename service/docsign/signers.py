"""Document signers: what PAdES signing needs of an issuer, whatever holds its key. A
`DocumentSigner` is a pyHanko `Signer` (it makes the CMS signature) and the issuer's X.509
certificate chain, from one of:

- a PKCS#12 file (`.p12`/`.pfx`, as CAs deliver software certificates), `from_pkcs12`;
- a PEM private key and a PEM chain, `from_pem`;
- a PKCS#11 token (the USB tokens and HSMs CAs deliver), `from_pkcs11`;
- a remote signing service, `from_remote`, through the `RemoteSigning` interface: the seam
  for services that keep the key and sign a digest on request (a CSC-style signHash); no
  implementation ships.

Only RSA keys of at least 2048 bits and ECDSA keys on curves of at least 256 bits are
accepted (Circular 15/2025/TT-BKHCN as reported, ../shared/docs/domain.md). Where an issuer's
signer comes from is decided in one place: `service.docsign.registry.DocSigners.doc_signer_for`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.signers import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash


class DocumentSignerError(RuntimeError):
    """An issuer's document-signing key or certificate is missing, unreadable or unfit."""


@dataclass(frozen=True)
class DocumentSigner:
    """An issuer's PAdES signer: pyHanko's `Signer` and the certificate chain, the issuer's
    certificate first, then the CAs above it as far as they are known (ideally to the root)."""

    issuer_code: str
    signer: Signer
    chain: tuple[asn1_x509.Certificate, ...]
    source: str  # "pkcs12", "pem", "pkcs11", "remote": where the key is
    # Other CA certificates known (the signing directory's ca/): roots to trust when
    # gathering revocation data, and the timestamp authority's chain.
    cas: tuple[asn1_x509.Certificate, ...] = ()
    # Revocation lists known beforehand (the demo CA's), embedded when none can be fetched.
    crls: tuple[asn1_crl.CertificateList, ...] = ()
    # False where the chain's CRL and OCSP addresses must not be asked (the demo's, which are
    # on a reserved domain): only `crls` are embedded then.
    fetch_revocation: bool = True

    @property
    def certificate(self) -> asn1_x509.Certificate:
        return self.chain[0]

    @property
    def certificate_der(self) -> bytes:
        der: bytes = self.chain[0].dump()
        return der


class RemoteSigning(Protocol):
    """A remote signing service (the pluggable seam; none ships): it holds the issuer's key,
    gives its certificate chain, and signs a digest. `sign_digest` returns the raw signature:
    PKCS#1 v1.5 for RSA, DER-encoded ECDSA (r, s) for EC keys."""

    def certificate_chain(self) -> Sequence[bytes]:
        """The DER certificates, the issuer's first."""
        ...

    async def sign_digest(self, digest: bytes, digest_algorithm: str) -> bytes:
        """The signature over a digest made with `digest_algorithm` ("sha256", ...)."""
        ...


# --- loading certificates and revocation lists -------------------------------------------


def _der_blocks(data: bytes) -> list[bytes]:
    if pem.detect(data):
        return [der for _, _, der in pem.unarmor(data, multiple=True)]
    return [data]


def load_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    """Every certificate of a PEM file (one or more) or of one DER certificate."""
    try:
        return [asn1_x509.Certificate.load(der) for der in _der_blocks(data)]
    except ValueError as exc:
        raise DocumentSignerError(f"not a certificate ({exc})") from None


def load_crls(data: bytes) -> list[asn1_crl.CertificateList]:
    try:
        return [asn1_crl.CertificateList.load(der) for der in _der_blocks(data)]
    except ValueError as exc:
        raise DocumentSignerError(f"not a revocation list ({exc})") from None


def is_root(cert: asn1_x509.Certificate) -> bool:
    """Self-signed, as far as names and key identifiers tell (asn1crypto's "yes" or "maybe")."""
    return bool(cert.self_signed != "no")


def fingerprint(cert: asn1_x509.Certificate) -> bytes:
    """SHA-256 over the certificate's DER: how a certificate is named here."""
    return hashlib.sha256(cert.dump()).digest()


def ordered_chain(
    leaf: asn1_x509.Certificate, others: Iterable[asn1_x509.Certificate]
) -> tuple[asn1_x509.Certificate, ...]:
    """The leaf, then each issuer above it found among `others` (to the root when present)."""
    pool = {fingerprint(c): c for c in others}
    chain = [leaf]
    while not is_root(chain[-1]) and len(chain) <= len(pool):
        current = chain[-1]
        parent = next(
            (
                c
                for c in pool.values()
                if c.subject == current.issuer
                and (
                    current.authority_key_identifier is None
                    or c.key_identifier == current.authority_key_identifier
                )
                and fingerprint(c) not in {fingerprint(x) for x in chain}
            ),
            None,
        )
        if parent is None:
            break
        chain.append(parent)
    return tuple(chain)


def check_key_strength(cert: asn1_x509.Certificate) -> None:
    """RSA of at least 2048 bits or ECDSA of at least 256, as the regulation lists."""
    public = cert.public_key
    algorithm = public.algorithm
    subject = cert.subject.human_friendly
    if algorithm == "rsa":
        if public.bit_size < 2048:
            raise DocumentSignerError(f"{subject}: an RSA key of {public.bit_size} bits (< 2048)")
    elif algorithm == "ec":
        if public.bit_size < 256:
            raise DocumentSignerError(f"{subject}: an EC key of {public.bit_size} bits (< 256)")
    else:
        raise DocumentSignerError(f"{subject}: a {algorithm} key (RSA or ECDSA only)")


def _make(
    issuer_code: str,
    signer_factory: Any,
    leaf: asn1_x509.Certificate,
    others: Iterable[asn1_x509.Certificate],
    source: str,
) -> DocumentSigner:
    check_key_strength(leaf)
    chain = ordered_chain(leaf, others)
    registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]  # untyped __init__
    registry.register_multiple(chain[1:])
    signer = signer_factory(leaf, registry)
    return DocumentSigner(issuer_code, signer, chain, source)


# --- software keys: PKCS#12 and PEM --------------------------------------------------------


class _SoftwareSigner(Signer):
    """Signs with a private key loaded once. pyHanko's SimpleSigner parses its key again for
    every signature (40 ms for RSA-2048, twice per document); this keeps the parsed key."""

    def __init__(
        self,
        key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
        cert: asn1_x509.Certificate,
        registry: SimpleCertificateStore,
    ) -> None:
        self._key = key
        super().__init__(signing_cert=cert, cert_registry=registry)

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        algorithm = mechanism.signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if algorithm == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), digest)
        if algorithm == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(digest))
        raise DocumentSignerError(f"cannot sign with {algorithm} and this key")


def _software(
    issuer_code: str,
    key: object,
    leaf: asn1_x509.Certificate,
    others: Iterable[asn1_x509.Certificate],
    source: str,
) -> DocumentSigner:
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise DocumentSignerError(f"{issuer_code}: the key is neither RSA nor ECDSA")
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if public != leaf.public_key.dump():
        raise DocumentSignerError(f"{issuer_code}: the key is not the certificate's key")
    return _make(
        issuer_code, lambda cert, reg: _SoftwareSigner(key, cert, reg), leaf, others, source
    )


def from_pkcs12(issuer_code: str, data: bytes, passphrase: bytes | None) -> DocumentSigner:
    """The key, certificate and CA certificates of a PKCS#12 file."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError as exc:
        raise DocumentSignerError(f"{issuer_code}: cannot open the PKCS#12 file ({exc})") from None
    if key is None or cert is None:
        raise DocumentSignerError(f"{issuer_code}: the PKCS#12 file holds no key and certificate")
    der = serialization.Encoding.DER
    leaf = asn1_x509.Certificate.load(cert.public_bytes(der))
    others = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in extra]
    return _software(issuer_code, key, leaf, others, "pkcs12")


def from_pem(
    issuer_code: str, key_pem: bytes, chain_pem: bytes, passphrase: bytes | None
) -> DocumentSigner:
    """A PEM (PKCS#8 or traditional) private key, and a PEM file whose first certificate is
    the issuer's and whose others are the CAs above it."""
    try:
        key = serialization.load_pem_private_key(key_pem, passphrase)
    except (ValueError, TypeError) as exc:
        raise DocumentSignerError(f"{issuer_code}: cannot read the private key ({exc})") from None
    certs = load_certificates(chain_pem)
    return _software(issuer_code, key, certs[0], certs[1:], "pem")


# --- PKCS#11 tokens ------------------------------------------------------------------------


def from_pkcs11(
    issuer_code: str,
    session: Any,
    key_label: str,
    cas: Iterable[asn1_x509.Certificate] = (),
) -> DocumentSigner:
    """The key labelled `key_label` on an open PKCS#11 session (`open_token`), with the
    certificate of the same label on the token; CA certificates from `cas`."""
    from pyhanko.sign.pkcs11 import PKCS11Signer

    probe = PKCS11Signer(session, cert_label=key_label, key_label=key_label)
    try:
        leaf = probe.signing_cert
    except Exception as exc:  # pyHanko raises its PKCS11Error or the module's own errors
        raise DocumentSignerError(
            f"{issuer_code}: no certificate labelled {key_label!r} on the token ({exc})"
        ) from None
    others = list(cas)
    return _make(
        issuer_code,
        lambda cert, reg: PKCS11Signer(
            session, key_label=key_label, signing_cert=cert, ca_chain=list(reg)
        ),
        leaf,
        others,
        "pkcs11",
    )


def open_token(module: str, token_label: str, pin: str) -> Any:
    """An open, logged-in session on the token with this label. Login is per token and
    process: a process already logged in (another session) opens one without the PIN."""
    import pkcs11
    from pkcs11.exceptions import PKCS11Error, UserAlreadyLoggedIn

    try:
        token = pkcs11.lib(module).get_token(token_label=token_label)
        try:
            return token.open(user_pin=pin)
        except UserAlreadyLoggedIn:
            return token.open()
    except (PKCS11Error, RuntimeError) as exc:  # wrong PIN, no such token, no module
        raise DocumentSignerError(
            f"cannot open the PKCS#11 token {token_label!r} with {module}: {exc!r}"
        ) from None


# --- remote signing (the seam) -------------------------------------------------------------


class _RemoteSigner(Signer):
    def __init__(
        self, remote: RemoteSigning, cert: asn1_x509.Certificate, registry: SimpleCertificateStore
    ) -> None:
        self._remote = remote
        super().__init__(signing_cert=cert, cert_registry=registry)

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        h = hashes.Hash(get_pyca_cryptography_hash(digest_algorithm))
        h.update(data)
        digest = h.finalize()
        if dry_run:
            # Sizing the signature must not cost a round trip: a dummy of the right length.
            public = self.signing_cert.public_key if self.signing_cert is not None else None
            assert public is not None
            size = (public.bit_size + 7) // 8
            return bytes(size if public.algorithm == "rsa" else 2 * size + 8)
        return await self._remote.sign_digest(digest, digest_algorithm)


def from_remote(issuer_code: str, remote: RemoteSigning) -> DocumentSigner:
    certs = [asn1_x509.Certificate.load(der) for der in remote.certificate_chain()]
    if not certs:
        raise DocumentSignerError(f"{issuer_code}: the remote signer gave no certificate")
    return _make(
        issuer_code,
        lambda cert, reg: _RemoteSigner(remote, cert, reg),
        certs[0],
        certs[1:],
        "remote",
    )
