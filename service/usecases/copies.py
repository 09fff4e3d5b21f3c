"""Certified copies from the register (bản sao từ sổ gốc, Circular 21 Art. 27-32): issued to
the holder, a representative, a relative or an heir, with content identical to the register
as it stands (corrections included), each entry numbered in the issuer's copy register,
consecutively per calendar year with no gap."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg
import structlog

from service import texts
from service.db import lifecycle as db
from service.docsign.pades import async_sign_pdf
from service.domain.accounts import Principal
from service.domain.clock import vietnam_day
from service.domain.events import CertifiedCopy, Signer
from service.domain.lifecycle import CopyForm, CopyIn, check_copy
from service.printing.copy_document import CopyDocument
from service.problems import COPY_NOT_PRINTABLE, NO_DOCUMENT_SIGNER, NOT_FOUND, Problem
from service.qr.tokens import copy_qr_text
from service.signing import Signing
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
    check_copy(request, kind=row.kind, issued_on=row.issued_on, today=vietnam_day(w.recorded_at))
    key = await w.key(state.issuer_code)
    if request.form == CopyForm.EXTRACT:
        # The extract is signed with the organisation certificate of the body holding the
        # register: without one nothing is recorded that could not be delivered.
        holder = await w.holder(state.issuer_code)
        signers = w.signing.doc_signers
        if signers is None or signers.doc_signer_for(holder) is None:
            raise Problem(NO_DOCUMENT_SIGNER, *texts.NO_DOC_SIGNER.format(issuer=holder))
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
        form=request.form.value,
        recorded_at=w.recorded_at,
        kid=key.kid,
    )
    await w.record(copy)
    log.info("certified_copy", diploma_id=str(diploma_id), issuer=copy.issuer, number=copy.number)
    return copy


@dataclass(frozen=True)
class CopyFile:
    """A certified copy's document: its bytes, the copy's number, and for an electronic
    extract the PAdES level its signature reached."""

    body: bytes
    number: str
    level: str | None = None


async def document(
    pool: asyncpg.Pool[Any],
    principal: Principal,
    diploma_id: uuid.UUID,
    copy_id: uuid.UUID,
    *,
    signing: Signing,
    public_url: str,
    module_mm: float,
) -> CopyFile:
    """A certified copy's pages as issued (service/printing/copy_document.py), for staff who
    may read the diploma. An electronic extract is signed with the organisation certificate
    of the body holding the register the first time it is asked for, and kept: the same file
    every time after."""
    async with pool.acquire() as conn:
        await diploma_in_scope(conn, principal, diploma_id)
        copy = await db.copy_document(conn, diploma_id, copy_id)
        kept = None if copy is None else await db.copy_extract(conn, copy_id)
    if copy is None:
        raise Problem(NOT_FOUND)
    if kept is not None:
        return CopyFile(kept[0], copy["number"], kept[1])
    if copy["content"] is None:
        raise Problem(COPY_NOT_PRINTABLE, *texts.COPY_NOT_PRINTABLE)
    qr_text = copy_qr_text(copy, signing.keystore, public_url)
    made = CopyDocument(copy, qr_text, module_mm=module_mm)
    body = await asyncio.get_running_loop().run_in_executor(signing.executor, made.output)
    if copy["form"] != CopyForm.EXTRACT:
        return CopyFile(body, copy["number"])
    holder = copy["holder_code"]
    signer = None if signing.doc_signers is None else signing.doc_signers.doc_signer_for(holder)
    if signer is None:  # the certificate was removed since the extract was recorded
        raise Problem(NO_DOCUMENT_SIGNER, *texts.NO_DOC_SIGNER.format(issuer=holder))
    signed = await async_sign_pdf(body, signer, tsa_url=signing.tsa_url)
    async with pool.acquire() as conn:
        pdf, level = await db.save_copy_extract(
            conn, copy_id, signed.pdf, hashlib.sha256(signed.pdf).digest(), signed.level.level
        )
    log.info("copy_extract_made", copy=copy["number"], issuer=holder, level=level)
    return CopyFile(pdf, copy["number"], level)
