"""Typed access to the register tables; the SQL is in sql/queries/register.sql."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from service.db.queries import Q
from service.domain.graduates import GraduationDecisionIn
from service.domain.kinds import DiplomaKind, IssuerKind
from service.domain.registration import DiplomaRecord, IssuerInfo

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
    )


async def issuer_within(conn: Connection, code: str, root: str) -> bool:
    """Is `code` the issuer `root` or one under it?"""
    return bool(await conn.fetchval(Q.issuer_within, code, root))


async def insert_decision(
    conn: Connection, decision_id: uuid.UUID, issuer_code: str, request: GraduationDecisionIn
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


async def insert_diplomas(conn: Connection, records: list[DiplomaRecord]) -> None:
    # One array per column: the insert is one round trip whatever the batch size.
    columns = [list(column) for column in zip(*(_row(r) for r in records), strict=True)]
    await conn.execute(Q.insert_diplomas, *columns)


def _row(r: DiplomaRecord) -> tuple[Any, ...]:
    return (
        r.id,
        r.decision_id,
        r.issuer_code,
        r.kind.value,
        r.regulation,
        r.serial,
        r.register_year,
        r.register_seq,
        r.register_number,
        r.holder_name,
        r.date_of_birth,
        r.place_of_birth,
        r.gender,
        r.ethnicity,
        r.nationality,
        r.student_id,
        r.major,
        r.classification,
        r.mode_of_study,
        r.graduation_year,
        r.signer_name,
        r.signer_title,
        r.signer_on_behalf_of,
        r.place_of_issue,
        r.issued_on,
        r.salt,
        r.issued_at,
    )


async def get_diploma(conn: Connection, diploma_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(Q.get_diploma, diploma_id)


async def get_decision(conn: Connection, decision_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(Q.get_decision, decision_id)


async def list_decision_diplomas(conn: Connection, decision_id: uuid.UUID) -> list[asyncpg.Record]:
    return list(await conn.fetch(Q.list_decision_diplomas, decision_id))
