"""Reading the register within a principal's scope: a graduation decision, and a diploma with
its history (the register appendix of corrections, the revocation, the re-issue it came from
or that replaced it, the certified copies and the handover)."""

from __future__ import annotations

import uuid
from typing import Any

from service.db import lifecycle as lifecycle_db
from service.db import register as db
from service.db.pool import Connection, Pool
from service.domain.accounts import Principal
from service.domain.events import Signer
from service.domain.standing import standing
from service.domain.views import (
    Decision,
    Diploma,
    DiplomaSummary,
    History,
)
from service.keystore import KeyStore
from service.usecases import personal_ids
from service.usecases.access import decision_in_scope, diploma_in_scope


async def diploma_history(conn: Connection, diploma_id: uuid.UUID) -> History:
    corrections = await lifecycle_db.corrections(conn, diploma_id)
    revocation = await lifecycle_db.revocation(conn, diploma_id)
    replaced_by, replaces = await lifecycle_db.reissues(conn, diploma_id)
    return History(
        state=standing(
            revoked=revocation is not None,
            replaced=replaced_by is not None,
            corrected=bool(corrections),
        ),
        version=1 + len(corrections),
        corrections=corrections,
        revocation=revocation,
        replaced_by=replaced_by,
        replaces=replaces,
        copies=await lifecycle_db.copies(conn, diploma_id),
        handover=await lifecycle_db.handover(conn, diploma_id),
    )


async def read_diploma(
    pool: Pool[Any], principal: Principal, diploma_id: uuid.UUID, *, keystore: KeyStore
) -> Diploma:
    """The register entry, its history, and the holder's personal identification number
    masked (the whole number is personal_ids.reveal's, journalled)."""
    async with pool.acquire() as conn:
        row = await diploma_in_scope(conn, principal, diploma_id)
        history = await diploma_history(conn, diploma_id)
        personal_id = await personal_ids.masked(conn, keystore, diploma_id)
    return Diploma.from_row(row, history, personal_id)


async def read_decision(pool: Pool[Any], principal: Principal, decision_id: uuid.UUID) -> Decision:
    async with pool.acquire() as conn:
        row = await decision_in_scope(conn, principal, decision_id)
        diplomas = await db.list_decision_diplomas(conn, decision_id)
    return Decision(
        id=row["id"],
        issuer=row["issuer_code"],
        number=row["number"],
        date=row["decided_on"],
        signer=Signer(name=row["signer_name"], title=row["signer_title"]),
        kind=row["kind"],
        regulation=row["regulation"],
        graduate_count=row["graduate_count"],
        registered_at=row["created_at"],
        deadline=row["deadline"],
        late=row["late"],
        parts=row["parts"],
        diplomas=[
            DiplomaSummary(
                id=d["id"],
                serial=d["serial"],
                register_number=d["register_number"],
                full_name=d["holder_name"],
            )
            for d in diplomas
        ],
    )


async def read_decision_with_states(
    pool: Pool[Any], principal: Principal, decision_id: uuid.UUID
) -> tuple[Decision, dict[str, str]]:
    """The decision, and the state of each of its diplomas that is no longer as registered
    (by diploma id: corrected, replaced, revoked)."""
    decision = await read_decision(pool, principal, decision_id)
    async with pool.acquire() as conn:
        states = await lifecycle_db.decision_states(conn, decision_id)
    return decision, states
