"""`vanbang backup` and `vanbang restore` against the real PostgreSQL (the shared server, by
its own major version's tools) and the embedded one: the restored register passes `vanbang
audit verify` with the very checkpoints published before, no private key is in the dump, and
a restore goes only into an empty database, all or nothing."""

from __future__ import annotations

import base64
import stat
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from cryptography.hazmat.primitives import serialization

from service.db.backup import server_version, user_objects
from service.db.pg_tools import PgTools, find_tools, search_dirs
from tests.conftest import CLERK, ROOT, bearer
from tests.factories import decision_request, revoke, sequenced, with_personal_ids
from tests.pg import Databases
from tests.running import run_vanbang, run_vanbang_process

KEYS = ROOT / "keys-example"


async def _tables(url: str) -> dict[str, list[Any]]:
    """Every table of the database, every row, in a stable order."""
    conn = await asyncpg.connect(url)
    try:
        names = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        return {
            r["tablename"]: sorted(
                map(tuple, await conn.fetch(f'SELECT * FROM "{r["tablename"]}"')),  # noqa: S608
                key=repr,
            )
            for r in names
        }
    finally:
        await conn.close()


def _secrets() -> dict[str, list[str]]:
    """What of each private key could show in a dump: its PEM lines, its raw bytes in hex
    and base64; the personal-id key's secret lines."""
    found: dict[str, list[str]] = {}
    for path in [*KEYS.glob("*.pem"), *(KEYS / "keys").glob("*.pem")]:
        if b"PRIVATE KEY" not in path.read_bytes():
            continue
        key: Any = serialization.load_pem_private_key(path.read_bytes(), password=None)
        raw = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        lines = [line for line in path.read_text().splitlines() if not line.startswith("-----")]
        found[path.name] = [*lines, raw.hex(), base64.b64encode(raw).decode()]
    personal = KEYS / "personal-id.key"
    found[personal.name] = [
        line.strip()
        for line in personal.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return found


async def test_a_backup_restored_into_an_empty_database_is_the_register_and_its_log(
    client: Any, db_url: str, databases: Databases, tmp_path: Path
) -> None:
    request = with_personal_ids(decision_request(3))
    response = await client.post(
        "/api/v1/graduation-decisions", json=request, headers=bearer(CLERK)
    )
    assert response.status == 201, await response.text()
    diplomas = (await response.json())["diplomas"]
    await revoke(client, diplomas[0]["id"])
    await sequenced(client)
    published = await (await client.get("/log/checkpoint")).text()

    dump = tmp_path / "vanbang.dump"
    code, out, err = await run_vanbang(db_url, "backup", str(dump))
    assert code == 0, err
    assert "The issuance log: 4 leaves" in out
    assert "not in this backup" in out  # the keys, backed up apart
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".*partial"))

    # The dump as SQL: no private key, no personal identification number in the clear.
    sql = await _pg_restore_sql(db_url, dump)
    assert "COPY public.diplomas" in sql
    for name, secrets in _secrets().items():
        for secret in secrets:
            assert secret not in sql, f"{name} is in the dump"
    for graduate in request["graduates"]:
        assert graduate["personal_id"] not in sql

    target = await databases.create_empty()
    try:
        code, out, err = await run_vanbang(target, "restore", str(dump))
        assert code == 0, err
        assert "The issuance log: 4 leaves" in out
        code, out, err = await run_vanbang(target, "audit", "verify")
        assert code == 0, out + err
        assert "log of 4 leaves" in out
        assert "consistent" in out
        # Every row is back, the published checkpoints among them, and nothing more: the
        # log's triggers did not queue the restored events again.
        before, after = await _tables(db_url), await _tables(target)
        after.pop("log_audit_runs"), before.pop("log_audit_runs")  # the verify just run
        assert after == before
        conn = await asyncpg.connect(target)
        try:
            latest = await conn.fetchval("SELECT note FROM log_checkpoints ORDER BY size DESC")
            assert latest == published
            assert await conn.fetchval("SELECT count(*) FROM log_queue") == 0
            # The restored register is as append-only as it was.
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
                await conn.execute("DELETE FROM diplomas")
        finally:
            await conn.close()

        # A second restore into it is refused, in both languages, and changes nothing.
        code, out, err = await run_vanbang(target, "restore", str(dump))
        assert code == 1
        assert "không trống" in err
        assert "is not empty" in err
        assert "Nothing was changed" in err
        again = await _tables(target)
        again.pop("log_audit_runs")
        assert again == after
    finally:
        await databases.drop(target)

    # A backup never replaces a file.
    code, out, err = await run_vanbang(db_url, "backup", str(dump))
    assert code == 1
    assert "already exists" in err
    assert "đã có" in err


