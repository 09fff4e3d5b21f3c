"""The issuance log cosigned by two witnesses run as real `vanbang witness serve` processes:
both cosign each new checkpoint and /log/checkpoint carries their lines; `vanbang-verify log`
accepts 2 of 2 and refuses a checkpoint with a cosignature missing or forged; a forked log
(another database, the same log key and origin, other leaves) is refused by both, which keep
the evidence; a witness that is down does not stop the log, and cosigns again once back."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp import web

from service.app import create_app
from service.settings import Settings
from service.witness.state import origin_hash
from tests.factories import registered, sequenced
from tests.pg import Databases
from tests.running import run_verifier
from tests.witnesses import WitnessProcess, new_witness, serving
from verifier.cosignature import WitnessPolicy
from verifier.errors import WitnessPolicyError
from verifier.note import verify_checkpoint


async def _cosigned(db: asyncpg.Connection, size: int, count: int, max_wait: float = 30) -> None:
    """Waits until `count` witnesses' cosignatures of `size` are kept (the app asks them
    every second)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_wait
    while await db.fetchval("SELECT count(*) FROM log_cosignatures WHERE size = $1", size) < count:
        assert loop.time() < deadline, f"no {count} cosignatures of size {size}"
        await asyncio.sleep(0.1)


async def _latest(client: Any) -> tuple[str, str, int]:
    key = (await (await client.get("/log/key")).text()).strip()
    text = await (await client.get("/log/checkpoint")).text()
    return key, text, verify_checkpoint(text, key).size


def _with(settings: Settings, *witnesses: WitnessProcess) -> Settings:
    return dataclasses.replace(
        settings,
        witnesses=tuple((w.vkey, w.url) for w in witnesses),
        witness_timeout_seconds=2,
    )


async def _serve_text(aiohttp_server: Any, note: str, client: Any) -> str:
    """A stand-in for the log serving `note` as its checkpoint (the proofs from the real one)."""

    async def checkpoint(_: web.Request) -> web.Response:
        return web.Response(text=note)

    async def consistency(request: web.Request) -> web.Response:
        answer = await client.get("/log/proof/consistency", params=dict(request.query))
        return web.json_response(await answer.json())

    app = web.Application()
    app.router.add_get("/log/checkpoint", checkpoint)
    app.router.add_get("/log/proof/consistency", consistency)
    server = await aiohttp_server(app)
    return f"http://127.0.0.1:{server.port}"


