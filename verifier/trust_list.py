"""The trust list: every issuer and its public keys with their validity, signed by a root key
(a department's or the ministry's). Format: docs/trust-list.md.

A verifier that holds only the root public key can load a trust list fetched from anywhere,
or cached on disk, and check records offline against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

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
class TrustList:
    updated_at: datetime
    root_kid: bytes
    issuers: Mapping[str, TrustedIssuer]
    keys: Mapping[bytes, TrustedKey]
    raw: bytes  # the signed bytes as received

    def key(self, kid: bytes) -> TrustedKey | None:
        return self.keys.get(kid)

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
            return cls(
                _moment(body["updated"]),
                root_kid,
                MappingProxyType(issuers),
                MappingProxyType(keys),
                raw,
            )
        except TrustListError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise TrustListError(f"the trust list is not well-formed: {exc!r}") from None


def encode_trust_list(
    issuers: Iterable[TrustedIssuer], keys: Iterable[TrustedKey], *, updated_at: datetime
) -> bytes:
    """The payload a root signs; the same content always gives the same bytes."""
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
    return canonical(
        {
            "v": FORMAT_VERSION,
            "updated": _stamp(updated_at),
            "issuers": issuer_items,
            "keys": key_items,
        }
    )


def sign_trust_list(payload: bytes, root: Ed25519PrivateKey) -> bytes:
    return sign1(payload, root, kid_for(root.public_key()))
