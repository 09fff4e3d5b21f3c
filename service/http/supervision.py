"""Handlers of the auditor's supervision pages (docs/audit.md)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from service import texts
from service.domain.clock import VIETNAM
from service.domain.search import day_start, parse_day
from service.formats import exports
from service.http import session as gate
from service.http.audit import attachment
from service.http.forms import form_fields
from service.http.public import html_response, language
from service.http.state import POOL
from service.problems import INVALID_PARAMETER, Problem
from service.usecases import journal as staff_journal
from service.usecases import supervision
from service.usecases.access import ensure_may_supervise
from service.web import supervision_pages as pages

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
    if request.content_length is not None and request.content_length > _FORM_BYTES:
        raise web.HTTPRequestEntityTooLarge(_FORM_BYTES, request.content_length)
    posted = await form_fields(request)
    gate.check_form(request, posted)  # first, as on every form: a stale one says so
    ensure_may_supervise(current.principal)
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


_JOURNAL_DAYS = 30  # from when the journal page starts, unless a day is chosen
_JOURNAL_EXPORT = 10_000  # entries in one download


def _journal_filters(request: web.Request) -> tuple[dict[str, str], dict[str, str], Any]:
    """The filters as typed, the errors beside them, and the moment the journal starts."""
    values = {
        k: request.query.get(k, "").strip()[:100] for k in ("tu", "actor", "action", "issuer")
    }
    errors: dict[str, str] = {}
    lang = language(request)
    start = datetime.now(VIETNAM).date() - timedelta(days=_JOURNAL_DAYS)
    if values["tu"]:
        day = parse_day(values["tu"])
        if day is None:
            errors["tu"] = texts.SEARCH_BAD_DATE[0 if lang == "vi" else 1]
        else:
            start = day
    if values["action"] and values["action"] not in texts.JOURNAL_ACTIONS:
        values["action"] = ""
    return values, errors, day_start(start)


async def _journal_page(request: web.Request, current: Any, cursor: str | None) -> Any:
    values, errors, after = _journal_filters(request)
    page = None
    if not errors:
        try:
            page = await staff_journal.read(
                request.app[POOL],
                current.principal,
                issuer=values["issuer"].upper() or None,
                actor=values["actor"] or None,
                action=values["action"] or None,
                after=after,
                cursor=cursor,
                limit=100,
            )
        except Problem as problem:
            if problem.type.status != 404:
                raise
            lang = language(request)
            errors["issuer"] = texts.ISSUER_NOT_SUPERVISED[0 if lang == "vi" else 1]
    return values, errors, page


async def journal(request: web.Request) -> web.StreamResponse:
    """GET /giam-sat/nhat-ky: the staff journal of the issuers under the auditor, filtered."""
    current = await gate.require(request)
    ensure_may_supervise(current.principal)
    values, errors, page = await _journal_page(request, current, request.query.get("cursor"))
    body = pages.journal_page(gate.frame(request, current), values, errors, page)
    status = 422 if errors else 200
    return html_response(request, body, language(request), status=status, cache="no-store")


async def journal_csv(request: web.Request) -> web.StreamResponse:
    """GET /giam-sat/nhat-ky.csv: the same entries (at most 10,000) for Excel."""
    current = await gate.require(request)
    ensure_may_supervise(current.principal)
    _, errors, page = await _journal_page(request, current, None)
    if errors or page is None:
        raise Problem(INVALID_PARAMETER, *texts.JOURNAL_FILTER_INVALID)
    entries = list(page.entries)
    while len(page.entries) == 100 and len(entries) < _JOURNAL_EXPORT:
        _, _, page = await _journal_page(request, current, page.next)
        entries += page.entries
    lines = [pages.journal_line(e, "vi") for e in entries[:_JOURNAL_EXPORT]]
    body = exports.csv_document(pages.JOURNAL_HEADINGS, lines)
    return web.Response(
        body=body,
        content_type="text/csv",
        charset="utf-8",
        headers={**attachment("nhat-ky.csv"), "Cache-Control": "no-store"},
    )


async def overview(request: web.Request) -> web.StreamResponse:
    """GET /giam-sat[?nam=YYYY]: the year of every issuer under the auditor."""
    current = await gate.require(request)
    ensure_may_supervise(current.principal)
    found = await supervision.overview(request.app[POOL], current.principal, _year(request))
    body = pages.overview_page(gate.frame(request, current), found)
    return html_response(request, body, language(request), cache="no-store")
