"""The issuance log's costs: what logging takes from registration throughput, the
sequencer's append rate, and the server-side latency of proofs at 1,000,000 leaves.

1. Registers N diplomas (default 50,000, in decisions of 1,000 from 4 clients) through a real
   `vanbang serve` into fresh databases, R rounds (default 3) of two runs: with the log (the
   trigger queues every diploma, the server's sequencer appends and signs checkpoints
   meanwhile) and without it (the trigger off). Prints the medians and each round's cost.
   Then one more run with the log, sampling the age of the oldest queued event ten times a
   second: how long an append waits for its checkpoint under load.
2. Queues L synthetic events (default 1,000,000) and times the sequencer appending them.
3. Times 2,000 inclusion proofs of random leaves and 500 consistency proofs at that size,
   each the service's own function (one query for O(log n) stored subtrees), and prints
   p50/p99.

    .venv/bin/python bench/log.py [--diplomas 50000] [--rounds 3] [--leaves 1000000]

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


async def registration(server: str, diplomas: int, rounds: int) -> None:
    batch = 1_000
    bodies = [orjson.dumps(decision(i, batch)) for i in range(diplomas // batch)]
    total = len(bodies) * batch
    # Alternating runs into fresh databases, medians reported: one run on a 2-core machine
    # varies by more than the difference being measured.
    plain_rates, logged_rates = [], []
    for _ in range(rounds):
        plain_url = await fresh_database(server, "vanbang_bench_nolog")
        await without_log(plain_url)
        plain_rates.append(total / await through_api(plain_url, bodies, 4))
        logged_url = await fresh_database(server, "vanbang_bench_log")
        logged_rates.append(total / await through_api(logged_url, bodies, 4))
    pairs = list(zip(plain_rates, logged_rates, strict=True))
    costs = [1 - q / p for p, q in pairs]
    runs = ", ".join(f"{p:,.0f}/{q:,.0f} ({c:.1%})" for (p, q), c in zip(pairs, costs, strict=True))
    print(f"registration without the log : {statistics.median(plain_rates):10,.0f} diplomas/s")
    print(f"registration with the log    : {statistics.median(logged_rates):10,.0f} diplomas/s")
    print(
        f"cost of logging              : {statistics.median(costs):10.1%}  "
        "(median of the rounds' costs; goal: at most 20%)"
    )
    print(f"  rounds without/with (cost) : {runs}")

    # A separate run for the lag, as the sampling itself takes some of the machine.
    logged_url = await fresh_database(server, "vanbang_bench_log")
    conn = await asyncpg.connect(logged_url)
    oldest: list[float] = []
    stop = asyncio.Event()

    async def watch() -> None:
        # The age of the oldest event not yet in a checkpoint, ten times a second: leaves
        # and their checkpoint commit together, so this bounds append-to-checkpoint time.
        while not stop.is_set():
            age = await conn.fetchval(
                "SELECT extract(epoch FROM clock_timestamp() - min(enqueued_at)) FROM log_queue"
            )
            oldest.append(float(age or 0))
            await asyncio.sleep(0.1)

    watcher = asyncio.create_task(watch())
    await through_api(logged_url, bodies, 4)
    stop.set()
    await watcher
    await conn.close()
    oldest.sort()
    print(
        f"append to checkpoint under load: p50 {statistics.median(oldest):.2f} s, "
        f"max {oldest[-1]:.2f} s  (oldest queued event, sampled every 0.1 s; goal: 2 s)"
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
            inclusion = await proofs.inclusion(pool, index=index, leaf_hash=None, size=None)
            timings.append((time.perf_counter() - t0) * 1000)
            assert inclusion.tree_size == leaves
        _report("inclusion proof", timings, len(inclusion.proof))
        timings = []
        for _ in range(500):
            old = rng.randrange(1, leaves)
            t0 = time.perf_counter()
            consistency = await proofs.consistency(pool, old=old, new=None)
            timings.append((time.perf_counter() - t0) * 1000)
        _report("consistency proof", timings, len(consistency.proof))
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
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    server = server_url()
    key = KeyStore(ROOT / "keys-example", demo_dir()).log_key()
    assert key is not None
    await registration(server, args.diplomas, args.rounds)
    await million(server, args.leaves, LogSigner("bench/log", key))


if __name__ == "__main__":
    asyncio.run(main())
