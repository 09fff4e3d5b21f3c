"""The issuance log as an auditor sees it (docs/audit.md): the page of the latest checkpoint,
the witnesses and the rechecks of the log, each run of `vanbang audit verify` kept (from the
command line and on the job workers' schedule) with its problems in words; a diploma's page
with its leaves' inclusion proofs checked on the server; and its bundle, downloaded with the
session, journalled, and checked offline by `vanbang-verify bundle`."""

from __future__ import annotations

import asyncio
import base64
import html
import json
import os
import re
import time
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from playwright.async_api import Locator, Page, expect
from procrastinate.periodic import PeriodicDeferrer

from service import worker
from service.db.queries import Q
from service.domain.clock import VIETNAM
from service.http.state import LOG_SIGNER, SETTINGS
from service.settings import Settings
from tests import workers
from tests.browsing import DESKTOP, launched, path_of, screen, type_sign_in
from tests.conftest import ADMIN, AUDITOR, CLERK, bearer
from tests.factories import decision_request, registered, revoke, sequenced
from tests.pg import Databases
from tests.running import ROOT, run_vanbang, run_verifier, running_service
from tests.staff import AUDITOR_LOGIN, CLERK_LOGIN, journal_when, sign_in
from verifier import merkle
from verifier.note import verify_checkpoint

PAGE = "/giam-sat/nhat-ky-phat-hanh"


