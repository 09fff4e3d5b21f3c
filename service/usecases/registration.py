"""Registering a graduation decision: the decision, its diplomas with gapless register
numbers, their signed records and the blanks they are printed on, in one write."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any

import asyncpg
import orjson
import structlog

from service import metrics, texts
from service.db import blanks as blanks_db
from service.db import duplicates as duplicates_db
from service.db import register as db
from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.blanks import usability_errors
from service.domain.clock import vietnam_day
from service.domain.duplicates import PROBABLE_DUPLICATE, DuplicateWarning, probable_duplicates
from service.domain.events import Signer
from service.domain.graduates import GraduationDecisionIn
from service.domain.ids import uuid7
from service.domain.journal import Action
from service.domain.registration import (
    DiplomaRecord,
    IssuerInfo,
    build_records,
    check_decision,
    part_mismatches,
    registration_deadline,
)
from service.domain.regulations import has_digital
from service.domain.views import (
    DecisionRegistered,
    ExistingDiploma,
    RegisteredDiploma,
    RegistrationWarning,
)
from service.problems import (
    BLANK_UNAVAILABLE,
    DUPLICATE_DECISION,
    DUPLICATE_SERIAL,
    NOT_FOUND,
    UNKNOWN_ISSUER,
    VALIDATION_ERROR,
    FieldError,
    Problem,
)
from service.qr.tokens import diploma_qr_text, token_digest
from service.signing import Signing, sign_diplomas
from service.usecases import digital, personal_ids, writes
from service.usecases.access import acting_issuer_code, check_read_scope
from verifier.token import token_url

log = structlog.get_logger(__name__)
# The QR tokens signed with a registration's records, by diploma: its answer's QR URLs.
Issued = dict[uuid.UUID, bytes]


async def register_decision(
    pool: Pool[Any],
    principal: Principal,
    request: GraduationDecisionIn,
    *,
    signing: Signing,
    idempotency_key: str | None = None,
    dry_run: bool = False,
    rows: Sequence[int] | None = None,
    public_url: str | None = None,
) -> writes.Written:
    """Registers the decision, or with `dry_run` checks everything registering would and
    answers what it would register (the numbers it would take now), keeping nothing.

    The answer warns of probable duplicate people, located to `rows` (the list's row of
    each graduate) when the request came as a CSV or XLSX list. With `public_url`, each
    registered diploma carries the URL its QR code encodes (never for a dry run)."""
    issuer_code = acting_issuer_code(principal, request.issuer)
    issued: Issued = {}

    async def register(w: writes.Write) -> DecisionRegistered:
        issued.clear()  # a retried transaction starts afresh
        return await _register(w, request, issuer_code, rows=rows, issued=issued)

    return await _run(
        pool,
        principal,
        request,
        register,
        issuer_code=issuer_code,
        signing=signing,
        idempotency_key=idempotency_key,
        request_hash=writes.fingerprint(
            issuer_code, personal_ids.fingerprintable(signing.keystore, request)
        ),
        dry_run=dry_run,
        public_url=public_url,
        issued=issued,
    )


async def register_part(
    pool: Pool[Any],
    principal: Principal,
    decision_id: uuid.UUID,
    request: GraduationDecisionIn,
    *,
    signing: Signing,
    idempotency_key: str | None = None,
    dry_run: bool = False,
    rows: Sequence[int] | None = None,
    public_url: str | None = None,
) -> writes.Written:
    """Registers a supplementary list of graduates (the next part) under a registered
    decision: the request is a registration's, whose decision and diploma kind must be the
    registered decision's; its graduates are checked, numbered, signed and logged as a
    registration's are, with the same warnings and QR URLs. With `dry_run`, checks it all and
    keeps nothing."""
    issuer_code = acting_issuer_code(principal, request.issuer)
    issued: Issued = {}

    async def register(w: writes.Write) -> DecisionRegistered:
        issued.clear()
        return await _register_part(w, decision_id, request, issuer_code, rows=rows, issued=issued)

    return await _run(
        pool,
        principal,
        request,
        register,
        issuer_code=issuer_code,
        signing=signing,
        idempotency_key=idempotency_key,
        # Bound to the decision: the same list sent for another decision is another request.
        request_hash=writes.fingerprint(
            f"{issuer_code} part of {decision_id}",
            personal_ids.fingerprintable(signing.keystore, request),
        ),
        dry_run=dry_run,
        public_url=public_url,
        issued=issued,
    )


async def _run(
    pool: Pool[Any],
    principal: Principal,
    request: GraduationDecisionIn,
    action: Callable[[writes.Write], Awaitable[DecisionRegistered]],
    *,
    issuer_code: str,
    signing: Signing,
    idempotency_key: str | None,
    request_hash: bytes,
    dry_run: bool,
    public_url: str | None,
    issued: Issued,
) -> writes.Written:
    try:
        written = await writes.run(
            pool,
            principal,
            action,
            signing=signing,
            idempotency_key=None if dry_run else idempotency_key,
            request_hash=request_hash,
            dry_run=dry_run,
        )
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name != "diplomas_serial_key":
            raise
        # The unique index is the guard; only now look up every serial already taken, so
        # that the answer names each row (the happy path pays for no such query).
        serials = [g.serial for g in request.graduates]
        async with pool.acquire() as conn:
            taken = await db.existing_serials(conn, issuer_code, request.diploma.kind, serials)
        raise _serials_taken(serials, taken or {_serial_in(exc, serials)}) from None
    if public_url is not None and not dry_run:
        written = await _with_qr_urls(pool, written, signing, public_url, issued)
    if not written.replayed and not dry_run:
        log.info(
            "decision_registered",
            decision_id=written.answer["id"],
            part=written.answer["part"],
            issuer=issuer_code,
            kind=request.diploma.kind.value,
            diplomas=len(request.graduates),
        )
        registered = len(written.answer["diplomas"])
        metrics.DIPLOMAS_REGISTERED.labels(request.diploma.kind.value).inc(registered)
    return written


async def _issuer(w: writes.Write, request: GraduationDecisionIn, issuer_code: str) -> IssuerInfo:
    issuer = await db.get_issuer(w.conn, issuer_code)
    if issuer is None:
        raise Problem(UNKNOWN_ISSUER, *texts.UNKNOWN_ISSUER_CODE.format(code=issuer_code))
    check_decision(request, issuer)
    return issuer


async def _register(
    w: writes.Write,
    request: GraduationDecisionIn,
    issuer_code: str,
    *,
    rows: Sequence[int] | None,
    issued: Issued,
) -> DecisionRegistered:
    issuer = await _issuer(w, request, issuer_code)
    await w.issuing_key(issuer.code)
    decision_id = uuid7()
    deadline = registration_deadline(request)
    # Art. 17: late is accepted, and flagged for auditors.
    late = max(request.diploma.issued_on, vietnam_day(w.recorded_at)) > deadline
    if not await db.insert_decision(
        w.conn, decision_id, issuer.code, request, deadline, late, w.recorded_at
    ):
        raise Problem(
            DUPLICATE_DECISION,
            *texts.DECISION_REGISTERED.format(
                number=request.decision.number, date=request.decision.date
            ),
        )
    records, warnings = await _register_graduates(
        w, request, issuer, decision_id, part=1, late=late, rows=rows, issued=issued
    )
    answer = _answer(
        request, issuer, decision_id, records, warnings, 1, len(records), deadline, late
    )
    return await _with_digital_job(w, request, answer)


async def _with_digital_job(
    w: writes.Write, request: GraduationDecisionIn, answer: DecisionRegistered
) -> DecisionRegistered:
    """The answer with the job making the decision's digital diplomas, queued in the
    registration's own transaction (docs/digital-diplomas.md, "Making them") when its
    regulation has them for the kind, a person registers it (a job is a person's: an
    operator's token asks later, by the decision's route) and the body holding the register
    has an organisation certificate; else as it was."""
    diploma = request.diploma
    account = w.principal.account_id
    if (
        w.dry_run
        or account is None
        or not has_digital(diploma.regulation, diploma.kind.value, diploma.issued_on)
    ):
        return answer
    holder = await w.holder(answer.issuer)
    signers = w.signing.doc_signers
    if signers is None or signers.doc_signer_for(holder) is None:
        return answer
    job = await digital.queue_in(
        w.conn,
        account_id=account,
        issuer_code=answer.issuer,
        decision_id=answer.id,
        total_rows=answer.graduate_count,
    )
    return answer.model_copy(update={"digital_job": job})


async def _register_part(
    w: writes.Write,
    decision_id: uuid.UUID,
    request: GraduationDecisionIn,
    issuer_code: str,
    *,
    rows: Sequence[int] | None,
    issued: Issued,
) -> DecisionRegistered:
    decision = await db.lock_decision(w.conn, decision_id)
    if decision is None:
        raise Problem(NOT_FOUND)
    await check_read_scope(w.conn, w.principal, decision["issuer_code"])
    if "regulation" not in request.diploma.model_fields_set:
        # A list that names no regulation is under its decision's, not its date's.
        diploma = request.diploma.model_copy(update={"regulation": decision["regulation"]})
        request = request.model_copy(update={"diploma": diploma})
    if errors := part_mismatches(dict(decision), request, issuer_code):
        raise Problem(VALIDATION_ERROR, errors=errors)
    issuer = await _issuer(w, request, issuer_code)
    await w.issuing_key(issuer.code)
    deadline = registration_deadline(request)
    late = max(request.diploma.issued_on, vietnam_day(w.recorded_at)) > deadline
    part = decision["next_part"]
    records, warnings = await _register_graduates(
        w, request, issuer, decision_id, part=part, late=late, rows=rows, issued=issued
    )
    total = await db.decision_graduate_count(w.conn, decision_id)
    answer = _answer(request, issuer, decision_id, records, warnings, part, total, deadline, late)
    return await _with_digital_job(w, request, answer)


async def _register_graduates(
    w: writes.Write,
    request: GraduationDecisionIn,
    issuer: IssuerInfo,
    decision_id: uuid.UUID,
    *,
    part: int,
    late: bool,
    rows: Sequence[int] | None,
    issued: Issued,
) -> tuple[list[DiplomaRecord], list[DuplicateWarning]]:
    """The request's graduates as the decision's part `part`: blanks used, numbers taken,
    records signed and stored (each a leaf of the issuance log, by the diplomas' trigger)
    with the digests of their QR tokens (kept in `issued` for the answer's QR URLs); and the
    probable duplicate people among them."""
    conn = w.conn
    key = await w.issuing_key(issuer.code)
    serials = [g.serial for g in request.graduates]
    kind = request.diploma.kind.value
    # Before this list's own diplomas are stored, which would be their own duplicates.
    registered = await duplicates_db.registered_people(
        conn, issuer.code, request.diploma.kind, request.graduates
    )
    warnings = probable_duplicates(request.graduates, registered, rows)
    if issuer.tracks_blanks:
        # Taken before the counter's lock, in the order every blank operation takes them.
        await blanks_db.lock(conn, issuer.code, kind)
        blanks = await blanks_db.states(conn, issuer.code, kind, serials)
        if errors := usability_errors(blanks, lambda i: ("graduates", i, "serial")):
            raise Problem(BLANK_UNAVAILABLE, errors=errors)
    await db.insert_decision_part(conn, decision_id, part, len(serials), late, w.recorded_at)
    # The counter row stays locked from here to commit: keep what follows short.
    first_seq = await db.allocate_register_numbers(
        conn, issuer.code, request.diploma.kind, request.diploma.issued_on.year, len(serials)
    )
    records = build_records(
        request,
        issuer,
        decision_id=decision_id,
        first_seq=first_seq,
        # Whole seconds: the signed issued-at and the stored one are the same instant.
        issued_at=w.recorded_at,
    )
    signed, tokens = await sign_diplomas(key, records, w.signing.executor)
    await db.insert_diplomas(conn, records, key.kid, signed)
    ids = [r.id for r in records]
    # Sealed beside the register rows, in their transaction (never signed, never logged).
    await personal_ids.store(
        conn,
        w.signing.keystore,
        [(r.id, g.personal_id) for r, g in zip(records, request.graduates, strict=True)],
    )
    await db.insert_token_digests(conn, [token_digest(t) for t in tokens], ids)
    issued.update(zip(ids, tokens, strict=True))
    if issuer.tracks_blanks:
        receipts = [b.receipt_id for b in blanks if b.receipt_id is not None]
        await blanks_db.record_uses(
            conn, issuer.code, kind, serials, receipts, [r.id for r in records]
        )
    detail: dict[str, Any] = {"kind": kind, "diplomas": len(records), "late": late}
    if part > 1:
        detail["part"] = part
    await w.journal(
        Action.DECISION_REGISTERED,
        issuer_code=issuer.code,
        record_type="graduation_decision",
        record_id=decision_id,
        detail=detail,
    )
    return records, warnings


def _answer(
    request: GraduationDecisionIn,
    issuer: IssuerInfo,
    decision_id: uuid.UUID,
    records: list[DiplomaRecord],
    warnings: list[DuplicateWarning],
    part: int,
    total: int,
    deadline: date,
    late: bool,
) -> DecisionRegistered:
    signer = request.decision.signer
    return DecisionRegistered(
        id=decision_id,
        issuer=issuer.code,
        number=request.decision.number,
        date=request.decision.date,
        signer=Signer(name=signer.name, title=signer.title),
        kind=request.diploma.kind.value,
        regulation=request.diploma.regulation,
        graduate_count=total,
        diplomas=[
            RegisteredDiploma(
                id=r.id,
                serial=r.serial,
                register_number=r.register_number,
                full_name=r.holder_name,
                qr_url=None,  # filled in once committed: see _with_qr_urls
                qr_png=None,
                qr_svg=None,
            )
            for r in records
        ],
        deadline=deadline,
        late=late,
        warnings=[_warning(w) for w in warnings],
        part=part,
    )


async def _with_qr_urls(
    pool: Pool[Any], written: writes.Written, signing: Signing, public_url: str, issued: Issued
) -> writes.Written:
    """The answer with each diploma's QR URL (what /api/v1/diplomas/{id}/qr.png encodes: the
    token is deterministic) and image paths: from the tokens signed with the records, whose
    digests the register keeps; a replayed answer gets them from the stored rows."""
    answer = written.answer
    if issued and all(uuid.UUID(d["id"]) in issued for d in answer["diplomas"]):
        for diploma in answer["diplomas"]:
            path = f"/api/v1/diplomas/{diploma['id']}"
            diploma.update(
                qr_url=token_url(issued[uuid.UUID(diploma["id"])], public_url),
                qr_png=f"{path}/qr.png",
                qr_svg=f"{path}/qr.svg",
            )
        return dataclasses.replace(written, body=orjson.dumps(answer))
    async with pool.acquire() as conn:
        rows = await db.list_decision_records(conn, uuid.UUID(answer["id"]))

    wanted = {d["id"] for d in answer["diplomas"]}  # this part's, not the decision's others
    rows = [r for r in rows if str(r["id"]) in wanted]

    def make() -> dict[str, str]:
        return {str(r["id"]): diploma_qr_text(r, signing.keystore, public_url) for r in rows}

    if signing.executor is None or len(rows) <= 64:
        urls = make()
    else:  # a long list: off the event loop
        urls = await asyncio.get_running_loop().run_in_executor(signing.executor, make)
    for diploma in answer["diplomas"]:
        path = f"/api/v1/diplomas/{diploma['id']}"
        diploma.update(qr_url=urls[diploma["id"]], qr_png=f"{path}/qr.png", qr_svg=f"{path}/qr.svg")
    return dataclasses.replace(written, body=orjson.dumps(answer))


def _warning(found: DuplicateWarning) -> RegistrationWarning:
    existing = found.existing
    return RegistrationWarning(
        code=PROBABLE_DUPLICATE,
        pointer=f"#/graduates/{found.graduate}",
        graduate=found.graduate,
        row=found.row,
        other_graduate=found.other_graduate,
        other_row=found.other_row,
        existing=None
        if existing is None
        else ExistingDiploma(
            id=existing.id, serial=existing.serial, register_number=existing.register_number
        ),
        message_vi=found.message.vi,
        message_en=found.message.en,
    )


def _serial_in(exc: asyncpg.UniqueViolationError, serials: list[str]) -> str:
    # "Key (serial, issuer_code, kind)=(HN25-012301, SGDDT-HN, thpt) already exists."
    detail = exc.detail or ""
    return next((s for s in serials if f"=({s}, " in detail), "")


def _serials_taken(serials: list[str], taken: set[str]) -> Problem:
    errors = [
        FieldError(("graduates", i, "serial"), "serial_taken", *texts.SERIAL_TAKEN.format(serial=s))
        for i, s in enumerate(serials)
        if s in taken
    ]
    return Problem(DUPLICATE_SERIAL, errors=errors)
