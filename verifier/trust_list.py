"""The trust list: every issuer and its public keys with their validity, the custody of each
register that passed to another body, and each issuer's X.509 document-signing certificates
(the PAdES signatures of its digital diplomas), signed by a root key (a department's or the
ministry's). Format: docs/trust-list.md.

A verifier that holds only the root public key can load a trust list fetched from anywhere,
or cached on disk, and check records offline against it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from verifier._cbor import canonical, decode
from verifier.cose import parse_sign1, sign1
from verifier.errors import (
    KeyCompromisedError,
    KeyNotValidError,
    TrustListError,
    VerificationError,
)
from verifier.keys import kid_for, public_from_raw

FORMAT_VERSION = 1


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def _moment(stamp: int) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)


@dataclass(frozen=True)
class TrustedIssuer:
    code: str
    name: str
    kind: str
    parent: str | None


@dataclass(frozen=True)
class TrustedKey:
    kid: bytes
    issuer: str
    public_key: Ed25519PublicKey
    public_raw: bytes
    not_before: datetime
    not_after: datetime | None = None  # set when the key was retired
    compromised_since: datetime | None = None

    def check_at(self, moment: datetime) -> None:
        """Raises unless this key was trusted to sign at `moment` (a record's issued-at)."""
        if self.compromised_since is not None and moment >= self.compromised_since:
            raise KeyCompromisedError(
                f"key {self.kid.hex()} of {self.issuer} is compromised since "
                f"{self.compromised_since.isoformat()}; the record says {moment.isoformat()}"
            )
        # Windows are whole seconds and include both ends: at a rotation the old and the new
        # key are both valid during the second it happens.
        if moment < self.not_before or (self.not_after is not None and moment > self.not_after):
            until = self.not_after.isoformat() if self.not_after else "now"
            raise KeyNotValidError(
                f"key {self.kid.hex()} of {self.issuer} was valid from "
                f"{self.not_before.isoformat()} until {until}, not at {moment.isoformat()}"
            )


@dataclass(frozen=True)
class Custody:
    """Issuer `issuer`'s register passed into the custody of `custodian` at `since` (the
    moment the transfer was recorded and signed; `effective_on` is the legal date, the
    day as Vietnam counts it). From then on the custodian's keys sign what is recorded of
    that register; what the issuer's keys signed before stays valid (docs/custody.md)."""

    issuer: str
    custodian: str
    since: datetime
    effective_on: str  # YYYY-MM-DD
    legal_basis: str


@dataclass(frozen=True)
class TrustedCertificate:
    """An issuer's X.509 document-signing certificate, DER-encoded: a PAdES signature made with
    it is that issuer's (whether the certificate was valid and unrevoked when it signed is the
    CA's to say, through its chain, CRL and OCSP)."""

    issuer: str
    der: bytes

    @property
    def sha256(self) -> bytes:
        return hashlib.sha256(self.der).digest()

    def certificate(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(self.der)


@dataclass(frozen=True)
class TrustList:
    updated_at: datetime
    root_kid: bytes
    issuers: Mapping[str, TrustedIssuer]
    keys: Mapping[bytes, TrustedKey]
    raw: bytes  # the signed bytes as received
    # Each transferred register's custodies, oldest first (a later transfer chains).
    custody: Mapping[str, tuple[Custody, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # Each issuer's document-signing certificates, by the SHA-256 of their DER.
    certificates: Mapping[bytes, TrustedCertificate] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def certificates_of(self, issuer: str) -> tuple[TrustedCertificate, ...]:
        return tuple(c for c in self.certificates.values() if c.issuer == issuer)

    def issuer_of_certificate(self, der: bytes) -> str | None:
        """The issuer whose document-signing certificate this is, or None."""
        found = self.certificates.get(hashlib.sha256(der).digest())
        return None if found is None else found.issuer

    def key(self, kid: bytes) -> TrustedKey | None:
        return self.keys.get(kid)

    def custodian(self, issuer: str) -> Custody | None:
        """The body holding the issuer's register now, when it passed to another one."""
        chain = self.custody.get(issuer)
        return chain[-1] if chain else None

    def holders_at(self, issuer: str, moment: datetime) -> tuple[str, ...]:
        """Who may sign for the issuer's register at `moment`: the issuer until its register
        passed to a custodian, then each custodian in turn. Periods include both ends, as
        key windows do, so during the second of a transfer both bodies may."""
        holders = []
        start: datetime | None = None
        current = issuer
        for custody in self.custody.get(issuer, ()):
            if (start is None or moment >= start) and moment <= custody.since:
                holders.append(current)
            start, current = custody.since, custody.custodian
        if start is None or moment >= start:
            holders.append(current)
        return tuple(dict.fromkeys(holders))

    @classmethod
    def from_bytes(cls, data: bytes, *, root_key: Ed25519PublicKey) -> TrustList:
        """Checks the root's signature and loads the list; raises TrustListError otherwise."""
        try:
            message = parse_sign1(data, what="the trust list")
            root_kid = kid_for(root_key)
            if message.kid != root_kid:
                raise TrustListError(
                    f"the trust list is signed by key {message.kid.hex()}, not by the root "
                    f"key {root_kid.hex()}"
                )
            message.verify(root_key)
            return cls._parse(decode(message.payload, what="the trust list"), root_kid, data)
        except TrustListError:
            raise
        except VerificationError as exc:
            raise TrustListError(f"the trust list cannot be trusted: {exc}") from None

    @classmethod
    def _parse(cls, body: Any, root_kid: bytes, raw: bytes) -> TrustList:
        try:
            if body["v"] != FORMAT_VERSION:
                raise TrustListError(f"trust list format {body['v']} is not {FORMAT_VERSION}")
            issuers = {
                i["code"]: TrustedIssuer(i["code"], i["name"], i["kind"], i.get("parent"))
                for i in body["issuers"]
            }
            keys = {}
            for k in body["keys"]:
                public = public_from_raw(k["pub"])
                if kid_for(public) != k["kid"] or k["issuer"] not in issuers:
                    raise TrustListError(f"key {k['kid'].hex()} does not match its entry")
                keys[k["kid"]] = TrustedKey(
                    kid=k["kid"],
                    issuer=k["issuer"],
                    public_key=public,
                    public_raw=k["pub"],
                    not_before=_moment(k["nbf"]),
                    not_after=_moment(k["exp"]) if "exp" in k else None,
                    compromised_since=_moment(k["cmp"]) if "cmp" in k else None,
                )
            custody: dict[str, list[Custody]] = {}
            for c in body.get("custody", ()):
                if c["issuer"] not in issuers or c["custodian"] not in issuers:
                    raise TrustListError(f"the custody of {c['issuer']} names an unknown issuer")
                chain = custody.setdefault(c["issuer"], [])
                entry = Custody(
                    issuer=c["issuer"],
                    custodian=c["custodian"],
                    since=_moment(c["since"]),
                    effective_on=c["effective_on"],
                    legal_basis=c["legal_basis"],
                )
                if chain and entry.since < chain[-1].since:
                    raise TrustListError(f"the custodies of {c['issuer']} are out of order")
                chain.append(entry)
            certificates = {}
            for c in body.get("certs", ()):
                if c["issuer"] not in issuers or not isinstance(c["der"], bytes):
                    raise TrustListError(f"a certificate of {c['issuer']} does not match its entry")
                x509.load_der_x509_certificate(c["der"])  # ValueError unless X.509 DER
                entry_cert = TrustedCertificate(c["issuer"], c["der"])
                certificates[entry_cert.sha256] = entry_cert
            return cls(
                _moment(body["updated"]),
                root_kid,
                MappingProxyType(issuers),
                MappingProxyType(keys),
                raw,
                MappingProxyType({code: tuple(chain) for code, chain in custody.items()}),
                MappingProxyType(certificates),
            )
        except TrustListError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise TrustListError(f"the trust list is not well-formed: {exc!r}") from None


def encode_trust_list(
    issuers: Iterable[TrustedIssuer],
    keys: Iterable[TrustedKey],
    *,
    updated_at: datetime,
    custody: Iterable[Custody] = (),
    certificates: Iterable[TrustedCertificate] = (),
) -> bytes:
    """The payload a root signs; the same content always gives the same bytes. A list with
    no custody or no certificates leaves that key out, so lists made before either existed
    keep their bytes."""
    issuer_items = []
    for issuer in sorted(issuers, key=lambda i: i.code):
        item: dict[str, Any] = {"code": issuer.code, "name": issuer.name, "kind": issuer.kind}
        if issuer.parent is not None:
            item["parent"] = issuer.parent
        issuer_items.append(item)
    key_items = []
    for key in sorted(keys, key=lambda k: (k.issuer, k.not_before, k.kid)):
        entry: dict[str, Any] = {
            "kid": key.kid,
            "issuer": key.issuer,
            "pub": key.public_raw,
            "nbf": _stamp(key.not_before),
        }
        if key.not_after is not None:
            entry["exp"] = _stamp(key.not_after)
        if key.compromised_since is not None:
            entry["cmp"] = _stamp(key.compromised_since)
        key_items.append(entry)
    body: dict[str, Any] = {
        "v": FORMAT_VERSION,
        "updated": _stamp(updated_at),
        "issuers": issuer_items,
        "keys": key_items,
    }
    custody_items = [
        {
            "issuer": c.issuer,
            "custodian": c.custodian,
            "since": _stamp(c.since),
            "effective_on": c.effective_on,
            "legal_basis": c.legal_basis,
        }
        for c in sorted(custody, key=lambda c: (c.issuer, c.since, c.custodian))
    ]
    if custody_items:
        body["custody"] = custody_items
    certificate_items = [
        {"issuer": c.issuer, "der": c.der}
        for c in sorted(set(certificates), key=lambda c: (c.issuer, c.der))
    ]
    if certificate_items:
        body["certs"] = certificate_items
    return canonical(body)


def sign_trust_list(payload: bytes, root: Ed25519PrivateKey) -> bytes:
    return sign1(payload, root, kid_for(root.public_key()))
