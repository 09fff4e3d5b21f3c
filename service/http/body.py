"""Reads a graduation decision from the request body: JSON, CSV, XLSX, or one of those as the
`file` part of a multipart/form-data upload."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import BodyPartReader, web

from service.problems import (
    MALFORMED_BODY,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    Problem,
)
from service.tabular import Locator, parse_csv, parse_xlsx

JSON = "application/json"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MULTIPART = "multipart/form-data"
_BY_SUFFIX = {".json": JSON, ".csv": CSV, ".xlsx": XLSX}
_ALIASES = {"application/csv": CSV, "text/json": JSON}


@dataclass
class ParsedBody:
    data: Any
    locator: Locator | None  # set for CSV and XLSX lists

    @contextlib.contextmanager
    def locating(self) -> Iterator[None]:
        """Adds row, column and cell to the field errors of a Problem raised inside."""
        try:
            yield
        except Problem as problem:
            if self.locator is not None and problem.errors:
                problem.errors = [self.locator.locate(e) for e in problem.errors]
            raise


def _too_large(limit: int) -> Problem:
    return Problem(PAYLOAD_TOO_LARGE, f"Tối đa {limit} byte", f"At most {limit} bytes")


async def read_decision_body(request: web.Request, *, max_bytes: int, max_rows: int) -> ParsedBody:
    if request.content_length is not None and request.content_length > max_bytes:
        raise _too_large(max_bytes)
    media_type = _ALIASES.get(request.content_type, request.content_type)
    if media_type == MULTIPART:
        media_type, data = await _read_file_part(request, max_bytes)
    elif media_type in (JSON, CSV, XLSX):
        data = await request.read()
    else:
        raise _unsupported(request.content_type)
    return await parse_body(media_type, data, max_rows=max_rows)


async def parse_body(media_type: str, data: bytes, *, max_rows: int) -> ParsedBody:
    if not data:
        raise Problem(MALFORMED_BODY, "Nội dung yêu cầu rỗng", "The request body is empty")
    if media_type == JSON:
        try:
            decoded = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise Problem(
                MALFORMED_BODY, f"JSON sai cú pháp: {exc}", f"Invalid JSON: {exc}"
            ) from None
        graduates = decoded.get("graduates") if isinstance(decoded, dict) else None
        if isinstance(graduates, list) and len(graduates) > max_rows:
            raise Problem(
                PAYLOAD_TOO_LARGE,
                f"Tối đa {max_rows} người tốt nghiệp mỗi yêu cầu; có {len(graduates)}",
                f"At most {max_rows} graduates per request; got {len(graduates)}",
            )
        return ParsedBody(decoded, None)
    if media_type == CSV:
        return ParsedBody(*parse_csv(data, max_rows=max_rows))
    # Reading a workbook takes a while; keep the event loop serving other requests.
    loop = asyncio.get_running_loop()
    return ParsedBody(*await loop.run_in_executor(None, _xlsx, data, max_rows))


def _xlsx(data: bytes, max_rows: int) -> tuple[Any, Locator]:
    return parse_xlsx(data, max_rows=max_rows)


def media_type_for(filename: str) -> str | None:
    for suffix, media_type in _BY_SUFFIX.items():
        if filename.lower().endswith(suffix):
            return media_type
    return None


async def _read_file_part(request: web.Request, max_bytes: int) -> tuple[str, bytes]:
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader) or part.name != "file":
            continue
        declared = part.headers.get("Content-Type", "").split(";")[0].strip().lower()
        declared = _ALIASES.get(declared, declared)
        media_type = declared if declared in (JSON, CSV, XLSX) else None
        media_type = media_type or media_type_for(part.filename or "")
        if media_type is None:
            raise _unsupported(declared or (part.filename or "?"))
        chunks = []
        size = 0
        while chunk := await part.read_chunk(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(max_bytes)
            chunks.append(chunk)
        return media_type, b"".join(chunks)
    raise Problem(
        MALFORMED_BODY, "Thiếu phần 'file' trong biểu mẫu", "The multipart form has no 'file' part"
    )


def _unsupported(media_type: str) -> Problem:
    return Problem(
        UNSUPPORTED_MEDIA_TYPE,
        f"Không hỗ trợ '{media_type}'; dùng JSON, CSV hoặc .xlsx",
        f"'{media_type}' is not accepted; send JSON, CSV or .xlsx",
    )


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
        raise Problem(MALFORMED_BODY, f"JSON sai cú pháp: {exc}", f"Invalid JSON: {exc}") from None
