"""Reads a graduation decision from the request body: JSON, CSV, XLSX, or one of those as the
`file` part of a multipart/form-data upload."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from service import texts
from service.formats.uploads import (
    ALIASES,
    LISTS,
    MULTIPART,
    ParsedBody,
    media_type_for,
    parse_body,
)
from service.http.forms import parts, read_part
from service.problems import (
    MALFORMED_BODY,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    Problem,
)


def _too_large(limit: int) -> Problem:
    return Problem(PAYLOAD_TOO_LARGE, *texts.BODY_TOO_LARGE.format(limit=limit))


async def read_decision_body(request: web.Request, *, max_bytes: int, max_rows: int) -> ParsedBody:
    if request.content_length is not None and request.content_length > max_bytes:
        raise _too_large(max_bytes)
    media_type = ALIASES.get(request.content_type, request.content_type)
    if media_type == MULTIPART:
        media_type, data = await _read_file_part(request, max_bytes)
    elif media_type in LISTS:
        data = await request.read()
    else:
        raise _unsupported(request.content_type)
    return await parse_body(media_type, data, max_rows=max_rows)


async def _read_file_part(request: web.Request, max_bytes: int) -> tuple[str, bytes]:
    async for part in parts(request):
        if part.name != "file":
            continue
        declared = part.headers.get("Content-Type", "").split(";")[0].strip().lower()
        declared = ALIASES.get(declared, declared)
        media_type = declared if declared in LISTS else None
        media_type = media_type or media_type_for(part.filename or "")
        if media_type is None:
            raise _unsupported(declared or (part.filename or "?"))
        return media_type, await read_part(part, max_bytes, _too_large(max_bytes))
    raise Problem(MALFORMED_BODY, *texts.NO_FILE_PART)


def _unsupported(media_type: str) -> Problem:
    return Problem(UNSUPPORTED_MEDIA_TYPE, *texts.UNSUPPORTED_MEDIA.format(media_type=media_type))


async def read_small_json(request: web.Request, *, max_bytes: int) -> Any:
    """A small JSON body (a lookup, a token, a decision): 413 past `max_bytes`, 400 if it is
    not JSON."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise _too_large(max_bytes)
    data = await request.read()
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise Problem(MALFORMED_BODY, *texts.INVALID_JSON.format(error=exc)) from None
