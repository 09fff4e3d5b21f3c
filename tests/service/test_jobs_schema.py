"""procrastinate's tables come in as one of our migrations (0015_procrastinate.sql, its own
schema.sql verbatim): checked against the installed procrastinate, text and catalog."""

from __future__ import annotations

from typing import Any

import asyncpg
import procrastinate
from procrastinate.schema import SchemaManager

from service.db.migrate import load_migrations
from tests.pg import Databases

# What the catalog holds of procrastinate's objects: tables and their columns, types,
# functions with their arguments, indexes and triggers.
CATALOG = """
SELECT 'column' AS what, table_name || '.' || column_name || ' ' || data_type
       || coalesce(' default ' || column_default, '') || ' ' || is_nullable AS detail
FROM information_schema.columns WHERE table_name LIKE 'procrastinate%'
UNION ALL
SELECT 'type', t.typname || ' ' || t.typtype::text FROM pg_type AS t
WHERE t.typname LIKE 'procrastinate%' AND t.typname NOT LIKE '\\_%'
UNION ALL
SELECT 'function', p.proname || '(' || pg_get_function_arguments(p.oid) || ') '
       || pg_get_function_result(p.oid) || ' ' || md5(p.prosrc)
FROM pg_proc AS p WHERE p.proname LIKE 'procrastinate%'
UNION ALL
SELECT 'index', indexdef FROM pg_indexes WHERE tablename LIKE 'procrastinate%'
UNION ALL
SELECT 'trigger', tgname || ' ' || pg_get_triggerdef(oid) FROM pg_trigger
WHERE tgname LIKE 'procrastinate%'
UNION ALL
SELECT 'constraint', conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
WHERE conname LIKE 'procrastinate%' OR conrelid::regclass::text LIKE 'procrastinate%'
ORDER BY 1, 2
"""


def test_the_migration_is_procrastinates_schema_verbatim() -> None:
    (migration,) = [m for m in load_migrations() if m.name == "procrastinate"]
    header, _, body = migration.sql.partition("\n\n")
    assert header.startswith("-- procrastinate")
    assert body == SchemaManager.get_schema()


async def _catalog(url: str) -> list[tuple[Any, ...]]:
    conn = await asyncpg.connect(url)
    try:
        return [tuple(r) for r in await conn.fetch(CATALOG)]
    finally:
        await conn.close()


async def test_the_migrated_schema_is_what_procrastinate_makes(
    db_url: str, databases: Databases
) -> None:
    fresh = await databases.create_empty()
    try:
        connector = procrastinate.PsycopgConnector(conninfo=fresh)
        async with procrastinate.App(connector=connector).open_async() as app:
            await SchemaManager(app.connector).apply_schema_async()
        made = await _catalog(fresh)
    finally:
        await databases.drop(fresh)
    migrated = await _catalog(db_url)
    assert len(made) > 40
    assert migrated == made


async def test_procrastinate_works_on_the_migrated_schema(db_url: str) -> None:
    """Deferred through the library, fetched and run by its worker, on our migrated tables."""
    ran: list[int] = []
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=db_url))

    @app.task(name="test.add", queue="test")
    async def add(a: int, b: int) -> None:
        ran.append(a + b)

    async with app.open_async():
        assert await app.check_connection_async()
        await add.defer_async(a=2, b=3)
        await app.run_worker_async(queues=["test"], wait=False, install_signal_handlers=False)
    assert ran == [5]
