"""Handlers of the issuance log: the checkpoint, the log's key, proofs, the leaves for
followers, and a diploma's archive bundle. Everything here but the bundle is public: the
log holds no personal data."""

from __future__ import annotations

import base64
import binascii

from aiohttp import web

from service import texts
from service.http.auth import authenticate
from service.http.public import limit, read_pool
from service.http.register import parse_id
from service.http.responses import json_response
from service.http.state import LOG_SIGNER, POOL
from service.problems import UNAVAILABLE, VALIDATION_ERROR, FieldError, Problem
from service.ratelimit import Budget
from service.tlog import proofs, store
from service.usecases import issuance_log

MAX_LEAVES = 1000


def _int(request: web.Request, name: str, *, required: bool = False) -> int | None:
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
        except binascii.Error:
            leaf_hash = b""
        if len(leaf_hash) != 32:
            raise Problem(
                VALIDATION_ERROR,
                errors=[FieldError(("hash",), "not_a_hash", *texts.NOT_A_HASH)],
            )
        index = None
    else:
        index = _int(request, "index", required=True)
    size = _int(request, "size")
    answer = await proofs.inclusion(read_pool(request), index=index, leaf_hash=leaf_hash, size=size)
    return json_response(answer, headers=IMMUTABLE if size is not None else None)


async def consistency(request: web.Request) -> web.Response:
    await limit(request, Budget.OPEN)
    old = _int(request, "from", required=True)
    assert old is not None
    new = _int(request, "to")
    answer = await proofs.consistency(read_pool(request), old=old, new=new)
    return json_response(answer, headers=IMMUTABLE if new is not None else None)


async def leaves(request: web.Request) -> web.Response:
    """The leaves from `start` on (at most 1,000), for anyone following the log."""
    await limit(request, Budget.OPEN)
    start = _int(request, "start") or 0
    count = min(_int(request, "limit") or MAX_LEAVES, MAX_LEAVES)
    answer = await proofs.leaves(read_pool(request), start, count)
    full = len(answer.leaves) == count  # leaves at given indices are never rewritten
    return json_response(answer, headers=IMMUTABLE if full else None)


async def bundle(request: web.Request) -> web.Response:
    """The diploma's bundle, to archive: its record carries the holder's particulars, so its
    download is journalled (service/usecases/issuance_log.py)."""
    principal = await authenticate(request)
    diploma_id = parse_id(request.match_info["id"])
    answer = await issuance_log.bundle(request.app[POOL], principal, diploma_id)
    return json_response(answer)
