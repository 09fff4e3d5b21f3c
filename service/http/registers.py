"""Handlers of the register pages of the auditor's console (docs/audit.md): an issuer's
register (sổ gốc) in scope, a page at a time, and its download as Excel or CSV."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from service import texts
from service.domain.kinds import DiplomaKind
from service.http import session as gate
from service.http.audit import csv_response, xlsx_response
from service.http.public import html_response, language
from service.http.state import POOL
from service.problems import INVALID_PARAMETER, VALIDATION_ERROR, Problem
from service.usecases import audit, registers
from service.usecases.access import ensure_may_supervise
from service.web import register_pages as pages


def _choice(
    request: web.Request, issuers: list[registers.Issuer], default: str | None
) -> tuple[dict[str, str], dict[str, texts.Text]]:
    """The register asked for (issuer, kind, register year) as typed, and what is wrong with
    it, field by field."""
    values = {k: request.query.get(k, "").strip()[:32] for k in ("issuer", "kind", "year")}
    values["issuer"] = values["issuer"].upper() or default or ""
    errors: dict[str, texts.Text] = {}
    if values["issuer"] not in {i.code for i in issuers}:
        errors["issuer"] = texts.ISSUER_NOT_SUPERVISED
    if values["kind"] and values["kind"] not in DiplomaKind.__members__.values():
        errors["kind"] = texts.UNKNOWN_KIND_FILTER
    year = values["year"]
    if year and not (year.isascii() and year.isdigit() and 1900 <= int(year) <= 2100):
        errors["year"] = texts.NUMBER_OUT_OF_RANGE.format(low=1900, high=2100)
    return values, errors


async def _issuers(request: web.Request) -> tuple[Any, list[registers.Issuer], str | None]:
    current = await gate.require(request)
    ensure_may_supervise(current.principal)
    issuers = await registers.overseen(request.app[POOL], current.principal)
    default = current.principal.issuer_code or (issuers[0].code if issuers else None)
    return current, issuers, default


async def register(request: web.Request) -> web.StreamResponse:
    """GET /giam-sat/so-goc[?issuer=&kind=&year=&cursor=]: one issuer's register, read-only."""
    current, issuers, default = await _issuers(request)
    values, errors = _choice(request, issuers, default)
    page, message = None, None
    if not errors:
        try:
            page = await registers.register_page(
                request.app[POOL],
                current.principal,
                values["issuer"],
                kind=values["kind"] or None,
                year=int(values["year"]) if values["year"] else None,
                after=request.query.get("cursor"),
            )
        except Problem as problem:
            if problem.type is not VALIDATION_ERROR:
                raise
            message = "rg_bad_page"  # a cursor no page gave
    body = pages.register_page(
        gate.frame(request, current),
        issuers,
        values,
        errors,
        page,
        message=message,
        paged="cursor" in request.query,
    )
    status = 400 if errors or message else 200
    return html_response(request, body, language(request), status=status, cache="no-store")


async def _export(request: web.Request, form: str) -> audit.Export:
    current, issuers, default = await _issuers(request)
    values, errors = _choice(request, issuers, default)
    if errors:
        raise Problem(INVALID_PARAMETER, *next(iter(errors.values())))
    return await audit.register_export(
        request.app[POOL],
        current.principal,
        values["issuer"],
        kind=values["kind"] or None,
        year=int(values["year"]) if values["year"] else None,
        form=form,
    )


async def register_xlsx(request: web.Request) -> web.StreamResponse:
    """GET /giam-sat/so-goc.xlsx: the register chosen, as a workbook; journalled."""
    return await xlsx_response(await _export(request, "xlsx"))


async def register_csv(request: web.Request) -> web.StreamResponse:
    """GET /giam-sat/so-goc.csv: the register chosen, as CSV for Excel; journalled."""
    return csv_response(await _export(request, "csv"))
