"""The trust list served at /.well-known/vanbang/trust-list: built from the issuers, keys,
custody transfers and published document-signing certificates in the database, signed with
the root key, and rebuilt only when those change."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg

from service import texts
from service.db import certificates as certificates_db
from service.db import keys as db
from service.keystore import KeyStore
from service.problems import UNAVAILABLE, Problem
from verifier.keys import public_from_raw
from verifier.trust_list import (
    Custody,
    TrustedCertificate,
    TrustedIssuer,
    TrustedKey,
    TrustList,
    encode_trust_list,
    sign_trust_list,
)


@dataclass(frozen=True)
class SignedTrustList:
    body: bytes
    etag: str
    parsed: TrustList  # the same list, loaded and checked, for verifying on the server


class TrustListCache:
    """The signed list, rebuilt when issuers or keys change. Whether they changed is asked
    at most every `max_age` seconds, so a verification does not cost a query."""

    def __init__(self, keystore: KeyStore, *, max_age: float = 5.0) -> None:
        self._keystore = keystore
        self._max_age = max_age
        self._version: tuple[Any, ...] | None = None
        self._current: SignedTrustList | None = None
        self._checked = float("-inf")

    async def current(self, pool: asyncpg.Pool[Any]) -> SignedTrustList:
        now = time.monotonic()
        if self._current is not None and now - self._checked < self._max_age:
            return self._current
        self._checked = now
        async with pool.acquire() as conn:
            version = await db.trust_list_version(conn)
            if self._current is not None and version == self._version:
                return self._current
            issuers, keys = await db.trust_list_rows(conn)
            custody = await db.trust_list_custody(conn)
            certificates = await certificates_db.trust_list_certificates(conn)
        root = self._keystore.root_key()
        if root is None:
            raise Problem(UNAVAILABLE, *texts.NO_ROOT_KEY)
        changed = [m for m in (version[1], version[3], version[5], version[7]) if m is not None]
        payload = encode_trust_list(
            (TrustedIssuer(i["code"], i["name"], i["kind"], i["parent_code"]) for i in issuers),
            (
                TrustedKey(
                    kid=bytes(k["kid"]),
                    issuer=k["issuer_code"],
                    public_key=public_from_raw(bytes(k["public_key"])),
                    public_raw=bytes(k["public_key"]),
                    not_before=k["not_before"],
                    not_after=k["not_after"],
                    compromised_since=k["compromised_since"],
                )
                for k in keys
            ),
            updated_at=max(changed, default=datetime.fromtimestamp(0, UTC)),
            custody=(
                Custody(
                    issuer=c["register_issuer"],
                    custodian=c["to_custodian"],
                    since=c["recorded_at"],
                    effective_on=c["effective_on"].isoformat(),
                    legal_basis=c["legal_basis"],
                )
                for c in custody
            ),
            certificates=(TrustedCertificate(code, der) for code, der in certificates),
        )
        body = sign_trust_list(payload, root)
        signed = SignedTrustList(
            body,
            '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
            TrustList.from_bytes(body, root_key=root.public_key()),
        )
        self._version, self._current = version, signed
        return signed
