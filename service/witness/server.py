"""`vanbang witness serve`: the witness over HTTP, standalone (no database).

POST /add-checkpoint               c2sp.org/tlog-witness (the submission prefix is /)
GET  /<origin hash>/checkpoint     the last checkpoint cosigned of that log (monitoring)
GET  /                             the witness's verifier key
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from aiohttp import web

from service.witness.add_checkpoint import MAX_REQUEST, Witness
from service.witness.keyfile import WitnessKey
from service.witness.state import State
from verifier.note import NoteVerifiers

WITNESS: web.AppKey[Witness] = web.AppKey("witness", Witness)
LOCK: web.AppKey[asyncio.Lock] = web.AppKey("lock", asyncio.Lock)


async def add_checkpoint(request: web.Request) -> web.Response:
    body = await request.read()
    async with request.app[LOCK]:
        answer = request.app[WITNESS].add_checkpoint(body)
    return web.Response(
        status=answer.status, text=answer.body, content_type=answer.content_type, charset="utf-8"
    )


async def checkpoint(request: web.Request) -> web.Response:
    note = request.app[WITNESS].state.latest_note(request.match_info["origin_hash"])
    if note is None:
        raise web.HTTPNotFound(text="no checkpoint of that log cosigned\n")
    return web.Response(text=note, content_type="text/plain", charset="utf-8")


async def witness_key(request: web.Request) -> web.Response:
    return web.Response(text=request.app[WITNESS].key.vkey + "\n", content_type="text/plain")


def create_witness_app(
    key: WitnessKey, logs: Mapping[str, NoteVerifiers], state: State
) -> web.Application:
    """The witness's app; `state` opened by the caller (State.open)."""
    app = web.Application(client_max_size=MAX_REQUEST + 1)
    app[WITNESS] = Witness(key, logs, state)
    app[LOCK] = asyncio.Lock()
    app.router.add_post("/add-checkpoint", add_checkpoint)
    app.router.add_get("/{origin_hash}/checkpoint", checkpoint)
    app.router.add_get("/", witness_key)
    return app
