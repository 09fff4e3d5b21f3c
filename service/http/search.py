"""Handlers of the staff search API (docs/console.md): GET /api/v1/graduation-decisions and
GET /api/v1/diplomas, filtered, within the token's scope, a page at a time with a keyset
cursor; `next` is the next page's URL (the same filters, the cursor after this page)."""

from __future__ import annotations

from aiohttp import web

from service.domain.search import DecisionList, DiplomaList, decision_query, diploma_query
from service.http.auth import authenticate
from service.http.responses import json_response
from service.http.state import POOL
from service.usecases import search


def _query(request: web.Request) -> dict[str, str]:
    return {k: v for k, v in request.query.items()}


def next_href(request: web.Request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    return str(request.rel_url.update_query(cursor=cursor))


async def list_decisions(request: web.Request) -> web.Response:
    """GET /api/v1/graduation-decisions?q=&kind=&year=&issuer=&cursor=&limit="""
    principal = await authenticate(request)
    query = decision_query(_query(request))
    found = await search.decisions(request.app[POOL], principal, query)
    page = DecisionList(items=found.items, next=next_href(request, found.cursor))
    return json_response(page, headers={"Cache-Control": "no-store"})


async def list_diplomas(request: web.Request) -> web.Response:
    """GET /api/v1/diplomas?q=&born=&kind=&year=&state=&decision=&issuer=&handed_over=
    &registered_before=&cursor=&limit="""
    principal = await authenticate(request)
    query = diploma_query(_query(request))
    found = await search.diplomas(request.app[POOL], principal, query)
    page = DiplomaList(items=found.items, next=next_href(request, found.cursor))
    return json_response(page, headers={"Cache-Control": "no-store"})
