"""Failures of the service's own parts answer as problems and leak nothing."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.conftest import ADMIN, CLERK, bearer
from tests.factories import assert_problem, decision_request
from tests.pg import Databases


async def test_an_internal_error_is_a_problem_without_details(
    client: Any, db: asyncpg.Connection
) -> None:
    response = await client.post(
        "/api/v1/graduation-decisions", json=decision_request(1), headers=bearer(CLERK)
    )
    decision_id = (await response.json())["id"]
    # A real fault: the table the read needs is gone.
    await db.execute("ALTER TABLE graduation_decisions RENAME TO moved_away")
    response = await client.get(
        f"/api/v1/graduation-decisions/{decision_id}", headers=bearer(ADMIN)
    )
    body = await assert_problem(response, 500, "internal-error")
    text = await response.text()
    assert "graduation_decisions" not in text
    assert "relation" not in text
    assert "detail" not in body


async def test_readyz_says_when_the_database_is_gone(
    client: Any, db: asyncpg.Connection, databases: Databases
) -> None:
    assert (await client.get("/readyz")).status == 200
    name = await db.fetchval("SELECT current_database()")
    admin = await asyncpg.connect(databases.url)
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
        response = await client.get("/readyz")
        await assert_problem(response, 503, "unavailable")
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()
