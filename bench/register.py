"""Registration throughput: signed diplomas per second through the HTTP API, next to raw
asyncpg COPY of the same (already signed) rows and the raw Ed25519 sign loop.

Registers N diplomas (default 100,000) in graduation decisions of B (default 1,000) through a
real `vanbang serve` process on a local port, from C concurrent clients, into a fresh database;
then copies the same rows into another fresh database with asyncpg's binary COPY, the fastest
way PostgreSQL takes rows, as the baseline.

    .venv/bin/python bench/register.py [--diplomas 100000] [--batch 1000] [--clients 4]

PostgreSQL: DATABASE_URL, else TEST_DATABASE_URL, else an embedded server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.db.keys import active_kid  # noqa: E402
from service.db.migrate import migrate  # noqa: E402
from service.db.register import diploma_columns  # noqa: E402
from service.demo import load_demo  # noqa: E402
from service.domain.graduates import parse_request  # noqa: E402
from service.domain.kinds import IssuerKind  # noqa: E402
from service.domain.registration import IssuerInfo, build_records  # noqa: E402
from service.keystore import KeyStore  # noqa: E402
from service.resources import demo_dir  # noqa: E402
from service.signing import sign_records  # noqa: E402
from tests.pg import with_database  # noqa: E402
from tests.running import running_service  # noqa: E402

CLERK = "vb_demo_clerk_sgddt_hn_public"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
MIDDLE = ["Thị", "Văn", "Đức", "Ngọc", "Minh", "Thu", "Hoàng", "Quốc", "Thanh", "Bảo"]
GIVEN = [
    "Anh",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Khánh",
    "Linh",
    "Mai",
    "Nam",
    "Phúc",
    "Quỳnh",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Uyên",
    "Việt",
    "Xuân",
    "Yến",
]
PLACES = ["Hà Nội", "Hải Phòng", "Nam Định", "Thái Bình", "Thanh Hóa", "Nghệ An", "Bắc Ninh"]


def decision(index: int, size: int) -> dict[str, Any]:
    graduates = []
    for i in range(size):
        n = index * size + i
        graduates.append(
            {
                "serial": f"B{n:08d}",
                "full_name": f"{FAMILY[n % 10]} {MIDDLE[n // 10 % 10]} {GIVEN[n // 100 % 20]}",
                "date_of_birth": f"2007-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                "place_of_birth": PLACES[n % len(PLACES)],
                "gender": "female" if n % 2 else "male",
                "ethnicity": "Kinh",
                "student_id": f"{n:010d}",
                "mode_of_study": "Giáo dục phổ thông",
            }
        )
    return {
        "decision": {
            "number": f"{index + 1}/QĐ-SGDĐT",
            "date": "2025-07-14",
            "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
        },
        "diploma": {
            "kind": "thpt",
            "regulation": "TT21/2019",
            "graduation_year": 2025,
            "place_of_issue": "Hà Nội",
            "issued_on": "2025-08-15",
            "signer": {
                "name": "Phạm Thị Thu Hằng",
                "title": "Phó Giám đốc",
                "on_behalf_of": "Giám đốc",
            },
        },
        "graduates": graduates,
    }


async def fresh_database(server: str, name: str) -> str:
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = with_database(server, name)
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
        await load_demo(conn)
    finally:
        await conn.close()
    return url


async def through_api(url: str, bodies: list[bytes], clients: int) -> float:
    headers = {"Authorization": f"Bearer {CLERK}", "Content-Type": "application/json"}
    async with (
        running_service(url, VANBANG_LOG_LEVEL="warning", VANBANG_DEMO="1") as server,
        aiohttp.ClientSession() as session,
    ):
        queue = list(reversed(bodies))

        async def worker() -> None:
            while queue:
                body = queue.pop()
                async with session.post(
                    f"{server.base}/api/v1/graduation-decisions", data=body, headers=headers
                ) as response:
                    if response.status != 201:
                        raise RuntimeError(f"{response.status}: {await response.text()}")
                    await response.read()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return time.perf_counter() - started


async def raw_copy(url: str, requests: list[dict[str, Any]]) -> float:
    """The same rows, built in advance, written with binary COPY: the storage limit."""
    issuer = IssuerInfo("SGDDT-HN", "Sở", IssuerKind.PROVINCIAL_DEPARTMENT, None, "{n}/{year}")
    conn = await asyncpg.connect(url)
    kid = await active_kid(conn, "SGDDT-HN")
    assert kid is not None
    key = KeyStore(ROOT / "keys-example", demo_dir()).issuer_key(kid)
    assert key is not None
    try:
        decisions = []
        rows: list[tuple[Any, ...]] = []
        seq = 1
        for request in requests:
            model = parse_request(request)
            records = build_records(
                model, issuer, decision_id=_new_id(), first_seq=seq, issued_at=datetime.now(UTC)
            )
            seq += len(records)
            signed = await sign_records(key, records, None)
            decisions.append(
                (
                    records[0].decision_id,
                    "SGDDT-HN",
                    model.decision.number,
                    date(2025, 7, 14),
                    "A",
                    "B",
                    "thpt",
                    "TT21/2019",
                    len(records),
                )
            )
            rows.extend((*r, key.kid, s) for r, s in zip(records, signed, strict=True))
        started = time.perf_counter()
        async with conn.transaction():
            await conn.copy_records_to_table(
                "graduation_decisions",
                records=decisions,
                columns=[
                    "id",
                    "issuer_code",
                    "number",
                    "decided_on",
                    "signer_name",
                    "signer_title",
                    "kind",
                    "regulation",
                    "graduate_count",
                ],
            )
            await conn.copy_records_to_table(
                "diplomas", records=rows, columns=await diploma_columns(conn)
            )
        return time.perf_counter() - started
    finally:
        await conn.close()


async def without_log(url: str) -> None:
    """Turns the issuance log's trigger on diplomas off in a bench database."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("ALTER TABLE diplomas DISABLE TRIGGER diplomas_log")
    finally:
        await conn.close()


