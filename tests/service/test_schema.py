"""Migrations, the append-only register, and the named queries against the real schema."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from service.db.migrate import Migration, MigrationError, load_migrations, migrate
from service.db.queries import Q, parse_queries
from tests.pg import Databases

SCHEMA = """
SELECT table_name, column_name, data_type, is_nullable, column_default
FROM information_schema.columns WHERE table_schema = 'public'
ORDER BY table_name, ordinal_position
"""


@pytest.fixture
async def empty_db(databases: Databases) -> AsyncIterator[asyncpg.Connection]:
    url = await databases.create_empty()
    conn = await asyncpg.connect(url)
    yield conn
    await conn.close()
    await databases.drop(url)


async def test_migrating_twice_changes_nothing(empty_db: asyncpg.Connection) -> None:
    assert await migrate(empty_db) == [m.version for m in load_migrations()]
    schema = await empty_db.fetch(SCHEMA)
    applied = await empty_db.fetch("SELECT version, checksum, applied_at FROM schema_migrations")
    assert await migrate(empty_db) == []
    assert await empty_db.fetch(SCHEMA) == schema
    assert (
        await empty_db.fetch("SELECT version, checksum, applied_at FROM schema_migrations")
        == applied
    )


async def test_two_processes_migrating_at_once_migrate_once(databases: Databases) -> None:
    url = await databases.create_empty()
    try:
        conns = [await asyncpg.connect(url) for _ in range(3)]
        results = await asyncio.gather(*(migrate(c) for c in conns))
        for conn in conns:
            await conn.close()
        assert sorted(len(r) for r in results) == [0, 0, len(load_migrations())]
    finally:
        await databases.drop(url)


async def test_a_changed_migration_is_refused(empty_db: asyncpg.Connection) -> None:
    await migrate(empty_db)
    changed = [Migration(m.version, m.name, m.sql + "\n-- edited") for m in load_migrations()]
    with pytest.raises(MigrationError, match="changed after it was applied"):
        await migrate(empty_db, changed)


def test_migration_files_are_numbered_without_gaps(tmp_path: Path) -> None:
    assert [m.version for m in load_migrations()] == list(range(1, len(load_migrations()) + 1))
    (tmp_path / "0001_a.sql").write_text("SELECT 1")
    (tmp_path / "0003_c.sql").write_text("SELECT 1")
    with pytest.raises(MigrationError, match="without gaps"):
        load_migrations(tmp_path)


@pytest.mark.parametrize("table", ["diplomas", "graduation_decisions"])
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {table} SET created_at = now()", "DELETE FROM {table}", "TRUNCATE {table} CASCADE"],
)
async def test_the_register_refuses_update_delete_truncate(
    db: asyncpg.Connection, table: str, statement: str
) -> None:
    await db.execute(
        "INSERT INTO graduation_decisions VALUES ("
        "'01a20106-9953-7985-8c29-d2697cc7d7a1', 'SGDDT-HN', '1/QĐ', '2025-07-14', 'A', 'B',"
        " 'thpt', 'TT21/2019', 1, now())"
    )
    await db.execute(
        "INSERT INTO diplomas (id, decision_id, issuer_code, kind, regulation, serial,"
        " register_year, register_seq, register_number, holder_name, date_of_birth, gender,"
        " nationality, graduation_year, signer_name, signer_title, place_of_issue, issued_on,"
        " salt, issued_at, kid, signed) VALUES (gen_random_uuid(),"
        " '01a20106-9953-7985-8c29-d2697cc7d7a1', 'SGDDT-HN', 'thpt', 'TT21/2019', 'S1', 2025,"
        " 1, '1/2025', 'Lê An', '2007-01-01', 'male', 'Việt Nam', 2025, 'A', 'B', 'Hà Nội',"
        " '2025-08-01', '\\x00112233445566778899aabbccddeeff'::bytea, now(),"
        " (SELECT kid FROM issuer_keys WHERE issuer_code = 'SGDDT-HN'), '\\x00'::bytea)"
    )
    sql = statement.format(table=table).replace(
        "created_at = now()", "holder_name = 'X'" if table == "diplomas" else "number = '2/QĐ'"
    )
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await db.execute(sql)
    assert await db.fetchval(f"SELECT count(*) FROM {table}") == 1  # noqa: S608


async def test_the_database_refuses_non_nfc_names(db: asyncpg.Connection) -> None:
    with pytest.raises(asyncpg.CheckViolationError, match="diplomas_holder_name_check"):
        await db.execute(
            "INSERT INTO diplomas (id, decision_id, issuer_code, kind, regulation, serial,"
            " register_year, register_seq, register_number, holder_name, date_of_birth, gender,"
            " nationality, graduation_year, signer_name, signer_title, place_of_issue,"
            " issued_on, salt, issued_at, kid, signed) VALUES (gen_random_uuid(),"
            " gen_random_uuid(), 'SGDDT-HN', 'thpt', 'TT21/2019', 'S1', 2025, 1, '1/2025',"
            " normalize('Lê An', NFD), '2007-01-01', 'male', 'VN', 2025, 'A', 'B', 'HN',"
            " '2025-08-01', '\\x00112233445566778899aabbccddeeff'::bytea, now(),"
            " (SELECT kid FROM issuer_keys WHERE issuer_code = 'SGDDT-HN'), '\\x00'::bytea)"
        )


async def test_every_named_query_prepares(db: asyncpg.Connection) -> None:
    names = [name for name, _ in Q.items()]
    assert "diploma_columns" in names
    for name, sql in Q.items():
        try:
            await db.prepare(sql)
        except asyncpg.PostgresError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"query {name} does not prepare: {exc}")


def test_query_files_parse_strictly() -> None:
    assert parse_queries("-- name: a\nSELECT 1\n-- name: b\nSELECT 2", "x") == {
        "a": "SELECT 1",
        "b": "SELECT 2",
    }
    with pytest.raises(ValueError, match="twice"):
        parse_queries("-- name: a\nSELECT 1\n-- name: a\nSELECT 2", "x")
    with pytest.raises(ValueError, match="empty"):
        parse_queries("-- name: a\n-- name: b\nSELECT 2", "x")


async def test_the_bulk_insert_columns_follow_the_record(db: asyncpg.Connection) -> None:
    # COPY writes by position: a column out of step would put a value in the wrong field.
    from service.domain.registration import DiplomaRecord

    statement = await db.prepare(Q.diploma_columns)
    assert [a.name for a in statement.get_attributes()] == [*DiplomaRecord._fields, "kid", "signed"]
