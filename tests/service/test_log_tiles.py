"""The log's tiles (C2SP tlog-tiles) against an RFC 6962 tree built here with plain hashlib
from the leaves /log/leaves serves, and against the proofs the API serves, for trees around
tile boundaries; their caching headers and refusals; and `vanbang-verify log` proving
consistency and inclusion from the tiles alone over real HTTP, refusing a log whose tiles
tell another history."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.app import create_app
from service.http.state import LOG_TILES
from service.settings import Settings
from service.tlog.tiles import TileCache
from tests.factories import sequenced
from tests.running import run_verifier
from verifier.merkle import verify_consistency, verify_inclusion
from verifier.note import Checkpoint, sign_note, verifier_key, verify_checkpoint
from verifier.tiles import Tile, TileReader, tiles_of

IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Room for the hundreds of tile requests a test sends."""
    return dataclasses.replace(settings, open_rate_burst=100_000)


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


class _Tree:
    """RFC 6962 2.1, written out here over the leaves' data: MTH, PATH and SUBPROOF."""

    def __init__(self, entries: list[bytes]) -> None:
        self.entries = entries
        self.leaves = [_sha(b"\x00" + e) for e in entries]
        self._known: dict[tuple[int, int], bytes] = {}

    def mth(self, lo: int, hi: int) -> bytes:
        if hi - lo == 1:
            return self.leaves[lo]
        if (lo, hi) not in self._known:
            k = 1 << ((hi - lo - 1).bit_length() - 1)
            self._known[lo, hi] = _sha(b"\x01" + self.mth(lo, lo + k) + self.mth(lo + k, hi))
        return self._known[lo, hi]

    def path(self, m: int, lo: int, hi: int) -> list[bytes]:
        if hi - lo == 1:
            return []
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        if m < k:
            return [*self.path(m, lo, lo + k), self.mth(lo + k, hi)]
        return [*self.path(m - k, lo + k, hi), self.mth(lo, lo + k)]

    def subproof(self, m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        if m == hi - lo:
            return [] if whole else [self.mth(lo, hi)]
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        if m <= k:
            return [*self.subproof(m, lo, lo + k, whole), self.mth(lo + k, hi)]
        return [*self.subproof(m - k, lo + k, hi, False), self.mth(lo, lo + k)]

    def tile(self, level: int, index: int, width: int) -> bytes:
        span = 256**level
        return b"".join(
            self.mth((index * 256 + i) * span, (index * 256 + i + 1) * span) for i in range(width)
        )

    def bundle(self, index: int, width: int) -> bytes:
        return b"".join(
            len(e).to_bytes(2, "big") + e for e in self.entries[index * 256 : index * 256 + width]
        )


async def _grow(client: Any, db: asyncpg.Connection, size: int) -> None:
    """Queues events until the log holds `size` leaves (as bench/log.py does), sequenced."""
    have = await db.fetchval("SELECT count(*) FROM log_leaves")
    await db.execute(
        "INSERT INTO log_queue (event_type, issuer_code, diploma_id, record_hash, event_time)"
        " SELECT 'issue', 'SGDDT-HN', gen_random_uuid(), sha256(int8send(i)), now()"
        " FROM generate_series($1::bigint + 1, $2::bigint) AS i",
        have,
        size,
    )
    await sequenced(client)


async def _key(client: Any) -> str:
    return str(await (await client.get("/log/key")).text()).strip()


async def _checkpoint(client: Any) -> Checkpoint:
    return verify_checkpoint(await (await client.get("/log/checkpoint")).text(), await _key(client))


async def _leaves(client: Any, size: int) -> list[bytes]:
    """Every leaf's data as /log/leaves serves it."""
    found: list[bytes] = []
    while len(found) < size:
        page = await (await client.get("/log/leaves", params={"start": str(len(found))})).json()
        found += [base64.b64decode(leaf["data"]) for leaf in page["leaves"]]
    return found


async def _get(client: Any, path: str, status: int = 200) -> Any:
    response = await client.get(f"/log/{path}")
    body = await response.read()
    assert response.status == status, (path, body[:300])
    return response, body


async def _served(client: Any, tree: _Tree, size: int) -> dict[str, bytes]:
    """Every tile and entry bundle of the tree, each checked against the hashlib tree, with
    its headers; a partial one's narrower widths too."""
    served = {}
    for tile in tiles_of(size):
        assert tile.level is not None
        response, body = await _get(client, tile.path)
        assert body == tree.tile(tile.level, tile.index, tile.width), tile.path
        assert response.content_type == "application/octet-stream"
        assert response.headers["Cache-Control"] == (
            IMMUTABLE if tile.full else "public, max-age=10"
        )
        served[tile.path] = body
        if tile.level == 0:
            entries = Tile(None, tile.index, tile.width)
            response, body = await _get(client, entries.path)
            assert body == tree.bundle(tile.index, tile.width), entries.path
            served[entries.path] = body
        for width in {1, tile.width - 1} - {0}:
            narrower = Tile(tile.level, tile.index, width)
            _, body = await _get(client, narrower.path)
            assert body == tree.tile(tile.level, tile.index, width), narrower.path
    return served


async def _check_tree(client: Any, db: asyncpg.Connection, size: int, before: list[int]) -> None:
    await _grow(client, db, size)
    checkpoint = await _checkpoint(client)
    assert checkpoint.size == size
    tree = _Tree(await _leaves(client, size))
    assert tree.mth(0, size) == checkpoint.root
    served = await _served(client, tree, size)
    reader = TileReader(served.__getitem__, size)
    assert reader.root() == checkpoint.root
    for index in sorted({0, 1, size // 2, 255, 256, 257, size - 1} & set(range(size))):
        api = await (await client.get("/log/proof/inclusion", params={"index": index})).json()
        proof = [base64.b64decode(h) for h in api["proof"]]
        assert reader.inclusion_proof(index) == proof == tree.path(index, 0, size), index
        assert reader.entry(index) == tree.entries[index] == base64.b64decode(api["leaf_data"])
        verify_inclusion(tree.leaves[index], index, size, proof, checkpoint.root)
    for old in sorted({1, size // 2, *before} & set(range(1, size + 1))):
        params = {"from": old, "to": size}
        api = await (await client.get("/log/proof/consistency", params=params)).json()
        proof = [base64.b64decode(h) for h in api["proof"]]
        expected = tree.subproof(old, 0, size, True) if old < size else []
        assert reader.consistency_proof(old) == proof == expected, old
        verify_consistency(old, size, tree.mth(0, old), checkpoint.root, proof)


async def test_tiles_around_the_boundaries_match_an_independent_tree_and_the_proofs(
    client: Any, db: asyncpg.Connection
) -> None:
    grown: list[int] = []
    for size in (1, 255, 256, 257, 513, 700):
        await _check_tree(client, db, size, grown)
        grown.append(size)


async def test_a_full_tile_above_the_leaves(client: Any, db: asyncpg.Connection) -> None:
    """256 full tiles of leaves make a full level-1 tile and a partial level-2 one."""
    size = 256 * 256 + 300
    await _grow(client, db, size)
    checkpoint = await _checkpoint(client)
    tree = _Tree(await _leaves(client, size))
    for path, level, index, width in [
        ("1/000", 1, 0, 256),
        ("1/001.p/1", 1, 1, 1),
        ("2/000.p/1", 2, 0, 1),
        ("0/256", 0, 256, 256),
        ("0/257.p/44", 0, 257, 44),
    ]:
        _, body = await _get(client, f"tile/{path}")
        assert body == tree.tile(level, index, width), path
    await _get(client, "tile/1/001", 404)
    await _get(client, "tile/2/000.p/2", 404)

    fetched: dict[str, bytes] = {}

    async def fetch_all(reader_size: int) -> TileReader:
        for tile in tiles_of(reader_size):
            fetched[tile.path] = (await _get(client, tile.path))[1]
        return TileReader(fetched.__getitem__, reader_size)

    reader = await fetch_all(size)
    assert reader.root() == checkpoint.root == tree.mth(0, size)
    for index in (0, 65535, 65536, size - 1):
        assert reader.inclusion_proof(index) == tree.path(index, 0, size)
    assert reader.consistency_proof(65536) == tree.subproof(65536, 0, size, True)


async def test_what_is_not_a_tile_of_the_tree(client: Any, db: asyncpg.Connection) -> None:
    await _grow(client, db, 300)
    for path in [
        "tile/0/002",  # beyond the tree
        "tile/0/001",  # full, but the tree has 44 of it
        "tile/0/001.p/45",  # wider than the tree
        "tile/entries/001.p/45",
        "tile/1/000",
        "tile/1/000.p/2",
        "tile/2/000.p/1",
        "tile/63/000",
    ]:
        response, _ = await _get(client, path, 404)
        assert response.content_type == "application/problem+json"
        assert response.headers["Cache-Control"] == "no-cache"
        problem = await response.json()
        assert "300" in problem["detail"]
    for path in ["tile/0/1", "tile/00/000", "tile/0/x000/001", "tile/0/000.p/0", "tile/64/000"]:
        response, _ = await _get(client, path, 404)
        assert response.content_type == "application/problem+json"
        assert "C2SP" in (await response.json())["detail"]
    await _get(client, "tile/0/001.p/44")
    await _get(client, "tile/0/001.p/43")


async def test_full_tiles_are_served_from_memory_and_bundles_compressed(
    client: Any, db: asyncpg.Connection
) -> None:
    await _grow(client, db, 300)
    cache = client.app[LOG_TILES]
    assert cache.get(Tile(0, 0)) is None
    _, first = await _get(client, "tile/0/000")
    assert cache.get(Tile(0, 0)) == first
    assert cache.get(Tile(0, 1, 44)) is None  # a partial tile is never kept
    response = await client.get("/log/tile/entries/000", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert len(await response.read()) > 256 * 100  # decompressed by the client


async def test_tiles_are_rate_limited_with_the_log(settings: Settings, aiohttp_client: Any) -> None:
    app = create_app(dataclasses.replace(settings, open_rate_burst=3))
    client = await aiohttp_client(app)
    statuses = [(await client.get("/log/tile/0/000")).status for _ in range(4)]
    assert statuses[:3] == [404, 404, 404]  # an empty log has no tile
    assert statuses[3] == 429
    assert (await client.get("/log/checkpoint")).status == 429  # the same budget


async def test_the_verifier_proves_from_tiles_over_http(
    client: Any, db: asyncpg.Connection, tmp_path: Path
) -> None:
    await _grow(client, db, 300)
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(await (await client.get("/log/checkpoint")).text(), encoding="utf-8")
    await _grow(client, db, 600)
    base = str(client.make_url("/"))
    key = await _key(client)
    args = ("log", "--url", base, "--key", key, "--lang", "en")

    code, out, err = await run_verifier(*args, "--checkpoint", str(saved), "--tiles", "--update")
    assert code == 0, err
    assert "grew from 300 to 600 leaves" in out
    assert saved.read_text(encoding="utf-8").split("\n")[1] == "600"

    code, out, err = await run_verifier(*args, "--leaf-index", "0", "--leaf-index", "599")
    assert code == 0, err
    assert "included: leaf 0 is in 127.0.0.1:8080/log at 600 leaves: issue SGDDT-HN" in out
    assert "included: leaf 599" in out
    code, out, _ = await run_verifier(*args, "--leaf-index", "600")
    assert code == 1
    assert "NOT INCLUDED: leaf 600" in out

    code, out, err = await run_verifier("log", "--url", base, "--key", key, "--lang", "vi")
    assert code == 2
    assert "--checkpoint" in err


ORIGIN = "log.example/log"
KEY = Ed25519PrivateKey.generate()


def _signed(tree: _Tree, size: int) -> str:
    return sign_note(Checkpoint(ORIGIN, size, tree.mth(0, size)).body(), ORIGIN, KEY)


async def _log(aiohttp_server: Any, tree: _Tree, entries: dict[int, bytes] | None = None) -> str:
    """A log serving `tree`'s checkpoint and tiles (its entry bundle 0 from `entries` when
    given, and no consistency proofs at all: only tiles)."""
    size = len(tree.entries)
    served = {t.path: tree.tile(t.level or 0, t.index, t.width) for t in tiles_of(size)}
    bundled = [*tree.entries]
    for index, entry in (entries or {}).items():
        bundled[index] = entry
    served[Tile(None, 0, min(size, 256)).path] = _Tree(bundled).bundle(0, min(size, 256))

    async def checkpoint(_: web.Request) -> web.Response:
        return web.Response(text=_signed(tree, size))

    async def tile(request: web.Request) -> web.Response:
        body = served.get(f"tile/{request.match_info['path']}")
        if body is None:
            raise web.HTTPNotFound()
        return web.Response(body=body)

    app = web.Application()
    app.router.add_get("/log/checkpoint", checkpoint)
    app.router.add_get("/log/tile/{path:.+}", tile)
    server = await aiohttp_server(app)
    return f"http://127.0.0.1:{server.port}"


async def test_tiles_of_another_history_are_refused(aiohttp_server: Any, tmp_path: Path) -> None:
    ours = _Tree([f"leaf {i}".encode() for i in range(40)])
    forked = _Tree([*ours.entries[:20], *(f"other {i}".encode() for i in range(20, 50))])
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(_signed(ours, 30), encoding="utf-8")
    key = verifier_key(ORIGIN, KEY.public_key())
    args = ("log", "--checkpoint", str(saved), "--key", key, "--tiles", "--lang", "en")

    code, out, err = await run_verifier(*args, "--url", await _log(aiohttp_server, ours))
    assert code == 0, err
    assert "grew from 30 to 40 leaves" in out
    code, out, _ = await run_verifier(*args, "--url", await _log(aiohttp_server, forked))
    assert code == 1
    assert "NOT CONSISTENT: proof_invalid" in out

    doctored = await _log(aiohttp_server, ours, {7: b"not leaf 7"})
    leaf = ("log", "--url", doctored, "--key", key, "--lang", "en")
    code, out, _ = await run_verifier(*leaf, "--leaf-index", "7")
    assert code == 1
    assert "NOT INCLUDED: leaf 7 (proof_invalid" in out
    code, out, err = await run_verifier(*leaf, "--leaf-index", "8")
    assert code == 0, err
    assert "included: leaf 8 is in log.example/log at 40 leaves: 6 bytes" in out
    other = verifier_key(ORIGIN, Ed25519PrivateKey.generate().public_key())
    code, out, _ = await run_verifier(*leaf[:4], other, "--leaf-index", "8", "--lang", "en")
    assert code == 1
    assert "the log's current checkpoint does not verify (checkpoint_invalid" in out


def test_the_cache_keeps_the_most_recent_within_its_bytes() -> None:
    cache = TileCache(max_bytes=3 * 8192)
    for index in range(3):
        cache.put(Tile(0, index), bytes(8192))
    assert cache.get(Tile(0, 0)) is not None  # now the most recent
    cache.put(Tile(None, 0), bytes(8192))
    assert cache.get(Tile(0, 1)) is None
    assert all(cache.get(t) is not None for t in (Tile(0, 0), Tile(0, 2), Tile(None, 0)))
    cache.put(Tile(0, 0), bytes(8192))
    assert cache.size == 3 * 8192
