"""QR and printing throughput, in one run:

1. PNGs per second on one core, next to the qrcode library's plain `qrcode.make(text)`;
2. the cost of a printed page (the check sheet, service/printing/check_sheet.py) for a 500-
   and a 5,000-diploma decision, in-process through the PrintDocument in parts as a print job
   adds them: its QR symbol, drawing it, the rest of the layout and its share of the output,
   against making the same pages' QR symbols alone (the goal: at most 2x);
3. end to end through a real `vanbang serve`: print.pdf of a 500-diploma decision in one
   request, then the same decision (and --job-pages more) as a print job through the API:
   queued, its progress polled, its file downloaded, and the longest /healthz meanwhile.

    .venv/bin/python bench/qr.py [--codes 300] [--pages 500 5000] [--job-pages 500]

PostgreSQL for part 3: DATABASE_URL, else TEST_DATABASE_URL, else an embedded server.
Figures, not asserts: docs/printing.md keeps a run's.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import orjson
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


def rows(count: int) -> list[dict[str, Any]]:
    """Register rows as the printed documents read them, from the registration bench's graduates
    (a deputy signing for the head, as its decisions have)."""
    made = []
    for n, graduate in enumerate(decision(0, count)["graduates"], start=1):
        made.append(
            {
                "kind": "thpt",
                "issuer_code": "SGDDT-HN",
                "holder_name": graduate["full_name"],
                "date_of_birth": date.fromisoformat(graduate["date_of_birth"]),
                "place_of_birth": graduate["place_of_birth"],
                "gender": graduate["gender"],
                "major": None,
                "classification": None,
                "mode_of_study": graduate["mode_of_study"],
                "graduation_year": 2025,
                "place_of_issue": "Hà Nội",
                "issued_on": date(2025, 8, 15),
                "signer_name": "Phạm Thị Thu Hằng",
                "signer_title": "Phó Giám đốc",
                "signer_on_behalf_of": "Giám đốc",
                "serial": graduate["serial"],
                "register_number": f"{n}/THPT-2025",
            }
        )
    return made


def _document(what: str) -> Any:
    from service.printing.blank import BlankPrint, layout_chooser
    from service.printing.check_sheet import CheckSheet
    from service.printing.layout import shipped_layouts

    if what == "check":
        return CheckSheet({"number": "2/QĐ-SGDĐT", "date": date(2025, 7, 14)}, module_mm=0.40)
    layouts = shipped_layouts(0.40)
    return BlankPrint(layout_chooser(layouts, None), issuer_names={}, module_mm=0.40)


def page_costs(count: int, what: str = "check") -> dict[str, float]:
    """Seconds for `count` pages: the symbols alone, and the document's parts."""
    from fpdf import FPDF

    from service.printing.vector import draw_qr
    from service.qr.symbol import make_symbol
    from service.usecases.printing import PART_PAGES

    texts = token_texts(count)
    made = rows(count)
    started = time.perf_counter()
    symbols = [make_symbol(text) for text in texts]
    symbol = time.perf_counter() - started

    scratch = FPDF(format="A4", unit="mm")
    started = time.perf_counter()
    for made_symbol in symbols:
        scratch.add_page()
        draw_qr(scratch, made_symbol, 25, 160, 0.40)
    drawing = time.perf_counter() - started
    del scratch, symbols

    started = time.perf_counter()
    document = _document(what)
    for start in range(0, count, PART_PAGES):
        for row, text in zip(
            made[start : start + PART_PAGES], texts[start : start + PART_PAGES], strict=True
        ):
            document.add(row, text)
    added = time.perf_counter() - started
    started = time.perf_counter()
    pdf = document.output()
    output = time.perf_counter() - started
    return {
        "symbol": symbol,
        "drawing": drawing,
        "layout": added - symbol - drawing,
        "output": output,
        "page": added + output,
        "bytes": float(len(pdf)),
    }


def print_page_costs(counts: list[int], what: str = "check") -> None:
    name = {"check": "the check sheet", "blank": "the print onto the blanks"}[what]
    print()
    print(f"{name} in-process, ms a page (symbol + drawing + layout + output share):")
    heading = ("pages", "symbol", "drawing", "layout", "output", "page")
    print(" ".join(f"{h:>7}" for h in heading), " ratio")
    for count in counts:
        cost = page_costs(count, what)
        ms = {k: v / count * 1000 for k, v in cost.items() if k != "bytes"}
        print(
            f"{count:>7} {ms['symbol']:7.2f} {ms['drawing']:7.2f} {ms['layout']:7.2f} "
            f"{ms['output']:7.2f} {ms['page']:7.2f}  {cost['page'] / cost['symbol']:.2f}x the "
            f"symbol alone ({cost['bytes'] / count / 1024:.1f} KiB a page)"
        )


