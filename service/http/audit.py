"""Handlers of the auditors' views (service/usecases/audit.py): the register page by page or as
CSV/XLSX, the anomaly report and the event stream, for an issuer within the token's scope."""

from __future__ import annotations

import asyncio
from datetime import datetime
from urllib.parse import quote

from aiohttp import web

from service import texts
from service.domain.kinds import DiplomaKind
from service.domain.register_lines import REGISTER_COLUMNS
from service.formats import exports
from service.http.auth import authenticate
from service.http.responses import json_response
from service.http.state import POOL
from service.problems import VALIDATION_ERROR, FieldError, Problem
from service.usecases import audit
from service.usecases import journal as staff_journal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADINGS = tuple(heading for _, heading in REGISTER_COLUMNS)


def _bad(name: str, text: texts.Text) -> Problem:
    return Problem(VALIDATION_ERROR, errors=[FieldError((name,), "invalid", *text)])


def _number(request: web.Request, name: str, low: int, high: int) -> int | None:
    raw = request.query.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 20) or not low <= int(raw) <= high:
        raise _bad(name, texts.NUMBER_OUT_OF_RANGE.format(low=low, high=high))
    return int(raw)


def _filters(request: web.Request) -> tuple[str, str | None, int | None]:
    kind = request.query.get("kind")
    if kind is not None and kind not in DiplomaKind.__members__.values():
        raise _bad("kind", texts.UNKNOWN_KIND_FILTER)
    return request.match_info["code"].upper(), kind, _number(request, "year", 1900, 2100)


async def register(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    code, kind, year = _filters(request)
    page = await audit.register_page(
        request.app[POOL],
        principal,
        code,
        kind=kind,
        year=year,
        after=request.query.get("after"),
        limit=_number(request, "limit", 1, audit.PAGE) or audit.PAGE,
    )
    return json_response(page)


async def _export(request: web.Request, form: str) -> audit.Export:
    principal = await authenticate(request)
    code, kind, year = _filters(request)
    return await audit.register_export(
        request.app[POOL], principal, code, kind=kind, year=year, form=form
    )


def attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}


async def register_csv(request: web.Request) -> web.Response:
    return csv_response(await _export(request, "csv"))


def csv_response(export: audit.Export) -> web.Response:
    """The export as CSV for Excel."""
    return web.Response(
        body=exports.csv_document(HEADINGS, export.lines),
        content_type="text/csv",
        charset="utf-8",
        headers={**attachment(f"{export.name}.csv"), "Cache-Control": "no-store"},
    )


async def register_xlsx(request: web.Request) -> web.Response:
    return await xlsx_response(await _export(request, "xlsx"))


async def xlsx_response(export: audit.Export) -> web.Response:
    """The export as a workbook, written off the event loop (a large one takes a while)."""
    loop = asyncio.get_running_loop()
    body = await loop.run_in_executor(
        None, exports.xlsx_document, texts.REGISTER_SHEET, export.title, HEADINGS, export.lines
    )
    return web.Response(body=body, content_type=XLSX, headers=attachment(f"{export.name}.xlsx"))


async def anomalies(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    code = request.match_info["code"].upper()
    return json_response(await audit.anomalies(request.app[POOL], principal, code))


async def events(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    code = request.match_info["code"].upper()
    after = _number(request, "after", 0, 1 << 62)
    limit = _number(request, "limit", 1, 1000) or 1000
    answer = await audit.events(
        request.app[POOL], principal, code, after=-1 if after is None else after, limit=limit
    )
    return json_response(answer)


async def journal(request: web.Request) -> web.Response:
    """GET /api/v1/audit/journal?issuer=&actor=&action=&after=&cursor=&limit="""
    principal = await authenticate(request)
    after = None
    if raw_after := request.query.get("after"):
        try:
            after = datetime.fromisoformat(raw_after)
        except ValueError:
            raise _bad("after", texts.BAD_MOMENT) from None
        if after.tzinfo is None:
            raise _bad("after", texts.BAD_MOMENT)
    issuer = request.query.get("issuer")
    page = await staff_journal.read(
        request.app[POOL],
        principal,
        issuer=issuer.upper() if issuer else None,
        actor=request.query.get("actor") or None,
        action=request.query.get("action") or None,
        after=after,
        cursor=request.query.get("cursor"),
        limit=_number(request, "limit", 1, staff_journal.MAX_PAGE) or 100,
    )
    return json_response(page, headers={"Cache-Control": "no-store"})
