"""The issuance log end to end: every event becomes a leaf, checkpoints are signed, proofs
verify with the verifier's own code, and the audit catches edits made behind its back."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import cbor2
import pytest

from service.keystore import KeyStore
from service.resources import demo_dir
from tests.conftest import CLERK, ROOT, bearer
from tests.factories import decision_request, qr_text, registered, revoke, sequenced, step
from tests.running import run_vanbang, run_verifier, running_service
from verifier import TrustList, load_public_pem, merkle, verify_record
from verifier.note import Checkpoint, sign_note, verify_checkpoint

DEMO_ROOT = load_public_pem((ROOT / "keys-example" / "root.pub.pem").read_bytes())


async def _key(client: Any) -> str:
    text: str = await (await client.get("/log/key")).text()
    return text.strip()


async def _checkpoint(client: Any) -> Any:
    response = await client.get("/log/checkpoint")
    assert response.status == 200
    assert response.content_type == "text/plain"
    return verify_checkpoint(await response.text(), await _key(client))


async def test_events_become_leaves_under_signed_checkpoints(
    client: Any, db: asyncpg.Connection
) -> None:
    diplomas = await registered(client, 3)
    await revoke(client, diplomas[1]["id"])
    await sequenced(client)
    checkpoint = await _checkpoint(client)
    assert checkpoint.origin == "127.0.0.1:8080/log"
    assert checkpoint.size == 4
    rows = await db.fetch("SELECT idx, event_type, data FROM log_leaves ORDER BY idx")
    assert [(r["idx"], r["event_type"]) for r in rows] == [
        (0, "issue"),
        (1, "issue"),
        (2, "issue"),
        (3, "revocation"),
    ]
    leaf = cbor2.loads(rows[0]["data"])
    assert set(leaf) == {"type", "issuer", "diploma", "hash", "time"}
    assert leaf["issuer"] == "SGDDT-HN"
    assert "Trần" not in rows[0]["data"].decode("utf-8", "replace")  # no personal data

    # Every leaf's inclusion proof, by index and by hash, leads to the checkpoint's root.
    for row in rows:
        answer = await (
            await client.get("/log/proof/inclusion", params={"index": str(row["idx"])})
        ).json()
        leaf_hash = merkle.leaf_hash(bytes(row["data"]))
        assert base64.b64decode(answer["leaf_hash"]) == leaf_hash
        proof = [base64.b64decode(h) for h in answer["proof"]]
        merkle.verify_inclusion(leaf_hash, row["idx"], checkpoint.size, proof, checkpoint.root)
        by_hash = await client.get(
            "/log/proof/inclusion", params={"hash": base64.b64encode(leaf_hash).decode()}
        )
        assert (await by_hash.json())["proof"] == answer["proof"]

    # More events, a new checkpoint, and a consistency proof between the two.
    await registered(client, 2, number="101/QĐ-SGDĐT", serial_prefix="U")
    await sequenced(client)
    later = await _checkpoint(client)
    assert later.size == 6
    answer = await (
        await client.get("/log/proof/consistency", params={"from": "4", "to": "6"})
    ).json()
    merkle.verify_consistency(
        4, 6, checkpoint.root, later.root, [base64.b64decode(h) for h in answer["proof"]]
    )
    for params in ({"from": "7"}, {"from": "x"}, {"from": "1", "to": "9"}):
        response = await client.get("/log/proof/consistency", params=params)
        assert response.status == 422
    missing = await client.get("/log/proof/inclusion", params={"index": "6"})
    assert missing.status == 404


async def test_the_verdict_shows_log_inclusion_and_the_bundle_verifies_offline(
    client: Any,
) -> None:
    diploma = (await registered(client, 1))[0]
    text = await qr_text(client, diploma["id"])
    # The app's own sequencer runs every half second; until then the step waits.
    result = await (await client.get("/api/v1/verify", params={"token": text})).json()
    assert step(result, "log_included")["outcome"] in ("skipped", "passed")
    await sequenced(client)
    result = await (await client.get("/api/v1/verify", params={"token": text})).json()
    assert step(result, "log_included")["outcome"] == "passed"
    assert result["verdict"] == "valid"

    response = await client.get(f"/api/v1/diplomas/{diploma['id']}/bundle", headers=bearer(CLERK))
    assert response.status == 200
    bundle = await response.json()
    trust = TrustList.from_bytes(
        await (await client.get("/.well-known/vanbang/trust-list")).read(), root_key=DEMO_ROOT
    )
    record = base64.b64decode(bundle["record"])
    verify_record(record, trust)
    data = base64.b64decode(bundle["leaf"]["data"])
    assert cbor2.loads(data)["hash"] == hashlib.sha256(record).digest()
    checkpoint = verify_checkpoint(bundle["checkpoint"], await _key(client))
    merkle.verify_inclusion(
        merkle.leaf_hash(data),
        bundle["leaf"]["index"],
        bundle["inclusion_proof"]["tree_size"],
        [base64.b64decode(h) for h in bundle["inclusion_proof"]["proof"]],
        checkpoint.root,
    )
    anonymous = await client.get(f"/api/v1/diplomas/{diploma['id']}/bundle")
    assert anonymous.status == 401


async def test_the_log_tables_refuse_changes(client: Any, db: asyncpg.Connection) -> None:
    await registered(client, 2)
    await sequenced(client)
    await db.execute(  # a cosignature row, so that row triggers have a row to refuse
        "INSERT INTO log_cosignatures (size, witness, line, cosigned_at)"
        " VALUES (2, 'w', 'l', now())"
    )
    for table, column in (
        ("log_leaves", "idx"),
        ("log_nodes", "idx"),
        ("log_checkpoints", "size"),
        ("log_cosignatures", "size"),
    ):
        for statement in (
            f"UPDATE {table} SET {column} = {column} + 1",  # noqa: S608
            f"DELETE FROM {table}",  # noqa: S608
            f"TRUNCATE {table}",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
                await db.execute(statement)


async def test_sequenced_waits_while_another_sequencer_holds_the_lock(
    client: Any, db: asyncpg.Connection
) -> None:
    from service.db.queries import Q

    # The sequencer's lock, waiting for it while the app's own sequencer has it.
    lock = Q.log_sequencer_lock.replace("pg_try_advisory_xact_lock", "pg_advisory_xact_lock")
    assert lock != Q.log_sequencer_lock
    async with db.transaction():  # this connection is "the app's own sequencer", stuck
        await db.execute(lock)
        await registered(client, 2)
        with pytest.raises(AssertionError, match="log queue still holds 2 event"):
            await sequenced(client, max_wait=0.3)
        waiting = asyncio.create_task(sequenced(client))
        await asyncio.sleep(0.3)
        assert not waiting.done()
    await waiting  # the lock is free again: one of the sequencers drains the queue
    assert (await _checkpoint(client)).size == 2


async def _audit(db_url: str) -> tuple[int, str]:
    code, out, err = await run_vanbang(db_url, "audit", "verify")
    return code, out + err


async def test_audit_verify_catches_edits_behind_the_logs_back(
    client: Any, db: asyncpg.Connection, db_url: str
) -> None:
    diplomas = await registered(client, 3)
    await revoke(client, diplomas[0]["id"])
    await sequenced(client)
    code, out = await _audit(db_url)
    assert code == 0, out
    assert "log of 4 leaves" in out
    assert "consistent" in out

    # Someone with database access changes a register record in place.
    await db.execute("ALTER TABLE diplomas DISABLE TRIGGER diplomas_append_only")
    await db.execute(
        "UPDATE diplomas SET signed = signed || '\\x00'::bytea WHERE id = $1", diplomas[2]["id"]
    )
    await db.execute("ALTER TABLE diplomas ENABLE TRIGGER diplomas_append_only")
    code, out = await _audit(db_url)
    assert code == 1
    assert f"issue {diplomas[2]['id']} is not in the log" in out
    assert "leaf 2 (issue): its record is gone or was changed" in out


async def test_audit_verify_catches_a_rewritten_leaf(
    client: Any, db: asyncpg.Connection, db_url: str
) -> None:
    await registered(client, 3)
    await sequenced(client)
    await db.execute("ALTER TABLE log_leaves DISABLE TRIGGER log_leaves_append_only")
    await db.execute("UPDATE log_leaves SET issuer_code = 'DHSPHN' WHERE idx = 1")
    await db.execute("ALTER TABLE log_leaves ENABLE TRIGGER log_leaves_append_only")
    code, out = await _audit(db_url)
    assert code == 1
    assert "leaf 1: its data differs from its columns" in out
    assert "the recomputed root differs" in out


async def test_vanbang_verify_log_proves_growth_and_catches_a_fork(
    db_url: str, db: asyncpg.Connection, tmp_path: Path
) -> None:
    async with (
        running_service(db_url, VANBANG_DEMO="1", VANBANG_LOG_LEVEL="warning") as server,
        aiohttp.ClientSession() as session,
    ):

        async def register(number: str, prefix: str) -> None:
            body = _decision(number, prefix)
            async with session.post(
                f"{server.base}/api/v1/graduation-decisions", json=body, headers=bearer(CLERK)
            ) as response:
                assert response.status == 201

        async def checkpoint(size: int) -> str:
            # The service's own sequencer signs a checkpoint soon after each append.
            for _ in range(100):
                async with session.get(f"{server.base}/log/checkpoint") as response:
                    text = await response.text()
                if response.status == 200 and text.split("\n")[1] == str(size):
                    return text
                await asyncio.sleep(0.1)
            raise AssertionError(f"no checkpoint of {size} leaves")

        async with session.get(f"{server.base}/log/key") as response:
            key = (await response.text()).strip()
        await register("1/QĐ", "A")
        saved = tmp_path / "checkpoint.txt"
        saved.write_text(await checkpoint(2), encoding="utf-8")
        await register("2/QĐ", "B")
        await checkpoint(4)

        args = ("--checkpoint", str(saved), "--url", server.base, "--key", key)
        code, out, err = await run_verifier("log", *args, "--update")
        assert code == 0, err
        assert "chỉ tăng thêm, từ 2 lên 4 mục" in out
        assert "Đã lưu điểm kiểm tra 4 mục" in out
        assert saved.read_text(encoding="utf-8").split("\n")[1] == "4"

        # Another history of 3 leaves, signed with the log's own (demo) key: a fork.
        log_key = KeyStore(tmp_path, demo_dir()).log_key()
        assert log_key is not None
        forged = Checkpoint("127.0.0.1:8080/log", 3, hashlib.sha256(b"other").digest())
        saved.write_text(sign_note(forged.body(), forged.origin, log_key), encoding="utf-8")
        code, out, _ = await run_verifier("log", *args)
        assert code == 1
        assert "KHÔNG NHẤT QUÁN" in out
        code, out, _ = await run_verifier("log", *args, "--lang", "en")
        assert code == 1
        assert "NOT CONSISTENT" in out


def _decision(number: str, prefix: str) -> dict[str, Any]:
    return decision_request(2, number=number, serial_prefix=prefix)
