"""The trust list at its well-known address: cacheable, with an ETag."""

from __future__ import annotations

from aiohttp import web

from service.http.public import limit
from service.http.state import POOL, TRUST_LIST
from service.ratelimit import Budget

COSE_SIGN1 = 'application/cose; cose-type="cose-sign1"'


async def trust_list(request: web.Request) -> web.Response:
    await limit(request, Budget.OPEN)
    signed = await request.app[TRUST_LIST].current(request.app[POOL])
    headers = {"ETag": signed.etag, "Cache-Control": "public, max-age=300"}
    if signed.etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    return web.Response(body=signed.body, headers={**headers, "Content-Type": COSE_SIGN1})
