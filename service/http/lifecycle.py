"""Handlers for lifecycle decisions (corrections, re-issues, revocations, certified copies,
handovers, blank forms) and the published revocation list. Each action runs through the one
write path (service/usecases/writes.py), and takes an Idempotency-Key as registration does."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel

from service import texts
from service.domain.blanks import BlankDestructionIn, BlankReceiptIn, BlankSpoilIn
from service.domain.events import Event
from service.domain.graduates import validate
from service.domain.lifecycle import (
    CopyIn,
    ReissueIn,
    RevocationIn,
    parse_correction,
    parse_handover,
)
from service.http.auth import authenticate
from service.http.body import read_small_json
from service.http.public import html_response, language, limit, other_language_href, read_pool
from service.http.register import idempotency_key, parse_id
from service.http.responses import json_response, written_response
from service.http.state import POOL, SIGNING
from service.problems import VALIDATION_ERROR, FieldError, Problem
from service.ratelimit import Budget
from service.usecases import (
    blanks,
    copies,
    corrections,
    handovers,
    reissues,
    revocations,
    writes,
)
from service.usecases.access import ensure_may_write
from service.usecases.revocations import published_revocations
from service.usecases.writes import Write
from service.web.pages import revocations_page

SMALL_BODY = 16 * 1024
LIST_BODY = 512 * 1024  # a destruction's minutes may list thousands of serials

M = TypeVar("M", bound=BaseModel)


async def _record(
    request: web.Request,
    parse: Callable[[Any], M],
    act: Callable[[Write, M], Awaitable[Event]],
    location: Callable[[Any], str],
    *,
    max_bytes: int = SMALL_BODY,
) -> web.Response:
    principal = await authenticate(request)
    ensure_may_write(principal)
    key = idempotency_key(request)
    parsed = parse(await read_small_json(request, max_bytes=max_bytes))
    written = await writes.run(
        request.app[POOL],
        principal,
        lambda w: act(w, parsed),
        signing=request.app[SIGNING],
        idempotency_key=key,
        request_hash=writes.fingerprint(f"{request.method} {request.path}", parsed),
    )
    return written_response(written, location(written.answer))


def _diploma_id(request: web.Request) -> uuid.UUID:
    return parse_id(request.match_info["id"])


def _issuer_code(request: web.Request) -> str:
    return request.match_info["code"].upper()


def _diploma_location(answer: Any) -> str:
    return f"/api/v1/diplomas/{answer['diploma_id']}"


def _report_location(answer: Any) -> str:
    return f"/api/v1/issuers/{answer['issuer']}/blanks"


def _validator(model: type[M]) -> Callable[[Any], M]:
    return lambda body: validate(model, body)


async def post_revocation(request: web.Request) -> web.Response:
    diploma_id = _diploma_id(request)
    return await _record(
        request,
        _validator(RevocationIn),
        lambda w, parsed: revocations.revoke(w, diploma_id, parsed),
        _diploma_location,
    )


async def post_correction(request: web.Request) -> web.Response:
    diploma_id = _diploma_id(request)
    return await _record(
        request,
        parse_correction,
        lambda w, parsed: corrections.correct(w, diploma_id, parsed),
        _diploma_location,
    )


async def post_reissue(request: web.Request) -> web.Response:
    diploma_id = _diploma_id(request)
    return await _record(
        request,
        _validator(ReissueIn),
        lambda w, parsed: reissues.reissue(w, diploma_id, parsed),
        lambda answer: f"/api/v1/diplomas/{answer['diploma']['id']}",
    )


async def post_copy(request: web.Request) -> web.Response:
    diploma_id = _diploma_id(request)
    return await _record(
        request,
        _validator(CopyIn),
        lambda w, parsed: copies.certify(w, diploma_id, parsed),
        _diploma_location,
    )


async def post_handover(request: web.Request) -> web.Response:
    diploma_id = _diploma_id(request)
    return await _record(
        request,
        parse_handover,
        lambda w, parsed: handovers.hand_over(w, diploma_id, parsed),
        _diploma_location,
    )


async def post_blank_receipt(request: web.Request) -> web.Response:
    code = _issuer_code(request)
    return await _record(
        request,
        _validator(BlankReceiptIn),
        lambda w, parsed: blanks.receive(w, code, parsed),
        _report_location,
    )


async def post_blanks_spoiled(request: web.Request) -> web.Response:
    code = _issuer_code(request)
    return await _record(
        request,
        _validator(BlankSpoilIn),
        lambda w, parsed: blanks.spoil(w, code, parsed),
        _report_location,
        max_bytes=LIST_BODY,
    )


async def post_blank_destruction(request: web.Request) -> web.Response:
    code = _issuer_code(request)
    return await _record(
        request,
        _validator(BlankDestructionIn),
        lambda w, parsed: blanks.destroy(w, code, parsed),
        _report_location,
        max_bytes=LIST_BODY,
    )


async def get_blank_report(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    raw = request.query.get("year", "")
    if not (raw.isdigit() and 1900 <= int(raw) <= 2100):
        raise Problem(
            VALIDATION_ERROR,
            errors=[FieldError(("year",), "year", *texts.REPORT_YEAR)],
        )
    report = await blanks.report(request.app[POOL], principal, _issuer_code(request), int(raw))
    return json_response(report)


async def revocations_api(request: web.Request) -> web.Response:
    await limit(request, Budget.OPEN)
    published = await published_revocations(read_pool(request), _issuer_code(request))
    return json_response(published, headers={"Cache-Control": "public, max-age=60"})


async def revocations_html(request: web.Request) -> web.Response:
    await limit(request, Budget.OPEN)
    published = await published_revocations(read_pool(request), _issuer_code(request))
    lang = language(request)
    page = revocations_page(
        published.issuer,
        published.name,
        [r.model_dump(mode="json") for r in published.revocations],
        lang=lang,
        other_href=other_language_href(request, lang),
    )
    return html_response(request, page, lang, cache="public, max-age=60")
