"""Middlewares: a request id, the security headers and an access line for every request, and
the one place that turns errors into RFC 9457 problem responses, or into an HTML page for a
browser. (One middleware for the first three: each layer costs every request a coroutine
call.)"""

from __future__ import annotations

import random
import re
import time

import asyncpg
import structlog
from aiohttp import web
from aiohttp.typedefs import Handler

from service import texts
from service.http.headers import secure
from service.http.public import problem_page
from service.http.responses import problem_response, wants_html
from service.http.state import PROXIES
from service.metrics import observe_request
from service.problems import (
    INTERNAL_ERROR,
    INVALID_PARAMETER,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    PAYLOAD_TOO_LARGE,
    UNAVAILABLE,
    UNSUPPORTED_MEDIA_TYPE,
    Problem,
)
from service.usecases.journal import ORIGIN, Origin

log = structlog.get_logger("service.http")

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
_REQUEST_ID_KEY = web.RequestKey("request_id", str)

_HTTP_PROBLEMS = {
    404: NOT_FOUND,
    405: METHOD_NOT_ALLOWED,
    413: PAYLOAD_TOO_LARGE,
    415: UNSUPPORTED_MEDIA_TYPE,
}


@web.middleware
async def request_context(request: web.Request, handler: Handler) -> web.StreamResponse:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    # 32 random hex digits, as uuid4().hex gives, without its system call for randomness: an
    # id tells requests apart, it guards nothing. (random reseeds in each forked worker.)
    request_id = incoming if _REQUEST_ID.match(incoming) else f"{random.getrandbits(128):032x}"
    request[_REQUEST_ID_KEY] = request_id
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=request_id)
    # Where the request came from, for the staff journal (its client's network).
    ORIGIN.set(
        Origin(
            request_id,
            request.remote,
            request.headers.get("X-Forwarded-For"),
            request.app.get(PROXIES, ()),
        )
    )
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        response.headers[REQUEST_ID_HEADER] = request_id
        secure(response)
        return response
    except web.HTTPException as exc:  # one the problems middleware lets through (a redirect)
        status = exc.status
        secure(exc)
        raise
    finally:
        # The route, not the path: a QR token in /V/{token} spells out its holder's name and
        # date of birth, and query strings may carry the same.
        route = _route(request)
        seconds = time.perf_counter() - started
        log.info(
            "request_finished",
            method=request.method,
            route=route,
            status=status,
            duration_ms=round(seconds * 1000, 2),
        )
        observe_request(request.method, route, status, seconds)


def _route(request: web.Request) -> str:
    info = request.match_info
    resource = info.route.resource if info.http_exception is None else None
    return resource.canonical if resource is not None else "(no route)"


@web.middleware
async def problems(request: web.Request, handler: Handler) -> web.StreamResponse:
    request_id = request.get(_REQUEST_ID_KEY)
    try:
        _refuse_nul(request)
        return await handler(request)
    except Problem as problem:
        return _answer(request, problem, request_id)
    except web.HTTPException as exc:
        problem_type = _HTTP_PROBLEMS.get(exc.status)
        if problem_type is None:
            raise
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else {}
        return _answer(request, Problem(problem_type, headers=headers), request_id)
    except (
        OSError,
        asyncpg.PostgresConnectionError,
        asyncpg.InterfaceError,
        asyncpg.CannotConnectNowError,
        # The server shutting down or restarting under a running query ("terminating
        # connection due to administrator command"): unavailable for a moment, not our fault
        # (tests/service/test_faults.py stops PostgreSQL under load).
        asyncpg.AdminShutdownError,
        asyncpg.CrashShutdownError,
        # What asyncpg raises on a connection whose server went away mid-protocol ("cannot
        # switch to state 12; another operation is in progress"), seen in that same test.
        asyncpg.InternalClientError,
    ):
        log.exception("database_unavailable")
        return _answer(request, Problem(UNAVAILABLE), request_id)
    except Exception:
        log.exception("request_failed")
        return _answer(request, Problem(INTERNAL_ERROR), request_id)


def _refuse_nul(request: web.Request) -> None:
    """A NUL in the path or the query names nothing and no value (PostgreSQL's text cannot
    even hold one): refused here, once, before any handler passes it to the database."""
    if "\x00" in request.path:
        raise Problem(NOT_FOUND)
    if "%00" in request.query_string or "\x00" in request.query_string:
        raise Problem(INVALID_PARAMETER, *texts.NUL_IN_QUERY)


def _answer(request: web.Request, problem: Problem, request_id: str | None) -> web.Response:
    """The error as a page when a browser asks for one, else as a problem. Only errors come
    here: a request that succeeds pays nothing for the pages."""
    if wants_html(request):
        try:
            return problem_page(request, problem, request_id)
        except Exception:  # a fault in the page must not hide the error it was to show
            log.exception("error_page_failed")
    return problem_response(request, problem, request_id)
