"""Checking an uploaded digital diploma (docs/digital-diplomas.md, "How an employer checks a
document"): the verifier's offline checks of the PDF (verifier.pdfcheck, in a thread: pyHanko
runs an event loop of its own, and poppler renders the page), then whether the register
holds the very record attached, and its current status. Nothing of the file is kept: it is
checked in memory, and pdftoppm and zbarimg read it through pipes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
from asn1crypto import x509

from service.db.standing import StandingReader
from service.usecases.trust_list import TrustListCache
from service.usecases.verification import with_register
from verifier.pdfcheck import check_pdf, load_roots
from verifier.result import VerificationResult

DEMO_ROOT = Path("doc-signing") / "ca" / "root.pem"


def ca_roots(files: Sequence[Path], demo_dir: Path | None) -> tuple[x509.Certificate, ...]:
    """The CA roots an uploaded document's chain must reach: the configured PEM files, and
    the demo root when the demo is enabled. Read once, at start-up: a file that cannot be
    read stops the service there."""
    paths = [*files, *([demo_dir / DEMO_ROOT] if demo_dir is not None else [])]
    return tuple(root for path in paths for root in load_roots(path.read_bytes()))


async def verify_pdf(
    pool: asyncpg.Pool[Any],
    standing: StandingReader,
    trust: TrustListCache,
    roots: Sequence[x509.Certificate],
    data: bytes,
) -> tuple[VerificationResult, uuid.UUID | None]:
    """The result, and the diploma the document is of when the register holds its record."""
    signed = await trust.current(pool)
    checked = await asyncio.to_thread(check_pdf, data, signed.parsed, roots)
    result = checked.result
    if not result.ok or checked.record is None:
        return result, None
    fields = result.fields
    row = await standing.find(fields["serial"], fields["issuer"], fields["kind"])
    # Which version the document shows: one older than the register's (corrected since) is
    # still genuine, and the status says what the register holds now.
    return with_register(
        result,
        row,
        same_record=row is not None and bytes(row["signed"]) == checked.record,
        extra={"document_version": checked.version},
    )
