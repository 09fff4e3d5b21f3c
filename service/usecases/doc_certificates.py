"""Publishing an issuer's document-signing certificate in the trust list (docs/trust-list.md),
beside its Ed25519 keys: once published, a digital diploma's PAdES signature made with it is
known to be that issuer's."""

from __future__ import annotations

from asn1crypto import x509 as asn1_x509

from service.db import certificates as db
from service.db.pool import Connection
from service.docsign.signers import check_key_strength


async def publish_certificate(
    conn: Connection, issuer_code: str, certificate: asn1_x509.Certificate
) -> bool:
    """Adds the certificate to the trust list; False when it is there already."""
    check_key_strength(certificate)
    return await db.insert_certificate(
        conn,
        issuer_code,
        certificate.dump(),
        subject=certificate.subject.human_friendly,
        not_before=certificate.not_valid_before,
        not_after=certificate.not_valid_after,
    )
