"""Finding diplomas: the time of the staff search (service/usecases/search.py, as
GET /api/v1/diplomas runs it) over a register of N diplomas, as a ratio to reading one
diploma by its id measured in the same run, the cheapest read of the register there is.

    .venv/bin/python bench/search.py [--diplomas 50000] [--repeat 200]

The register is filled with binary COPY of signed rows (bench/register.py's raw_copy), its
issuance log off. Names are bench/register.py's, 2,000 of them over the register: "nguyen van
anh" finds one in 2,000, "nguyen van" one in 100, "nguyen" one in 10 (a page of 50 of them,
newest first, which sorts every match). Each query runs --repeat times; medians in ms.

PostgreSQL: DATABASE_URL, else TEST_DATABASE_URL, else an embedded server.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.register import decision, fresh_database, raw_copy, server_url  # noqa: E402
from service.db.pool import create_pool  # noqa: E402
from service.domain.accounts import Principal, Role  # noqa: E402
from service.domain.search import diploma_query  # noqa: E402
from service.usecases import search  # noqa: E402

CLERK = Principal(role=Role.CLERK, issuer_code="SGDDT-HN")
QUERIES = {
    "name, 1 in 2,000 (nguyen van anh)": {"q": "nguyen van anh"},
    "name, 1 in 100 (nguyen van)": {"q": "nguyen van"},
    "name, 1 in 10 (nguyen)": {"q": "nguyen"},
    "name and date of birth": {"q": "nguyen", "born": "01/01/2007"},
    "serial, exactly": {"q": "b00012345"},
    "no search, newest 50": {},
    "not yet handed over": {"handed_over": "false"},
}


async def timed(repeat: int, call: Callable[[], Awaitable[Any]]) -> float:
    """The median of `repeat` calls, in ms (after one call to warm up)."""
    await call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diplomas", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    url = await fresh_database(server_url(), "vanbang_bench_search")
    pool = await create_pool(url, size=2)
    async with pool.acquire() as conn:
        await conn.execute("ALTER TABLE diplomas DISABLE TRIGGER diplomas_log")
    batch = 1000
    started = time.perf_counter()
    await raw_copy(url, [decision(i, batch) for i in range(args.diplomas // batch)])
    async with pool.acquire() as conn:
        await conn.execute("ANALYZE")
        some_id = await conn.fetchval("SELECT id FROM diplomas ORDER BY serial LIMIT 1")
    print(f"{args.diplomas:,} diplomas copied in {time.perf_counter() - started:.1f} s")

    async def by_id() -> Any:
        async with pool.acquire() as conn:
            return await conn.fetchrow("SELECT * FROM diplomas WHERE id = $1", some_id)

    try:
        baseline = await timed(args.repeat, by_id)
        print(f"\n{'query':<36} {'found':>6} {'ms':>8} {'of by id':>9}")
        print(f"{'one diploma by its id (baseline)':<36} {1:>6} {baseline:8.2f} {1:>9.1f}")
        for name, params in QUERIES.items():
            query = diploma_query(params)
            found = await search.diplomas(pool, CLERK, query)
            ms = await timed(args.repeat, functools.partial(search.diplomas, pool, CLERK, query))
            print(f"{name:<36} {len(found.items):>6} {ms:8.2f} {ms / baseline:>9.1f}")
    finally:
        await pool.close()
    print("goal: every search under 50 ms over 50,000 diplomas")


if __name__ == "__main__":
    asyncio.run(main())
