"""Idempotency-Key rows: claimed at the start of a registering transaction, completed with the
answer at its end, so both commit or neither does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from service.db.pool import Connection
from service.db.queries import Q


@dataclass(frozen=True)
class StoredAnswer:
    request_hash: bytes
    status: int
    body: bytes


async def claim(conn: Connection, token_id: uuid.UUID, key: str, request_hash: bytes) -> bool:
    """True when this transaction now owns the key; waits while another transaction does."""
    return await conn.fetchval(Q.claim_idempotency_key, token_id, key, request_hash) is not None


async def stored_answer(conn: Connection, token_id: uuid.UUID, key: str) -> StoredAnswer:
    row = await conn.fetchrow(Q.get_idempotency_key, token_id, key)
    # The key's transaction committed, and it commits only together with its answer.
    assert row is not None
    assert row["response_status"] is not None
    return StoredAnswer(
        bytes(row["request_hash"]), row["response_status"], bytes(row["response_body"])
    )


async def complete(
    conn: Connection, token_id: uuid.UUID, key: str, status: int, body: bytes
) -> None:
    await conn.execute(Q.complete_idempotency_key, token_id, key, status, body)
