"""Handlers of the digital diploma check (docs/digital-diplomas.md, "How an employer checks a
document"): the public page where an employer uploads the PDF a holder sent, and
POST /api/v1/verify-pdf for software. Rate-limited as QR checks are; the file is read into
memory up to VANBANG_MAX_PDF_BYTES, checked, and dropped: nothing is written."""

from __future__ import annotations

from typing import Any

from aiohttp import BodyPartReader, web

from service import metrics, texts
from service.http.forms import parts, readable
from service.http.public import (
    html_response,
    issuer_name,
    language,
    limit,
    other_language_href,
    read_pool,
)
from service.http.responses import json_response
from service.http.state import COUNTER, PDF_ROOTS, SETTINGS, STANDING, TRUST_LIST
from service.problems import NOT_A_PDF, PAYLOAD_TOO_LARGE, Problem
from service.ratelimit import Budget
from service.usecases.pdf_verification import verify_pdf
from service.web.pages import pdf_check_page, result_page
from verifier.result import VerificationResult

PAGE = "/kiem-tra-van-bang-so"
CHUNK = 64 * 1024


def _too_large(max_bytes: int) -> Problem:
    return Problem(PAYLOAD_TOO_LARGE, *texts.PDF_TOO_LARGE.format(mb=max_bytes >> 20))


async def _read(stream: BodyPartReader | web.Request, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if isinstance(stream, BodyPartReader):
            chunk = await stream.read_chunk(CHUNK)
        else:
            chunk = await stream.content.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)


async def _document(request: web.Request) -> bytes:
    """The PDF: the body itself, or a multipart form's `file` part; a problem when it is
    too large or not a PDF."""
    max_bytes = request.app[SETTINGS].max_pdf_bytes
    if request.content_length is not None and request.content_length > max_bytes + CHUNK:
        raise _too_large(max_bytes)
    data = b""
    if request.content_type.startswith("multipart/"):
        async for part in parts(request):
            if part.name == "file":
                with readable():
                    data = await _read(part, max_bytes)
                break
    else:
        data = await _read(request, max_bytes)
    if not data.startswith(b"%PDF-"):
        raise Problem(NOT_A_PDF, *texts.NOT_A_PDF)
    return data


async def _check(request: web.Request) -> VerificationResult:
    await limit(request, Budget.QR)
    data = await _document(request)
    roots: tuple[Any, ...] = request.app[PDF_ROOTS]
    result, diploma_id = await verify_pdf(
        read_pool(request),
        request.app[STANDING],
        request.app[TRUST_LIST],
        roots,
        data,
    )
    metrics.verified("pdf", result.verdict)
    if diploma_id is not None:
        request.app[COUNTER].count(diploma_id)
    return result


async def page(request: web.Request) -> web.Response:
    """GET /kiem-tra-van-bang-so: the upload form."""
    lang = language(request)
    body = pdf_check_page(
        lang=lang,
        other_href=other_language_href(request, lang),
        most=request.app[SETTINGS].max_pdf_bytes,
    )
    return html_response(request, body, lang)


async def upload(request: web.Request) -> web.Response:
    """POST /kiem-tra-van-bang-so: the result page, or the form again with what is wrong
    with the file beside its field."""
    lang = language(request)
    try:
        result = await _check(request)
    except Problem as problem:
        if problem.type not in (NOT_A_PDF, PAYLOAD_TOO_LARGE):
            raise
        body = pdf_check_page(
            lang=lang,
            other_href=other_language_href(request, lang),
            most=request.app[SETTINGS].max_pdf_bytes,
            error=(problem.detail_vi if lang == "vi" else problem.detail_en) or "",
        )
        return html_response(request, body, lang, status=problem.type.status)
    page = result_page(
        result,
        lang=lang,
        issuer_name=await issuer_name(request, result.fields.get("issuer")),
        other_href=other_language_href(request, lang),
    )
    return html_response(request, page, lang)


async def api(request: web.Request) -> web.Response:
    """POST /api/v1/verify-pdf: the body the PDF (or a form's `file`); the answer the result
    shape of /api/v1/verify (?lang=en or Accept-Language for English)."""
    result = await _check(request)
    return json_response(result.to_dict(language(request)), headers={"Cache-Control": "no-store"})
