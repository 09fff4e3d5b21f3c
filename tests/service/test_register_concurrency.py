"""Register numbers under concurrency, idempotent retries, and batches stopped halfway."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg

from service.domain.accounts import Principal, Role
from service.domain.graduates import parse_request
from service.settings import Settings
from service.signing import Signing, keystore_for
from service.usecases.registration import register_decision
from tests.conftest import CLERK, bearer
from tests.factories import assert_problem, decision_request, register_counts

URL = "/api/v1/graduation-decisions"


async def test_concurrent_batches_get_gapless_unique_numbers(
    client: Any, db: asyncpg.Connection
) -> None:
    batches = 10
    size = 40
    requests = [
        decision_request(size, number=f"{i}/QĐ", serial_prefix=f"C{i}-") for i in range(batches)
    ]
    responses = await asyncio.gather(
        *(client.post(URL, json=r, headers=bearer(CLERK)) for r in requests)
    )
    assert [r.status for r in responses] == [201] * batches
    seqs = [
        row["register_seq"]
        for row in await db.fetch("SELECT register_seq FROM diplomas ORDER BY register_seq")
    ]
    assert seqs == list(range(1, batches * size + 1))
    # Each batch holds one consecutive run, in its graduates' order.
    for response in responses:
        numbers = [
            int(d["register_number"].split("/")[0]) for d in (await response.json())["diplomas"]
        ]
        assert numbers == list(range(numbers[0], numbers[0] + size))
    assert await db.fetchval("SELECT last_seq FROM register_counters") == batches * size


async def test_concurrent_batches_with_failures_leave_no_gap(
    client: Any, db: asyncpg.Connection
) -> None:
    good = [decision_request(20, number=f"G{i}", serial_prefix=f"G{i}-") for i in range(6)]
    # These fail after taking numbers: their serials collide with a good batch's.
    bad = [decision_request(20, number=f"B{i}", serial_prefix="G0-") for i in range(4)]
    responses = await asyncio.gather(
        *(client.post(URL, json=r, headers=bearer(CLERK)) for r in [*good, *bad])
    )
    statuses = sorted(r.status for r in responses)
    assert statuses.count(201) == 6
    assert statuses.count(409) == 4
    for response in responses:
        if response.status == 409:
            body = await assert_problem(response, 409, "duplicate-serial")
            assert body["errors"]  # names the serials, whether found by check or by index
    seqs = [
        r["register_seq"]
        for r in await db.fetch("SELECT register_seq FROM diplomas ORDER BY register_seq")
    ]
    assert seqs == list(range(1, 121))


async def test_idempotent_retry_returns_the_first_answer(
    client: Any, db: asyncpg.Connection
) -> None:
    data = decision_request(3)
    headers = {**bearer(CLERK), "Idempotency-Key": "7f1c0e5e-batch-1"}
    first = await client.post(URL, json=data, headers=headers)
    second = await client.post(URL, json=data, headers=headers)
    assert first.status == second.status == 201
    assert await first.read() == await second.read()
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.headers["Location"] == first.headers["Location"]
    assert await register_counts(db) == (1, 3, 1)


async def test_concurrent_retries_register_once(client: Any, db: asyncpg.Connection) -> None:
    data = decision_request(50)
    headers = {**bearer(CLERK), "Idempotency-Key": '"same-key"'}
    responses = await asyncio.gather(
        *(client.post(URL, json=data, headers=headers) for _ in range(5))
    )
    assert [r.status for r in responses] == [201] * 5
    bodies = {await r.read() for r in responses}
    assert len(bodies) == 1
    assert await register_counts(db) == (1, 50, 1)


async def test_key_reused_for_another_request(client: Any, db: asyncpg.Connection) -> None:
    headers = {**bearer(CLERK), "Idempotency-Key": "k1"}
    assert (await client.post(URL, json=decision_request(2), headers=headers)).status == 201
    other = decision_request(2, number="2/QĐ", serial_prefix="O")
    response = await client.post(URL, json=other, headers=headers)
    await assert_problem(response, 422, "idempotency-key-reused")
    assert await register_counts(db) == (1, 2, 1)


async def test_failed_request_does_not_keep_its_key(client: Any, db: asyncpg.Connection) -> None:
    headers = {**bearer(CLERK), "Idempotency-Key": "k2"}
    data = decision_request(2)
    data["graduates"][1]["serial"] = data["graduates"][0]["serial"]
    await assert_problem(
        await client.post(URL, json=data, headers=headers), 409, "duplicate-serial"
    )
    assert await register_counts(db) == (0, 0, 0)
    response = await client.post(URL, json=decision_request(2), headers=headers)
    assert response.status == 201


async def test_invalid_idempotency_key(client: Any) -> None:
    headers = {**bearer(CLERK), "Idempotency-Key": "x" * 300}
    response = await client.post(URL, json=decision_request(1), headers=headers)
    await assert_problem(response, 400, "invalid-header")


async def test_batch_cancelled_mid_transaction_leaves_nothing(
    settings: Settings, db: asyncpg.Connection, db_url: str
) -> None:
    signing = Signing(keystore_for(settings))
    pool = await asyncpg.create_pool(db_url, min_size=1, max_size=2)
    assert pool is not None
    clerk = Principal(
        token_id=await db.fetchval("SELECT id FROM api_tokens WHERE role='clerk'"),
        role=Role.CLERK,
        issuer_code="SGDDT-HN",
    )
    try:
        await register_decision(pool, clerk, parse_request(decision_request(2)), signing=signing)
        before = await register_counts(db)
        # Hold the counter row, so the next batch stops halfway: its decision is inserted and
        # it waits for register numbers.
        blocker = await asyncpg.connect(db_url)
        transaction = blocker.transaction()
        await transaction.start()
        await blocker.execute("SELECT * FROM register_counters FOR UPDATE")
        second = parse_request(decision_request(5, number="2/QĐ", serial_prefix="Q"))
        task = asyncio.create_task(register_decision(pool, clerk, second, signing=signing))
        for _ in range(1000):  # up to 10 s on a loaded machine; usually a few ms
            waiting = await db.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND datname = current_database()"
            )
            if waiting:
                break
            await asyncio.sleep(0.01)
        assert waiting == 1
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await transaction.rollback()
        await blocker.close()
        assert await register_counts(db) == before
        assert await db.fetchval("SELECT last_seq FROM register_counters") == 2
        # The next batch continues the numbering without a gap.
        third = parse_request(decision_request(1, number="3/QĐ", serial_prefix="W"))
        await register_decision(pool, clerk, third, signing=signing)
        assert await db.fetchval("SELECT max(register_seq) FROM diplomas") == 3
    finally:
        await pool.close()
