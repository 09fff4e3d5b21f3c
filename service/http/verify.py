"""The verification API: GET /api/v1/verify?token=... and POST /api/v1/verify {"token": ...}.
No account needed; the answer is the verifier's result shape."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from service import metrics, texts
from service.http.body import read_small_json
from service.http.public import limit, read_pool
from service.http.responses import json_response
from service.http.state import CHECKED, COUNTER, STANDING, TRUST_LIST
from service.problems import (
    VALIDATION_ERROR,
    FieldError,
    Problem,
    pick_language,
)
from service.ratelimit import Budget
from service.usecases.verification import verify_online

MAX_BODY = 16 * 1024


def _lang(request: web.Request) -> Any:
    asked = request.query.get("lang")
    return asked if asked in ("vi", "en") else pick_language(request.headers.get("Accept-Language"))


def _missing_token() -> Problem:
    return Problem(
        VALIDATION_ERROR,
        errors=[FieldError(("token",), "missing", *texts.TOKEN_MISSING)],
    )


async def _answer(request: web.Request, text: str) -> web.Response:
    await limit(request, Budget.QR)
    result, diploma_id = await verify_online(
        read_pool(request),
        request.app[STANDING],
        request.app[TRUST_LIST],
        text,
        request.app[CHECKED],
    )
    metrics.verified("qr", result.verdict)
    if diploma_id is not None:
        request.app[COUNTER].count(diploma_id)
    return json_response(result.to_dict(_lang(request)), headers={"Cache-Control": "no-store"})


async def verify_get(request: web.Request) -> web.Response:
    text = request.query.get("token", "").strip()
    if not text:
        raise _missing_token()
    return await _answer(request, text)


async def verify_post(request: web.Request) -> web.Response:
    body = await read_small_json(request, max_bytes=MAX_BODY)
    text = body.get("token") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise _missing_token()
    return await _answer(request, text)
