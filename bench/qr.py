"""QR throughput: PNGs per second on one core, next to the qrcode library's plain
`qrcode.make(text)` as the baseline, and the time to print a 500-diploma decision as PDF.

    .venv/bin/python bench/qr.py [--codes 300]

PostgreSQL for the PDF part: DATABASE_URL, else TEST_DATABASE_URL, else an embedded server.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import sys
import time
from pathlib import Path

import aiohttp
import qrcode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.register import decision, fresh_database, server_url  # noqa: E402
from tests.running import running_service  # noqa: E402

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CLERK = "vb_demo_clerk_sgddt_hn_public"


def token_texts(count: int) -> list[str]:
    """URLs the length of a THPT diploma's token (version 13 at M)."""
    rng = random.Random(7)
    return [
        "HTTPS://VANBANG.EXAMPLE.VN/V/" + "".join(rng.choice(BASE32) for _ in range(412))
        for _ in range(count)
    ]


def rate(texts: list[str], make_png: object) -> float:
    started = time.perf_counter()
    for text in texts:
        make_png(text)  # type: ignore[operator]
    return len(texts) / (time.perf_counter() - started)


def ours(text: str) -> bytes:
    from service.qr.render import png
    from service.qr.symbol import make_symbol

    return png(make_symbol(text), module_mm=0.40, dpi=300)


def baseline_make(text: str) -> object:
    return qrcode.make(text)


def baseline_png(text: str) -> bytes:
    out = io.BytesIO()
    qrcode.make(text).save(out)
    return out.getvalue()


async def pdf_seconds(count: int) -> tuple[float, int]:
    url = await fresh_database(server_url(), "vanbang_bench_qr")
    body = __import__("orjson").dumps(decision(0, count))
    headers = {"Authorization": f"Bearer {CLERK}", "Content-Type": "application/json"}
    async with (
        running_service(url, VANBANG_LOG_LEVEL="warning", VANBANG_DEMO="1") as server,
        aiohttp.ClientSession() as session,
    ):
        async with session.post(
            f"{server.base}/api/v1/graduation-decisions", data=body, headers=headers
        ) as response:
            assert response.status == 201, await response.text()
            decision_id = (await response.json())["id"]
        started = time.perf_counter()
        async with session.get(
            f"{server.base}/api/v1/graduation-decisions/{decision_id}/print.pdf", headers=headers
        ) as response:
            assert response.status == 200, await response.text()
            pdf = await response.read()
        return time.perf_counter() - started, len(pdf)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--codes", type=int, default=300)
    parser.add_argument("--pages", type=int, default=500)
    args = parser.parse_args()
    texts = token_texts(args.codes)
    ours(texts[0])  # build the version's layout once, as a running server has
    our_rate = rate(texts, ours)
    make_rate = rate(texts[: max(20, args.codes // 10)], baseline_make)
    png_rate = rate(texts[: max(20, args.codes // 10)], baseline_png)
    print(
        f"{args.codes} codes of {len(texts[0])} characters (QR version 13, level M), one core,"
        f" {os.cpu_count()} cores on the machine"
    )
    print(f"vanbang PNG            : {our_rate:8,.0f} codes/s")
    print(
        f"qrcode.make(text)      : {make_rate:8,.0f} codes/s  baseline "
        f"(ratio {our_rate / make_rate:.1f}x)"
    )
    print(f"qrcode.make + save PNG : {png_rate:8,.0f} codes/s  (ratio {our_rate / png_rate:.1f}x)")
    seconds, size = asyncio.run(pdf_seconds(args.pages))
    print(f"print.pdf of {args.pages} diplomas: {seconds:.2f} s through the API ({size:,} bytes)")
    print("goals: at least 3x the baseline; a 500-diploma PDF in at most 10 s")


if __name__ == "__main__":
    main()
