"""The lifecycle's rows: events stored with their statements, a diploma's lock and state, its
history and the published revocations; the SQL is in sql/queries/lifecycle.sql (and
handovers.sql)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson

from service.db.pool import Connection
from service.db.queries import Q
from service.domain.events import Signer
from service.domain.views import (
    AppendixEntry,
    CopyEntry,
    HandoverEntry,
    ReissueLink,
    RevocationEntry,
)
from verifier.cose import parse_sign1
from verifier.events import decode_event


async def store(conn: Connection, rows: Sequence[tuple[str, tuple[Any, ...]]]) -> Any:
    """Runs an event's named inserts in order; answers what the first returns."""
    first: Any = None
    for index, (name, args) in enumerate(rows):
        result = await conn.fetchval(getattr(Q, name), *args)
        if index == 0:
            first = result
    return first


@dataclass(frozen=True)
class LifecycleState:
    revoked_decision: str | None
    replaced_by: uuid.UUID | None
    version: int | None  # of the latest correction, None when there is none
    current: dict[str, Any] | None  # the civil status after the latest correction
    record_signed: bytes | None  # the latest correction's signed record


async def lock_and_read_state(conn: Connection, diploma_id: uuid.UUID) -> LifecycleState:
    """Locks the diploma's row until the transaction ends (FOR NO KEY UPDATE, which no UPDATE
    trigger sees), then reads what stands in the way of an event."""
    await conn.execute(Q.lock_diploma, diploma_id)
    return await read_state(conn, diploma_id)  # one row always (SELECT 1 LEFT JOIN ...)


async def read_state(conn: Connection, diploma_id: uuid.UUID) -> LifecycleState:
    """Where the diploma's life stands, unlocked (for a document made of it)."""
    row = await conn.fetchrow(Q.diploma_state, diploma_id)
    assert row is not None
    return LifecycleState(
        revoked_decision=row["revoked_decision"],
        replaced_by=row["replaced_by"],
        version=row["version"],
        current=None if row["current"] is None else orjson.loads(row["current"]),
        record_signed=None if row["record_signed"] is None else bytes(row["record_signed"]),
    )


async def allocate_copy_number(conn: Connection, issuer_code: str, year: int) -> int:
    """The next number of the issuer's copy register; the counter row stays locked until
    commit, so a refused request takes no number."""
    seq: int = await conn.fetchval(Q.allocate_copy_number, issuer_code, year)
    return seq


async def corrections(conn: Connection, diploma_id: uuid.UUID) -> list[AppendixEntry]:
    """The register appendix of one diploma, oldest first."""
    return [
        AppendixEntry(
            **{k: r[k] for k in ("id", "version", "decision_number", "decided_on", "ground")},
            signer=Signer(name=r["signer_name"], title=r["signer_title"]),
            reason=r["reason"],
            changes=orjson.loads(r["changes"]),
            recorded_at=r["recorded_at"],
        )
        for r in await conn.fetch(Q.diploma_corrections, diploma_id)
    ]


async def revocation(conn: Connection, diploma_id: uuid.UUID) -> RevocationEntry | None:
    row = await conn.fetchrow(Q.revocation_of, diploma_id)
    return None if row is None else RevocationEntry(**dict(row))


async def reissues(
    conn: Connection, diploma_id: uuid.UUID
) -> tuple[ReissueLink | None, ReissueLink | None]:
    """The re-issue that replaced the diploma, and the one it came from."""
    replaced_by = replaces = None
    for r in await conn.fetch(Q.diploma_reissues, diploma_id):
        link: dict[str, Any] = {
            "reissue_id": r["id"],
            "reason": r["reason"],
            "changes": orjson.loads(r["changes"]),
            "recorded_at": r["recorded_at"],
        }
        if r["old_diploma_id"] == diploma_id:
            replaced_by = ReissueLink(id=r["new_diploma_id"], serial=r["new_serial"], **link)
        else:
            replaces = ReissueLink(id=r["old_diploma_id"], serial=r["old_serial"], **link)
    return replaced_by, replaces


async def copies(conn: Connection, diploma_id: uuid.UUID) -> list[CopyEntry]:
    return [CopyEntry(**dict(r)) for r in await conn.fetch(Q.diploma_copies, diploma_id)]


async def handover(conn: Connection, diploma_id: uuid.UUID) -> HandoverEntry | None:
    """Who received the diploma and when (sql/queries/handovers.sql), if it was handed over."""
    row = await conn.fetchrow(Q.diploma_handover, diploma_id)
    return None if row is None else HandoverEntry(**dict(row))


async def issuer_revocations(
    conn: Connection, issuer_code: str, limit: int
) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.issuer_revocations, issuer_code, limit))


async def decision_states(conn: Connection, decision_id: uuid.UUID) -> dict[str, str]:
    """The state of each diploma of the decision that is no longer as registered."""
    rows = await conn.fetch(Q.decision_states, decision_id)
    return {str(r["diploma_id"]): r["state"] for r in rows}


async def copy_document(
    conn: Connection, diploma_id: uuid.UUID, copy_id: uuid.UUID
) -> dict[str, Any] | None:
    """What a certified copy prints (sql/queries/lifecycle.sql, copy_document), with the
    digest of the registered record its signed entry names; None when diploma_id has no
    such copy."""
    row = await conn.fetchrow(Q.copy_document, diploma_id, copy_id)
    if row is None:
        return None
    copy = dict(row)
    copy["content"] = None if row["content"] is None else orjson.loads(row["content"])
    copy["signed"] = bytes(row["signed"])
    copy["record_digest"] = decode_event(parse_sign1(copy["signed"]).payload)["record_digest"]
    return copy


async def find_copy(pool: Any, issuer_code: str, number: str) -> asyncpg.Record | None:
    """The copy register's entry a copy's QR code names."""
    row: asyncpg.Record | None = await pool.fetchrow(Q.find_copy, issuer_code, number)
    return row


async def copy_extract(conn: Connection, copy_id: uuid.UUID) -> tuple[bytes, str] | None:
    """An electronic extract's signed PDF and its PAdES level, once made."""
    row = await conn.fetchrow(Q.copy_extract, copy_id)
    return None if row is None else (bytes(row["pdf"]), row["level"])


async def save_copy_extract(
    conn: Connection, copy_id: uuid.UUID, pdf: bytes, sha256: bytes, level: str
) -> tuple[bytes, str]:
    """Keeps the extract's PDF unless one was kept meanwhile; answers the one kept."""
    await conn.execute(Q.save_copy_extract, copy_id, pdf, sha256, level)
    kept = await copy_extract(conn, copy_id)
    assert kept is not None
    return kept
