"""Re-issue (cấp lại, Circular 21 Art. 18), only for the issuer's own error: the diploma is
issued again on a new blank with a new serial, a new register entry and a new QR; the old one
is recorded as replaced and its blank as spoiled. A lost diploma is never re-issued (Art. 2):
the holder gets a certified copy instead."""

from __future__ import annotations

import os
import uuid

import structlog

from service import texts
from service.db import blanks as blanks_db
from service.db import register as db
from service.domain.blanks import usability_errors
from service.domain.clock import vietnam_day
from service.domain.events import (
    BlanksSpoiled,
    DiplomaRef,
    FieldChange,
    Reissue,
    ReissuedDiploma,
    SignatureOut,
)
from service.domain.ids import uuid7
from service.domain.kinds import DiplomaKind
from service.domain.lifecycle import REISSUE_FIELDS, ReissueIn, check_reissue
from service.domain.numbering import format_register_number
from service.domain.registration import DiplomaRecord
from service.problems import (
    BLANK_UNAVAILABLE,
    DUPLICATE_SERIAL,
    VALIDATION_ERROR,
    FieldError,
    Problem,
)
from service.qr.tokens import record_token, token_digest
from service.signing import signed_fields
from service.usecases import personal_ids
from service.usecases.writes import Write
from verifier.cose import sign1
from verifier.record import encode_record

log = structlog.get_logger(__name__)
_API_NAME = {column: name for name, column in REISSUE_FIELDS.items()}


async def reissue(w: Write, diploma_id: uuid.UUID, request: ReissueIn) -> Reissue:
    conn = w.conn
    recorded_at = w.recorded_at
    state = await w.locked_diploma(diploma_id)
    state.ensure_in_force()
    old = state.row
    check_reissue(request, issued_on=old.issued_on, today=vietnam_day(recorded_at))
    if request.serial == old.serial:
        raise Problem(
            VALIDATION_ERROR,
            errors=[FieldError(("serial",), "same_serial", *texts.SAME_SERIAL)],
        )
    issuer = await db.get_issuer(conn, state.issuer_code)
    assert issuer is not None
    kind = DiplomaKind(old.kind)
    base = {column: getattr(old, column) for column in REISSUE_FIELDS.values()}
    base.update(state.current)
    changes = {
        _API_NAME[column]: FieldChange(old=base[column], new=new)
        for column, new in request.changes.columns().items()
        if base[column] != new
    }
    values = {**base, **request.changes.columns()}
    key = await w.key(issuer.code)
    if issuer.tracks_blanks:
        await blanks_db.lock(conn, issuer.code, kind.value)
        blanks = await blanks_db.states(conn, issuer.code, kind.value, [request.serial])
        if errors := usability_errors(blanks, lambda _: ("serial",)):
            raise Problem(BLANK_UNAVAILABLE, errors=errors)
    if await db.existing_serials(conn, issuer.code, kind, [request.serial]):
        raise Problem(
            DUPLICATE_SERIAL,
            errors=[
                FieldError(
                    ("serial",), "serial_taken", *texts.SERIAL_TAKEN.format(serial=request.serial)
                )
            ],
        )
    year = request.issued_on.year
    seq = await db.allocate_register_numbers(conn, issuer.code, kind, year, 1)
    record = DiplomaRecord(
        id=uuid7(),
        decision_id=old.decision_id,
        issuer_code=issuer.code,
        kind=kind,
        regulation=old.regulation,
        serial=request.serial,
        register_year=year,
        register_seq=seq,
        register_number=format_register_number(issuer.register_number_pattern, seq, year, kind),
        holder_name=values["holder_name"],
        date_of_birth=values["date_of_birth"],
        place_of_birth=values["place_of_birth"],
        gender=values["gender"],
        ethnicity=values["ethnicity"],
        nationality=values["nationality"],
        student_id=old.student_id,
        major=values["major"],
        classification=values["classification"],
        mode_of_study=values["mode_of_study"],
        graduation_year=old.graduation_year,
        signer_name=old.signer_name,
        signer_title=old.signer_title,
        signer_on_behalf_of=old.signer_on_behalf_of,
        place_of_issue=old.place_of_issue,
        issued_on=request.issued_on,
        salt=os.urandom(16),
        issued_at=recorded_at,
        published=old.published,
    )
    fields = signed_fields(record)
    fields["replaces"] = state.digest
    signed = sign1(encode_record(fields), key.private_key, key.kid)
    await db.insert_diplomas(conn, [record], key.kid, [signed])
    # The holder's personal identification number goes with the holder: sealed again under
    # the new diploma's id (its associated data), in this transaction.
    number = (await personal_ids.read_numbers(conn, w.signing.keystore, [diploma_id])).get(
        diploma_id
    )
    await personal_ids.store(conn, w.signing.keystore, [(record.id, number)])
    # The new diploma's QR token, which the register then recognises (0022_token_digests).
    await db.insert_token_digests(
        conn, [token_digest(record_token(record, signed, key))], [record.id]
    )
    answer = Reissue(
        id=uuid.uuid4(),
        issuer=issuer.code,
        replaced=DiplomaRef(id=diploma_id, serial=old.serial),
        record_digest=state.digest,
        diploma=ReissuedDiploma(
            id=record.id,
            serial=record.serial,
            register_number=record.register_number,
            full_name=record.holder_name,
            issued_on=record.issued_on,
            signature=SignatureOut(kid=key.kid, cose_sign1=signed),
        ),
        reason=request.reason,
        changes=changes,
        recorded_at=recorded_at,
        kid=key.kid,
    )
    await w.record(answer)
    if issuer.tracks_blanks:
        receipts = [b.receipt_id for b in blanks if b.receipt_id is not None]
        await blanks_db.record_uses(
            conn, issuer.code, kind.value, [request.serial], receipts, [record.id]
        )
    # The old blank carries the error: it is spoiled (and destroyed later, with minutes).
    await w.record(
        BlanksSpoiled(
            issuer=issuer.code,
            kind=kind.value,
            serials=[old.serial],
            occurred_on=request.issued_on,
            reason=texts.REISSUE_SPOIL_REASON.format(reason=request.reason)[:2000],
            recorded_at=recorded_at,
            was_used=[True],
            reissue_id=answer.id,
            kid=key.kid,
        )
    )
    log.info(
        "diploma_reissued",
        diploma_id=str(diploma_id),
        new_diploma_id=str(record.id),
        issuer=issuer.code,
    )
    return answer
