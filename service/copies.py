"""Certified copies from the register (bản sao từ sổ gốc, Circular 21 Art. 27-32): issued to
the holder, a representative, a relative or an heir, with content identical to the register
as it stands (corrections included), each entry numbered in the issuer's copy register,
consecutively per calendar year with no gap."""

from __future__ import annotations

import uuid
from typing import Any

import structlog

from service.db.queries import Q
from service.domain.accounts import Principal
from service.domain.lifecycle import CopyIn, check_copy
from service.lifecycle import locked_diploma, recorded_now, sign_event, signing_key
from service.signing import Signing

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


async def certify(
    conn: Any,
    principal: Principal,
    diploma_id: uuid.UUID,
    request: CopyIn,
    *,
    signing: Signing,
) -> dict[str, Any]:
    recorded_at = recorded_now()
    state = await locked_diploma(conn, principal, diploma_id)
    state.ensure_in_force()
    row = state.row
    check_copy(request, issued_on=row["issued_on"], today=recorded_at.date())
    key = await signing_key(conn, signing, state.issuer_code)
    year = request.issued_on.year
    # The counter row stays locked until commit: concurrent copies of the issuer queue
    # here, and a failure after this point rolls the number back with everything else.
    seq = await conn.fetchval(Q.allocate_copy_number, state.issuer_code, year)
    number = copy_number(seq, year)
    statement = sign_event(
        key,
        {
            "type": "copy",
            "issuer": state.issuer_code,
            "serial": row["serial"],
            "record_digest": state.digest,
            "number": number,
            "copies": request.copies,
            "relation": request.relation.value,
            "issued_on": request.issued_on.isoformat(),
            "issued_at": int(recorded_at.timestamp()),
        },
    )
    copy_id = uuid.uuid4()
    await conn.execute(
        Q.insert_copy,
        copy_id,
        diploma_id,
        state.issuer_code,
        year,
        seq,
        number,
        request.requester_name,
        request.relation.value,
        request.id_document_type.value,
        request.id_document_number,
        request.copies,
        request.issued_on,
        key.kid,
        statement,
        recorded_at,
    )
    log.info("certified_copy", diploma_id=str(diploma_id), issuer=state.issuer_code, number=number)
    content = {name: row[name] for name in COPY_CONTENT}
    content.update({k: v for k, v in state.current.items() if k in COPY_CONTENT})
    content["full_name"] = content.pop("holder_name")
    return {
        "id": str(copy_id),
        "diploma_id": str(diploma_id),
        "issuer": state.issuer_code,
        "number": number,
        "year": year,
        "seq": seq,
        "requester_name": request.requester_name,
        "relation": request.relation.value,
        "id_document_type": request.id_document_type.value,
        "copies": request.copies,
        "issued_on": request.issued_on.isoformat(),
        "version": state.version,
        "content": {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in content.items()},
        "recorded_at": recorded_at.isoformat(),
    }
