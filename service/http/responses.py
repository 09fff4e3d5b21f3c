"""JSON and problem responses."""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from aiohttp import web

from service.domain.events import Answer
from service.problems import Problem, pick_language
from service.usecases.writes import Written

PROBLEM_JSON = "application/problem+json"


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
