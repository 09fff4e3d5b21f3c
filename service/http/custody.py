"""Handlers for the custody of registers (docs/custody.md): a transfer recorded by an
administrator of the receiving body, through the one write path with an Idempotency-Key, and
who holds an issuer's register now."""

from __future__ import annotations

from aiohttp import web

from service.domain.custody import TransferIn
from service.domain.graduates import validate
from service.http.auth import authenticate
from service.http.body import read_small_json
from service.http.register import idempotency_key
from service.http.responses import json_response, written_response
from service.http.state import POOL, SIGNING
from service.usecases import custody, writes
from service.usecases.access import ensure_may_write

SMALL_BODY = 16 * 1024


def _code(request: web.Request) -> str:
    return request.match_info["code"].upper()


async def post_transfer(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    ensure_may_write(principal)
    code = _code(request)
    key = idempotency_key(request)
    parsed = validate(TransferIn, await read_small_json(request, max_bytes=SMALL_BODY))
    written = await writes.run(
        request.app[POOL],
        principal,
        lambda w: custody.transfer(w, code, parsed),
        signing=request.app[SIGNING],
        idempotency_key=key,
        request_hash=writes.fingerprint(f"{request.method} {request.path}", parsed),
    )
    return written_response(written, f"/api/v1/issuers/{code}/custody")


async def get_custody(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    answer = await custody.custody_of(request.app[POOL], principal, _code(request))
    return json_response(answer)