def _new_id() -> Any:
    from service.domain.ids import uuid7

    return uuid7()


def raw_sign_rate(count: int = 20_000) -> float:
    """cryptography's Ed25519 sign loop over record-sized messages, one thread."""
    key = Ed25519PrivateKey.generate()
    message = b"x" * 450
    started = time.perf_counter()
    for _ in range(count):
        key.sign(message)
    return count / (time.perf_counter() - started)


def unlimited_env(port: int, workers: int) -> dict[str, str]:
    """`vanbang serve`'s environment for a load bench: the demo, quiet logs, `workers`
    processes, and every rate budget (QR checks, lookups, the open paths) out of the way, as
    the load comes from one address."""
    env = {
        "VANBANG_DEMO": "1",
        "VANBANG_LOG_LEVEL": "warning",
        "VANBANG_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "VANBANG_WORKERS": str(workers),
    }
    for budget in ("", "LOOKUP_", "OPEN_"):
        env[f"VANBANG_{budget}RATE_LIMIT"] = env[f"VANBANG_{budget}RATE_BURST"] = "1000000"
    return env


def server_url() -> str:
    url = os.environ.get("DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    from service.db.embedded import start_embedded

    return start_embedded(ROOT / ".vanbang" / "bench")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diplomas", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    count = args.diplomas // args.batch
    server = server_url()
    requests = [decision(i, args.batch) for i in range(count)]
    bodies = [orjson.dumps(r) for r in requests]
    total = count * args.batch
    print(
        f"{total} diplomas in {count} decisions of {args.batch}, {args.clients} clients, "
        f"{os.cpu_count()} cores"
    )

    api_url = await fresh_database(server, "vanbang_bench_api")
    api_seconds = await through_api(api_url, bodies, args.clients)
    conn = await asyncpg.connect(api_url)
    stored = await conn.fetchval("SELECT count(*) FROM diplomas")
    await conn.close()
    assert stored == total, stored

    copy_url = await fresh_database(server, "vanbang_bench_copy")
    await without_log(copy_url)  # the storage limit: no issuance-log trigger either
    copy_seconds = await raw_copy(copy_url, requests)

    api_rate = total / api_seconds
    copy_rate = total / copy_seconds
    sign_rate = raw_sign_rate()
    print(f"through the API : {api_rate:10,.0f} diplomas/s  ({api_seconds:.2f} s)")
    print(f"raw asyncpg COPY: {copy_rate:10,.0f} diplomas/s  ({copy_seconds:.2f} s)  baseline")
    print(f"API / baseline  : {api_rate / copy_rate:10.1%}")
    print(f"raw Ed25519 sign: {sign_rate:10,.0f} signatures/s on one core (the signing limit)")
    print("goal            :     10,000 diplomas/s through the API; 8,000 signed")


if __name__ == "__main__":
    asyncio.run(main())
