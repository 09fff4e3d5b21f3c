"""Typed access to the register tables; the SQL is in sql/queries/register.sql."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import asyncpg

from service.db.queries import Q
from service.domain.graduates import GraduationDecisionIn
from service.domain.kinds import DiplomaKind, IssuerKind
from service.domain.registration import DiplomaRecord, IssuerInfo, StoredDiploma

Connection = asyncpg.Connection | asyncpg.pool.PoolConnectionProxy


async def get_issuer(conn: Connection, code: str) -> IssuerInfo | None:
    row = await conn.fetchrow(Q.get_issuer, code)
    if row is None:
        return None
    return IssuerInfo(
        code=row["code"],
        name=row["name"],
        kind=IssuerKind(row["kind"]),
        parent_code=row["parent_code"],
        register_number_pattern=row["register_number_pattern"],
        tracks_blanks=row["tracks_blanks"],
    )


async def issuer_within(conn: Connection, code: str, root: str) -> bool:
    """Is `code` the issuer `root` or one under it?"""
    return bool(await conn.fetchval(Q.issuer_within, code, root))


async def insert_decision(
    conn: Connection,
    decision_id: uuid.UUID,
    issuer_code: str,
    request: GraduationDecisionIn,
    deadline: date,
    late: bool,
    registered_at: datetime,
) -> bool:
    """False when the issuer already has a decision with that number and date."""
    d = request.decision
    inserted = await conn.fetchval(
        Q.insert_decision,
        decision_id,
        issuer_code,
        d.number,
        d.date,
        d.signer.name,
        d.signer.title,
        request.diploma.kind.value,
        request.diploma.regulation,
        len(request.graduates),
        deadline,
        late,
        registered_at,
    )
    return inserted is not None


async def existing_serials(
    conn: Connection, issuer_code: str, kind: DiplomaKind, serials: list[str]
) -> set[str]:
    rows = await conn.fetch(Q.existing_serials, issuer_code, kind.value, serials)
    return {row["serial"] for row in rows}


async def allocate_register_numbers(
    conn: Connection, issuer_code: str, kind: DiplomaKind, year: int, count: int
) -> int:
    """Reserves `count` consecutive numbers and returns the first."""
    last: int = await conn.fetchval(
        Q.allocate_register_numbers, issuer_code, kind.value, year, count
    )
    return last - count + 1


async def insert_diplomas(
    conn: Connection, records: list[DiplomaRecord], kid: bytes, signed: list[bytes]
) -> None:
    """Binary COPY: the fastest way PostgreSQL takes rows, and the batch holds the register
    counter's lock while it runs."""
    columns = await diploma_columns(conn)
    rows = [(*r, kid, s) for r, s in zip(records, signed, strict=True)]
    await conn.copy_records_to_table("diplomas", records=rows, columns=columns)


async def insert_token_digests(
    conn: Connection, digests: list[bytes], diploma_ids: list[uuid.UUID]
) -> None:
    """The SHA-256 of each new diploma's QR token, in one statement (0022_token_digests)."""
    await conn.execute(Q.insert_token_digests, digests, diploma_ids)


async def diploma_columns(conn: Connection) -> list[str]:
    # Prepared statements are cached per connection, so this costs one round trip per connection.
    statement = await conn.prepare(Q.diploma_columns)
    return [attribute.name for attribute in statement.get_attributes()]


async def get_diploma(conn: Connection, diploma_id: uuid.UUID) -> StoredDiploma | None:
    row = await conn.fetchrow(Q.get_diploma, diploma_id)
    return None if row is None else StoredDiploma(**dict(row))


async def get_decision(conn: Connection, decision_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(Q.get_decision, decision_id)


async def list_decision_diplomas(conn: Connection, decision_id: uuid.UUID) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.list_decision_diplomas, decision_id))


async def list_decision_records(conn: Connection, decision_id: uuid.UUID) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.list_decision_records, decision_id))


async def lock_decision(conn: Connection, decision_id: uuid.UUID) -> asyncpg.Record | None:
    """The decision, locked until the transaction ends, with its next part's number."""
    return await conn.fetchrow(Q.lock_decision, decision_id)


async def insert_decision_part(
    conn: Connection,
    decision_id: uuid.UUID,
    part: int,
    graduate_count: int,
    late: bool,
    registered_at: datetime,
) -> None:
    await conn.execute(
        Q.insert_decision_part, decision_id, part, graduate_count, late, registered_at
    )


async def decision_diploma_count(conn: Connection, decision_id: uuid.UUID) -> int:
    """The decision's diplomas (those re-issued under it too): its printed pages."""
    return int(await conn.fetchval(Q.decision_diploma_count, decision_id))


async def decision_graduate_count(conn: Connection, decision_id: uuid.UUID) -> int:
    """The decision's graduates, all its parts."""
    return int(await conn.fetchval(Q.decision_graduate_count, decision_id))
