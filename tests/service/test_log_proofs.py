"""Offline proofs served (docs/audit.md "Offline proofs"): a diploma's registration and its
revocation each get a c2sp.org/tlog-proof@v1 from the API, the console and the public log,
checked offline by the library and by `vanbang-verify proof` in its own process, the record
the leaf names against the trust list too; a proof is made against the checkpoint the most
witnesses cosigned; a leaf not yet logged, another diploma's leaf or a diploma out of scope
get none."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import asyncpg
import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.db.queries import Q
from tests.conftest import AUDITOR, CLERK, bearer
from tests.factories import qr_text, registered, revoke, sequenced
from tests.running import ROOT, verifier_process
from tests.staff import AUDITOR_LOGIN, sign_in
from verifier.cosignature import WitnessPolicy, cosign, witness_vkey
from verifier.errors import WitnessPolicyError
from verifier.note import parse_note
from verifier.proof import parse_proof, verify_proof
from verifier.proofcheck import decode_leaf


def _verify(*args: str) -> subprocess.CompletedProcess[str]:
    return verifier_process("proof", *args)


async def test_a_registration_and_an_event_get_proofs_that_check_offline(
    client: Any, db: asyncpg.Connection, tmp_path: Path
) -> None:
    diplomas = await registered(client, 2)
    target = diplomas[1]["id"]
    await revoke(client, target)
    await sequenced(client)
    key = (await (await client.get("/log/key")).text()).strip()
    leaves = await db.fetch(
        "SELECT idx, event_type, data FROM log_leaves WHERE diploma_id = $1 ORDER BY idx", target
    )
    assert [(r["idx"], r["event_type"]) for r in leaves] == [(1, "issue"), (2, "revocation")]

    api = f"/api/v1/diplomas/{target}/proof"
    default = await client.get(api, headers=bearer(AUDITOR))
    assert default.status == 200, await default.text()
    assert default.content_type == "text/plain"
    assert default.headers["Cache-Control"] == "no-store"
    name = f"bang-chung-{target}-1.tlog-proof"
    assert name in default.headers["Content-Disposition"]
    text = await default.text()
    proved = verify_proof(text, key)  # the current version's leaf: its issue
    assert (proved.index, proved.entry, proved.checkpoint.size) == (1, leaves[0]["data"], 3)
    assert decode_leaf(proved.entry).type == "issue"
    revoked = await client.get(f"{api}?index=2", headers=bearer(CLERK))
    assert revoked.status == 200
    event = verify_proof(await revoked.text(), key)
    assert (event.index, decode_leaf(event.entry).type) == (2, "revocation")
    # The public log serves the same proof: the leaf is public, as /log/leaves has it.
    public = await client.get("/log/proof?index=2")
    assert public.status == 200
    assert await public.text() == await revoked.text()
    assert "bang-chung-2.tlog-proof" in public.headers["Content-Disposition"]

    # Offline, with the record the leaf names checked against the trust list.
    saved = tmp_path / name
    saved.write_text(text, encoding="utf-8")
    record = tmp_path / "record.cose"
    record.write_bytes(await db.fetchval("SELECT signed FROM diplomas WHERE id = $1", target))
    trust = tmp_path / "trust-list.cose"
    trust.write_bytes(await (await client.get("/.well-known/vanbang/trust-list")).read())
    root = str(ROOT / "keys-example" / "root.pub.pem")
    with_record = ("--record", str(record), "--root-key", root, "--trust-list", str(trust))
    done = _verify(str(saved), "--key", key, *with_record)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "✔ Có trong nhật ký: mục 1 của nhật ký 127.0.0.1:8080/log" in done.stdout
    assert "chữ ký của đơn vị được kiểm tra theo danh sách tin cậy" in done.stdout
    statement = tmp_path / "revocation.cose"
    statement.write_bytes(
        await db.fetchval("SELECT signed FROM revocations WHERE diploma_id = $1", target)
    )
    saved.write_text(await revoked.text(), encoding="utf-8")
    with_statement = ("--record", str(statement), "--root-key", root, "--trust-list", str(trust))
    done = _verify(str(saved), "--key", key, *with_statement, "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "included: leaf 2 of 127.0.0.1:8080/log" in done.stdout
    wrong = _verify(str(saved), "--key", key, *with_record)  # the record, not this
    assert wrong.returncode == 1

    # Another diploma's leaf, a diploma out of scope, a leaf beyond the log: none.
    other = await client.get(f"{api}?index=0", headers=bearer(AUDITOR))
    assert other.status == 404
    assert (await client.get("/log/proof?index=99")).status == 404
    assert (await client.get("/log/proof")).status == 422
    nobody = "00000000-0000-4000-8000-000000000000"
    elsewhere = await client.get(f"/api/v1/diplomas/{nobody}/proof", headers=bearer(CLERK))
    assert elsewhere.status == 404
    assert (await client.get(api)).status == 401


async def test_the_console_links_each_leafs_proof(client: Any) -> None:
    [diploma] = await registered(client, 1)
    await sequenced(client)
    await sign_in(client, AUDITOR_LOGIN)
    page = await (await client.get(f"/quan-ly/van-bang/{diploma['id']}")).text()
    link = f"/quan-ly/van-bang/{diploma['id']}/bang-chung.tlog-proof?index=0"
    assert f'href="{link}"' in page
    assert f"vanbang-verify proof bang-chung-{diploma['id']}-N.tlog-proof --key log.key" in page
    response = await client.get(link)
    assert response.status == 200
    key = (await (await client.get("/log/key")).text()).strip()
    assert verify_proof(await response.text(), key).index == 0


async def test_a_proof_is_made_against_the_checkpoint_most_witnesses_cosigned(
    client: Any, db: asyncpg.Connection
) -> None:
    [diploma] = await registered(client, 1)
    await sequenced(client)
    cosigned = await db.fetchrow(Q.log_latest_checkpoint)
    assert cosigned is not None
    await registered(client, 1, number="101/QĐ-SGDĐT", serial_prefix="U")
    await sequenced(client)  # a newer checkpoint, which no witness cosigned
    assert await db.fetchval("SELECT max(size) FROM log_checkpoints") == cosigned["size"] + 1
    witness = Ed25519PrivateKey.generate()
    vkey = witness_vkey("witness.sgddt-hn.example/w1", witness.public_key())
    text = parse_note(cosigned["note"]).text
    line = cosign(text, "witness.sgddt-hn.example/w1", witness, int(time.time()) - 5)
    line = line.rstrip("\n")
    await db.execute(
        Q.log_insert_cosignature, cosigned["size"], vkey, line, await db.fetchval("SELECT now()")
    )
    key = (await (await client.get("/log/key")).text()).strip()
    answer = await client.get(f"/api/v1/diplomas/{diploma['id']}/proof", headers=bearer(CLERK))
    proof = parse_proof(await answer.text())
    assert proof.checkpoint == cosigned["note"] + line + "\n"
    policy = WitnessPolicy.parse([vkey], 1)
    proved = verify_proof(proof, key, policy=policy)
    assert [c.name for c in proved.cosigned] == ["witness.sgddt-hn.example/w1"]
    # The newer leaf's proof can only be against the latest checkpoint: uncosigned.
    newest = await client.get(f"/log/proof?index={cosigned['size']}")
    with pytest.raises(WitnessPolicyError):
        verify_proof(await newest.text(), key, policy=policy)


async def test_the_public_result_page_links_the_records_proof(client: Any) -> None:
    """The leaf is public (/log/leaves) and names the record by a salted hash: a proof of it
    tells whoever holds the QR code nothing more about the holder than the page does."""
    [diploma] = await registered(client, 1)
    await sequenced(client)
    text = await qr_text(client, diploma["id"])
    page = await (await client.get(text.split("127.0.0.1:8080")[1])).text()
    assert 'href="/log/proof?index=0"' in page
    assert "Tải bằng chứng ngoại tuyến" in page
    proof = parse_proof(await (await client.get("/log/proof?index=0")).text())
    assert proof.extra is not None
    assert set(cbor2.loads(proof.extra)) == {"type", "issuer", "diploma", "hash", "time"}
