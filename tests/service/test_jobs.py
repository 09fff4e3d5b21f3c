"""Background jobs (docs/jobs.md): a console list larger than VANBANG_JOB_ROWS registered as
a job in parts, its progress on a page and in the API, its result on the decision's page;
and a real `vanbang worker` killed mid-job, whose job another worker finishes with every
diploma registered exactly once."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import re
import signal
import sys
from typing import Any

import aiohttp
import asyncpg
import pypdfium2 as pdfium
import pytest

from service.app import create_app
from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from service.settings import Settings
from service.usecases.printing import PART_PAGES
from tests.conftest import CLERK, bearer
from tests.factories import assert_problem, decision_request
from tests.qr import decode_qr
from tests.running import ROOT
from tests.staff import AUDITOR_LOGIN, CLERK_LOGIN, DEMO, form_token, sign_in
from tests.workers import run_queued

REGISTER = "/quan-ly/dang-ky"
_JOB = re.compile(r"^/quan-ly/viec/([0-9a-f-]{36})")


def _upload(token: str, data: dict[str, Any]) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("form_token", token)
    form.add_field(
        "file", json.dumps(data).encode(), filename="ds.json", content_type="application/json"
    )
    return form


@pytest.fixture
def job_settings(settings: Settings) -> Settings:
    # Lists of more than 5 graduates become jobs, registered in parts of 4.
    return dataclasses.replace(settings, job_rows=5, max_batch_rows=4)


@pytest.fixture
async def job_client(job_settings: Settings, aiohttp_client: Any) -> Any:
    return await aiohttp_client(create_app(job_settings))


async def _confirm_large(client: Any, graduates: int) -> str:
    """Checks and confirms a list as the demo clerk; the path it leads to."""
    token = await sign_in(client, CLERK_LOGIN)
    checked = await client.post(
        REGISTER, data=_upload(token, decision_request(graduates)), allow_redirects=False
    )
    assert checked.status == 303, await checked.text()
    preview = await client.get(checked.headers["Location"])
    done = await client.post(
        f"{checked.headers['Location']}/xac-nhan",
        data={"form_token": form_token(await preview.text())},
        allow_redirects=False,
    )
    assert done.status == 303, await done.text()
    location: str = done.headers["Location"]
    return location


async def test_a_large_list_is_a_job_whose_page_shows_its_progress_and_result(
    job_client: Any, job_settings: Settings, db: asyncpg.Connection
) -> None:
    location = await _confirm_large(job_client, 10)
    found = _JOB.match(location)
    assert found, location
    job_id = found[1]
    # Queued, nothing registered yet: the page says so and reloads itself.
    assert await db.fetchval("SELECT count(*) FROM diplomas") == 0
    page = await job_client.get(location)
    html = await page.text()
    assert page.status == 200
    assert '<meta http-equiv="refresh" content="3">' in html
    assert '<progress max="10" value="0">' in html
    assert "0 / 10 văn bằng" in html
    assert "Đang chờ đến lượt" in html
    # Confirming again (a second click) queues nothing more: the same job; the list's
    # preview now leads to it too.
    staged_id = await db.fetchval("SELECT staged_id FROM jobs WHERE id = $1::uuid", job_id)
    preview = f"{REGISTER}/{staged_id}"
    again = await job_client.post(
        f"{preview}/xac-nhan", data={"form_token": form_token(html)}, allow_redirects=False
    )
    assert again.headers["Location"] == location
    shown = await job_client.get(preview, allow_redirects=False)
    assert shown.headers["Location"] == location
    assert await db.fetchval("SELECT count(*) FROM procrastinate_jobs") == 1
    assert await db.fetchval("SELECT count(*) FROM jobs") == 1

    await run_queued(job_settings)

    parts = await db.fetch("SELECT part, graduate_count FROM decision_parts ORDER BY part")
    assert [tuple(p) for p in parts] == [(1, 4), (2, 4), (3, 2)]
    assert await db.fetchval("SELECT count(DISTINCT serial) FROM diplomas") == 10
    job = await db.fetchrow("SELECT * FROM jobs WHERE id = $1", job_id)
    assert job is not None
    assert (job["state"], job["done_rows"], job["total_rows"]) == ("done", 10, 10)
    staged = await db.fetchrow("SELECT state, decision_id FROM staged_decisions")
    assert staged is not None
    assert (staged["state"], staged["decision_id"]) == ("registered", job["decision_id"])

    page = await job_client.get(f"{location}?lang=en")
    html = await page.text()
    assert "http-equiv" not in html  # finished: no more reloading
    assert "10 of 10 diplomas" in html
    decision_href = f"/quan-ly/quyet-dinh/{job['decision_id']}?lang=en"
    assert decision_href in html
    decision = await (await job_client.get(decision_href)).text()
    assert "Registration: Done (10 of 10 diplomas)" in decision
    assert "4/THPT-2025" in decision
    assert "10/THPT-2025" in decision

    # The API answers the person who started it, through a token of theirs; no one else.
    mine = new_token()
    clerk = await db.fetchval(
        "SELECT id FROM accounts WHERE username = $1", DEMO["clerk"]["username"]
    )
    await add_token(db, mine, Role.CLERK, "SGDDT-HN", account_id=clerk)
    answer = await job_client.get(f"/api/v1/jobs/{job_id}", headers=bearer(mine))
    assert answer.status == 200, await answer.text()
    body = await answer.json()
    assert (body["state"], body["done_rows"], body["total_rows"]) == ("done", 10, 10)
    assert body["result"] == f"/api/v1/graduation-decisions/{job['decision_id']}"
    assert body["error"] is None
    operator = await job_client.get(f"/api/v1/jobs/{job_id}", headers=bearer(new_token()))
    await assert_problem(operator, 401, "unauthenticated")
    other = new_token()
    await add_token(db, other, Role.CLERK, "SGDDT-HN")
    await assert_problem(
        await job_client.get(f"/api/v1/jobs/{job_id}", headers=bearer(other)), 404, "not-found"
    )


async def test_another_persons_job_page_is_not_found(
    job_client: Any, job_settings: Settings, aiohttp_client: Any
) -> None:
    location = await _confirm_large(job_client, 6)
    assert (await job_client.get(location)).status == 200
    another = await aiohttp_client(create_app(job_settings))
    await sign_in(another, AUDITOR_LOGIN)
    assert (await another.get(location)).status == 404


async def test_a_job_refused_midway_says_which_row_and_keeps_what_it_wrote(
    job_client: Any, job_settings: Settings, db: asyncpg.Connection
) -> None:
    location = await _confirm_large(job_client, 10)
    # Between the check and the job, the 7th graduate's serial is registered elsewhere.
    taken = decision_request(1, number="5/QĐ")
    taken["graduates"][0]["serial"] = "T000007"
    response = await job_client.post(
        "/api/v1/graduation-decisions", json=taken, headers=bearer("vb_demo_clerk_sgddt_hn_public")
    )
    assert response.status == 201
    await run_queued(job_settings)
    job = await db.fetchrow("SELECT * FROM jobs")
    assert job is not None
    assert (job["state"], job["done_rows"]) == ("failed", 4)
    assert "dòng 7" in job["error_vi"]
    assert "T000007" in job["error_vi"]
    html = await (await job_client.get(location)).text()
    assert "Không hoàn thành" in html
    assert "dòng 7" in html
    assert f"/quan-ly/quyet-dinh/{job['decision_id']}" in html  # the first part is in


async def test_a_killed_worker_s_job_is_finished_by_the_next_exactly_once(
    job_settings: Settings, job_client: Any, db: asyncpg.Connection, db_url: str
) -> None:
    rows = 3000
    settings = dataclasses.replace(job_settings, job_rows=100, max_batch_rows=250)
    location = await _confirm_large(job_client, rows)
    job_id = _JOB.match(location)[1]  # type: ignore[index]
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "VANBANG_DEMO": "1",
        "VANBANG_LOG_LEVEL": "warning",
        "VANBANG_MAX_BATCH_ROWS": str(settings.max_batch_rows),
        # Short, for the test to be quick; long enough that a busy machine's late beat is
        # not taken for a dead worker.
        "VANBANG_JOB_HEARTBEAT_SECONDS": "2",
        "VANBANG_KEYS_DIR": str(job_settings.keys_dir),
    }

    async def start() -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "service",
            "worker",
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )

    async def done_rows() -> int:
        value: int = await db.fetchval("SELECT done_rows FROM jobs WHERE id = $1", job_id)
        return value

    first = await start()
    for _ in range(3000):
        if await done_rows() >= settings.max_batch_rows:
            break
        await asyncio.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    killed_at = await done_rows()
    assert 0 < killed_at < rows, "the job ended before the worker was killed"
    assert await db.fetchval("SELECT state FROM jobs WHERE id = $1", job_id) == "running"

    second = await start()
    try:
        for _ in range(1200):
            if await db.fetchval("SELECT state FROM jobs WHERE id = $1", job_id) == "done":
                break
            await asyncio.sleep(0.1)
    finally:
        second.send_signal(signal.SIGTERM)
        await second.wait()
    job = await db.fetchrow("SELECT * FROM jobs WHERE id = $1", job_id)
    assert job is not None
    assert (job["state"], job["done_rows"]) == ("done", rows)
    # procrastinate ran it twice: started, put back when its worker fell silent, started again.
    events = await db.fetch(
        "SELECT type::text FROM procrastinate_events WHERE job_id = $1 ORDER BY id",
        job["queue_job_id"],
    )
    shown = [e["type"] for e in events]
    assert shown[:2] == ["deferred", "started"]
    assert "deferred_for_retry" in shown
    assert shown[-2:] == ["started", "succeeded"]
    assert await db.fetchval("SELECT count(*) FROM diplomas") == rows
    assert await db.fetchval("SELECT count(DISTINCT serial) FROM diplomas") == rows
    parts = await db.fetch("SELECT part, graduate_count FROM decision_parts ORDER BY part")
    assert [p["part"] for p in parts] == list(range(1, rows // 250 + 1))
    assert sum(p["graduate_count"] for p in parts) == rows
    seqs = await db.fetch("SELECT register_seq FROM diplomas ORDER BY register_seq")
    assert [s["register_seq"] for s in seqs] == list(range(1, rows + 1))  # no gap, no twice
    queued = await db.fetchval("SELECT count(*) FROM log_queue WHERE event_type = 'issue'")
    leaves = await db.fetchval("SELECT count(*) FROM log_leaves WHERE event_type = 'issue'")
    assert queued + leaves == rows  # each one leaf of the issuance log


async def test_a_large_decisions_sheet_is_printed_by_a_job_and_downloaded_from_its_page(
    job_client: Any, job_settings: Settings, db: asyncpg.Connection
) -> None:
    token = await sign_in(job_client, CLERK_LOGIN)
    # More than job_rows (5) diplomas, in two parts of max_batch_rows (4): printed in the
    # background.
    answer = await job_client.post(
        "/api/v1/graduation-decisions", json=decision_request(4), headers=bearer(CLERK)
    )
    assert answer.status == 201, await answer.text()
    decision = (await answer.json())["id"]
    part = await job_client.post(
        f"/api/v1/graduation-decisions/{decision}/parts",
        json=decision_request(4, serial_prefix="U"),
        headers=bearer(CLERK),
    )
    assert part.status == 201, await part.text()
    page = await (await job_client.get(f"/quan-ly/quyet-dinh/{decision}")).text()
    assert f'action="/quan-ly/quyet-dinh/{decision}/in"' in page  # a button, not the link
    assert f"/quan-ly/quyet-dinh/{decision}/in.pdf" not in page
    # Its address typed in makes nothing: back to the page, to the button.
    typed = await job_client.get(f"/quan-ly/quyet-dinh/{decision}/in.pdf", allow_redirects=False)
    assert typed.status == 303
    assert typed.headers["Location"] == f"/quan-ly/quyet-dinh/{decision}"
    asked = await job_client.post(
        f"/quan-ly/quyet-dinh/{decision}/in", data={"form_token": token}, allow_redirects=False
    )
    assert asked.status == 303
    location = asked.headers["Location"]
    assert _JOB.match(location), location
    again = await job_client.post(
        f"/quan-ly/quyet-dinh/{decision}/in", data={"form_token": token}, allow_redirects=False
    )
    assert again.headers["Location"] == location  # a second click: the same job
    waiting = await (await job_client.get(location)).text()
    assert "Phiếu kiểm tra (PDF)" in waiting
    assert "Đang chờ đến lượt" in waiting
    assert "/tep" not in waiting
    # The decision's page still tells of no registration job: printing is another kind.
    assert (
        "Việc đăng ký" not in await (await job_client.get(f"/quan-ly/quyet-dinh/{decision}")).text()
    )

    await run_queued(job_settings)
    done = await (await job_client.get(location)).text()
    assert "Đã xong" in done
    assert f'href="{location}/tep"' in done
    pdf = await job_client.get(f"{location}/tep")
    assert pdf.status == 200
    assert pdf.content_type == "application/pdf"
    body = await pdf.read()
    assert body.startswith(b"%PDF-")
    assert len(pdfium.PdfDocument(body)) == 8  # a page per diploma

    # Someone else's job and file are not found.
    job_client.session.cookie_jar.clear()
    await sign_in(job_client, AUDITOR_LOGIN)
    assert (await job_client.get(f"{location}/tep")).status == 404
    assert (await job_client.get(location)).status == 404


async def test_a_large_decision_is_printed_through_the_api_as_a_job_with_its_progress(
    settings: Settings, aiohttp_client: Any, db: asyncpg.Connection
) -> None:
    # More than job_rows (5) diplomas: printed by a job, in parts of PART_PAGES (100).
    settings = dataclasses.replace(settings, job_rows=5)
    client = await aiohttp_client(create_app(settings))
    pages = 2 * PART_PAGES + 50
    answer = await client.post(
        "/api/v1/graduation-decisions", json=decision_request(pages), headers=bearer(CLERK)
    )
    assert answer.status == 201, await answer.text()
    registered = await answer.json()
    decision = registered["id"]
    route = f"/api/v1/graduation-decisions/{decision}/print-jobs"

    # One request would block too long: a problem naming the job's route, nothing made.
    refused = await client.get(
        f"/api/v1/graduation-decisions/{decision}/print.pdf", headers=bearer(CLERK)
    )
    problem = await assert_problem(refused, 422, "print-as-job")
    assert problem["print_jobs"] == route
    assert route in problem["detail"]
    assert await db.fetchval("SELECT count(*) FROM jobs") == 0
    assert await db.fetchval("SELECT count(*) FROM procrastinate_jobs") == 0

    # A job is a person's: an operator's token is told so; a personal token queues it.
    await assert_problem(
        await client.post(route, headers=bearer(CLERK)), 403, "personal-token-required"
    )
    mine = new_token()
    clerk = await db.fetchval(
        "SELECT id FROM accounts WHERE username = $1", DEMO["clerk"]["username"]
    )
    await add_token(db, mine, Role.CLERK, "SGDDT-HN", account_id=clerk)
    bad = await client.post(route, json={"document": "poster"}, headers=bearer(mine))
    assert (await assert_problem(bad, 422, "validation-error"))["errors"][0]["pointer"] == (
        "#/document"
    )
    queued = await client.post(route, json={"document": "check"}, headers=bearer(mine))
    assert queued.status == 202, await queued.text()
    job = await queued.json()
    assert queued.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    assert (job["kind"], job["state"], job["document"]) == ("print_decision", "queued", "check")
    assert (job["done_rows"], job["total_rows"], job["result"]) == (0, pages, None)
    again = await client.post(route, headers=bearer(mine))  # no body: the check sheet
    assert again.status == 202
    assert (await again.json())["id"] == job["id"]  # being made: the same job
    assert await db.fetchval("SELECT count(*) FROM procrastinate_jobs") == 1
    file = f"/api/v1/jobs/{job['id']}/file"
    early = await assert_problem(
        await client.get(file, headers=bearer(mine)), 409, "job-not-finished"
    )
    assert "queued" in early["detail"]

    # The worker makes it in parts; the job's progress moves between them.
    running = asyncio.create_task(run_queued(settings))
    seen = []
    while True:
        shown = await (await client.get(f"/api/v1/jobs/{job['id']}", headers=bearer(mine))).json()
        seen.append(shown["done_rows"])
        if shown["state"] in ("done", "failed"):
            break
        await asyncio.sleep(0.02)
    await running
    assert shown["state"] == "done", shown
    assert shown["result"] == file
    assert seen == sorted(seen)
    assert set(seen) <= {0, PART_PAGES, 2 * PART_PAGES, pages}
    assert {PART_PAGES, 2 * PART_PAGES} & set(seen), seen  # seen on its way
    assert seen[-1] == pages

    # The file: a page per diploma, each with its diploma's QR code.
    made = await client.get(file, headers=bearer(mine))
    assert made.status == 200
    assert made.content_type == "application/pdf"
    assert "attachment" in made.headers["Content-Disposition"]
    document = pdfium.PdfDocument(await made.read())
    assert len(document) == pages
    for index in (0, pages - 1):
        diploma = registered["diplomas"][index]
        page = document[index]
        assert diploma["serial"] in page.get_textpage().get_text_range()
        assert decode_qr(page.render(scale=4).to_pil()) == diploma["qr_url"]

    # Anyone else's, even a person who may read the decision: not found, the job as its file.
    other = new_token()
    admin = await db.fetchval(
        "SELECT id FROM accounts WHERE username = $1", DEMO["admin"]["username"]
    )
    await add_token(db, other, Role.ADMIN, "SGDDT-HN", account_id=admin)
    assert (await client.post(route, headers=bearer(other))).status == 202  # a job of theirs
    for path in (f"/api/v1/jobs/{job['id']}", file):
        await assert_problem(await client.get(path, headers=bearer(other)), 404, "not-found")
        await assert_problem(await client.get(path, headers=bearer(CLERK)), 404, "not-found")
