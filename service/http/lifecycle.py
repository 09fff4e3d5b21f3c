"""Handlers for lifecycle decisions (revocation so far) and their publication."""

from __future__ import annotations

from aiohttp import web

from service import lifecycle
from service.db.register import get_issuer
from service.domain.graduates import validate
from service.domain.lifecycle import RevocationIn
from service.http.auth import authenticate
from service.http.body import read_small_json
from service.http.public import html_response, language, limit, other_language_href, read_pool
from service.http.register import parse_id
from service.http.responses import json_response
from service.http.state import POOL, SIGNING
from service.problems import NOT_FOUND, Problem
from service.web.pages import revocations_page


async def post_revocation(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    diploma_id = parse_id(request.match_info["id"])
    body = await read_small_json(request, max_bytes=16 * 1024)
    answer = await lifecycle.revoke(
        request.app[POOL],
        principal,
        diploma_id,
        validate(RevocationIn, body),
        signing=request.app[SIGNING],
    )
    return json_response(answer, status=201, headers={"Location": f"/api/v1/diplomas/{diploma_id}"})


async def _published(request: web.Request) -> tuple[str, str, list[dict[str, object]]]:
    limit(request)
    code = request.match_info["code"].upper()
    pool = read_pool(request)
    async with pool.acquire() as conn:
        issuer = await get_issuer(conn, code)
    if issuer is None:
        raise Problem(NOT_FOUND)
    return code, issuer.name, await lifecycle.issuer_revocations(pool, code)


async def revocations_api(request: web.Request) -> web.Response:
    code, name, revocations = await _published(request)
    return json_response(
        {"issuer": code, "name": name, "revocations": revocations},
        headers={"Cache-Control": "public, max-age=60"},
    )


async def revocations_html(request: web.Request) -> web.Response:
    code, name, revocations = await _published(request)
    lang = language(request)
    page = revocations_page(
        code, name, revocations, lang=lang, other_href=other_language_href(request, lang)
    )
    return html_response(request, page, lang, cache="public, max-age=60")
