"""Public verification under load: requests/s and latency at /api/v1/verify and /V/{token},
driven by wrk from a second process, next to an aiohttp hello-world handler (on the same
event loop as the service) measured in the same run as the baseline.

    .venv/bin/python bench/lookup.py [--diplomas 100000] [--connections 64] [--seconds 10]
                                     [--rounds 3] [--workers N]

The register holds --diplomas diplomas and wrk asks for them by their QR tokens, each of
its threads walking a slice of its own (bench/paths.lua):
- warm: 10,000 diplomas spread over the register, asked again and again, as a QR code is
  scanned again. The server remembers their offline checks; the register is read for every
  request.
- cold: diplomas no request has asked for yet: each token is read from its text afresh
  (the register recognises it by its digest, so no signature is verified; before
  0022_token_digests every cold request verified one).
- ceiling: GET /healthz on the same server, which checks nothing: what its own request path
  (two workers, the middlewares, metrics, the access line) costs. No QR check can be faster,
  so its ratio to the hello-world bounds every other row's.
Runs on this machine scatter by a fifth from one to the next, so the hello-world, the
ceiling and the warm runs are interleaved for --rounds rounds and the medians are reported.

Needs wrk (Debian: apt-get install wrk). PostgreSQL: DATABASE_URL, else TEST_DATABASE_URL,
else an embedded server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import asyncpg
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.register import decision, fresh_database, server_url, unlimited_env  # noqa: E402
from tests.running import free_port, running_service  # noqa: E402

CLERK = "vb_demo_clerk_sgddt_hn_public"
WARM = 10_000
THREADS = 2
API, PAGE = "/api/v1/verify?token=", "/V/"  # a token's text follows either
HELLO = """
import asyncio
from aiohttp import web
try:
    import uvloop
    loop = uvloop.new_event_loop()
except ImportError:
    loop = asyncio.new_event_loop()
