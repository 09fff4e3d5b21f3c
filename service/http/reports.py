"""Handlers of the yearly report (docs/audit.md): the page that shows it, its workbook and
its PDF (signed-in auditors and admins), and its JSON for other systems (their tokens)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from service import texts
from service.domain.clock import VIETNAM
from service.domain.yearly_reports import YearlyReport, check_year
from service.formats.report_pdf import report_pdf
from service.formats.report_xlsx import report_xlsx
from service.http import session as gate
from service.http.audit import XLSX, attachment
from service.http.auth import authenticate
from service.http.public import html_response, language
from service.http.responses import json_response
from service.http.state import POOL
from service.problems import INVALID_PARAMETER, FieldError, Problem
from service.usecases import reports
from service.usecases.access import ensure_may_supervise
from service.web import report_pages as pages


def _bad_year(name: str) -> Problem:
    return Problem(
        INVALID_PARAMETER, errors=[FieldError((name,), "invalid", *texts.REPORT_BAD_YEAR)]
    )


def _asked(request: web.Request) -> tuple[str, str]:
    """The year and the issuer as asked for (either may be empty)."""
    return (
        request.query.get("nam", "").strip()[:10],
        request.query.get("don-vi", "").strip().upper()[:32],
    )


async def page(request: web.Request) -> web.StreamResponse:
    """GET /giam-sat/bao-cao?nam=YYYY&don-vi=CODE: the report on screen, with its downloads;
    a year or issuer that is not one is said beside its field (400)."""
    current = await gate.require(request)
    principal = current.principal
    ensure_may_supervise(principal)
    pool = request.app[POOL]
    lang = language(request)
    pick = 0 if lang == "vi" else 1
    today = datetime.now(VIETNAM).date()
    raw_year, code = _asked(request)
    choices = await reports.choices(pool, principal)
    code = code or (await reports.default_issuer(pool, principal) or "")
    values = {"nam": raw_year or str(today.year), "don-vi": code}
    errors: dict[str, str] = {}
    year = check_year(values["nam"], today)
    if year is None:
        errors["nam"] = texts.REPORT_BAD_YEAR[pick]
    if code not in {c.code for c in choices}:
        errors["don-vi"] = texts.ISSUER_NOT_SUPERVISED[pick]
    report = None
    if year is not None and not errors:
        report = await reports.yearly(pool, principal, code, year)
    body = pages.report_page(gate.frame(request, current), choices, values, errors, report)
    return html_response(request, body, lang, status=400 if errors else 200, cache="no-store")


async def _download(request: web.Request) -> YearlyReport:
    """The report a download asks for: a bad year is a problem, an issuer outside the
    reader's scope not found."""
    current = await gate.require(request)
    ensure_may_supervise(current.principal)
    pool = request.app[POOL]
    raw_year, code = _asked(request)
    today = datetime.now(VIETNAM).date()
    year = check_year(raw_year or str(today.year), today)
    if year is None:
        raise _bad_year("nam")
    code = code or (await reports.default_issuer(pool, current.principal) or "")
    return await reports.yearly(pool, current.principal, code, year)


async def _file(
    report: YearlyReport, write: Callable[[YearlyReport, datetime], bytes], name: str, media: str
) -> web.Response:
    made = report.made_at.astimezone(VIETNAM)
    loop = asyncio.get_running_loop()
    body = await loop.run_in_executor(None, write, report, made)
    return web.Response(
        body=body,
        content_type=media,
        headers={**attachment(f"bao-cao-{report.year}-{report.issuer}.{name}"),
                 "Cache-Control": "no-store"},
    )  # fmt: skip


async def xlsx(request: web.Request) -> web.Response:
    """GET /giam-sat/bao-cao.xlsx?nam=&don-vi=: the workbook, in Vietnamese."""
    return await _file(await _download(request), report_xlsx, "xlsx", XLSX)


async def pdf(request: web.Request) -> web.Response:
    """GET /giam-sat/bao-cao.pdf?nam=&don-vi=: the PDF to sign, in Vietnamese."""
    return await _file(await _download(request), report_pdf, "pdf", "application/pdf")


async def api(request: web.Request) -> web.Response:
    """GET /api/v1/audit/issuers/{code}/reports/{year}: the same figures as JSON."""
    principal = await authenticate(request)
    today = datetime.now(VIETNAM).date()
    year = check_year(request.match_info["year"], today)
    if year is None:
        raise _bad_year("year")
    code = request.match_info["code"].upper()
    report = await reports.yearly(request.app[POOL], principal, code, year)
    return json_response(report, headers={"Cache-Control": "no-store"})
