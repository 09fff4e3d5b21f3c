"""Liveness, readiness and the problem-type documentation."""

from __future__ import annotations

from typing import Literal

from aiohttp import web

from service import texts
from service.db.pool import ping
from service.domain.service_views import Health, ProblemTypeInfo, Readiness, Titles
from service.http.responses import json_response
from service.http.state import POOL, READ_POOL
from service.problems import CATALOGUE, NOT_FOUND, UNAVAILABLE, Problem


async def healthz(request: web.Request) -> web.Response:
    return json_response(Health(status="ok"))


async def readyz(request: web.Request) -> web.Response:
    checks: dict[str, Literal["ok"]] = {}
    for name, key in (("database", POOL), ("read_database", READ_POOL)):
        pool = request.app.get(key)
        if pool is None:
            continue
        try:
            async with pool.acquire(timeout=2) as conn:
                await ping(conn, seconds=2)
            checks[name] = "ok"
        except Exception:  # whatever the failure, the service is not ready
            raise Problem(UNAVAILABLE, *texts.NOT_ANSWERING.format(name=name)) from None
    return json_response(Readiness(status="ready", checks=checks))


async def problem_type(request: web.Request) -> web.Response:
    found = CATALOGUE.get(request.match_info["slug"])
    if found is None:
        raise Problem(NOT_FOUND)
    return json_response(
        ProblemTypeInfo(
            type=found.uri,
            status=found.status,
            title=Titles(vi=found.title_vi, en=found.title_en),
            description=found.description,
        )
    )


async def openapi(request: web.Request) -> web.Response:
    from service.openapi import document

    return json_response(document(), headers={"Cache-Control": "public, max-age=3600"})
