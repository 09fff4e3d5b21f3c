"""A graduate list as uploaded: JSON, CSV or XLSX bytes, parsed into the nested request the
register takes, with a locator that names the row, column and cell of each later error.
Both the HTTP API and `vanbang import` read uploads here."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from service import texts
from service.formats.tabular import Locator, parse_csv, parse_xls, parse_xlsx
from service.problems import MALFORMED_BODY, PAYLOAD_TOO_LARGE, Problem

JSON = "application/json"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLS = "application/vnd.ms-excel"  # Excel 97-2003 workbooks, still kept by some schools
MULTIPART = "multipart/form-data"
LISTS = (JSON, CSV, XLSX, XLS)
_BY_SUFFIX = {".json": JSON, ".csv": CSV, ".xlsx": XLSX, ".xls": XLS}
ALIASES = {"application/csv": CSV, "text/json": JSON}


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


async def parse_body(media_type: str, data: bytes, *, max_rows: int) -> ParsedBody:
    if not data:
        raise Problem(MALFORMED_BODY, *texts.BODY_EMPTY)
    if media_type == JSON:
        try:
            decoded = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise Problem(MALFORMED_BODY, *texts.INVALID_JSON.format(error=exc)) from None
        graduates = decoded.get("graduates") if isinstance(decoded, dict) else None
        if isinstance(graduates, list) and len(graduates) > max_rows:
            raise Problem(
                PAYLOAD_TOO_LARGE,
                *texts.TOO_MANY_GRADUATES.format(max_rows=max_rows, count=len(graduates)),
            )
        return ParsedBody(decoded, None)
    if media_type == CSV:
        return ParsedBody(*parse_csv(data, max_rows=max_rows))
    # Reading a workbook takes a while; keep the event loop serving other requests.
    loop = asyncio.get_running_loop()
    parse = parse_xls if media_type == XLS else parse_xlsx
    return ParsedBody(*await loop.run_in_executor(None, _workbook, parse, data, max_rows))


def _workbook(parse: Any, data: bytes, max_rows: int) -> tuple[Any, Locator]:
    parsed: tuple[Any, Locator] = parse(data, max_rows=max_rows)
    return parsed


def media_type_for(filename: str) -> str | None:
    for suffix, media_type in _BY_SUFFIX.items():
        if filename.lower().endswith(suffix):
            return media_type
    return None
