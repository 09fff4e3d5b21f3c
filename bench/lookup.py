"""Public verification under load: requests/s and latency at /api/v1/verify and /V/{token},
driven by wrk from a second process, next to an aiohttp hello-world handler measured in the
same run as the baseline. The register holds 100,000 diplomas.

    .venv/bin/python bench/lookup.py [--diplomas 100000] [--connections 64] [--seconds 10]

Needs wrk (Debian: apt-get install wrk). PostgreSQL: DATABASE_URL, else TEST_DATABASE_URL,
else an embedded server.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import aiohttp
import asyncpg
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.register import decision, fresh_database, server_url  # noqa: E402
from tests.running import free_port, running_service  # noqa: E402

CLERK = "vb_demo_clerk_sgddt_hn_public"
HELLO = """
from aiohttp import web
async def hello(request): return web.Response(text="Hello, world")
app = web.Application(); app.router.add_get("/", hello)
web.run_app(app, host="127.0.0.1", port={port}, print=None, access_log=None)
"""


async def wrk(url: str, connections: int, seconds: int) -> dict[str, float]:
    process = await asyncio.create_subprocess_exec(
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        url,
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


async def token_text(url: str, public_url: str) -> str:
    from service.keystore import KeyStore
    from service.qr.tokens import diploma_qr_text
    from service.resources import demo_dir

    conn = await asyncpg.connect(url)
    try:
        row = await conn.fetchrow(
            "SELECT * FROM diplomas ORDER BY register_seq OFFSET 54321 LIMIT 1"
        )
    finally:
        await conn.close()
    assert row is not None
    return diploma_qr_text(row, KeyStore(Path(tempfile.gettempdir()), demo_dir()), public_url)


def print_row(name: str, result: dict[str, float], baseline: float) -> None:
    print(
        f"{name:<22} {result['rps']:9,.0f} req/s  p50 {result['p50']:6.2f} ms  "
        f"p99 {result['p99']:6.2f} ms  ({result['rps'] / baseline:.0%} of hello-world)"
        + (f"  NON-2XX {result['non_2xx']:.0f}" if result["non_2xx"] else "")
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diplomas", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1, help="vanbang serve --workers")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/lookup.py needs wrk: apt-get install wrk")
    url = await fresh_database(server_url(), "vanbang_bench_lookup")
    port = free_port()
    public_url = f"http://127.0.0.1:{port}"
    env = {
        "VANBANG_DEMO": "1",
        "VANBANG_LOG_LEVEL": "warning",
        "VANBANG_PUBLIC_URL": public_url,
        "VANBANG_RATE_LIMIT": "1000000",
        "VANBANG_RATE_BURST": "1000000",
        "VANBANG_WORKERS": str(args.workers),
    }
    async with running_service(url, port=port, **env) as server:
        started = time.perf_counter()
        await register(server.base, args.diplomas)
        print(
            f"registered {args.diplomas:,} diplomas in {time.perf_counter() - started:.1f} s; "
            f"{args.connections} connections, {args.seconds} s each, wrk -t2, "
            f"{args.workers} worker(s)"
        )
        text = await token_text(url, public_url)
        hello_port = free_port()
        hello = await asyncio.create_subprocess_exec(
            sys.executable, "-c", HELLO.format(port=hello_port)
        )
        try:
            await asyncio.sleep(1.0)
            base = await wrk(f"http://127.0.0.1:{hello_port}/", args.connections, args.seconds)
        finally:
            hello.terminate()
            await hello.wait()
        api = await wrk(
            f"{server.base}/api/v1/verify?token={quote(text, safe='')}",
            args.connections,
            args.seconds,
        )
        page = await wrk(f"{server.base}{text[len(public_url) :]}", args.connections, args.seconds)
    print_row("aiohttp hello-world", base, base["rps"])
    print_row("GET /api/v1/verify", api, base["rps"])
    print_row("GET /V/{token}", page, base["rps"])
    print("goal: at least 40% of hello-world, p99 under 25 ms at 64 connections")


if __name__ == "__main__":
    asyncio.run(main())
