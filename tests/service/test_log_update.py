"""`vanbang-verify log --update` against a log that serves a doctored checkpoint over real
HTTP: a good signature followed by junk, or by a failing signature under the log's own key,
is refused (exit 1) and the saved checkpoint is left as it was; the same checkpoint served
clean is saved."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.running import run_verifier
from verifier import merkle
from verifier.note import Checkpoint, sign_note, verifier_key

ORIGIN = "log.example/log"
KEY = Ed25519PrivateKey.generate()
LEAVES = [merkle.leaf_hash(bytes([i])) for i in range(4)]


def _tree() -> dict[merkle.Node, bytes]:
    nodes: dict[merkle.Node, bytes] = {}
    merkle.append(0, nodes, LEAVES)
    return nodes


def _checkpoint(size: int) -> str:
    root = merkle.build(merkle.root(size), _tree())
    return sign_note(Checkpoint(ORIGIN, size, root).body(), ORIGIN, KEY)


async def _log(aiohttp_server: Any, checkpoint: str) -> str:
    proof = merkle.build(merkle.consistency(2, 4), _tree())

    async def current(_: web.Request) -> web.Response:
        return web.Response(text=checkpoint)

    async def consistency(_: web.Request) -> web.Response:
        return web.json_response({"proof": [base64.b64encode(h).decode() for h in proof]})

    app = web.Application()
    app.router.add_get("/log/checkpoint", current)
    app.router.add_get("/log/proof/consistency", consistency)
    server = await aiohttp_server(app)
    return f"http://127.0.0.1:{server.port}"


JUNK = {
    "a line after the signature": "not a signature\n",
    "a failing signature by the log's key": sign_note("other\n", ORIGIN, KEY).split("\n\n")[1],
    "an empty signature name": "\u2014  AAAAAAAA\n",
}


@pytest.mark.parametrize("junk", list(JUNK.values()), ids=list(JUNK))
async def test_update_never_saves_a_doctored_checkpoint(
    aiohttp_server: Any, tmp_path: Path, junk: str
) -> None:
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(_checkpoint(2), encoding="utf-8")
    base = await _log(aiohttp_server, _checkpoint(4) + junk)
    key = verifier_key(ORIGIN, KEY.public_key())
    args = ("log", "--checkpoint", str(saved), "--url", base, "--key", key, "--lang", "en")
    code, out, _ = await run_verifier(*args, "--update")
    assert code == 1
    assert "checkpoint_invalid" in out
    assert saved.read_text(encoding="utf-8") == _checkpoint(2)


async def test_update_saves_the_clean_checkpoint(aiohttp_server: Any, tmp_path: Path) -> None:
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(_checkpoint(2), encoding="utf-8")
    base = await _log(aiohttp_server, _checkpoint(4))
    key = verifier_key(ORIGIN, KEY.public_key())
    args = ("log", "--checkpoint", str(saved), "--url", base, "--key", key, "--lang", "en")
    code, out, err = await run_verifier(*args, "--update")
    assert code == 0, err
    assert "grew from 2 to 4 leaves" in out
    assert saved.read_text(encoding="utf-8") == _checkpoint(4)
