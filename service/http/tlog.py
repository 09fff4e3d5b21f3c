"""Handlers of the issuance log: the checkpoint, the log's key, proofs, the leaves for
followers, and a diploma's archive bundle. Everything here but the bundle is public: the
log holds no personal data."""

from __future__ import annotations

import base64

from aiohttp import web

from service import texts
from service.http.audit import attachment
from service.http.auth import authenticate
from service.http.public import limit, read_pool
from service.http.register import parse_id
from service.http.responses import json_response
from service.http.state import LOG_SIGNER, LOG_TILES, POOL
from service.problems import NOT_FOUND, UNAVAILABLE, VALIDATION_ERROR, FieldError, Problem
from service.ratelimit import Budget
from service.tlog import proofs, store
from service.tlog.tiles import tile_bytes
from service.usecases import issuance_log
from verifier.tiles import parse_tile_path

MAX_LEAVES = 1000


def query_int(request: web.Request, name: str, *, required: bool = False) -> int | None:
    raw = request.query.get(name)
    if raw is None and not required:
        return None
    if raw is None or not raw.isdigit() or len(raw) > 18:
        raise Problem(
            VALIDATION_ERROR,
            errors=[FieldError((name,), "not_a_number", *texts.NOT_A_NUMBER)],
        )
    return int(raw)


# An answer that can never change (a proof for a tree size given, a full page of leaves):
# cached for a year by anyone, never asked again.
IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}


async def checkpoint(request: web.Request) -> web.Response:
    await limit(request, Budget.OPEN)
    async with read_pool(request).acquire() as conn:
        latest = await store.latest_checkpoint(conn)
        if latest is None:
            raise Problem(UNAVAILABLE, *texts.NO_CHECKPOINT)
        note = await store.cosigned_note(conn, latest)
    return web.Response(
        text=note,
        content_type="text/plain",
        charset="utf-8",
        headers={"Cache-Control": "no-cache"},
    )


async def key(request: web.Request) -> web.Response:
    await limit(request, Budget.OPEN)
    signer = request.app.get(LOG_SIGNER)
    if signer is None:
        raise Problem(UNAVAILABLE, *texts.NO_LOG_KEY)
    return web.Response(text=signer.verifier_key + "\n", content_type="text/plain")


async def inclusion(request: web.Request) -> web.Response:
    await limit(request, Budget.OPEN)
    leaf_hash = None
    if "hash" in request.query:
        try:
            leaf_hash = base64.b64decode(request.query["hash"], validate=True)
        except ValueError:  # binascii.Error, or a character that is no ASCII
            leaf_hash = b""
        if len(leaf_hash) != 32:
            raise Problem(
                VALIDATION_ERROR,
                errors=[FieldError(("hash",), "not_a_hash", *texts.NOT_A_HASH)],
            )
        index = None
    else:
        index = query_int(request, "index", required=True)
    size = query_int(request, "size")
    answer = await proofs.inclusion(read_pool(request), index=index, leaf_hash=leaf_hash, size=size)
    return json_response(answer, headers=IMMUTABLE if size is not None else None)


async def consistency(request: web.Request) -> web.Response:
    await limit(request, Budget.OPEN)
    old = query_int(request, "from", required=True)
    assert old is not None
    new = query_int(request, "to")
    answer = await proofs.consistency(read_pool(request), old=old, new=new)
    return json_response(answer, headers=IMMUTABLE if new is not None else None)


async def leaves(request: web.Request) -> web.Response:
    """The leaves from `start` on (at most 1,000), for anyone following the log."""
    await limit(request, Budget.OPEN)
    start = query_int(request, "start") or 0
    count = min(query_int(request, "limit") or MAX_LEAVES, MAX_LEAVES)
    answer = await proofs.leaves(read_pool(request), start, count)
    full = len(answer.leaves) == count  # leaves at given indices are never rewritten
    return json_response(answer, headers=IMMUTABLE if full else None)


# A partial tile is the tree's edge: it stays as it is, but the log may stop serving it once
# the full tile is there (C2SP tlog-tiles), so it is kept briefly.
PARTIAL = {"Cache-Control": "public, max-age=10"}


async def _tile(request: web.Request, path: str) -> web.Response:
    await limit(request, Budget.OPEN)
    try:
        tile = parse_tile_path(path)
    except ValueError:
        raise Problem(NOT_FOUND, *texts.NOT_A_TILE) from None
    data = await tile_bytes(read_pool(request), request.app[LOG_TILES], tile)
    response = web.Response(
        body=data,
        content_type="application/octet-stream",
        headers=IMMUTABLE if tile.full else PARTIAL,
    )
    if tile.level is None:  # entry bundles compress well (C2SP: SHOULD); hashes do not
        response.headers["Vary"] = "Accept-Encoding"
        response.enable_compression()
    return response


async def hash_tile(request: web.Request) -> web.Response:
    """/log/tile/<L>/<N>[.p/<W>]: C2SP tlog-tiles' hashes of the tree (verifier/tiles.py)."""
    return await _tile(request, f"{request.match_info['level']}/{request.match_info['index']}")


async def entry_bundle(request: web.Request) -> web.Response:
    """/log/tile/entries/<N>[.p/<W>]: the leaves' data, each a uint16 length and its bytes."""
    return await _tile(request, f"entries/{request.match_info['index']}")


def proof_response(text: str, name: str, cache: str) -> web.Response:
    """A c2sp.org/tlog-proof@v1 as a file to keep (the spec names no media type)."""
    return web.Response(
        text=text,
        content_type="text/plain",
        charset="utf-8",
        headers={**attachment(name), "Cache-Control": cache},
    )


async def public_proof(request: web.Request) -> web.Response:
    """GET /log/proof?index=N: leaf N's offline proof, for anyone (docs/audit.md "Offline
    proofs"): the leaf is public, as /log/leaves serves it, and holds no personal data."""
    await limit(request, Budget.OPEN)
    index = query_int(request, "index", required=True)
    assert index is not None
    answer = await proofs.public_proof(read_pool(request), index)
    return proof_response(answer, issuance_log.proof_name(str(index)), "no-cache")


async def diploma_proof(request: web.Request) -> web.Response:
    """GET /api/v1/diplomas/{id}/proof[?index=N]: the offline proof of one of the diploma's
    leaves, by default of its current version's."""
    principal = await authenticate(request)
    diploma_id = parse_id(request.match_info["id"])
    index = query_int(request, "index")
    answer = await issuance_log.proof(request.app[POOL], principal, diploma_id, index)
    return proof_response(answer.text, answer.name, "no-store")


async def bundle(request: web.Request) -> web.Response:
    """The diploma's bundle, to archive: its record carries the holder's particulars, so its
    download is journalled (service/usecases/issuance_log.py)."""
    principal = await authenticate(request)
    diploma_id = parse_id(request.match_info["id"])
    answer = await issuance_log.bundle(request.app[POOL], principal, diploma_id)
    return json_response(answer)
