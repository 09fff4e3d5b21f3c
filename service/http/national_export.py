"""Handler of the national diploma database export (docs/national-export.md):
GET /api/v1/national-export?after=&limit=&issuer=, for auditors and admins, within scope."""

from __future__ import annotations

from aiohttp import web

from service import texts
from service.domain.national_export import DEFAULT_LIMIT, MAX_LIMIT
from service.http.auth import authenticate
from service.http.responses import json_response
from service.http.state import POOL, SIGNING
from service.problems import INVALID_PARAMETER, FieldError, Problem
from service.usecases import national_export


def _limit(request: web.Request) -> int:
    raw = request.query.get("limit", "").strip()
    if not raw:
        return DEFAULT_LIMIT
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        message = texts.NUMBER_OUT_OF_RANGE.format(low=1, high=MAX_LIMIT)
        raise Problem(INVALID_PARAMETER, errors=[FieldError(("limit",), "invalid", *message)])
    return int(raw)  # its range is the use case's to check


async def export(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    issuer = request.query.get("issuer", "").strip().upper() or None
    answer = await national_export.page(
        request.app[POOL],
        principal,
        after=request.query.get("after") or None,
        limit=_limit(request),
        issuer=issuer,
        keystore=request.app[SIGNING].keystore,
    )
    return json_response(answer, headers={"Cache-Control": "no-store"})
