"""The register's exports: the 5,000-line register as XLSX next to the same register as CSV,
timed in the same run (issue 16: the workbook in at most twice the CSV's time).

Registers N diplomas (default 5,000) of the demo department through a real `vanbang serve`
into a fresh database, then downloads /api/v1/audit/issuers/SGDDT-HN/register.csv and
register.xlsx R times each (default 5), alternating, and prints the median of each and their
ratio.

    .venv/bin/python bench/export.py [--diplomas 5000] [--rounds 5]

PostgreSQL: DATABASE_URL, else TEST_DATABASE_URL, else an embedded server.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import aiohttp
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.register import CLERK, decision, fresh_database, server_url  # noqa: E402
from tests.running import running_service  # noqa: E402

AUDITOR = "vb_demo_auditor_bgddt_public"
REGISTER = "/api/v1/audit/issuers/SGDDT-HN/register"


async def _timed(session: aiohttp.ClientSession, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    async with session.get(url, headers={"Authorization": f"Bearer {AUDITOR}"}) as response:
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status} {await response.text()}")
        size = len(await response.read())
    return time.perf_counter() - started, size


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diplomas", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    url = await fresh_database(server_url(), "vanbang_bench_export")
    headers = {"Authorization": f"Bearer {CLERK}", "Content-Type": "application/json"}
    async with (
        running_service(url, VANBANG_LOG_LEVEL="warning", VANBANG_DEMO="1") as server,
        aiohttp.ClientSession() as session,
    ):
        batch = min(args.diplomas, 5_000)
        for index in range(0, args.diplomas, batch):
            body = orjson.dumps(decision(index // batch, min(batch, args.diplomas - index)))
            async with session.post(
                f"{server.base}/api/v1/graduation-decisions", data=body, headers=headers
            ) as response:
                if response.status != 201:
                    raise RuntimeError(f"{response.status}: {await response.text()}")
        times: dict[str, list[float]] = {"csv": [], "xlsx": []}
        sizes: dict[str, int] = {}
        await _timed(session, f"{server.base}{REGISTER}.csv")  # warm the caches once
        for _ in range(args.rounds):
            for form in ("csv", "xlsx"):
                took, sizes[form] = await _timed(session, f"{server.base}{REGISTER}.{form}")
                times[form].append(took)
    csv_time = statistics.median(times["csv"])
    xlsx_time = statistics.median(times["xlsx"])
    print(f"{args.diplomas} register lines, median of {args.rounds} rounds")
    print(f"  CSV : {csv_time:6.2f} s  ({sizes['csv'] / 1e6:.1f} MB)  baseline")
    ratio = xlsx_time / csv_time
    print(f"  XLSX: {xlsx_time:6.2f} s  ({sizes['xlsx'] / 1e6:.1f} MB)  {ratio:.2f} x CSV")


if __name__ == "__main__":
    asyncio.run(main())
