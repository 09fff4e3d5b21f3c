"""The holders' personal identification numbers to staff (docs/register.md): the whole
number of one diploma, and the diplomas of the person with a number. Both are POSTs with
the number, if any, in the body, never in a URL (which access logs, proxies and browser
histories keep); both are journalled and answered `no-store`; both are rate-limited per
person or token, as a number looked up could be a guess."""

from __future__ import annotations

from aiohttp import web

from service import texts
from service.domain.accounts import Principal
from service.domain.graduates import PersonalIdLookupIn, validate
from service.http import session as gate
from service.http.auth import authenticate
from service.http.body import read_small_json
from service.http.forms import form_fields
from service.http.public import html_response, language
from service.http.register import parse_id
from service.http.state import POOL, RATE_LIMITER, SIGNING
from service.problems import RATE_LIMITED, VALIDATION_ERROR, Problem
from service.ratelimit import Budget, RateLimiter
from service.usecases import personal_ids
from service.web import console_pages

LOOKUP_PAGE = "/quan-ly/tra-cuu-dinh-danh"
_NO_STORE = {"Cache-Control": "no-store"}


async def _limit(request: web.Request, principal: Principal) -> None:
    wait = await request.app[RATE_LIMITER].take(Budget.PERSONAL_ID, f"owner:{principal.owner}")
    if wait:
        retry = RateLimiter.retry_after(wait)
        raise Problem(
            RATE_LIMITED, *texts.RETRY_AFTER.format(seconds=retry), headers={"Retry-After": retry}
        )


async def api_reveal(request: web.Request) -> web.Response:
    """POST /api/v1/diplomas/{id}/personal-id: the holder's whole number, journalled."""
    principal = await authenticate(request)
    diploma_id = parse_id(request.match_info["id"])
    await _limit(request, principal)
    shown = await personal_ids.reveal(
        request.app[POOL], principal, request.app[SIGNING].keystore, diploma_id
    )
    return web.Response(body=shown.to_json(), content_type="application/json", headers=_NO_STORE)


async def api_find(request: web.Request) -> web.Response:
    """POST /api/v1/diplomas/by-personal-id {"personal_id"}: the diplomas within scope."""
    principal = await authenticate(request)
    query = validate(PersonalIdLookupIn, await read_small_json(request, max_bytes=1024))
    await _limit(request, principal)
    found = await personal_ids.find(
        request.app[POOL], principal, request.app[SIGNING].keystore, query.personal_id
    )
    return web.Response(body=found.to_json(), content_type="application/json", headers=_NO_STORE)


async def _form(request: web.Request) -> dict[str, str]:
    if request.content_length is not None and request.content_length > 4096:
        raise web.HTTPRequestEntityTooLarge(4096, request.content_length)
    form = await form_fields(request)
    gate.check_form(request, form)
    return form


async def lookup_page(request: web.Request) -> web.StreamResponse:
    """GET /quan-ly/tra-cuu-dinh-danh: the form."""
    current = await gate.require(request)
    body = console_pages.personal_id_lookup_page(gate.frame(request, current))
    return html_response(request, body, language(request), cache="no-store")


async def lookup_post(request: web.Request) -> web.StreamResponse:
    """POST /quan-ly/tra-cuu-dinh-danh: the diplomas found, or the form again with what is
    wrong beside the field. The number typed is shown back only masked."""
    current = await gate.require(request)
    lang = language(request)
    form = await _form(request)
    frame = gate.frame(request, current)
    try:
        query = validate(PersonalIdLookupIn, {"personal_id": form.get("personal_id", "")})
    except Problem as problem:
        if problem.type is not VALIDATION_ERROR or not problem.errors:
            raise
        error = problem.errors[0]
        body = console_pages.personal_id_lookup_page(
            frame, error=error.message_vi if lang == "vi" else error.message_en
        )
        return html_response(request, body, lang, status=422, cache="no-store")
    await _limit(request, current.principal)
    found = await personal_ids.find(
        request.app[POOL], current.principal, request.app[SIGNING].keystore, query.personal_id
    )
    body = console_pages.personal_id_lookup_page(frame, query=query.personal_id, found=found)
    return html_response(request, body, lang, cache="no-store")


async def reveal_post(request: web.Request) -> web.StreamResponse:
    """POST /quan-ly/van-bang/{id}/dinh-danh: the diploma's whole number on a page of its
    own (answered no-store, never cached), journalled."""
    current = await gate.require(request)
    await _form(request)
    diploma_id = parse_id(request.match_info["id"])
    await _limit(request, current.principal)
    shown = await personal_ids.reveal(
        request.app[POOL], current.principal, request.app[SIGNING].keystore, diploma_id
    )
    body = console_pages.personal_id_shown_page(gate.frame(request, current), shown)
    return html_response(request, body, language(request), cache="no-store")
