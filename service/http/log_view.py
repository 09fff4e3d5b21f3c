"""Handlers of the issuance log as staff see it (docs/audit.md): the auditors' page of the
log, and a diploma's bundle downloaded from its page with the session."""

from __future__ import annotations

from aiohttp import web

from service.http import session as gate
from service.http.audit import attachment
from service.http.public import html_response, language
from service.http.register import parse_id
from service.http.responses import json_response
from service.http.state import LOG_SIGNER, POOL, SETTINGS
from service.http.tlog import proof_response, query_int
from service.usecases import issuance_log
from service.web import log_pages


async def log_page(request: web.Request) -> web.StreamResponse:
    """GET /giam-sat/nhat-ky-phat-hanh: the latest checkpoint, the witnesses, the latest
    rechecks of the log, and how to keep one's own checkpoints (auditors and admins)."""
    current = await gate.require(request)
    state = await issuance_log.log_state(request.app[POOL], current.principal)
    settings = request.app[SETTINGS]
    signer = request.app.get(LOG_SIGNER)
    body = log_pages.log_page(
        gate.frame(request, current),
        state,
        public_url=settings.public_url,
        verifier_key=None if signer is None else signer.verifier_key,
        audit_hours=settings.log_audit_hours,
    )
    return html_response(request, body, language(request), cache="no-store")


async def diploma_bundle(request: web.Request) -> web.StreamResponse:
    """GET /quan-ly/van-bang/{id}/bang-chung.json: the API's bundle, for a signed-in person
    who may read the diploma; journalled."""
    current = await gate.require(request)
    diploma_id = parse_id(request.match_info["id"])
    answer = await issuance_log.bundle(request.app[POOL], current.principal, diploma_id)
    headers = {**attachment(log_pages.bundle_name(str(diploma_id))), "Cache-Control": "no-store"}
    return json_response(answer, headers=headers)


async def diploma_proof(request: web.Request) -> web.StreamResponse:
    """GET /quan-ly/van-bang/{id}/bang-chung.tlog-proof[?index=N]: the API's offline proof of
    one of the diploma's leaves, for a signed-in person who may read the diploma."""
    current = await gate.require(request)
    diploma_id = parse_id(request.match_info["id"])
    index = query_int(request, "index")
    answer = await issuance_log.proof(request.app[POOL], current.principal, diploma_id, index)
    return proof_response(answer.text, answer.name, "no-store")
