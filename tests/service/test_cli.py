"""The `vanbang` command against the test's database: in-process, and as real processes
for the smoke tests (serving, `--version`, one import)."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from PIL import Image

from service.qr.symbol import make_symbol
from tests.conftest import CLERK, EXAMPLES, ROOT, bearer
from tests.factories import decision_request
from tests.qr import decode_qr
from tests.running import run_module, run_vanbang, run_vanbang_process, running_service


async def vanbang(
    db_url: str, *args: str, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    return await run_vanbang(db_url, *args, **(env or {}))


async def test_import_csv_then_retry_with_the_same_key(db_url: str, db: asyncpg.Connection) -> None:
    args = (
        "import",
        str(EXAMPLES / "graduation-decision.csv"),
        "--issuer",
        "SGDDT-HN",
        "--idempotency-key",
        "import-1",
    )
    code, out, err = await vanbang(db_url, *args)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("decision 2150/QĐ-SGDĐT")
    assert "30 diploma(s) registered for SGDDT-HN" in lines[0]
    assert len(lines) == 31
    assert "HN25-012301" in lines[1]
    assert "1/THPT-2025" in lines[1]
    code, out, _ = await vanbang(db_url, *args)
    assert code == 0
    assert "already registered with this idempotency key" in out
    assert await db.fetchval("SELECT count(*) FROM diplomas") == 30


async def test_import_a_part_of_a_decision(db_url: str, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    first.write_text(json.dumps(decision_request(2)), encoding="utf-8")
    code, out, err = await vanbang(db_url, "import", str(first), "--issuer", "SGDDT-HN", "--json")
    assert code == 0, err
    decision_id = json.loads(out)["id"]
    more = tmp_path / "more.json"
    more.write_text(json.dumps(decision_request(3, serial_prefix="S")), encoding="utf-8")
    args = ("import", str(more), "--issuer", "SGDDT-HN", "--part-of", decision_id)
    code, out, err = await vanbang(db_url, *args, "--idempotency-key", "part-2")
    assert code == 0, err
    assert f"({decision_id}), part 2: 3 diploma(s) registered for SGDDT-HN, 5 in all" in out
    assert "3/THPT-2025" in out
    code, out, err = await vanbang(db_url, *args, "--idempotency-key", "part-2")
    assert code == 0, err
    assert "already registered with this idempotency key" in out


async def test_import_a_file_larger_than_a_part_registers_it_in_parts(
    db_url: str, db: asyncpg.Connection, tmp_path: Path
) -> None:
    listed = tmp_path / "large.json"
    listed.write_text(json.dumps(decision_request(5)), encoding="utf-8")
    args = ("import", str(listed), "--issuer", "SGDDT-HN", "--idempotency-key", "big")
    limits = {"VANBANG_MAX_BATCH_ROWS": "2"}
    code, out, err = await vanbang(db_url, *args, env=limits)
    assert code == 0, err
    assert "5 diploma(s) registered for SGDDT-HN in 3 parts" in out
    assert "5/THPT-2025" in out
    parts = await db.fetch("SELECT part, graduate_count FROM decision_parts ORDER BY part")
    assert [tuple(p) for p in parts] == [(1, 2), (2, 2), (3, 1)]
    # Run again with the same key: every part replayed, nothing more registered.
    code, out, err = await vanbang(db_url, *args, env=limits)
    assert code == 0, err
    assert "already registered with this idempotency key" in out
    assert await db.fetchval("SELECT count(*) FROM diplomas") == 5
    # A row in error is named before any part is written.
    bad = decision_request(5, number="2/QĐ", serial_prefix="X")
    bad["graduates"][4]["date_of_birth"] = "2030-01-01"
    listed.write_text(json.dumps(bad), encoding="utf-8")
    code, out, err = await vanbang(
        db_url, "import", str(listed), "--issuer", "SGDDT-HN", env=limits
    )
    assert code == 1
    assert "graduates/4/date_of_birth" in err
    assert await db.fetchval("SELECT count(*) FROM diplomas") == 5


async def test_import_xlsx_as_json_output(db_url: str) -> None:
    # A real process: the smoke test of `vanbang import` (the others run in-process).
    code, out, err = await run_vanbang_process(
        db_url,
        "import",
        str(EXAMPLES / "graduation-decision.xlsx"),
        "--issuer",
        "SGDDT-HN",
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["graduate_count"] == 30


async def test_version_as_a_real_process() -> None:
    from service import __version__

    code, out, err = await run_module("service", "--version")
    assert (code, out, err) == (0, f"vanbang {__version__}\n", "")


async def test_import_reports_rows(db_url: str, tmp_path: Path) -> None:
    text = (EXAMPLES / "graduation-decision.csv").read_text(encoding="utf-8")
    broken = tmp_path / "list.csv"
    broken.write_text(text.replace("12/03/2007", "31/02/2007"), encoding="utf-8")
    code, out, err = await vanbang(db_url, "import", str(broken), "--issuer", "SGDDT-HN")
    assert code == 1
    assert out == ""
    assert "row 2, date_of_birth: No such calendar date" in err
    valid = str(EXAMPLES / "graduation-decision.csv")
    code, _, err = await vanbang(db_url, "import", valid, "--issuer", "DHSPHN")
    assert code == 1
    assert "Issuer may not issue this kind" in err


async def test_issuer_and_token_commands(db_url: str, db: asyncpg.Connection) -> None:
    code, out, err = await vanbang(
        db_url,
        "issuer",
        "add",
        "thpt-kl",
        "--name",
        "Trường THPT Kim Liên",
        "--kind",
        "school",
        "--parent",
        "SGDDT-HN",
        "--pattern",
        "{n:04d}/{year}",
    )
    assert (code, out.strip()) == (0, "added issuer THPT-KL"), err
    code, _, err = await vanbang(
        db_url, "issuer", "add", "THPT-KL", "--name", "x", "--kind", "school"
    )
    assert code == 1
    assert "already exists" in err
    code, _, err = await vanbang(
        db_url, "issuer", "add", "X1", "--name", "x", "--kind", "school", "--pattern", "{year}"
    )
    assert code == 1
    assert "{n}" in err

    code, out, err = await vanbang(
        db_url, "token", "create", "--role", "clerk", "--issuer", "THPT-KL", "--label", "Cô Lan"
    )
    assert code == 0, err
    token = out.strip()
    assert out == token + "\n"  # the token and nothing else
    assert token.startswith("vb_")
    row = await db.fetchrow(
        "SELECT role, issuer_code, label FROM api_tokens WHERE token_hash = sha256($1)",
        token.encode(),
    )
    assert row is not None
    assert dict(row) == {"role": "clerk", "issuer_code": "THPT-KL", "label": "Cô Lan"}

    code, _, err = await vanbang(db_url, "token", "create", "--role", "auditor")
    assert code == 1
    assert "needs --issuer" in err
    code, out, _ = await vanbang(db_url, "issuer", "list")
    assert "THPT-KL" in out
    code, out, _ = await vanbang(db_url, "token", "list")
    assert token not in out
    token_id = await db.fetchval(
        "SELECT id FROM api_tokens WHERE token_hash = sha256($1)", token.encode()
    )
    code, out, _ = await vanbang(db_url, "token", "revoke", str(token_id))
    assert code == 0
    assert await db.fetchval(
        "SELECT revoked_at IS NOT NULL FROM api_tokens WHERE id = $1", token_id
    )


async def test_migrate_and_bad_settings(db_url: str) -> None:
    code, out, _ = await vanbang(db_url, "migrate")
    assert (code, out.strip()) == (0, "database is up to date")
    code, _, err = await vanbang(db_url, "migrate", env={"VANBANG_PORT": "eighty"})
    assert code == 2
    assert "VANBANG_PORT" in err
    code, _, err = await vanbang(
        db_url, "migrate", env={"VANBANG_ENV": "production", "VANBANG_DEMO": "1"}
    )
    assert code == 2
    assert "VANBANG_DEMO" in err


async def test_serve_on_a_real_port_logs_json_without_secrets(db_url: str) -> None:
    async with running_service(db_url, VANBANG_LOG_FORMAT="json", VANBANG_DEMO="1") as server:
        assert server.process.stdout is not None
        banner = (await server.process.stdout.readline()).decode()
        assert f"serving on {server.base}" in banner
        data: dict[str, Any] = decision_request(2)
        data["graduates"][0]["full_name"] = "Hoàng Thị Bí Mật"
        async with aiohttp.ClientSession() as session:
            async with session.post(
                f"{server.base}/api/v1/graduation-decisions", json=data, headers=bearer(CLERK)
            ) as response:
                assert response.status == 201
                request_id = response.headers["X-Request-ID"]
                diploma_id = (await response.json())["diplomas"][0]["id"]
            async with session.get(
                f"{server.base}/api/v1/diplomas/{diploma_id}/qr.png", headers=bearer(CLERK)
            ) as response:
                url = decode_qr(Image.open(io.BytesIO(await response.read())))
            token = url[url.index("/V/") + 3 :]
            async with session.get(f"{server.base}/V/{token}") as response:
                assert response.status == 200
                page_id = response.headers["X-Request-ID"]
    text = server.stderr.decode()
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    finished = [
        line
        for line in lines
        if line["event"] == "request_finished" and line.get("request_id") == request_id
    ]
    assert len(finished) == 1
    assert finished[0]["status"] == 201
    assert finished[0]["route"] == "/api/v1/graduation-decisions"
    # The QR page's line names its route: the token (the holder's name, spelt out) is not
    # written anywhere.
    page = [line for line in lines if line.get("request_id") == page_id]
    assert [(line["event"], line["route"]) for line in page] == [("request_finished", "/V/{token}")]
    assert token not in text
    assert token.lower() not in text
    registered = [line for line in lines if line["event"] == "decision_registered"]
    assert registered[0]["request_id"] == request_id
    assert CLERK not in text
    assert "Bí Mật" not in text


async def test_demo_then_qr(db_url: str, tmp_path: Path) -> None:
    from PIL import Image

    from service.keystore import KeyStore
    from service.resources import demo_dir
    from service.usecases.trust_list import TrustListCache
    from verifier import TrustList, load_public_pem
    from verifier.token import token_from_text, verify_token

    code, out, err = await vanbang(db_url, "demo", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert len(result["diplomas"]) == 30
    assert result["print_pdf"].endswith("/print.pdf")
    code, again, _ = await vanbang(db_url, "demo", "--json")  # runs again on the same database
    assert code == 0
    assert json.loads(again)["number"] != result["number"]

    pool = await asyncpg.create_pool(db_url, min_size=1, max_size=2)
    assert pool is not None
    try:
        signed = await TrustListCache(KeyStore(tmp_path, demo_dir())).current(pool)
    finally:
        await pool.close()
    root = load_public_pem((ROOT / "keys-example" / "root.pub.pem").read_bytes())
    trust = TrustList.from_bytes(signed.body, root_key=root)
    for diploma in result["diplomas"]:
        token = verify_token(token_from_text(diploma["qr_url"]), trust)
        assert token.fields["serial"] == diploma["serial"]

    first = result["diplomas"][0]
    code, out, err = await vanbang(db_url, "qr", first["id"])
    assert (code, out.strip()) == (0, first["qr_url"]), err
    image = tmp_path / "qr.png"
    code, _, err = await vanbang(db_url, "qr", first["id"], "-o", str(image))
    assert code == 0, err
    assert decode_qr(Image.open(image)) == first["qr_url"]
    code, _, err = await vanbang(db_url, "qr", first["id"], "-o", str(tmp_path / "qr.gif"))
    assert code == 1
    assert ".png or .svg" in err
    # Sized by its modules: the setting's by default, or --module-mm.
    drawn = tmp_path / "qr.svg"
    code, _, err = await vanbang(db_url, "qr", first["id"], "-o", str(drawn), "--module-mm", "0.5")
    assert code == 0, err
    side = (make_symbol(first["qr_url"]).size + 8) * 0.5
    assert f'width="{side:g}mm"' in drawn.read_text()
    code, _, err = await vanbang(
        db_url, "qr", first["id"], "-o", str(drawn), env={"VANBANG_QR_MODULE_MM": "0.8"}
    )
    assert code == 0, err
    assert f'width="{side / 0.5 * 0.8:g}mm"' in drawn.read_text()
    code, _, err = await vanbang(db_url, "qr", first["id"], "-o", str(drawn), "--module-mm", "0.1")
    assert code == 1
    assert "--module-mm" in err


async def test_serve_with_two_workers(db_url: str) -> None:
    import psutil

    async with running_service(
        db_url, VANBANG_WORKERS="2", VANBANG_LOG_LEVEL="warning", VANBANG_DEMO="1"
    ) as server:
        assert server.process.stdout is not None
        banner = (await server.process.stdout.read(4096)).decode()
        assert "workers:   2" in banner
        parent = psutil.Process(server.process.pid)
        workers = [p for p in parent.children(recursive=True) if "python" in p.name()]
        assert len(workers) == 1  # the parent serves too
        async with aiohttp.ClientSession() as session:
            for _ in range(20):  # connections land on either process; every one is served
                async with session.post(
                    f"{server.base}/api/v1/graduation-decisions",
                    json=decision_request(1, number=f"{_}/QĐ", serial_prefix=f"W{_}-"),
                    headers=bearer(CLERK),
                ) as response:
                    assert response.status == 201
    await asyncio.sleep(0.5)
    assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)
    code, _, err = await vanbang(db_url, "serve", "--workers", "0")
    assert code == 2
    assert "--workers" in err