async def test_two_witnesses_cosign_refuse_a_fork_and_outlast_a_witness_down(
    settings: Settings,
    aiohttp_client: Any,
    aiohttp_server: Any,
    databases: Databases,
    db: asyncpg.Connection,
    tmp_path: Path,
) -> None:
    w1 = await new_witness(tmp_path / "w1", "witness.test/w1")
    w2 = await new_witness(tmp_path / "w2", "witness.test/w2")
    client = await aiohttp_client(create_app(_with(settings, w1, w2)))
    key = (await (await client.get("/log/key")).text()).strip()
    async with serving(w1, key), serving(w2, key):
        await registered(client, 3)
        await sequenced(client)
        _, text, size = await _latest(client)
        await _cosigned(db, size, 2)
        _, text, size = await _latest(client)
        policy = WitnessPolicy.parse([w1.vkey, w2.vkey], 2)
        assert sorted(c.name for c in policy.check(text)) == ["witness.test/w1", "witness.test/w2"]
        saved = tmp_path / "saved.txt"
        saved.write_text(text, encoding="utf-8")

        # More leaves: both cosign again, from the size each cosigned last.
        await registered(client, 2, number="102/QĐ-SGDĐT", serial_prefix="V")
        await sequenced(client)
        _, text, size = await _latest(client)
        await _cosigned(db, size, 2)
        witnessed = ("--witness", w1.vkey, "--witness", w2.vkey)
        base = ("log", "--checkpoint", str(saved), "--key", key, "--lang", "en")
        code, out, err = await run_verifier(*base, "--url", str(client.make_url("")), *witnessed)
        assert code == 0, out + err
        assert "cosigned by 2 witness(es)" in out

        # The same checkpoint with one cosignature left out, or one forged: refused.
        _, text, size = await _latest(client)
        head, lines = text.split("\n\n")
        log_line, *cosignatures = lines.strip("\n").split("\n")
        assert len(cosignatures) == 2
        missing = f"{head}\n\n{log_line}\n{cosignatures[0]}\n"
        forged_line = (
            cosignatures[1][:-6]
            + ("AAAA" if cosignatures[1][-6:-2] != "AAAA" else "BBBB")
            + cosignatures[1][-2:]
        )
        forged = f"{head}\n\n{log_line}\n{cosignatures[0]}\n{forged_line}\n"
        for doctored, why in ((missing, "1 of the 2"), (forged, "does not verify")):
            url = await _serve_text(aiohttp_server, doctored, client)
            code, out, _ = await run_verifier(*base, "--url", url, *witnessed)
            assert code == 1, out
            assert "NOT WITNESSED" in out
            assert why in out
        # One of two is enough when the policy says so, with the line missing.
        url = await _serve_text(aiohttp_server, missing, client)
        code, out, _ = await run_verifier(
            *base, "--url", url, *witnessed, "--witnesses-needed", "1"
        )
        assert code == 0, out

        # A forked log: another database, the same key and origin, other (more) leaves.
        fork_settings = dataclasses.replace(
            _with(settings, w1, w2), database_url=await databases.create()
        )
        fork = await aiohttp_client(create_app(fork_settings))
        await registered(fork, 8, number="999/QĐ-SGDĐT", serial_prefix="F")
        await sequenced(fork)
        _, fork_text, fork_size = await _latest(fork)
        assert fork_size > size
        fork_origin = origin_hash(verify_checkpoint(fork_text, key).origin)

        def inconsistent(witness: Any) -> list[Any]:
            return [p for p in witness.evidence(fork_origin) if "-inconsistent-" in p.name]

        for witness in (w1, w2):
            for _ in range(300):
                if inconsistent(witness):
                    break
                await asyncio.sleep(0.1)
            (kept,) = inconsistent(witness)
            assert kept.read_text(encoding="utf-8").endswith(fork_text)
            # The forked log's first checkpoint, empty, may have come first: a rollback, kept
            # too. Nothing else is evidence.
            others = [p for p in witness.evidence(fork_origin) if p != kept]
            assert all("-smaller-" in p.name for p in others), others
        fork_db = await asyncpg.connect(fork_settings.database_url)
        try:
            assert await fork_db.fetchval("SELECT count(*) FROM log_cosignatures") == 0
        finally:
            await fork_db.close()
        await fork.close()

        # Witness 2 down: the log goes on, cosigned by witness 1 alone.
        assert w2.process is not None
        w2.process.kill()
        await w2.process.wait()
        await registered(client, 1, number="103/QĐ-SGDĐT", serial_prefix="W")
        await sequenced(client)
        _, text, down_size = await _latest(client)
        await _cosigned(db, down_size, 1)
        _, text, _ = await _latest(client)
        assert [c.name for c in WitnessPolicy.parse([w1.vkey, w2.vkey], 1).check(text)] == [
            "witness.test/w1"
        ]
        with pytest.raises(WitnessPolicyError, match="1 of the 2"):
            policy.check(text)

        # Back up (its state as it was): the next checkpoint is cosigned by both again.
        async with serving(w2, key):
            await registered(client, 1, number="104/QĐ-SGDĐT", serial_prefix="X")
            await sequenced(client)
            _, text, back_size = await _latest(client)
            await _cosigned(db, back_size, 2)
            _, text, _ = await _latest(client)
            assert len(policy.check(text)) == 2
