"""Each kind of public path has its own budget (service/ratelimit.py): following the log never
spends the lookup's, and the lookup stays strict; in Redis the budgets are shared by every
process (here: two apps), each decision one atomic script; without Redis, or when it cannot
be reached, each process keeps its own. Answers that can never change are cached for good."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from typing import Any

import pytest
import redis.asyncio
from aiohttp.test_utils import TestClient

from service.app import create_app
from service.ratelimit import Budget, Limits, Rate
from service.settings import Settings
from tests.factories import registered, sequenced

REDIS = "redis://127.0.0.1:6379/0"
LOOKUP = {"serial": "A1", "date_of_birth": "01/01/2007"}


async def _redis_or_skip() -> None:
    client = redis.asyncio.from_url(REDIS, socket_timeout=0.5)
    try:
        await client.ping()
    except (OSError, redis.RedisError) as exc:  # pragma: no cover - CI machines have Redis
        pytest.skip(f"no Redis on 127.0.0.1:6379 ({exc}); CI machines have one")
    finally:
        await client.aclose()


async def _statuses(client: Any, n: int, method: str, path: str, **kw: Any) -> list[int]:
    return [(await getattr(client, method)(path, **kw)).status for _ in range(n)]


async def test_following_the_log_spends_nothing_of_the_lookup(
    settings: Settings, aiohttp_client: Any, client: Any
) -> None:
    await registered(client, 2)
    size = await sequenced(client)
    limited = dataclasses.replace(
        settings, lookup_rate_limit=6, lookup_rate_burst=3, rate_burst=5, open_rate_burst=200
    )
    app: TestClient[Any, Any] = await aiohttp_client(create_app(limited))
    # Far more proofs than the lookup's or the QR checks' burst, one client: all answered.
    proofs = await _statuses(app, 50, "get", "/log/proof/inclusion", params={"index": "0"})
    assert proofs == [200] * 50
    assert set(await _statuses(app, 20, "get", "/.well-known/vanbang/trust-list")) == {200}
    assert set(await _statuses(app, 20, "get", "/api/v1/issuers/SGDDT-HN/revocations")) == {200}
    # The lookup kept its whole budget, and is strict.
    lookups = await _statuses(app, 4, "post", "/api/v1/lookup", json=LOOKUP)
    assert lookups == [200, 200, 200, 429]
    # The QR checks have theirs, untouched by the lookups.
    checks = await _statuses(app, 6, "get", "/api/v1/verify", params={"token": "HTTP://X/V/AA"})
    assert checks[:5] == [200] * 5
    assert checks[5] == 429
    # And the log's own budget ends too, generous as it is.
    more = await _statuses(app, 200, "get", "/log/checkpoint")
    assert 429 in more
    assert size >= 2


async def test_answers_that_cannot_change_are_cached_for_good(client: Any) -> None:
    await registered(client, 3)
    size = await sequenced(client)
    fixed = await client.get("/log/proof/inclusion", params={"index": "1", "size": str(size)})
    assert fixed.status == 200
    assert fixed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    latest = await client.get("/log/proof/inclusion", params={"index": "1"})
    assert "immutable" not in latest.headers.get("Cache-Control", "")  # the latest moves on
    grown = await client.get("/log/proof/consistency", params={"from": "1", "to": str(size)})
    assert "immutable" in grown.headers["Cache-Control"]
    page = await client.get("/log/leaves", params={"start": "0", "limit": "2"})
    assert "immutable" in page.headers["Cache-Control"]  # a full page: never rewritten
    tail = await client.get("/log/leaves", params={"start": "0", "limit": "1000"})
    assert "immutable" not in tail.headers.get("Cache-Control", "")  # still growing


async def test_in_redis_every_process_shares_the_budget(
    settings: Settings, aiohttp_client: Any
) -> None:
    await _redis_or_skip()
    shared = dataclasses.replace(
        settings,
        lookup_rate_limit=6,
        lookup_rate_burst=4,
        redis_url=REDIS,
        redis_prefix=f"vanbang-test-{uuid.uuid4()}",  # a budget of this test's own
    )
    first: TestClient[Any, Any] = await aiohttp_client(create_app(shared))
    second: TestClient[Any, Any] = await aiohttp_client(create_app(shared))
    answers = [
        await (first if n % 2 else second).post("/api/v1/lookup", json=LOOKUP) for n in range(6)
    ]
    assert [a.status for a in answers] == [200, 200, 200, 200, 429, 429]
    assert int(answers[-1].headers["Retry-After"]) >= 1


async def test_the_redis_script_refills_in_time_and_is_atomic() -> None:
    await _redis_or_skip()
    client = redis.asyncio.from_url(REDIS)
    limits = Limits({Budget.QR: Rate(per_minute=600, burst=5)}, client, prefix=str(uuid.uuid4()))
    try:
        # Twenty at once from one client: exactly the burst goes ahead, whatever the order.
        waits = await asyncio.gather(*(limits.take(Budget.QR, "c") for _ in range(20)))
        assert sum(1 for w in waits if w == 0) == 5
        assert all(0 < w <= 0.1 for w in waits if w)  # 10 a second: at most 0.1 s each
        await asyncio.sleep(0.25)  # two tokens back
        again = [await limits.take(Budget.QR, "c") for _ in range(3)]
        assert again[:2] == [0, 0]
        assert again[2] > 0
        assert await limits.take(Budget.QR, "other client") == 0
    finally:
        await limits.close()


async def test_without_redis_each_process_still_limits() -> None:
    unreachable = redis.asyncio.from_url("redis://127.0.0.1:1/0", socket_timeout=0.2)
    limits = Limits({Budget.LOOKUP: Rate(per_minute=6, burst=2)}, unreachable)
    try:
        waits = [await limits.take(Budget.LOOKUP, "c") for _ in range(3)]
    finally:
        await limits.close()
    assert waits[:2] == [0.0, 0.0]
    assert waits[2] > 0  # the process's own bucket decided: never no limit at all
