"""The issuance log's costs: what logging takes from registration throughput, the
sequencer's append rate, and the server-side latency of proofs at 1,000,000 leaves.

1. Registers N diplomas (default 50,000, in decisions of 1,000 from 4 clients) through a real
   `vanbang serve` twice, into fresh databases: with the log (the trigger queues every
   diploma, the server's sequencer appends and signs checkpoints meanwhile) and without it
   (the trigger off). Prints both rates, the ratio, and how long the last leaf took to reach
   a checkpoint after the last registration answered.
2. Queues L synthetic events (default 1,000,000) and times the sequencer appending them.
3. Times 2,000 inclusion proofs of random leaves and 500 consistency proofs at that size,
   each the service's own function (one query for O(log n) stored subtrees), and prints
   p50/p99.

    .venv/bin/python bench/log.py [--diplomas 50000] [--leaves 1000000]

PostgreSQL: DATABASE_URL, else TEST_DATABASE_URL, else an embedded server.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

import asyncpg
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.register import (  # noqa: E402
    decision,
    fresh_database,
    server_url,
    through_api,
    without_log,
)
from service.db.pool import create_pool  # noqa: E402
from service.keystore import KeyStore  # noqa: E402
from service.resources import demo_dir  # noqa: E402
from service.tlog import proofs  # noqa: E402
from service.tlog.sequencer import LogSigner, sequence_all  # noqa: E402


async def registration(server: str, diplomas: int) -> None:
    batch = 1_000
    bodies = [orjson.dumps(decision(i, batch)) for i in range(diplomas // batch)]
    total = len(bodies) * batch
    plain_url = await fresh_database(server, "vanbang_bench_nolog")
    await without_log(plain_url)
    plain = total / await through_api(plain_url, bodies, 4)

    logged_url = await fresh_database(server, "vanbang_bench_log")
    seconds = await through_api(logged_url, bodies, 4)
    logged = total / seconds
    # The server is gone now; see how far its sequencer got, and finish the rest here.
    conn = await asyncpg.connect(logged_url)
    try:
        in_log = await conn.fetchval("SELECT coalesce(max(size), 0) FROM log_checkpoints")
        waiting = await conn.fetchval("SELECT count(*) FROM log_queue")
    finally:
        await conn.close()
    print(f"registration without the log : {plain:10,.0f} diplomas/s")
    print(f"registration with the log    : {logged:10,.0f} diplomas/s")
    print(f"cost of logging              : {1 - logged / plain:10.1%}  (goal: at most 20%)")
    print(
        f"checkpointed when the last registration answered: {in_log:,} of {total:,} "
        f"leaves ({waiting:,} still queued)"
    )


async def million(server: str, leaves: int, signer: LogSigner) -> None:
    url = await fresh_database(server, "vanbang_bench_million")
    pool = await create_pool(url, size=4)
    try:
        async with pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash,"
                " event_time) SELECT 'issue', 'SGDDT-HN', gen_random_uuid(),"
                " sha256(int8send(i)), now() FROM generate_series(1, $1) AS i",
                leaves,
            )
        started = time.perf_counter()
        appended = await sequence_all(pool, signer)
        seconds = time.perf_counter() - started
        assert appended == leaves, appended
        print(f"sequencer: {leaves:,} leaves in {seconds:.1f} s = {leaves / seconds:,.0f} leaves/s")

        rng = random.Random(7)
        timings = []
        for _ in range(2_000):
            index = rng.randrange(leaves)
            t0 = time.perf_counter()
            answer = await proofs.inclusion(pool, index=index, leaf_hash=None, size=None)
            timings.append((time.perf_counter() - t0) * 1000)
            assert answer["tree_size"] == leaves
        _report("inclusion proof", timings, len(answer["proof"]))
        timings = []
        for _ in range(500):
            old = rng.randrange(1, leaves)
            t0 = time.perf_counter()
            answer = await proofs.consistency(pool, old=old, new=None)
            timings.append((time.perf_counter() - t0) * 1000)
        _report("consistency proof", timings, len(answer["proof"]))
    finally:
        await pool.close()


def _report(what: str, timings: list[float], hashes: int) -> None:
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"{what:18}: p50 {p50:.2f} ms, p99 {p99:.2f} ms ({hashes} hashes; goal: 5 ms)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diplomas", type=int, default=50_000)
    parser.add_argument("--leaves", type=int, default=1_000_000)
    args = parser.parse_args()
    server = server_url()
    key = KeyStore(ROOT / "keys-example", demo_dir()).log_key()
    assert key is not None
    await registration(server, args.diplomas)
    await million(server, args.leaves, LogSigner("bench/log", key))


if __name__ == "__main__":
    asyncio.run(main())
