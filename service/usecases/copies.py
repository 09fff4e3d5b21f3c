"""Certified copies from the register (bản sao từ sổ gốc, Circular 21 Art. 27-32): issued to
the holder, a representative, a relative or an heir, with content identical to the register
as it stands (corrections included), each entry numbered in the issuer's copy register,
consecutively per calendar year with no gap."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import Executor
from typing import Any

import asyncpg
import structlog

from service import texts
from service.db import lifecycle as db
from service.domain.accounts import Principal
from service.domain.clock import vietnam_day
from service.domain.events import CertifiedCopy, Signer
from service.domain.lifecycle import CopyIn, check_copy
from service.keystore import KeyStore
from service.printing.copy_document import CopyDocument
from service.problems import COPY_NOT_PRINTABLE, NOT_FOUND, Problem
from service.qr.tokens import copy_qr_text
from service.usecases.access import diploma_in_scope
from service.usecases.writes import Write

log = structlog.get_logger(__name__)

# Printed on the copy: the register's content as it stands.
COPY_CONTENT = (
    "kind",
    "serial",
    "register_number",
    "holder_name",
    "date_of_birth",
    "place_of_birth",
    "gender",
    "major",
    "classification",
    "mode_of_study",
    "graduation_year",
    "place_of_issue",
    "issued_on",
    "signer_name",
    "signer_title",
)


def copy_number(seq: int, year: int) -> str:
    return f"{seq}/{year}/BS"


async def certify(w: Write, diploma_id: uuid.UUID, request: CopyIn) -> CertifiedCopy:
    state = await w.locked_diploma(diploma_id)
    state.ensure_in_force()
    row = state.row
    check_copy(request, issued_on=row.issued_on, today=vietnam_day(w.recorded_at))
    key = await w.key(state.issuer_code)
    year = request.issued_on.year
    # The counter row stays locked until commit: concurrent copies of the issuer queue
    # here, and a failure after this point rolls the number back with everything else.
    seq = await db.allocate_copy_number(w.conn, state.issuer_code, year)
    content = {name: getattr(row, name) for name in COPY_CONTENT}
    content.update({k: v for k, v in state.current.items() if k in COPY_CONTENT})
    content["full_name"] = content.pop("holder_name")
    copy = CertifiedCopy(
        id=uuid.uuid4(),
        diploma_id=diploma_id,
        issuer=state.issuer_code,
        serial=row.serial,
        record_digest=state.digest,
        number=copy_number(seq, year),
        year=year,
        seq=seq,
        requester_name=request.requester_name,
        relation=request.relation.value,
        id_document_type=request.id_document_type.value,
        id_document_number=request.id_document_number,
        copies=request.copies,
        issued_on=request.issued_on,
        version=state.version,
        content={k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in content.items()},
        signer=Signer(name=request.signer.name, title=request.signer.title),
        signer_on_behalf_of=request.signer.on_behalf_of,
        recorded_at=w.recorded_at,
        kid=key.kid,
    )
    await w.record(copy)
    log.info("certified_copy", diploma_id=str(diploma_id), issuer=copy.issuer, number=copy.number)
    return copy


async def document(
    pool: asyncpg.Pool[Any],
    principal: Principal,
    diploma_id: uuid.UUID,
    copy_id: uuid.UUID,
    *,
    keystore: KeyStore,
    public_url: str,
    module_mm: float,
    executor: Executor | None,
) -> tuple[bytes, str]:
    """A certified copy's pages as issued (service/printing/copy_document.py), for staff who
    may read the diploma, and the copy's number for the file name."""
    async with pool.acquire() as conn:
        await diploma_in_scope(conn, principal, diploma_id)
        copy = await db.copy_document(conn, diploma_id, copy_id)
    if copy is None:
        raise Problem(NOT_FOUND)
    if copy["content"] is None:
        raise Problem(COPY_NOT_PRINTABLE, *texts.COPY_NOT_PRINTABLE)
    made = CopyDocument(copy, copy_qr_text(copy, keystore, public_url), module_mm=module_mm)
    body = await asyncio.get_running_loop().run_in_executor(executor, made.output)
    return body, copy["number"]