async def hello(request): return web.Response(text="Hello, world")
app = web.Application(); app.router.add_get("/", hello)
web.run_app(app, host="127.0.0.1", port={port}, print=None, access_log=None, loop=loop)
"""
Result = dict[str, float]


async def wrk(url: str, connections: int, seconds: int, *paths: str) -> Result:
    """One wrk run; with `paths` (prefix, file), the requests walk the file's tokens."""
    script = ["-s", str(ROOT / "bench" / "paths.lua"), url, "--", *paths, str(THREADS)]
    process = await asyncio.create_subprocess_exec(
        "wrk",
        f"-t{THREADS}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        *(script if paths else [url]),
        stdout=asyncio.subprocess.PIPE,
    )
    out = (await process.communicate())[0].decode()

    def ms(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        assert match, out
        value, unit = float(match[1]), match[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": ms("50"),
        "p99": ms("99"),
        "non_2xx": float(errors[1]) if errors else 0.0,
    }


async def register(base: str, count: int) -> None:
    headers = {"Authorization": f"Bearer {CLERK}", "Content-Type": "application/json"}
    bodies = [orjson.dumps(decision(i, 1000)) for i in range(count // 1000)]
    async with aiohttp.ClientSession() as session:

        async def worker() -> None:
            while bodies:
                async with session.post(
                    f"{base}/api/v1/graduation-decisions", data=bodies.pop(), headers=headers
                ) as response:
                    assert response.status == 201, await response.text()

        await asyncio.gather(*(worker() for _ in range(4)))


async def tokens(url: str) -> list[str]:
    """The QR token of every diploma, in register order (the part after /V/)."""
    from service.keystore import KeyStore
    from service.qr.tokens import diploma_qr_text
    from service.resources import demo_dir

    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT * FROM diplomas ORDER BY register_year, register_seq")
    finally:
        await conn.close()
    keystore = KeyStore(Path(tempfile.gettempdir()), demo_dir())
    texts = (diploma_qr_text(row, keystore, "http://x") for row in rows)
    return [text[text.index("/V/") + 3 :] for text in texts]


async def disk(url: str, diplomas: int) -> None:
    """The database's size once the log has taken every registration: each table with its
    indexes and TOAST, per diploma and per million (docs/operations.md, "Capacity")."""
    conn = await asyncpg.connect(url)
    try:
        for _ in range(600):  # the sequencer takes the last registrations into the log
            if await conn.fetchval("SELECT count(*) FROM log_queue") == 0:
                break
            await asyncio.sleep(1)
        await conn.execute("VACUUM ANALYZE")
        rows = await conn.fetch(
            """SELECT c.relname AS name, pg_total_relation_size(c.oid) AS total,
                      pg_indexes_size(c.oid) AS indexes, c.reltuples::bigint AS rows
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind = 'r'
               ORDER BY pg_total_relation_size(c.oid) DESC"""
        )
        database = await conn.fetchval("SELECT pg_database_size(current_database())")
    finally:
        await conn.close()
    print(f"\ndisk for {diplomas:,} diplomas (each table with its indexes and TOAST):")
    print(f"  {'table':<28} {'rows':>11} {'MiB':>9} {'of which indexes':>17} {'bytes/diploma':>14}")
    for row in rows[:12]:
        print(
            f"  {row['name']:<28} {row['rows']:>11,} {row['total'] / 2**20:>9,.1f}"
            f" {row['indexes'] / 2**20:>17,.1f} {row['total'] / diplomas:>14,.0f}"
        )
    per_million = database / diplomas * 1_000_000
    print(
        f"  the whole database: {database / 2**30:.2f} GiB, {database / diplomas:,.0f} bytes a "
        f"diploma, {per_million / 2**30:.2f} GiB per million"
    )


def write_lines(directory: Path, name: str, lines: list[str]) -> str:
    path = directory / name
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return str(path)


def median(runs: list[Result]) -> Result:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def print_row(name: str, result: Result, baseline: float) -> None:
    print(
        f"{name:<30} {result['rps']:9,.0f}  {result['p50']:7.2f}  {result['p99']:7.2f}"
        f"  {result['rps'] / baseline:6.0%}"
        + (f"  NON-2XX {result['non_2xx']:.0f}" if result["non_2xx"] else "")
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diplomas", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="vanbang serve --workers"
    )
    parser.add_argument(
        "--disk", action="store_true", help="print the database's size per diploma (capacity)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/lookup.py needs wrk: apt-get install wrk")
    if args.diplomas < 2 * WARM:
        sys.exit(f"--diplomas must be at least {2 * WARM:,}")
    try:
        import uvloop  # noqa: F401

        loop_name = "uvloop"
    except ImportError:
        loop_name = "asyncio"
    url = await fresh_database(server_url(), "vanbang_bench_lookup")
    port = free_port()
    env = unlimited_env(port, args.workers)
    work = Path(tempfile.mkdtemp(prefix="vanbang-bench-"))
    async with running_service(url, port=port, **env) as server:
        started = time.perf_counter()
        await register(server.base, args.diplomas)
        registered = time.perf_counter() - started
        if args.disk:
            await disk(url, args.diplomas)
        every = await tokens(url)
        # The statistics autovacuum would gather within a minute: without them, the planner
        # may read a serial through diplomas_probable_person (issuer, kind, ...) and filter
        # thousands of rows, 5 ms a check instead of 0.2.
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("ANALYZE")
        finally:
            await conn.close()
        step = len(every) // WARM
        warm = write_lines(work, "warm.txt", every[::step][:WARM])
        cold_tokens = [t for i, t in enumerate(every) if i % step or i // step >= WARM]
        random.Random(1).shuffle(cold_tokens)
        half = len(cold_tokens) // 2
        cold_api = write_lines(work, "cold-api.txt", cold_tokens[:half])
        cold_page = write_lines(work, "cold-page.txt", cold_tokens[half:])
        print(
            f"registered {args.diplomas:,} diplomas in {registered:.1f} s; "
            f"vanbang serve --workers {args.workers} on {loop_name}; "
            f"wrk -t{THREADS} -c{args.connections}, {args.seconds} s per run"
        )
        hello_port = free_port()
        hello_url = f"http://127.0.0.1:{hello_port}/"
        hello = await asyncio.create_subprocess_exec(
            sys.executable, "-c", HELLO.format(port=hello_port)
        )
        runs: dict[str, list[Result]] = {"hello": [], "ceiling": [], "api": [], "page": []}
        try:
            await asyncio.sleep(1.0)
            # Every worker meets the warm set once before it is measured.
            at, conns = server.base, args.connections
            await wrk(at, conns, 3, API, warm)
            await wrk(at, conns, 3, PAGE, warm)
            for _ in range(args.rounds):
                runs["hello"].append(await wrk(hello_url, conns, args.seconds))
                runs["ceiling"].append(await wrk(f"{at}/healthz", conns, args.seconds))
                runs["api"].append(await wrk(at, conns, args.seconds, API, warm))
                runs["page"].append(await wrk(at, conns, args.seconds, PAGE, warm))
            cold_seconds = min(args.seconds, 5)
            cold = (
                await wrk(at, conns, cold_seconds, API, cold_api),
                await wrk(at, conns, cold_seconds, PAGE, cold_page),
            )
        finally:
            hello.terminate()
            await hello.wait()
    shutil.rmtree(work)
    base = median(runs["hello"])["rps"]
    print(
        f"\n{'median of ' + str(args.rounds) + ' rounds':<30} {'req/s':>9}  {'p50 ms':>7}"
        f"  {'p99 ms':>7}  {'of hello':>6}"
    )
    print_row(f"aiohttp hello-world ({loop_name})", median(runs["hello"]), base)
    print_row("GET /healthz (checks nothing)", median(runs["ceiling"]), base)
    print_row("GET /api/v1/verify, warm", median(runs["api"]), base)
    print_row("GET /V/{token}, warm", median(runs["page"]), base)
    print_row(f"GET /api/v1/verify, cold ({cold_seconds} s)", cold[0], base)
    print_row(f"GET /V/{{token}}, cold ({cold_seconds} s)", cold[1], base)
    print("\nevery round (req/s / p99 ms):")
    for name, results in runs.items():
        print(f"  {name:<6}" + "".join(f"  {r['rps']:8,.0f} / {r['p99']:6.2f}" for r in results))
    hello_p99 = median(runs["hello"])["p99"]
    print(
        "\np99 as a multiple of the hello-world's: "
        + ", ".join(
            f"{name} {median(results)['p99'] / hello_p99:.1f}x"
            for name, results in runs.items()
            if name != "hello"
        )
        + f", cold API {cold[0]['p99'] / hello_p99:.1f}x"
        + f", cold page {cold[1]['p99'] / hello_p99:.1f}x"
    )
    print(
        "goals (issue 17): cold checks at least 30% of the hello-world's req/s, warm at least "
        "40%, p99 at most twice the hello-world's"
    )


if __name__ == "__main__":
    asyncio.run(main())
