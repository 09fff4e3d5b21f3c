"""Handlers for lifecycle decisions (corrections, re-issues, revocations, certified copies,
blank forms) and the published revocation list. Each action runs in one transaction through
service.lifecycle.record, and takes an Idempotency-Key as registration does."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from aiohttp import web
from pydantic import BaseModel

from service import blanks, copies, corrections, lifecycle, reissues
from service.db.register import get_issuer
from service.domain.accounts import Principal
from service.domain.graduates import validate
from service.domain.lifecycle import (
    BlankDestructionIn,
    BlankReceiptIn,
    BlankSpoilIn,
    CopyIn,
    ReissueIn,
    RevocationIn,
    parse_correction,
)
from service.http.auth import authenticate
from service.http.body import read_small_json
from service.http.public import html_response, language, limit, other_language_href, read_pool
from service.http.register import idempotency_key, parse_id
from service.http.responses import json_response
from service.http.state import POOL, SIGNING
from service.problems import NOT_FOUND, VALIDATION_ERROR, FieldError, Problem
from service.register import ensure_may_register
from service.signing import Signing
from service.web.pages import revocations_page

SMALL_BODY = 16 * 1024
LIST_BODY = 512 * 1024  # a destruction's minutes may list thousands of serials

# (connection, principal, parsed request, signing) -> the answer
Act = Callable[[Any, Principal, Any, Signing], Awaitable[dict[str, Any]]]


async def _record(
    request: web.Request,
    parse: Callable[[Any], BaseModel],
    act: Act,
    location: Callable[[dict[str, Any]], str],
    *,
    max_bytes: int = SMALL_BODY,
) -> web.Response:
    principal = await authenticate(request)
    ensure_may_register(principal)
    key = idempotency_key(request)
    parsed = parse(await read_small_json(request, max_bytes=max_bytes))
    signing = request.app[SIGNING]
    recorded = await lifecycle.record(
        request.app[POOL],
        principal,
        lambda conn: act(conn, principal, parsed, signing),
        idempotency_key=key,
        what=f"{request.method} {request.path}",
        request=parsed,
    )
    headers = {"Location": location(orjson.loads(recorded.body))}
    if recorded.replayed:
        headers["Idempotent-Replayed"] = "true"
    return web.Response(
        status=recorded.status,
        body=recorded.body,
        headers=headers,
        content_type="application/json",
    )


def _diploma_id(request: web.Request) -> uuid.UUID:
    return parse_id(request.match_info["id"])


def _issuer_code(request: web.Request) -> str:
    return request.match_info["code"].upper()


def _diploma_location(answer: dict[str, Any]) -> str:
    return f"/api/v1/diplomas/{answer['diploma_id']}"


async def post_revocation(request: web.Request) -> web.Response:
    diploma_id = _diploma_id(request)
    return await _record(
        request,
        lambda body: validate(RevocationIn, body),
        lambda conn, who, parsed, signing: lifecycle.revoke(
            conn, who, diploma_id, parsed, signing=signing
        ),
        _diploma_location,
    )


async def post_correction(request: web.Request) -> web.Response:
    diploma_id = _diploma_id(request)
    return await _record(
        request,
        parse_correction,
        lambda conn, who, parsed, signing: corrections.correct(
            conn, who, diploma_id, parsed, signing=signing
        ),
        _diploma_location,
    )


async def post_reissue(request: web.Request) -> web.Response:
    diploma_id = _diploma_id(request)
    return await _record(
        request,
        lambda body: validate(ReissueIn, body),
        lambda conn, who, parsed, signing: reissues.reissue(
            conn, who, diploma_id, parsed, signing=signing
        ),
        lambda answer: f"/api/v1/diplomas/{answer['diploma']['id']}",
    )


async def post_copy(request: web.Request) -> web.Response:
    diploma_id = _diploma_id(request)
    return await _record(
        request,
        lambda body: validate(CopyIn, body),
        lambda conn, who, parsed, signing: copies.certify(
            conn, who, diploma_id, parsed, signing=signing
        ),
        _diploma_location,
    )


def _report_location(answer: dict[str, Any]) -> str:
    return f"/api/v1/issuers/{answer['issuer']}/blanks"


async def post_blank_receipt(request: web.Request) -> web.Response:
    code = _issuer_code(request)
    return await _record(
        request,
        lambda body: validate(BlankReceiptIn, body),
        lambda conn, who, parsed, signing: blanks.receive(conn, who, code, parsed, signing=signing),
        _report_location,
    )


async def post_blanks_spoiled(request: web.Request) -> web.Response:
    code = _issuer_code(request)
    return await _record(
        request,
        lambda body: validate(BlankSpoilIn, body),
        lambda conn, who, parsed, signing: blanks.spoil(conn, who, code, parsed, signing=signing),
        _report_location,
        max_bytes=LIST_BODY,
    )


async def post_blank_destruction(request: web.Request) -> web.Response:
    code = _issuer_code(request)
    return await _record(
        request,
        lambda body: validate(BlankDestructionIn, body),
        lambda conn, who, parsed, signing: blanks.destroy(conn, who, code, parsed, signing=signing),
        _report_location,
        max_bytes=LIST_BODY,
    )


async def get_blank_report(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    raw = request.query.get("year", "")
    if not (raw.isdigit() and 1900 <= int(raw) <= 2100):
        raise Problem(
            VALIDATION_ERROR,
            errors=[
                FieldError(
                    ("year",),
                    "year",
                    "Phải ghi năm báo cáo, ví dụ ?year=2025",
                    "Give the report's year, e.g. ?year=2025",
                )
            ],
        )
    report = await blanks.report(request.app[POOL], principal, _issuer_code(request), int(raw))
    return json_response(report)


async def _published(request: web.Request) -> tuple[str, str, list[dict[str, object]]]:
    limit(request)
    code = _issuer_code(request)
    pool = read_pool(request)
    async with pool.acquire() as conn:
        issuer = await get_issuer(conn, code)
    if issuer is None:
        raise Problem(NOT_FOUND)
    return code, issuer.name, await lifecycle.issuer_revocations(pool, code)


async def revocations_api(request: web.Request) -> web.Response:
    code, name, revocations = await _published(request)
    return json_response(
        {"issuer": code, "name": name, "revocations": revocations},
        headers={"Cache-Control": "public, max-age=60"},
    )


async def revocations_html(request: web.Request) -> web.Response:
    code, name, revocations = await _published(request)
    lang = language(request)
    page = revocations_page(
        code, name, revocations, lang=lang, other_href=other_language_href(request, lang)
    )
    return html_response(request, page, lang, cache="public, max-age=60")
