"""Corrections (chỉnh sửa, Circular 21 Art. 21-24): a decision that changes civil-status
fields. The paper diploma is never written on; the register gains a new signed version of
the record that supersedes the previous one, and the appendix keeps old and new values."""

from __future__ import annotations

import base64
import os
import uuid
from typing import Any

import orjson
import structlog

from service.db.queries import Q
from service.domain.accounts import Principal
from service.domain.lifecycle import CIVIL_STATUS_FIELDS, CorrectionIn, check_correction
from service.lifecycle import locked_diploma, recorded_now, sign_event, signing_key, to_jsonb
from service.signing import Signing
from verifier.cose import parse_sign1, sign1
from verifier.record import decode_record, encode_record
from verifier.token import record_digest

log = structlog.get_logger(__name__)
# Register column -> the field name of the API (full_name for holder_name).
_API_NAME = {column: name for name, column in CIVIL_STATUS_FIELDS.items()}


async def correct(
    conn: Any,
    principal: Principal,
    diploma_id: uuid.UUID,
    request: CorrectionIn,
    *,
    signing: Signing,
) -> dict[str, Any]:
    recorded_at = recorded_now()
    state = await locked_diploma(conn, principal, diploma_id)
    state.ensure_in_force()
    row = state.row
    by_column = check_correction(
        request, state.current, issued_on=row["issued_on"], today=recorded_at.date()
    )
    current = {**state.current, **{c: v["new"] for c, v in by_column.items()}}
    changes = {_API_NAME[c]: v for c, v in by_column.items()}
    key = await signing_key(conn, signing, state.issuer_code)
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
        issued_at=int(recorded_at.timestamp()),
    )
    new_record = sign1(encode_record(fields), key.private_key, key.kid)
    statement = sign_event(
        key,
        {
            "type": "correction",
            "issuer": state.issuer_code,
            "serial": row["serial"],
            "record_digest": state.digest,
            "decision_number": request.decision_number,
            "decided_on": request.decided_on.isoformat(),
            "ground": request.ground.value,
            "changed": sorted(changes),
            "version": version,
            "new_record_digest": record_digest(new_record),
            "issued_at": int(recorded_at.timestamp()),
        },
    )
    correction_id = uuid.uuid4()
    await conn.execute(
        Q.insert_correction,
        correction_id,
        diploma_id,
        version,
        state.issuer_code,
        request.decision_number,
        request.decided_on,
        request.signer.name,
        request.signer.title,
        request.ground.value,
        request.reason,
        to_jsonb(changes),
        to_jsonb(current),
        key.kid,
        new_record,
        statement,
        recorded_at,
    )
    log.info(
        "diploma_corrected",
        diploma_id=str(diploma_id),
        issuer=state.issuer_code,
        version=version,
        ground=request.ground.value,
        fields=sorted(changes),
    )
    return {
        "id": str(correction_id),
        "diploma_id": str(diploma_id),
        "issuer": state.issuer_code,
        "serial": row["serial"],
        "version": version,
        "decision_number": request.decision_number,
        "decided_on": request.decided_on.isoformat(),
        "signer": {"name": request.signer.name, "title": request.signer.title},
        "ground": request.ground.value,
        "reason": request.reason,
        "changes": orjson.loads(to_jsonb(changes)),
        "recorded_at": recorded_at.isoformat(),
        "kid": key.kid.hex(),
        # The new version, for anyone holding the trust list to verify offline.
        "record": base64.b64encode(new_record).decode(),
    }
