"""JSON and problem responses, and whether an error should be a page instead."""

from __future__ import annotations

import functools
import uuid
from typing import Any

import orjson
from aiohttp import web

from service.domain.events import Answer
from service.problems import Problem, pick_language
from service.usecases.writes import Written

PROBLEM_JSON = "application/problem+json"

# Paths whose answers are for software whatever a client accepts: their errors stay problems.
_FOR_SOFTWARE_UNDER = ("/api/", "/log/", "/.well-known/", "/problems/")
_FOR_SOFTWARE = frozenset({"/openapi.json", "/healthz", "/readyz"})


def _default(value: Any) -> Any:
    # asyncpg returns its own UUID subclass, which orjson does not take as a UUID.
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot serialize {type(value).__name__}")


def json_response(
    data: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """`data` is an answer model (serialised by its own schema) or plain JSON values."""
    body = data.to_json() if isinstance(data, Answer) else orjson.dumps(data, default=_default)
    return web.Response(
        body=body,
        status=status,
        content_type="application/json",
        headers=headers,
    )


def wants_html(request: web.Request) -> bool:
    """Whether an error answer to `request` is an HTML page (service/web/templates/error.html)
    rather than application/problem+json: when the path is a page's (not under /api/, /log/,
    /.well-known/ or /problems/, nor /openapi.json, /healthz, /readyz) and the Accept header
    ranks text/html above JSON, as a browser's navigation does
    (`text/html,application/xhtml+xml,...,*/*;q=0.8`). A tie (`*/*`, what curl and most HTTP
    libraries send), no Accept at all or a JSON type ranked first is a problem, as today.
    Asked on the error path only."""
    path = request.path
    if path.startswith(_FOR_SOFTWARE_UNDER) or path in _FOR_SOFTWARE:
        return False
    return _ranks_html_first(request.headers.get("Accept", ""))


@functools.lru_cache(maxsize=256)  # browsers send a handful of distinct headers
def _ranks_html_first(accept: str) -> bool:
    """RFC 9110 section 12.5.1: each of text/html and JSON takes the quality of the most
    specific range that matches it (type/subtype over type/* over */*)."""
    html = (-1, 0.0)  # (specificity, q) of the best range for text/html
    json = (-1, 0.0)  # the same for application/json or application/problem+json
    for part in accept.split(","):
        media, *params = part.split(";")
        kind = media.strip().lower()
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if kind == "*/*":
            html, json = max(html, (0, q)), max(json, (0, q))
        elif kind == "text/*":
            html = max(html, (1, q))
        elif kind == "application/*":
            json = max(json, (1, q))
        elif kind == "text/html":
            html = max(html, (2, q))
        elif kind in ("application/json", PROBLEM_JSON):
            json = max(json, (2, q))
    return html[1] > json[1]


def problem_response(
    request: web.Request, problem: Problem, request_id: str | None
) -> web.Response:
    lang = pick_language(request.headers.get("Accept-Language"))
    body = problem.render(lang, instance=request.path, request_id=request_id)
    headers = {"Content-Language": lang, **problem.headers}
    return web.Response(
        body=orjson.dumps(body),
        status=problem.type.status,
        headers=headers,
        content_type=PROBLEM_JSON,
    )


def written_response(written: Written, location: str) -> web.Response:
    """A write's answer: 201 with its Location, or the first answer replayed."""
    headers = {"Location": location}
    if written.replayed:
        headers["Idempotent-Replayed"] = "true"
    return web.Response(
        status=written.status,
        body=written.body,
        headers=headers,
        content_type="application/json",
    )


def job_accepted(answer: Answer, job_id: uuid.UUID) -> web.Response:
    """202 with a queued job (its view) and where to follow it."""
    return json_response(
        answer,
        status=202,
        headers={"Location": f"/api/v1/jobs/{job_id}", "Cache-Control": "no-store"},
    )