async def _personal_token(url: str) -> str:
    from service.db.accounts import add_token
    from service.domain.accounts import Role, new_token

    conn = await asyncpg.connect(url)
    try:
        account = await conn.fetchval("SELECT id FROM accounts WHERE username = 'canbo.hn'")
        token = new_token()
        await add_token(conn, token, Role.CLERK, "SGDDT-HN", account_id=account)
    finally:
        await conn.close()
    return token


async def _register(session: aiohttp.ClientSession, base: str, index: int, size: int) -> str:
    headers = {"Authorization": f"Bearer {CLERK}", "Content-Type": "application/json"}
    body = orjson.dumps(decision(index, size))
    async with session.post(
        f"{base}/api/v1/graduation-decisions", data=body, headers=headers
    ) as response:
        assert response.status == 201, await response.text()
        found: str = (await response.json())["id"]
        return found


async def _healthz(session: aiohttp.ClientSession, base: str, worst: list[float]) -> None:
    """The longest /healthz answer while a job runs: the server goes on serving."""
    while True:
        started = time.perf_counter()
        async with session.get(f"{base}/healthz") as response:
            await response.read()
        worst[0] = max(worst[0], time.perf_counter() - started)
        await asyncio.sleep(0.05)


async def _job(session: aiohttp.ClientSession, base: str, decision_id: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    worst = [0.0]
    watching = asyncio.create_task(_healthz(session, base, worst))
    started = time.perf_counter()
    async with session.post(
        f"{base}/api/v1/graduation-decisions/{decision_id}/print-jobs", headers=headers
    ) as response:
        assert response.status == 202, await response.text()
        job = await response.json()
    first = None
    polls = 0
    while True:
        async with session.get(f"{base}/api/v1/jobs/{job['id']}", headers=headers) as response:
            shown = await response.json()
        polls += 1
        if first is None and shown["done_rows"] > 0:
            first = time.perf_counter() - started
        if shown["state"] in ("done", "failed"):
            break
        await asyncio.sleep(0.1)
    done = time.perf_counter() - started
    watching.cancel()
    assert shown["state"] == "done", shown
    async with session.get(f"{base}{shown['result']}", headers=headers) as response:
        assert response.status == 200
        size = len(await response.read())
    pages = shown["total_rows"]
    print(
        f"print job of {pages:>5} diplomas: done in {done:6.2f} s ({done / pages * 1000:.1f} ms a "
        f"page, signing the tokens too), first progress after {first or done:.2f} s, "
        f"{polls} polls; {size:,} bytes; longest /healthz meanwhile {worst[0] * 1000:.0f} ms"
    )


async def through_api(pages: int, job_pages: list[int]) -> None:
    url = await fresh_database(server_url(), "vanbang_bench_qr")
    token = await _personal_token(url)
    async with (
        running_service(url, VANBANG_LOG_LEVEL="warning", VANBANG_DEMO="1") as server,
        aiohttp.ClientSession() as session,
    ):
        print()
        decisions = {pages: await _register(session, server.base, 0, pages)}
        headers = {"Authorization": f"Bearer {CLERK}"}
        started = time.perf_counter()
        async with session.get(
            f"{server.base}/api/v1/graduation-decisions/{decisions[pages]}/print.pdf",
            headers=headers,
        ) as response:
            assert response.status == 200, await response.text()
            size = len(await response.read())
        seconds = time.perf_counter() - started
        print(f"print.pdf of {pages} diplomas: {seconds:.2f} s through the API ({size:,} bytes)")
        for index, count in enumerate(job_pages, start=1):
            if count not in decisions:
                decisions[count] = await _register(session, server.base, index, count)
            await _job(session, server.base, decisions[count], token)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--codes", type=int, default=300)
    parser.add_argument("--pages", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--job-pages", type=int, nargs="+", default=[500])
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
    print_page_costs(args.pages)
    print_page_costs(args.pages, "blank")
    asyncio.run(through_api(args.pages[0], args.job_pages))
    print(
        "goals: PNG at least 3x the baseline; a page at most 2x its symbol alone; a 500-diploma "
        "PDF in at most 10 s; a large decision never one blocking request"
    )


if __name__ == "__main__":
    main()
