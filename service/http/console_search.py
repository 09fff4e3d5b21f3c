"""The console's search pages (docs/console.md): the decisions list and the diploma search,
each a GET form (nothing changes, so no form token) over the staff search API's use cases,
within the signed-in person's scope. A bad filter shows the form again with its message
beside the field, and finds nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web

from service.domain.search import decision_query, diploma_query
from service.http import session as gate
from service.http.public import html_response, language
from service.http.state import POOL
from service.problems import INVALID_PARAMETER, Problem
from service.texts import Text
from service.usecases import registers, search
from service.web import console_search_pages as pages

_DECISION_FIELDS = ("q", "kind", "year", "issuer")
_DIPLOMA_FIELDS = (
    "q",
    "born",
    "kind",
    "year",
    "state",
    "handed_over",
    "registered_before",
    "issuer",
)


def _values(request: web.Request, names: tuple[str, ...]) -> dict[str, str]:
    """The filters as typed, to show them in the form again (at most 200 characters)."""
    return {name: request.query.get(name, "").strip()[:200] for name in (*names, "decision")}


def _paging(request: web.Request, cursor: str | None) -> tuple[str | None, str | None]:
    """The next page's link, and the first page's when this is not it."""
    url = request.rel_url
    next_href = None if cursor is None else str(url.update_query(cursor=cursor))
    first = {k: v for k, v in url.query.items() if k != "cursor"}
    first_href = str(url.with_query(first)) if "cursor" in url.query else None
    return next_href, first_href


async def _search(
    request: web.Request,
    names: tuple[str, ...],
    parse: Callable[[Mapping[str, str]], Any],
    find: Any,
    render: Any,
) -> web.StreamResponse:
    current = await gate.require(request)
    lang = language(request)
    values = _values(request, names)
    overseen = await registers.overseen(request.app[POOL], current.principal)
    issuers = [(i.code, f"{i.code} · {i.name}") for i in overseen] if len(overseen) > 1 else []
    query = {k: v for k, v in request.query.items() if k != "lang"}
    try:
        found = await find(request.app[POOL], current.principal, parse(query))
    except Problem as problem:
        if problem.type is not INVALID_PARAMETER:
            raise
        errors: dict[str, Text] = {}
        message = None
        for error in problem.errors:
            field = str(error.loc[-1])
            if field in names:
                errors.setdefault(field, Text(error.message_vi, error.message_en))
            else:  # a cursor or page size no form gives: start again from the first page
                message = error.message_vi if lang == "vi" else error.message_en
        body = render(
            gate.frame(request, current),
            values,
            None,
            next_href=None,
            first_href=None,
            errors=errors,
            message=message,
            issuers=issuers,
        )
        return html_response(request, body, lang, status=400, cache="no-store")
    next_href, first_href = _paging(request, found.cursor)
    body = render(
        gate.frame(request, current),
        values,
        found.items,
        next_href=next_href,
        first_href=first_href,
        errors={},
        issuers=issuers,
    )
    return html_response(request, body, lang, cache="no-store")


async def decisions(request: web.Request) -> web.StreamResponse:
    return await _search(
        request, _DECISION_FIELDS, decision_query, search.decisions, pages.decisions_page
    )


async def diplomas(request: web.Request) -> web.StreamResponse:
    return await _search(
        request, _DIPLOMA_FIELDS, diploma_query, search.diplomas, pages.diplomas_page
    )
