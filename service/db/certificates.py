"""Typed access to issuers' published document-signing certificates; the SQL is in
sql/queries/certificates.sql."""

from __future__ import annotations

import hashlib
from datetime import datetime

from service.db.pool import Connection
from service.db.queries import Q


async def insert_certificate(
    conn: Connection,
    issuer_code: str,
    der: bytes,
    *,
    subject: str,
    not_before: datetime,
    not_after: datetime,
) -> bool:
    """Publishes a certificate; False when it was published already."""
    digest = hashlib.sha256(der).digest()
    added = await conn.fetchval(
        Q.insert_certificate, digest, issuer_code, der, subject, not_before, not_after
    )
    return added is not None


async def certificate_issuer(conn: Connection, der: bytes) -> str | None:
    """The issuer a certificate is published for, if it is."""
    code: str | None = await conn.fetchval(Q.certificate_issuer, hashlib.sha256(der).digest())
    return code


async def trust_list_certificates(conn: Connection) -> list[tuple[str, bytes]]:
    return [
        (row["issuer_code"], bytes(row["der"]))
        for row in await conn.fetch(Q.trust_list_certificates)
    ]


async def published_certificates(conn: Connection) -> list[bytes]:
    return [bytes(row["der"]) for row in await conn.fetch(Q.published_certificates)]
