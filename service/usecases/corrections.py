"""Corrections (chỉnh sửa, Circular 21 Art. 21-24): a decision that changes civil-status
fields. The paper diploma is never written on; the register gains a new signed version of
the record that supersedes the previous one, and the appendix keeps old and new values."""

from __future__ import annotations

import os
import uuid

import structlog

from service.domain.clock import vietnam_day
from service.domain.events import Correction, FieldChange, Signer
from service.domain.lifecycle import CIVIL_STATUS_FIELDS, CorrectionIn, check_correction
from service.usecases.writes import Write
from verifier.cose import parse_sign1, sign1
from verifier.record import decode_record, encode_record
from verifier.token import record_digest

log = structlog.get_logger(__name__)
# Register column -> the field name of the API (full_name for holder_name).
_API_NAME = {column: name for name, column in CIVIL_STATUS_FIELDS.items()}


async def correct(w: Write, diploma_id: uuid.UUID, request: CorrectionIn) -> Correction:
    state = await w.locked_diploma(diploma_id)
    state.ensure_in_force()
    row = state.row
    by_column = check_correction(
        request, state.current, issued_on=row.issued_on, today=vietnam_day(w.recorded_at)
    )
    current = {**state.current, **{c: v["new"] for c, v in by_column.items()}}
    key = await w.key(state.issuer_code)
    version = state.version + 1

    # The new version: the current record with the civil status put right, naming the
    # version it supersedes and the decision. Ethnicity and nationality are not in the
    # signed record (they are not printed), so a change of those alone still makes a
    # new version, whose content differs only in this metadata.
    fields = decode_record(parse_sign1(state.record_signed).payload)
    fields.update(
        holder_name=current["holder_name"],
        date_of_birth=current["date_of_birth"].isoformat(),
        place_of_birth=current["place_of_birth"],
        gender=current["gender"],
        version=version,
        supersedes=record_digest(state.record_signed),
        correction_decision=request.decision_number,
        salt=os.urandom(16),
        issued_at=int(w.recorded_at.timestamp()),
    )
    correction = Correction(
        id=uuid.uuid4(),
        diploma_id=diploma_id,
        issuer=state.issuer_code,
        serial=row.serial,
        version=version,
        record_digest=state.digest,
        decision_number=request.decision_number,
        decided_on=request.decided_on,
        signer=Signer(name=request.signer.name, title=request.signer.title),
        ground=request.ground.value,
        reason=request.reason,
        changes={_API_NAME[c]: FieldChange(**v) for c, v in by_column.items()},
        current=current,
        recorded_at=w.recorded_at,
        kid=key.kid,
        record=sign1(encode_record(fields), key.private_key, key.kid),
    )
    await w.record(correction)
    log.info(
        "diploma_corrected",
        diploma_id=str(diploma_id),
        issuer=state.issuer_code,
        version=version,
        ground=request.ground.value,
        fields=sorted(correction.changes),
    )
    return correction
