"""A bounded soak (issue 22, "Load and soak"): mixed traffic against a real
`vanbang serve --workers 2` on loopback for --minutes (10 by default), then what held:

- registrations (decisions of 20), lifecycle actions (a revocation, a certified copy),
  QR checks (the API and the page), lookups by serial and date of birth, the log's
  checkpoint and offline proofs, and staff sign-ins, from --clients concurrent clients in
  the proportions below;
- each minute: requests, unexpected answers (any 5xx, or a status the request should not
  get), p50 and p99 latency, and the server processes' resident memory;
- at the end: the errors in all, memory of the last minute against the first, p99 of the
  last minute against the first (the goal: no errors, memory flat, p99 steady).

    .venv/bin/python bench/soak.py [--minutes 10] [--clients 16]

PostgreSQL: DATABASE_URL, else TEST_DATABASE_URL, else an embedded server. Figures, not
asserts: docs/operations.md keeps a run's.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.register import decision, fresh_database, server_url, unlimited_env  # noqa: E402
from service.demo import demo_data  # noqa: E402
from tests.running import free_port, running_service  # noqa: E402

CLERK = "vb_demo_clerk_sgddt_hn_public"
AUTH = {"Authorization": f"Bearer {CLERK}"}
JSON = {**AUTH, "Content-Type": "application/json"}
# What a minute of real use looks like, roughly: mostly checks, some writes.
MIX = {
    "qr_api": 30,
    "qr_page": 20,
    "lookup": 15,
    "checkpoint": 8,
    "proof": 8,
    "register": 6,
    "lifecycle": 5,
    "sign_in": 1,  # argon2id: a sign-in costs a core for about a tenth of a second
}


class Soak:
    def __init__(self, base: str) -> None:
        self.base = base
        self.next_decision = 1_000
        self.diplomas: list[dict[str, Any]] = []  # id, serial, date_of_birth, qr_url
        self.revocable: list[str] = []
        self.leaves = 0
        self.samples: list[tuple[float, str, int, float]] = []  # when, kind, status, seconds
        self.unexpected: Counter[str] = Counter()

    async def register(self, session: aiohttp.ClientSession) -> int:
        index = self.next_decision
        self.next_decision += 1
        body = decision(index, 20)
        # Dates of birth over four years: bench/register.py's repeat every 84 diplomas, so
        # that past 42,000 every graduate would be a probable duplicate of a registered one
        # (same name and date), which real lists are not, and the check would grow with them.
        for n, graduate in enumerate(body["graduates"]):
            day = date(2005, 1, 1) + timedelta(days=(index * 20 + n) * 7919 % 1461)
            graduate["date_of_birth"] = day.isoformat()
        async with session.post(
            f"{self.base}/api/v1/graduation-decisions", data=orjson.dumps(body), headers=JSON
        ) as response:
            answer = await response.json() if response.status == 201 else {}
        for made, graduate in zip(answer.get("diplomas", []), body["graduates"], strict=False):
            self.diplomas.append({**made, "date_of_birth": graduate["date_of_birth"]})
            self.revocable.append(made["id"])
        return response.status

    async def one(self, session: aiohttp.ClientSession, kind: str) -> tuple[int, set[int]]:
        """Makes one request of `kind`: its status, and the statuses it may rightly get."""
        if kind == "register" or not self.diplomas:
            return await self.register(session), {201}
        diploma = random.choice(self.diplomas)
        if kind == "qr_api":
            url = f"{self.base}/api/v1/verify"
            async with session.get(url, params={"token": diploma["qr_url"]}) as r:
                await r.read()
                return r.status, {200}
        if kind == "qr_page":
            path = diploma["qr_url"][diploma["qr_url"].upper().index("/V/") :]
            async with session.get(self.base + path) as r:
                await r.read()
                return r.status, {200}
        if kind == "lookup":
            body = {"serial": diploma["serial"], "date_of_birth": diploma["date_of_birth"]}
            async with session.post(f"{self.base}/api/v1/lookup", json=body) as r:
                await r.read()
                return r.status, {200}
        if kind == "checkpoint":
            async with session.get(f"{self.base}/log/checkpoint") as r:
                text = await r.text()
                self.leaves = max(self.leaves, int(text.splitlines()[1]))
                return r.status, {200}
        if kind == "proof":
            if self.leaves == 0:
                return await self.one(session, "checkpoint")
            index = random.randrange(self.leaves)
            async with session.get(f"{self.base}/log/proof", params={"index": index}) as r:
                await r.read()
                return r.status, {200}
        if kind == "lifecycle":
            if random.random() < 0.5 and self.revocable:
                target = self.revocable.pop(random.randrange(len(self.revocable)))
                body = {
                    "decision_number": f"{random.randrange(10**6)}/QĐ-SGDĐT",
                    "decided_on": "2025-10-01",
                    "authority": "Sở Giáo dục và Đào tạo Hà Nội",
                    "ground": "fraud",
                    "reason": "Gian lận trong thi cử",
                }
                path = f"/api/v1/diplomas/{target}/revocations"
            else:
                body = {
                    "requester_name": "Trần Văn An",
                    "relation": "holder",
                    "id_document_type": "citizen_id",
                    "id_document_number": "001085012345",
                    "copies": 1,
                    "issued_on": "2026-03-10",
                    "signer": {"name": "Lê Văn Thành", "title": "Giám đốc"},
                }
                path = f"/api/v1/diplomas/{diploma['id']}/copies"
            async with session.post(self.base + path, json=body, headers=AUTH) as r:
                await r.read()
                # A copy of a diploma revoked meanwhile is refused, rightly.
                return r.status, {201, 409, 422}
        # sign_in: the demo clerk, through the page, in a session of its own.
        account = demo_data()["accounts"][0]
        # Its cookies kept although the host is an address (aiohttp's jar drops them).
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as own:
            async with own.get(f"{self.base}/dang-nhap") as page:
                html = await page.text()
            token = html.split('name="form_token" value="', 1)[1].split('"', 1)[0]
            form = {
                "form_token": token,
                "username": account["username"],
                "password": account["password"],
            }
            async with own.post(f"{self.base}/dang-nhap", data=form, allow_redirects=False) as r:
                # Many sign-ins from one address are slowed down by design (429).
                return r.status, {303, 429}

    async def client(self, until: float) -> None:
        kinds, weights = list(MIX), list(MIX.values())
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < until:
                kind = random.choices(kinds, weights)[0]
                started = time.perf_counter()
                try:
                    status, allowed = await self.one(session, kind)
                except (TimeoutError, aiohttp.ClientError) as exc:
                    status, allowed = 0, set()
                    self.unexpected[f"{kind}: {type(exc).__name__}"] += 1
                seconds = time.perf_counter() - started
                if status and status not in allowed:
                    self.unexpected[f"{kind}: {status}"] += 1
                self.samples.append((time.monotonic(), kind, status, seconds))


def rss_mib(pid: int) -> float:
    """Resident memory of the server and every process under it."""
    pids = [pid]
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                pids.append(int(proc.name))
    total = 0
    for one in pids:
        try:
            for line in (Path("/proc") / str(one) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    random.seed(7)
    url = await fresh_database(server_url(), "vanbang_bench_soak")
    conn = await asyncpg.connect(url)
    try:
        # Without autovacuum the counters' rows and the log's queue keep every dead version,
        # and each registration walks more of them: say which server this is.
        autovacuum = await conn.fetchval("SHOW autovacuum")
        version = await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()
    port = free_port()
    env = unlimited_env(port, workers=2)
    async with running_service(url, port=port, **env) as server:
        soak = Soak(server.base)
        async with aiohttp.ClientSession() as session:
            for _ in range(5):  # something to check from the first second
                await soak.register(session)
        started = time.monotonic()
        until = started + args.minutes * 60
        memory: list[float] = []

        async def sample_memory() -> None:
            while time.monotonic() < until:
                memory.append(rss_mib(server.process.pid))
                await asyncio.sleep(60)

        await asyncio.gather(sample_memory(), *(soak.client(until) for _ in range(args.clients)))
        memory.append(rss_mib(server.process.pid))
    print(
        f"soak: {args.minutes:g} min, {args.clients} clients, vanbang serve --workers 2, "
        f"{len(soak.diplomas):,} diplomas registered; PostgreSQL {version}, autovacuum "
        f"{autovacuum}"
    )
    print(f"{'minute':>6} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'RSS MiB':>8}")
    minutes = int(args.minutes + 0.999)
    p99s = []
    for minute in range(minutes):
        window = [
            s for s in soak.samples if started + minute * 60 <= s[0] < started + minute * 60 + 60
        ]
        if not window:
            continue
        times = sorted(s[3] for s in window)
        p99 = times[int(len(times) * 0.99) - 1 if len(times) > 1 else 0] * 1000
        p99s.append(p99)
        rss = memory[min(minute, len(memory) - 1)]
        span = min(60.0, args.minutes * 60 - minute * 60)
        print(
            f"{minute + 1:>6} {len(window):>9,} {len(window) / span:>7.1f} "
            f"{statistics.median(times) * 1000:>7.1f} {p99:>7.1f} {rss:>8.0f}"
        )
    by_kind = Counter(s[1] for s in soak.samples)
    print("requests by kind: " + ", ".join(f"{k} {v:,}" for k, v in by_kind.most_common()))
    print(f"{'kind':>10} {'p50 ms':>7} {'p99 ms':>8}  first and last minute's p99")
    for kind in MIX:
        times = sorted(s[3] for s in soak.samples if s[1] == kind)
        if not times:
            continue
        ends = []
        for minute in (0, minutes - 1):
            low, high = started + minute * 60, started + minute * 60 + 60
            part = sorted(s[3] for s in soak.samples if s[1] == kind and low <= s[0] < high)
            ends.append(part[max(0, int(len(part) * 0.99) - 1)] * 1000 if part else 0.0)
        print(
            f"{kind:>10} {statistics.median(times) * 1000:>7.1f} "
            f"{times[max(0, int(len(times) * 0.99) - 1)] * 1000:>8.1f}  "
            f"{ends[0]:.1f} -> {ends[1]:.1f}"
        )
    print(f"unexpected answers: {sum(soak.unexpected.values())} {dict(soak.unexpected)}")
    if len(memory) > 1 and p99s:
        print(
            f"memory last/first minute: {memory[-1] / memory[0]:.2f}x "
            f"({memory[0]:.0f} -> {memory[-1]:.0f} MiB); p99 last/first minute: "
            f"{p99s[-1] / p99s[0]:.2f}x"
        )


if __name__ == "__main__":
    asyncio.run(main())
