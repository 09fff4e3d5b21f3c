"""Handover (bàn giao, cấp phát văn bằng; Circular 21 Art. 13): the diploma given to its holder
or their representative, recorded once, with who received it and when, in the register's
"người nhận" and "ngày nhận" columns."""

from __future__ import annotations

import uuid

import structlog

from service import texts
from service.db import lifecycle as db
from service.domain.clock import vietnam_day
from service.domain.events import Handover
from service.domain.ids import uuid7
from service.domain.lifecycle import HandoverIn, check_handover
from service.problems import ALREADY_HANDED_OVER, Problem
from service.usecases.writes import Write

log = structlog.get_logger(__name__)


async def hand_over(w: Write, diploma_id: uuid.UUID, request: HandoverIn) -> Handover:
    """Records the handover of a diploma in force (a corrected one too); the same rights as
    registering for the issuer, and a diploma outside the scope reads as absent."""
    state = await w.locked_diploma(diploma_id)
    # Under the diploma's lock: a concurrent handover has committed or waits behind us.
    earlier = await db.handover(w.conn, diploma_id)
    if earlier is not None:
        raise Problem(
            ALREADY_HANDED_OVER, *texts.ALREADY_HANDED_OVER_ON.format(date=earlier.handed_over_on)
        )
    state.ensure_in_force()
    row = state.row
    check_handover(request, issued_on=row.issued_on, today=vietnam_day(w.recorded_at))
    key = await w.key(state.issuer_code)
    handover = Handover(
        id=uuid7(),
        diploma_id=diploma_id,
        issuer=state.issuer_code,
        serial=row.serial,
        record_digest=state.digest,
        recipient_name=request.recipient_name,
        relation=request.relation.value,
        id_document_type=(
            None if request.id_document_type is None else request.id_document_type.value
        ),
        id_document_number=request.id_document_number,
        authorisation=request.authorisation,
        handed_over_on=request.handed_over_on,
        handed_over_by=request.handed_over_by,
        note=request.note,
        recorded_at=w.recorded_at,
        kid=key.kid,
    )
    if await w.record(handover) is None:  # the lock makes this unreachable; the index guards
        raise Problem(ALREADY_HANDED_OVER)
    log.info(
        "diploma_handed_over",
        diploma_id=str(diploma_id),
        issuer=state.issuer_code,
        relation=handover.relation,
    )
    return handover
