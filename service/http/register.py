"""Handlers for the register API: graduation decisions and diplomas."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from service import texts
from service.domain.graduates import parse_request
from service.http.auth import authenticate
from service.http.body import read_decision_body
from service.http.responses import json_response, written_response
from service.http.state import POOL, SETTINGS, SIGNING
from service.problems import INVALID_HEADER, NOT_FOUND, VALIDATION_ERROR, FieldError, Problem
from service.usecases import jobs, writes
from service.usecases.access import ensure_may_write
from service.usecases.diplomas import read_decision, read_diploma
from service.usecases.registration import register_decision, register_part


async def post_decision(request: web.Request) -> web.Response:
    """POST /api/v1/graduation-decisions[?validate_only=true]: registers, or (validate only)
    checks the whole decision as registering would and answers 200 with what it would
    register, taking nothing."""

    async def register(principal: Any, decision: Any, **options: Any) -> writes.Written:
        return await register_decision(request.app[POOL], principal, decision, **options)

    return await _post(request, register, lambda answer: answer["id"])


async def post_part(request: web.Request) -> web.Response:
    """POST /api/v1/graduation-decisions/{id}/parts[?validate_only=true]: registers a
    supplementary list of graduates (the decision's next part), or checks it as registering
    would, taking nothing. The body is a registration's, naming the same decision."""
    decision_id = parse_id(request.match_info["id"])

    async def register(principal: Any, decision: Any, **options: Any) -> writes.Written:
        return await register_part(request.app[POOL], principal, decision_id, decision, **options)

    return await _post(request, register, lambda _: decision_id)


async def _post(
    request: web.Request,
    register: Callable[..., Awaitable[writes.Written]],
    decision_of: Callable[[Any], object],
) -> web.Response:
    """A registration's request, read and checked as both routes do, then `register` run
    with it: the validate-only answer (200), or the registration's, located at the decision
    `decision_of` its answer names."""
    principal = await authenticate(request)
    ensure_may_write(principal)
    dry_run = _flag(request, "validate_only")
    key = idempotency_key(request)
    settings = request.app[SETTINGS]
    body = await read_decision_body(
        request, max_bytes=settings.max_body_bytes, max_rows=settings.max_batch_rows
    )
    with body.locating():
        written = await register(
            principal,
            parse_request(body.data),
            signing=request.app[SIGNING],
            idempotency_key=key,
            dry_run=dry_run,
            rows=None if body.locator is None else body.locator.graduate_rows,
            public_url=settings.public_url,
        )
    if dry_run:
        return web.Response(
            body=written.body,
            content_type="application/json",
            headers={"Cache-Control": "no-store"},
        )
    return written_response(written, f"/api/v1/graduation-decisions/{decision_of(written.answer)}")


def _flag(request: web.Request, name: str) -> bool:
    raw = request.query.get(name)
    if raw is None or raw.lower() in ("false", "0", "no"):
        return False
    if raw.lower() in ("", "true", "1", "yes"):
        return True
    raise Problem(
        VALIDATION_ERROR,
        errors=[FieldError((name,), "invalid", *texts.FLAG_VALUE.format(name=name))],
    )


async def get_decision(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    decision_id = parse_id(request.match_info["id"])
    return json_response(await read_decision(request.app[POOL], principal, decision_id))


async def get_job(request: web.Request) -> web.Response:
    """GET /api/v1/jobs/{id}: a background job's progress, to the person who started it."""
    principal = await authenticate(request)
    job = await jobs.read(request.app[POOL], principal, parse_id(request.match_info["id"]))
    return json_response(jobs.view(job), headers={"Cache-Control": "no-store"})


async def get_diploma(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    diploma_id = parse_id(request.match_info["id"])
    found = await read_diploma(
        request.app[POOL], principal, diploma_id, keystore=request.app[SIGNING].keystore
    )
    return json_response(found)


def parse_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise Problem(NOT_FOUND) from None


def idempotency_key(request: web.Request) -> str | None:
    raw = request.headers.get("Idempotency-Key")
    if raw is None:
        return None
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':  # RFC 8941 sf-string form
        key = key[1:-1]
    if not 1 <= len(key) <= 255 or not key.isascii() or not key.isprintable():
        raise Problem(INVALID_HEADER, *texts.IDEMPOTENCY_KEY_FORMAT)
    return key
