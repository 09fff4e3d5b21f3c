"""A large decision in the clerk's console: a 5,000-row workbook checked (the dry run and its
preview) and registered (confirmed: a background job, docs/jobs.md), each timed through a
real `vanbang serve` process and a signed-in clerk's session, each next to a baseline
measured in the same run:

- the check, next to openpyxl reading the same workbook's rows (the parse floor: the check
  reads them, then validates, numbers, signs and rolls back);
- the registration, next to the same number of graduates registered in one JSON request to
  POST /api/v1/graduation-decisions (the synchronous write path the job's parts take).

    .venv/bin/python bench/register_large.py [--rows 5000]

Goal (issue 15, item 4): the preview and the registration each within 10 s.
PostgreSQL: DATABASE_URL, else TEST_DATABASE_URL, else an embedded server.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import re
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import openpyxl
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.register import (  # noqa: E402  # noqa: E402
    CLERK,
    FAMILY,
    GIVEN,
    MIDDLE,
    PLACES,
    decision,
    fresh_database,
    server_url,
)
from tests.running import running_service  # noqa: E402
from tests.staff import CLERK_LOGIN, form_token, sign_in  # noqa: E402

GOAL_SECONDS = 10.0
EXAMPLE = ROOT / "docs" / "examples" / "graduation-decision.xlsx"


def workbook(rows: int) -> bytes:
    """The example workbook's columns and decision, with `rows` graduates."""
    example = openpyxl.load_workbook(EXAMPLE).active
    assert example is not None
    header = [c.value for c in example[1]]
    first = [c.value for c in example[2]]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = example.title
    sheet.append(header)
    graduate = header.index("Số hiệu")
    for n in range(rows):
        row: list[Any] = list(first) if n == 0 else [None] * len(header)
        row[graduate:] = [
            f"L{n:08d}",
            f"{FAMILY[n % 10]} {MIDDLE[n // 10 % 10]} {GIVEN[n // 100 % 20]}",
            date(2007, n % 12 + 1, n % 28 + 1),
            PLACES[n % len(PLACES)],
            "Nữ" if n % 2 else "Nam",
            "Kinh",
            "Việt Nam",
            f"{n:010d}",
            "Giáo dục phổ thông",
        ]
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parse_floor(data: bytes) -> float:
    started = time.perf_counter()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    assert rows > 1
    return time.perf_counter() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    data = workbook(args.rows)
    print(f"a workbook of {args.rows} graduates ({len(data) / 1e6:.1f} MB), {os.cpu_count()} cores")
    url = await fresh_database(server_url(), "vanbang_bench_large")
    async with (
        running_service(url, VANBANG_LOG_LEVEL="warning", VANBANG_DEMO="1") as server,
        # unsafe: the jar keeps cookies of an address (127.0.0.1), as a browser does.
        aiohttp.ClientSession(
            base_url=server.base, cookie_jar=aiohttp.CookieJar(unsafe=True)
        ) as session,
    ):
        token = await sign_in(session, CLERK_LOGIN)
        form = aiohttp.FormData()
        form.add_field("form_token", token)
        form.add_field("file", data, filename="danh-sach.xlsx")

        started = time.perf_counter()
        checked = await session.post("/quan-ly/dang-ky", data=form, allow_redirects=False)
        assert checked.status == 303, await checked.text()
        preview = await session.get(checked.headers["Location"])
        page = await preview.text()
        check_seconds = time.perf_counter() - started
        assert preview.status == 200

        started = time.perf_counter()
        confirmed = await session.post(
            f"{checked.headers['Location']}/xac-nhan",
            data={"form_token": form_token(page)},
            allow_redirects=False,
        )
        assert confirmed.status == 303, await confirmed.text()
        job = re.fullmatch(r"/quan-ly/viec/([0-9a-f-]{36})", confirmed.headers["Location"])
        assert job, confirmed.headers["Location"]
        conn = await asyncpg.connect(url)
        try:
            while (
                state := await conn.fetchval("SELECT state FROM jobs WHERE id = $1::uuid", job[1])
            ) != "done":
                assert state != "failed", await conn.fetchval("SELECT error_en FROM jobs")
                await asyncio.sleep(0.02)
            register_seconds = time.perf_counter() - started
            stored = await conn.fetchval("SELECT count(*) FROM diplomas")
        finally:
            await conn.close()
        assert stored == args.rows, stored

        body = orjson.dumps(decision(1, args.rows))
        headers = {"Authorization": f"Bearer {CLERK}", "Content-Type": "application/json"}
        started = time.perf_counter()
        async with session.post("/api/v1/graduation-decisions", data=body, headers=headers) as r:
            assert r.status == 201, await r.text()
            await r.read()
        api_seconds = time.perf_counter() - started
    floor = parse_floor(data)

    check_ratio = check_seconds / floor
    register_ratio = register_seconds / api_seconds
    print(f"check + preview    : {check_seconds:7.2f} s  ({check_ratio:5.1f}x the parse floor)")
    print(f"openpyxl read      : {floor:7.2f} s  baseline of the check")
    print(f"registration (job) : {register_seconds:7.2f} s  ({register_ratio:5.2f}x one request)")
    print(f"one API request    : {api_seconds:7.2f} s  baseline of the registration")
    verdict = "met" if max(check_seconds, register_seconds) <= GOAL_SECONDS else "MISSED"
    print(f"goal               :   {GOAL_SECONDS:.0f} s each  ({verdict})")


if __name__ == "__main__":
    asyncio.run(main())
