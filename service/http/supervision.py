"""Handlers of the auditor's supervision pages (docs/audit.md)."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from service.http import session as gate
from service.http.public import html_response, language
from service.http.state import POOL
from service.problems import Problem
from service.usecases import supervision
from service.usecases.access import ensure_may_supervise
from service.web import supervision_pages as pages
from service.web.staff_pages import VIETNAM

_FORM_BYTES = 16 * 1024


def _year(request: web.Request) -> int:
    raw = request.query.get("nam", "")
    if raw.isdigit() and 1900 <= int(raw) <= 2100:
        return int(raw)
    return datetime.now(VIETNAM).year


async def anomalies(request: web.Request) -> web.StreamResponse:
    """GET /giam-sat/bat-thuong: the anomalies under the auditor, explained."""
    current = await gate.require(request)
    ensure_may_supervise(current.principal)
    found = await supervision.anomalies(request.app[POOL], current.principal)
    body = pages.anomalies_page(
        gate.frame(request, current), found, notice="da-ghi" in request.query
    )
    return html_response(request, body, language(request), cache="no-store")


async def review(request: web.Request) -> web.StreamResponse:
    """POST /giam-sat/bat-thuong: an anomaly marked reviewed with a note; back to the page,
    or the page again with the error beside the note."""
    current = await gate.require(request)
    ensure_may_supervise(current.principal)
    if request.content_length is not None and request.content_length > _FORM_BYTES:
        raise web.HTTPRequestEntityTooLarge(_FORM_BYTES, request.content_length)
    posted = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
    gate.check_form(request, posted)
    lang = language(request)
    key, note = posted.get("key", ""), posted.get("note", "")
    try:
        await supervision.review(request.app[POOL], current.principal, key, note)
    except Problem as problem:
        if problem.type.status != 422:
            raise
        found = await supervision.anomalies(request.app[POOL], current.principal)
        message = problem.errors[0].message_vi if lang == "vi" else problem.errors[0].message_en
        body = pages.anomalies_page(
            gate.frame(request, current), found, error=(key, note[:2000], message)
        )
        return html_response(request, body, lang, status=422, cache="no-store")
    raise gate.redirect("/giam-sat/bat-thuong?da-ghi", lang)


async def overview(request: web.Request) -> web.StreamResponse:
    """GET /giam-sat[?nam=YYYY]: the year of every issuer under the auditor."""
    current = await gate.require(request)
    ensure_may_supervise(current.principal)
    found = await supervision.overview(request.app[POOL], current.principal, _year(request))
    body = pages.overview_page(gate.frame(request, current), found)
    return html_response(request, body, language(request), cache="no-store")
