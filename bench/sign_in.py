"""Sign-in answers in comparable time whether the account exists or not: a real `vanbang
serve`, a number of failed sign-ins with a wrong password for a real account and with an
unknown username, interleaved, and the median of each as a ratio to the other (and to a
successful sign-in, all measured in the same run).

    .venv/bin/python bench/sign_in.py [--attempts 40]

Each attempt comes from its own client address (X-Forwarded-For from a trusted proxy) and
account name, so the throttle never answers instead of the password check. PostgreSQL:
DATABASE_URL, else TEST_DATABASE_URL, else an embedded server.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.register import fresh_database, server_url  # noqa: E402
from tests.running import running_service  # noqa: E402

_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


async def _attempt(base: str, username: str, password: str, client: str) -> float:
    headers = {"X-Forwarded-For": client}
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(f"{base}/dang-nhap", headers=headers) as page:
            found = _TOKEN.search(await page.text())
            assert found
        data = {"form_token": found[1], "username": username, "password": password}
        started = time.perf_counter()
        async with session.post(
            f"{base}/dang-nhap", data=data, headers=headers, allow_redirects=False
        ) as response:
            await response.read()
            elapsed = time.perf_counter() - started
            assert response.status in (303, 401), response.status
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attempts", type=int, default=40)
    args = parser.parse_args()
    url = await fresh_database(server_url(), "vanbang_bench_sign_in")
    timings: dict[str, list[float]] = {"wrong password": [], "unknown account": [], "right": []}
    async with running_service(
        url, VANBANG_DEMO="0", VANBANG_LOG_LEVEL="warning", VANBANG_TRUSTED_PROXIES="127.0.0.1"
    ) as server:
        for n in range(args.attempts):
            client = f"10.{n // 250}.{n % 250}.1"
            timings["wrong password"].append(
                await _attempt(server.base, "canbo.hn", f"wrong {n} password", client)
            )
            timings["unknown account"].append(
                await _attempt(server.base, f"nobody.{n}", f"wrong {n} password", client)
            )
            if n % 4 == 0:  # a success clears the account's count of failures
                timings["right"].append(
                    await _attempt(server.base, "canbo.hn", "demo-canbo-vanbang", client)
                )
    baseline = statistics.median(timings["wrong password"])
    print(f"{'attempt':<18} {'median':>9} {'p90':>9}  ratio to a wrong password")
    for name, values in timings.items():
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{name:<18} {median * 1000:8.1f}ms {p90 * 1000:8.1f}ms  {median / baseline:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
