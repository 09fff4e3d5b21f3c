"""Handlers of the auditor's supervision pages (docs/audit.md)."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from service.http import session as gate
from service.http.public import html_response, language
from service.http.state import POOL
from service.usecases import supervision
from service.usecases.access import ensure_may_supervise
from service.web import supervision_pages as pages
from service.web.staff_pages import VIETNAM


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
    body = pages.anomalies_page(gate.frame(request, current), found)
    return html_response(request, body, language(request), cache="no-store")


async def overview(request: web.Request) -> web.StreamResponse:
    """GET /giam-sat[?nam=YYYY]: the year of every issuer under the auditor."""
    current = await gate.require(request)
    ensure_may_supervise(current.principal)
    found = await supervision.overview(request.app[POOL], current.principal, _year(request))
    body = pages.overview_page(gate.frame(request, current), found)
    return html_response(request, body, language(request), cache="no-store")
