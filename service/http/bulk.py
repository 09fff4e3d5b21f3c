"""Handlers of the bulk check (docs/verification.md, "Kiểm tra hàng loạt"): the page where an
HR officer uploads a file of QR texts or a ZIP of photos of QR codes and downloads it back
with the results, and the same for HR systems at /api/v1/bulk-verify."""

from __future__ import annotations

from aiohttp import web

from service import texts
from service.domain.bulk import MAX_LOOKUPS, MAX_ROWS
from service.http import session as gate
from service.http.audit import attachment
from service.http.forms import parts, read_part, readable, text_field
from service.http.public import html_response, language, limit, other_language_href, read_pool
from service.http.state import CHECKED, COUNTER, RATE_LIMITER, SETTINGS, STANDING, TRUST_LIST
from service.problems import PAYLOAD_TOO_LARGE, RATE_LIMITED, VALIDATION_ERROR, Problem
from service.ratelimit import Budget, RateLimiter
from service.usecases import bulk
from service.web import console_pages
from service.web.pages import bulk_page


def _too_large(max_bytes: int) -> Problem:
    return Problem(PAYLOAD_TOO_LARGE, *texts.CONSOLE_FILE_TOO_LARGE.format(mb=max_bytes >> 20))


async def _file(request: web.Request, max_bytes: int) -> tuple[str, bytes]:
    """The form's file: its name and bytes (none when no file was chosen)."""
    if request.content_length is not None and request.content_length > max_bytes + 65536:
        raise _too_large(max_bytes)
    if not request.content_type.startswith("multipart/"):
        return "", b""
    async for part in parts(request):
        if part.name == "file":
            return part.filename or "", await read_part(part, max_bytes, _too_large(max_bytes))
    return "", b""


async def _answer(request: web.Request, file_name: str, data: bytes) -> web.Response:
    answered = await bulk.check_file(
        read_pool(request),
        request.app[STANDING],
        request.app[TRUST_LIST],
        request.app[CHECKED],
        data,
        file_name,
        language(request),
    )
    return _download(request, answered)


def _download(request: web.Request, answered: bulk.Answered) -> web.Response:
    """The file back, its diplomas counted as each check counts them."""
    for diploma_id in answered.diplomas:
        request.app[COUNTER].count(diploma_id)
    return web.Response(
        body=answered.body,
        headers={
            **attachment(answered.file_name),
            "Content-Type": answered.media_type,
            "Cache-Control": "no-store",
            "X-Checked": str(answered.checked),
        },
    )


async def page(request: web.Request) -> web.Response:
    """GET /kiem-tra-hang-loat: the upload form."""
    lang = language(request)
    body = bulk_page(lang=lang, other_href=other_language_href(request, lang), most=MAX_ROWS)
    return html_response(request, body, lang)


async def upload(request: web.Request) -> web.Response:
    """POST /kiem-tra-hang-loat: the file back with the results, or the form again with what
    is wrong beside the file field."""
    await limit(request, Budget.QR)
    lang = language(request)
    try:
        file_name, data = await _file(request, request.app[SETTINGS].max_body_bytes)
        return await _answer(request, file_name, data)
    except Problem as problem:
        if problem.type is VALIDATION_ERROR and problem.errors:
            error = problem.errors[0]
            message = error.message_vi if lang == "vi" else error.message_en
        elif problem.type.status in (400, 413):
            message = (problem.detail_vi if lang == "vi" else problem.detail_en) or ""
        else:
            raise
        body = bulk_page(
            lang=lang, other_href=other_language_href(request, lang), most=MAX_ROWS, error=message
        )
        return html_response(request, body, lang, status=problem.type.status)


async def api(request: web.Request) -> web.Response:
    """POST /api/v1/bulk-verify: the body is the file (CSV, XLSX or ZIP of images); the
    answer the same file with the results (?lang=en for English headings)."""
    await limit(request, Budget.QR)
    max_bytes = request.app[SETTINGS].max_body_bytes
    if request.content_length is not None and request.content_length > max_bytes:
        raise _too_large(max_bytes)
    data = await request.read()
    return await _answer(request, request.query.get("name", "tep"), data)


# The bulk lookup by serial and date of birth: signed-in staff only, a purpose stated -----

LOOKUP_PAGE = "/quan-ly/tra-cuu-hang-loat"


async def _form_parts(request: web.Request, max_bytes: int) -> tuple[dict[str, str], str, bytes]:
    """The form's fields (the token first, checked before anything else is read), the file's
    name and its bytes."""
    if request.content_length is not None and request.content_length > max_bytes + 65536:
        raise _too_large(max_bytes)
    fields: dict[str, str] = {}
    name, data = "", b""
    if request.content_type.startswith("multipart/"):
        async for part in parts(request):
            if part.name == "file":
                gate.check_form(request, fields)
                name = part.filename or ""
                data = await read_part(part, max_bytes, _too_large(max_bytes))
            elif part.name in ("form_token", "purpose"):
                with readable():
                    chunk = await part.read_chunk(4096)
                fields[part.name] = text_field(chunk.decode("utf-8", "replace"))
    gate.check_form(request, fields)
    return fields, name, data


async def lookup_page(request: web.Request) -> web.StreamResponse:
    """GET /quan-ly/tra-cuu-hang-loat: the form."""
    current = await gate.require(request)
    body = console_pages.bulk_lookup_page(gate.frame(request, current), most=MAX_LOOKUPS)
    return html_response(request, body, language(request), cache="no-store")


async def lookup_upload(request: web.Request) -> web.StreamResponse:
    """POST /quan-ly/tra-cuu-hang-loat: the file back with each row's lookup, journalled with
    its purpose; or the form again, what is wrong beside its field."""
    current = await gate.require(request)
    lang = language(request)
    fields, file_name, data = await _form_parts(request, request.app[SETTINGS].max_body_bytes)
    account = f"account:{current.principal.account_id}"
    wait = await request.app[RATE_LIMITER].take(Budget.BULK_LOOKUP, account)
    if wait:
        retry = RateLimiter.retry_after(wait)
        raise Problem(
            RATE_LIMITED, *texts.RETRY_AFTER.format(seconds=retry), headers={"Retry-After": retry}
        )
    try:
        answered = await bulk.lookup_file(
            read_pool(request),
            request.app[TRUST_LIST],
            current.principal,
            data,
            file_name,
            fields.get("purpose", ""),
            lang,
        )
    except Problem as problem:
        if problem.type is VALIDATION_ERROR and problem.errors:
            error = problem.errors[0]
            field = str(error.loc[-1])
            message = error.message_vi if lang == "vi" else error.message_en
        elif problem.type.status in (400, 413):
            field = "file"
            message = (problem.detail_vi if lang == "vi" else problem.detail_en) or ""
        else:
            raise
        body = console_pages.bulk_lookup_page(
            gate.frame(request, current),
            most=MAX_LOOKUPS,
            purpose=fields.get("purpose", "")[:500],
            errors={field: message},
        )
        return html_response(request, body, lang, status=problem.type.status, cache="no-store")
    return _download(request, answered)
