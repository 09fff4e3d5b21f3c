"""Re-issue (cấp lại, Circular 21 Art. 18), only for the issuer's own error: the diploma is
issued again on a new blank with a new serial, a new register entry and a new QR; the old one
is recorded as replaced and its blank as spoiled. A lost diploma is never re-issued (Art. 2):
the holder gets a certified copy instead."""

from __future__ import annotations

import base64
import os
import uuid
from typing import Any

import orjson
import structlog

from service.blanks import record_events, spoil_statement
from service.db import blanks as blanks_db
from service.db import register as db
from service.db.queries import Q
from service.domain.accounts import Principal
from service.domain.ids import uuid7
from service.domain.kinds import DiplomaKind
from service.domain.lifecycle import REISSUE_FIELDS, ReissueIn, check_reissue
from service.domain.numbering import format_register_number
from service.domain.registration import DiplomaRecord
from service.lifecycle import locked_diploma, recorded_now, sign_event, signing_key, to_jsonb
from service.problems import DUPLICATE_SERIAL, VALIDATION_ERROR, FieldError, Problem
from service.signing import Signing, signed_fields
from verifier.cose import sign1
from verifier.record import encode_record
from verifier.token import record_digest

log = structlog.get_logger(__name__)
_API_NAME = {column: name for name, column in REISSUE_FIELDS.items()}


async def reissue(
    conn: Any,
    principal: Principal,
    diploma_id: uuid.UUID,
    request: ReissueIn,
    *,
    signing: Signing,
) -> dict[str, Any]:
    recorded_at = recorded_now()
    state = await locked_diploma(conn, principal, diploma_id)
    state.ensure_in_force()
    old = state.row
    check_reissue(request, issued_on=old["issued_on"], today=recorded_at.date())
    if request.serial == old["serial"]:
        raise Problem(
            VALIDATION_ERROR,
            errors=[
                FieldError(
                    ("serial",),
                    "same_serial",
                    "Văn bằng cấp lại phải in trên phôi mới, số hiệu mới",
                    "A re-issued diploma is printed on a new blank with a new serial",
                )
            ],
        )
    issuer = await db.get_issuer(conn, state.issuer_code)
    assert issuer is not None
    kind = DiplomaKind(old["kind"])
    base = {column: old[column] for column in REISSUE_FIELDS.values()}
    base.update(state.current)
    changes = {
        _API_NAME[column]: {"old": base[column], "new": new}
        for column, new in request.changes.columns().items()
        if base[column] != new
    }
    values = {**base, **{c: v for c, v in request.changes.columns().items()}}
    key = await signing_key(conn, signing, issuer.code)
    if issuer.tracks_blanks:
        await blanks_db.lock(conn, issuer.code, kind.value)
        receipts = await blanks_db.usable(
            conn, issuer.code, kind.value, [request.serial], lambda _: ("serial",)
        )
    if await db.existing_serials(conn, issuer.code, kind, [request.serial]):
        raise Problem(
            DUPLICATE_SERIAL,
            errors=[
                FieldError(
                    ("serial",),
                    "serial_taken",
                    f"Số hiệu {request.serial} đã có trong sổ gốc",
                    f"Serial {request.serial} is already in the register",
                )
            ],
        )
    year = request.issued_on.year
    seq = await db.allocate_register_numbers(conn, issuer.code, kind, year, 1)
    record = DiplomaRecord(
        id=uuid7(),
        decision_id=old["decision_id"],
        issuer_code=issuer.code,
        kind=kind,
        regulation=old["regulation"],
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
        student_id=old["student_id"],
        major=values["major"],
        classification=values["classification"],
        mode_of_study=values["mode_of_study"],
        graduation_year=old["graduation_year"],
        signer_name=old["signer_name"],
        signer_title=old["signer_title"],
        signer_on_behalf_of=old["signer_on_behalf_of"],
        place_of_issue=old["place_of_issue"],
        issued_on=request.issued_on,
        salt=os.urandom(16),
        issued_at=recorded_at,
        published=old["published"],
    )
    fields = signed_fields(record)
    fields["replaces"] = state.digest
    signed = sign1(encode_record(fields), key.private_key, key.kid)
    await db.insert_diplomas(conn, [record], key.kid, [signed])
    statement = sign_event(
        key,
        {
            "type": "reissue",
            "issuer": issuer.code,
            "serial": old["serial"],
            "record_digest": state.digest,
            "new_serial": request.serial,
            "new_record_digest": record_digest(signed),
            "changed": sorted(changes),
            "issued_at": int(recorded_at.timestamp()),
        },
    )
    reissue_id = uuid.uuid4()
    await conn.execute(
        Q.insert_reissue,
        reissue_id,
        diploma_id,
        record.id,
        issuer.code,
        request.reason,
        to_jsonb(changes),
        key.kid,
        statement,
        recorded_at,
    )
    if issuer.tracks_blanks:
        await blanks_db.record_uses(
            conn, issuer.code, kind.value, [request.serial], receipts, [record.id]
        )
    # The old blank carries the error: it is spoiled (and destroyed later, with minutes).
    reason = f"Cấp lại do lỗi của cơ quan cấp: {request.reason}"[:2000]
    await record_events(
        conn,
        key,
        issuer_code=issuer.code,
        kind=kind.value,
        event="spoiled",
        serials=[old["serial"]],
        occurred_on=request.issued_on,
        reason=reason,
        was_used=[True],
        was_spoiled=[False],
        recorded_at=recorded_at,
        statement=spoil_statement(
            key,
            issuer_code=issuer.code,
            kind=kind.value,
            serials=[old["serial"]],
            occurred_on=request.issued_on,
            reason=reason,
            recorded_at=recorded_at,
        ),
        reissue_id=reissue_id,
    )
    log.info(
        "diploma_reissued",
        diploma_id=str(diploma_id),
        new_diploma_id=str(record.id),
        issuer=issuer.code,
    )
    return {
        "id": str(reissue_id),
        "issuer": issuer.code,
        "replaced": {"id": str(diploma_id), "serial": old["serial"]},
        "diploma": {
            "id": str(record.id),
            "serial": record.serial,
            "register_number": record.register_number,
            "full_name": record.holder_name,
            "issued_on": record.issued_on.isoformat(),
            "signature": {
                "kid": key.kid.hex(),
                "cose_sign1": base64.b64encode(signed).decode(),
            },
        },
        "reason": request.reason,
        "changes": orjson.loads(to_jsonb(changes)),
        "recorded_at": recorded_at.isoformat(),
    }