def _text(page: str) -> str:
    """The page's words, tags dropped and entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def _page(client: Any, path: str = PAGE) -> str:
    response = await client.get(path)
    assert response.status == 200, await response.text()
    return str(await response.text())


async def _checkpoint(client: Any) -> tuple[str, Any]:
    note = await (await client.get("/log/checkpoint")).text()
    key = (await (await client.get("/log/key")).text()).strip()
    return note, verify_checkpoint(note, key)


def _runs(page: str) -> list[str]:
    """The rows of the table of rechecks, each in words."""
    body = page.split('id="audits"', 1)[1].split("</section>", 1)[0]
    return [_text(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)[1:]]


async def test_the_page_shows_the_latest_checkpoint_and_each_recheck(
    client: Any, db: asyncpg.Connection, db_url: str
) -> None:
    await registered(client, 3)
    await sequenced(client)
    await sign_in(client, AUDITOR_LOGIN)
    page = await _page(client)
    words = _text(page)
    # The real latest checkpoint: its note verbatim, its size and root in hex and base64.
    note, checkpoint = await _checkpoint(client)
    assert checkpoint.size == 3
    assert f'<pre class="copy">{html.escape(note, quote=False)}</pre>' in page
    assert f"Số lá (sự kiện) {checkpoint.size}" in words
    assert f"Mã băm gốc (hex) {checkpoint.root.hex()}" in words
    assert f"Mã băm gốc (base64) {base64.b64encode(checkpoint.root).decode()}" in words
    created = await db.fetchval("SELECT created_at FROM log_checkpoints WHERE size = 3")
    assert f"Ký lúc {created.astimezone(VIETNAM):%d/%m/%Y %H:%M}" in words
    assert 'href="/log/checkpoint"' in page
    assert 'href="/log/key"' in page
    assert client.app[LOG_SIGNER].verifier_key in page
    # No witness yet, said plainly, with what one does; never run yet, with how to run it.
    assert "Chưa có bên chứng kiến nào đồng ký các điểm kiểm tra" in words
    assert "vanbang witness serve" in words
    assert "Nhật ký chưa được kiểm tra lại lần nào." in words
    assert _runs(page) == []
    # The commands to keep one's own checkpoints, with this service's public URL.
    url = client.app[SETTINGS].public_url
    assert f"curl -s {url}/log/checkpoint &gt; saved.txt" in page
    assert f"vanbang-verify log --checkpoint saved.txt --url {url} --key log.key --update" in page
    assert "trên máy của chính Sở" in words
    # In the supervision navigation, apart from the staff journal.
    assert f'<a href="{PAGE}">Nhật ký phát hành</a>' in page
    assert '<a href="/giam-sat/nhat-ky">Nhật ký</a>' in page

    # The real audit, from the command line: kept, and shown as passed.
    code, out, err = await run_vanbang(db_url, "audit", "verify")
    assert code == 0, out + err
    signed = await db.fetchval("SELECT count(*) FROM log_checkpoints")  # the empty one too
    assert f"log of 3 leaves, {signed} checkpoints: consistent" in out
    run = await db.fetchrow("SELECT * FROM log_audit_runs")
    assert run is not None
    assert (run["how"], run["ok"], run["tree_size"], run["events"]) == ("cli", True, 3, 3)
    assert bytes(run["root"]) == checkpoint.root
    page = await _page(client)
    [shown] = _runs(page)
    assert "Lệnh trên máy chủ" in shown
    assert f" 3 {signed} điểm kiểm tra, 3 sự kiện của sổ gốc " in shown
    assert shown.endswith("Đạt")
    assert "Nhật ký chưa được kiểm tra lại" not in _text(page)

    # A leaf rewritten behind the log's back, as a superuser could: the next run fails,
    # kept with its problems, and the page says them in words.
    await db.execute("ALTER TABLE log_leaves DISABLE TRIGGER log_leaves_append_only")
    await db.execute("UPDATE log_leaves SET issuer_code = 'DHSPHN' WHERE idx = 1")
    await db.execute("ALTER TABLE log_leaves ENABLE TRIGGER log_leaves_append_only")
    code, out, _ = await run_vanbang(db_url, "audit", "verify")
    assert code == 1
    assert "PROBLEM leaf 1: its data differs from its columns" in out
    failed = await db.fetchrow("SELECT * FROM log_audit_runs ORDER BY id DESC LIMIT 1")
    assert failed is not None
    assert not failed["ok"]
    assert failed["problem_count"] >= 2
    page = await _page(client)
    latest, earlier = _runs(page)
    assert "Không đạt" in latest
    assert "Lá số 1: nội dung lưu khác với các cột của nó (đã bị sửa trong cơ sở dữ liệu)" in latest
    assert "Điểm kiểm tra của cây 3 lá: mã băm gốc tính lại từ các lá khác với mã đã ký" in latest
    assert "leaf_data" not in page  # never a code
    assert "root_differs" not in page
    assert earlier.endswith("Đạt")
    english = _text(await _page(client, f"{PAGE}?lang=en"))
    assert "Failed" in english
    assert "Leaf 1: its stored data differs from its columns (edited in the database)" in english
    assert "No witness cosigns the checkpoints yet" in english
    # A witness's cosignature, once kept, is listed by the witness's name.
    size = await db.fetchval("SELECT max(size) FROM log_checkpoints")
    await db.execute(
        "INSERT INTO log_cosignatures (size, witness, line, cosigned_at)"
        " VALUES ($1, 'so-gddt-hn-witness+0a1b2c3d+AAAA', '— x', now())",
        size,
    )
    shown = _text(await _page(client))
    assert "so-gddt-hn-witness: đã đồng ký điểm kiểm tra" in shown
    assert "(điểm kiểm tra mới nhất)" in shown
    assert "Chưa có bên chứng kiến" not in shown


async def test_a_changed_record_is_said_with_its_event_in_words(
    client: Any, db: asyncpg.Connection, db_url: str
) -> None:
    diplomas = await registered(client, 2)
    await revoke(client, diplomas[0]["id"])
    await sequenced(client)
    await db.execute("ALTER TABLE revocations DISABLE TRIGGER revocations_append_only")
    await db.execute("UPDATE revocations SET signed = signed || '\\x00'::bytea")
    await db.execute("ALTER TABLE revocations ENABLE TRIGGER revocations_append_only")
    code, _, _ = await run_vanbang(db_url, "audit", "verify")
    assert code == 1
    await sign_in(client, AUDITOR_LOGIN)
    [shown] = _runs(await _page(client))
    revocation = await db.fetchval("SELECT id FROM revocations")
    assert (
        f"Thu hồi văn bằng (mã {revocation}) có trong sổ gốc nhưng không có trong nhật ký" in shown
    )
    assert "Lá số 2 (Thu hồi văn bằng): bản ghi của nó trong sổ gốc đã mất hoặc đã bị sửa" in (
        shown
    )


def test_the_schedule_starts_at_three_in_the_morning_vietnam_time() -> None:
    assert worker.audit_cron(24) == "0 20 * * *"
    assert worker.audit_cron(6) == "0 2,8,14,20 * * *"
    assert worker.audit_cron(1) == "0 " + ",".join(str(h) for h in range(24)) + " * * *"
    app = worker.make_app("postgresql://unused", audit_hours=24)
    [(name, periodic_id)] = app.periodic_registry.periodic_tasks
    assert (name, periodic_id) == ("vanbang.audit_log", "log_audit")
    assert not worker.make_app("postgresql://unused").periodic_registry.periodic_tasks
    for bad in ("5", "25", "x"):
        with pytest.raises(ValueError, match="VANBANG_LOG_AUDIT_HOURS"):
            Settings.from_env({"VANBANG_LOG_AUDIT_HOURS": bad})
    assert Settings.from_env({"VANBANG_LOG_AUDIT_HOURS": "0"}).log_audit_hours == 0
    assert Settings.from_env({}).log_audit_hours == 24


async def test_the_scheduled_recheck_runs_in_a_job_worker(
    client: Any, db: asyncpg.Connection, settings: Settings
) -> None:
    await registered(client, 2)
    await sequenced(client)
    assert settings.database_url is not None
    # procrastinate's own periodic deferrer, as a worker runs it: the run due at the last
    # scheduled time (at most a day ago), deferred once however many workers try.
    app = worker.make_app(settings.database_url, audit_hours=24)
    async with app.open_async():
        deferrer = PeriodicDeferrer(app.periodic_registry, max_delay=24 * 3600)
        await deferrer.defer_jobs(deferrer.get_previous_tasks(at=time.time()))
        again = PeriodicDeferrer(app.periodic_registry, max_delay=24 * 3600)
        await again.defer_jobs(again.get_previous_tasks(at=time.time()))
    queued = await db.fetch("SELECT task_name, args FROM procrastinate_jobs")
    assert [r["task_name"] for r in queued] == ["vanbang.audit_log"]
    async with (
        workers.runner(settings, client.app[LOG_SIGNER]) as runner,
        worker.running(
            settings.database_url, runner, concurrency=1, heartbeat_seconds=1, wait=False
        ) as task,
    ):
        await asyncio.wait_for(task, 60)
    run = await db.fetchrow("SELECT * FROM log_audit_runs")
    assert run is not None
    assert (run["how"], run["ok"], run["tree_size"]) == ("scheduled", True, 2)
    assert await db.fetchval("SELECT status FROM procrastinate_jobs") == "succeeded"
    await sign_in(client, AUDITOR_LOGIN)
    [shown] = _runs(await _page(client))
    assert "Tự động theo lịch" in shown
    assert shown.endswith("Đạt")
    assert "Dịch vụ tự chạy việc kiểm tra này mỗi ngày, lúc 03:00." in _text(await _page(client))


async def test_a_clerk_is_refused_the_log_page(client: Any) -> None:
    await sign_in(client, CLERK_LOGIN)
    response = await client.get(PAGE, headers={"Accept": "text/html"})
    assert response.status == 403
    home = await _page(client, "/quan-ly")
    assert PAGE not in home  # nor offered it


async def test_the_runs_table_refuses_changes(
    client: Any, db: asyncpg.Connection, db_url: str
) -> None:
    await registered(client, 1)
    await sequenced(client)
    assert (await run_vanbang(db_url, "audit", "verify"))[0] == 0
    for statement in (
        "UPDATE log_audit_runs SET ok = false",
        "DELETE FROM log_audit_runs",
        "TRUNCATE log_audit_runs",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await db.execute(statement)
    assert await db.fetchval("SELECT count(*) FROM log_audit_runs") == 1


def _proof_rows(page: str) -> list[list[str]]:
    body = page.split('id="log-proof"', 1)[1].split("</section>", 1)[0]
    rows = [
        [_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]
    return [row for row in rows if row]  # not the headings


async def test_a_diplomas_page_shows_its_leaves_proved_in_the_latest_checkpoint(
    client: Any, db: asyncpg.Connection
) -> None:
    diplomas = await registered(client, 3)
    target = diplomas[1]["id"]
    await revoke(client, target)
    await registered(client, 2, number="101/QĐ-SGDĐT", serial_prefix="U")
    await sequenced(client)
    _, checkpoint = await _checkpoint(client)
    assert checkpoint.size == 6
    await sign_in(client, AUDITOR_LOGIN)
    page = await _page(client, f"/quan-ly/van-bang/{target}")
    assert "Bằng chứng trong nhật ký phát hành" in page
    leaves = await db.fetch(
        "SELECT idx, leaf_hash FROM log_leaves WHERE diploma_id = $1 ORDER BY idx", target
    )
    assert [r["idx"] for r in leaves] == [1, 3]
    rows = _proof_rows(page)
    assert [r[0] for r in rows] == ["1", "3"]
    assert rows[0][1].startswith("Cấp văn bằng (đăng ký vào sổ gốc)")
    assert rows[1][1].startswith("Thu hồi văn bằng")
    for row, leaf in zip(rows, leaves, strict=True):
        assert row[2] == bytes(leaf["leaf_hash"]).hex()
        # Checked on the server against the very root the public checkpoint signs.
        assert row[3] == (
            f"Đã kiểm tra: có trong nhật ký cây {checkpoint.size} lá, gốc {checkpoint.root.hex()}"
            " Tải bằng chứng ngoại tuyến (.tlog-proof)"  # each leaf's offline proof
        )
        proof = f"/quan-ly/van-bang/{target}/bang-chung.tlog-proof?index={row[0]}"
        assert f'href="{proof}"' in page
    # Read-only for an auditor: none of the clerk's actions, but the bundle and the log page.
    assert "/thu-hoi" not in page
    assert "/ban-giao" not in page
    assert f'href="/quan-ly/van-bang/{target}/bang-chung.json"' in page
    assert f'href="{PAGE}"' in page
    assert f"vanbang-verify bundle bang-chung-{target}.json --key log.key" in page

    # A leaf whose proof no longer leads to the root (a stored subtree rewritten) is said.
    await db.execute("ALTER TABLE log_nodes DISABLE TRIGGER log_nodes_append_only")
    await db.execute("UPDATE log_nodes SET hash = sha256(hash) WHERE level = 1 AND idx = 0")
    await db.execute("ALTER TABLE log_nodes ENABLE TRIGGER log_nodes_append_only")
    rows = _proof_rows(await _page(client, f"/quan-ly/van-bang/{target}"))
    assert rows[1][3] == "Không khớp: bằng chứng không dẫn tới gốc của điểm kiểm tra"
    assert rows[0][3].startswith("Đã kiểm tra")  # leaf 1's path does not use (1, 0)


async def test_an_event_still_queued_is_said_to_be_waiting(
    client: Any, db: asyncpg.Connection
) -> None:
    await sign_in(client, AUDITOR_LOGIN)
    # This connection holds the sequencer's lock: the app's own sequencer cannot take it.
    lock = Q.log_sequencer_lock.replace("pg_try_advisory_xact_lock", "pg_advisory_xact_lock")
    async with db.transaction():
        await db.execute(lock)
        [diploma] = await registered(client, 1)
        page = await _page(client, f"/quan-ly/van-bang/{diploma['id']}")
        rows = _proof_rows(page)
        assert [(r[0], r[3]) for r in rows] == [("—", "Đang chờ đưa vào nhật ký")]
        assert "bang-chung.json" not in page  # no bundle before the leaf
        response = await client.get(f"/quan-ly/van-bang/{diploma['id']}/bang-chung.json")
        assert response.status == 404
    await sequenced(client)
    rows = _proof_rows(await _page(client, f"/quan-ly/van-bang/{diploma['id']}"))
    assert rows[0][0] == "0"
    assert rows[0][3].startswith("Đã kiểm tra: có trong nhật ký")


async def test_the_bundle_from_the_page_is_journalled_and_checks_offline(
    client: Any, db: asyncpg.Connection, tmp_path: Path
) -> None:
    [diploma] = await registered(client, 1)
    university = decision_request(1, kind="bachelor", issuer="DHSPHN", serial_prefix="U")
    university["diploma"]["major"] = "Sư phạm Toán"
    answer = await client.post(
        "/api/v1/graduation-decisions", json=university, headers=bearer(ADMIN)
    )
    assert answer.status == 201, await answer.text()
    [elsewhere] = (await answer.json())["diplomas"]
    await sequenced(client)
    path = f"/quan-ly/van-bang/{diploma['id']}/bang-chung.json"
    assert (await client.get(path, allow_redirects=False)).status == 303  # signed in first

    await sign_in(client, AUDITOR_LOGIN)
    response = await client.get(path)
    assert response.status == 200
    assert response.content_type == "application/json"
    assert f"bang-chung-{diploma['id']}.json" in response.headers["Content-Disposition"]
    bundle = await response.json()
    api = await client.get(f"/api/v1/diplomas/{diploma['id']}/bundle", headers=bearer(AUDITOR))
    assert bundle == await api.json()  # the API's bundle
    note, checkpoint = await _checkpoint(client)
    assert bundle["checkpoint"] == note
    data = base64.b64decode(bundle["leaf"]["data"])
    merkle.verify_inclusion(
        merkle.leaf_hash(data),
        bundle["leaf"]["index"],
        bundle["inclusion_proof"]["tree_size"],
        [base64.b64decode(h) for h in bundle["inclusion_proof"]["proof"]],
        checkpoint.root,
    )
    # Downloads of a record are journalled, as a register's export is: both of them here.
    page = await journal_when(
        client,
        bearer(AUDITOR),
        lambda p: sum(e["action"] == "export.bundle" for e in p["entries"]) == 2,
        {"action": "export.bundle"},
    )
    entry = page["entries"][0]
    assert (entry["record_type"], entry["record_id"]) == ("diploma", diploma["id"])
    assert entry["issuer"] == "SGDDT-HN"

    # Checked offline with vanbang-verify, the record's signature against the trust list too.
    saved = tmp_path / "bang-chung.json"
    saved.write_bytes(await response.read())
    key = tmp_path / "log.key"
    key.write_text(await (await client.get("/log/key")).text(), encoding="utf-8")
    trust = tmp_path / "trust-list.cose"
    trust.write_bytes(await (await client.get("/.well-known/vanbang/trust-list")).read())
    root = str(ROOT / "keys-example" / "root.pub.pem")
    checked = ("--key", str(key), "--root-key", root, "--trust-list", str(trust))
    code, out, err = await run_verifier("bundle", str(saved), *checked)
    assert code == 0, out + err
    assert f"included: the record is leaf 0 of 127.0.0.1:8080/log at {checkpoint.size}" in out
    # A bundle whose record is not the leaf's is refused.
    other = await client.get(f"/quan-ly/van-bang/{elsewhere['id']}/bang-chung.json")
    forged = {**bundle, "record": (await other.json())["record"]}
    saved.write_text(json.dumps(forged), encoding="utf-8")
    code, out, _ = await run_verifier("bundle", str(saved), "--key", str(key))
    assert code == 1
    assert "NOT INCLUDED: proof_invalid: the leaf does not name this record" in out

    # A clerk reads only their own issuer's: another issuer's diploma is not found.
    await client.post("/dang-xuat", data={"form_token": ""})
    client.session.cookie_jar.clear()
    await sign_in(client, CLERK_LOGIN)
    assert (await client.get(path)).status == 200
    refused = await client.get(f"/quan-ly/van-bang/{elsewhere['id']}/bang-chung.json")
    assert refused.status == 404
    nobody = "00000000-0000-4000-8000-000000000000"
    missing = await client.get(f"/quan-ly/van-bang/{nobody}/bang-chung.json")
    assert missing.status == 404


async def test_the_auditors_screens_in_a_browser(databases: Databases) -> None:
    """The log page and a diploma's proof in a real browser, JavaScript off: in Vietnamese,
    fitting a phone, passing axe-core; VANBANG_SCREENSHOTS=DIR keeps them (docs/screenshots:
    auditor-log.png, auditor-diploma-proof.png)."""
    db_url = await databases.create()
    try:
        async with (
            running_service(
                db_url,
                VANBANG_DEMO="1",
                VANBANG_LOG_LEVEL="warning",
                VANBANG_SECOND_FACTOR_ROLES="none",
                VANBANG_JOB_WORKERS="0",
            ) as server,
            aiohttp.ClientSession(base_url=server.base) as session,
        ):
            async with session.post(
                "/api/v1/graduation-decisions", json=decision_request(3), headers=bearer(CLERK)
            ) as response:
                assert response.status == 201
                diplomas = (await response.json())["diplomas"]
            target = diplomas[0]["id"]
            async with session.post(
                f"/api/v1/diplomas/{target}/revocations",
                json={
                    "decision_number": "45/QĐ-SGDĐT",
                    "decided_on": "2025-10-01",
                    "authority": "Sở Giáo dục và Đào tạo Hà Nội",
                    "ground": "issuer_error",
                    "reason": "Cấp nhầm người",
                },
                headers=bearer(CLERK),
            ) as response:
                assert response.status == 201
            for _ in range(100):  # the server's own sequencer signs within a second
                async with session.get("/log/checkpoint") as response:
                    if response.status == 200 and (await response.text()).split("\n")[1] == "4":
                        break
                await asyncio.sleep(0.1)
            assert (await run_vanbang(db_url, "audit", "verify"))[0] == 0
            async with launched() as browser:
                context = await browser.new_context(
                    base_url=server.base,
                    viewport=DESKTOP,
                    locale="vi-VN",
                    java_script_enabled=False,
                )
                page = await context.new_page()
                await page.goto("/dang-nhap")
                await type_sign_in(page, *AUDITOR_LOGIN)
                await page.get_by_role("link", name="Nhật ký phát hành").click()
                assert path_of(page) == PAGE
                await expect(page.get_by_role("heading", level=1)).to_have_text(
                    "Nhật ký phát hành văn bằng"
                )
                await expect(page.locator("#audits + p + table tbody tr")).to_have_count(1)
                await _keep(page, "auditor-log")
                await screen(page, "issuance-log")
                await page.goto(f"/quan-ly/van-bang/{target}")
                proof = page.get_by_role("region", name="Bằng chứng trong nhật ký phát hành")
                await expect(proof.locator("tbody tr")).to_have_count(2)
                await _keep(page, "auditor-diploma-proof", proof)
                await screen(page, "diploma-proof")
                await context.close()
    finally:
        databases.drop_later(db_url)


async def _keep(page: Page, name: str, part: Locator | None = None) -> None:
    """The desktop screenshot for docs/screenshots, when VANBANG_SCREENSHOTS names a
    directory: the whole page, scrolled to `part` when given."""
    keep = os.environ.get("VANBANG_SCREENSHOTS")
    if not keep:
        return
    if part is not None:
        await part.scroll_into_view_if_needed()
        await page.screenshot(path=Path(keep) / f"{name}.png")
    else:
        await page.screenshot(path=Path(keep) / f"{name}.png", full_page=True)