async def _tools(db_url: str) -> PgTools:
    """The server's own pg_dump and pg_restore, as `vanbang backup` finds them."""
    conn = await asyncpg.connect(db_url)
    try:
        major = (await server_version(conn)).major
    finally:
        await conn.close()
    tools = find_tools(major, search_dirs(major))
    assert tools is not None
    return tools


async def _pg_restore_sql(db_url: str, dump: Path) -> str:
    """The dump as the SQL pg_restore would run."""
    return await (await _tools(db_url)).run("pg_restore", "--file=-", str(dump))


async def test_a_failed_restore_leaves_the_database_empty(
    db: asyncpg.Connection, db_url: str, databases: Databases, tmp_path: Path
) -> None:
    # A dump, uncompressed, whose data is garbled: an account's id no longer a UUID wherever
    # it is written. Its table of contents reads; the restore makes the tables, loads some,
    # and fails at the first that holds the id.
    tools = await _tools(db_url)
    plain = tmp_path / "plain.dump"
    await tools.run("pg_dump", "--format=custom", "--compress=0", f"--file={plain}", url=db_url)
    account = str(await db.fetchval("SELECT id FROM accounts ORDER BY id LIMIT 1")).encode()
    whole = plain.read_bytes()
    assert account in whole
    broken = tmp_path / "broken.dump"
    broken.write_bytes(whole.replace(account, b"x" * len(account)))
    target = await databases.create_empty()
    try:
        code, out, err = await run_vanbang(target, "restore", str(broken))
        assert code == 1, out
        assert "rolled back" in err
        assert "hoàn tác" in err
        assert "uuid" in err
        conn = await asyncpg.connect(target)
        try:
            assert await user_objects(conn) == []
        finally:
            await conn.close()
        code, out, err = await run_vanbang(target, "restore", str(tmp_path / "missing.dump"))
        assert code == 1
        assert "Cannot read the backup" in err
    finally:
        await databases.drop(target)


async def test_without_the_servers_own_pg_dump_a_backup_is_refused_clearly(
    db_url: str, tmp_path: Path
) -> None:
    nowhere = tmp_path / "bin"
    nowhere.mkdir()
    dump = tmp_path / "vanbang.dump"
    code, _, err = await run_vanbang(db_url, "backup", str(dump), "--pg-bin", str(nowhere))
    assert code == 1
    assert "Không tìm thấy pg_dump và pg_restore của PostgreSQL" in err
    assert "No pg_dump and pg_restore of PostgreSQL" in err
    assert str(nowhere) in err
    assert not dump.exists()


async def test_the_embedded_server_is_backed_up_and_restored_by_its_own_tools(
    tmp_path: Path,
) -> None:
    """Real processes, each starting and stopping the embedded server of its data directory."""
    source, restored = tmp_path / "source", tmp_path / "restored"
    dump = tmp_path / "embedded.dump"

    async def vanbang(data_dir: Path, *args: str) -> str:
        code, out, err = await run_vanbang_process(
            "", *args, VANBANG_DATA_DIR=str(data_dir), VANBANG_KEYS_DIR=str(data_dir / "keys")
        )
        assert code == 0, out + err
        return out

    await vanbang(source, "migrate")
    await vanbang(source, "demo")
    audited = await vanbang(source, "audit", "verify")  # sequences the log first
    backed_up = await vanbang(source, "backup", str(dump))
    restored_out = await vanbang(restored, "restore", str(dump))
    assert await vanbang(restored, "audit", "verify") == audited  # the same leaves, checkpoints
    root = backed_up.split("root ")[1].split(".")[0]
    assert f"root {root}" in restored_out
    assert root != "-"
