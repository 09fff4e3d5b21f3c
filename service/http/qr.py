"""Handlers for QR images and printed decisions, and the print jobs of large ones
(docs/printing.md)."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from service import texts
from service.domain.accounts import Principal
from service.domain.graduates import validate
from service.domain.jobs import DocumentKind, PrintJobIn
from service.http.audit import attachment
from service.http.auth import authenticate
from service.http.body import read_small_json
from service.http.register import parse_id
from service.http.responses import job_accepted
from service.http.state import POOL, SETTINGS, SIGNING
from service.problems import VALIDATION_ERROR, FieldError, Problem
from service.settings import QR_MODULE_RANGE
from service.usecases import jobs, printing


def _number(request: web.Request, name: str, default: float, low: float, high: float) -> float:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise Problem(
            VALIDATION_ERROR,
            errors=[
                FieldError(
                    (name,),
                    "out_of_range",
                    *texts.NUMBER_OUT_OF_RANGE.format(low=f"{low:g}", high=f"{high:g}"),
                )
            ],
        )
    return value


def _attachment(name: str, suffix: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)
    return f"inline; filename=\"{safe}.{suffix}\"; filename*=UTF-8''{quote(name)}.{suffix}"


async def _qr(request: web.Request, image: printing.ImageFormat) -> web.Response:
    return await qr_response(request, await authenticate(request), image)


async def qr_response(
    request: web.Request, principal: Principal, image: printing.ImageFormat
) -> web.Response:
    """A diploma's QR image (the API's and the console's), sized by its modules."""
    diploma_id = parse_id(request.match_info["id"])
    if "size_mm" in request.query:  # the size follows the modules now: say so, not ignore it
        raise Problem(
            VALIDATION_ERROR,
            errors=[FieldError(("size_mm",), "replaced", *texts.QR_SIZE_REPLACED)],
        )
    settings = request.app[SETTINGS]
    module_mm = _number(request, "module_mm", settings.qr_module_mm, *QR_MODULE_RANGE)
    dpi = int(_number(request, "dpi", 300, 72, 1200))
    data, serial = await printing.diploma_qr(
        request.app[POOL],
        principal,
        diploma_id,
        keystore=request.app[SIGNING].keystore,
        public_url=settings.public_url,
        image=image,
        module_mm=module_mm,
        dpi=dpi,
    )
    content_type = "image/png" if image == "png" else "image/svg+xml"
    return web.Response(
        body=data,
        content_type=content_type,
        headers={
            "Content-Disposition": _attachment(f"qr-{serial}", image),
            "Cache-Control": "private, max-age=3600",
        },
    )


async def diploma_png(request: web.Request) -> web.Response:
    return await _qr(request, "png")


async def diploma_svg(request: web.Request) -> web.Response:
    return await _qr(request, "svg")


def _document(request: web.Request) -> DocumentKind:
    """The `document` query parameter: check (the default) or blank."""
    if "document" not in request.query:
        return "check"
    return validate(PrintJobIn, {"document": request.query["document"]}).document


async def decision_pdf(request: web.Request) -> web.Response:
    return await pdf_response(request, await authenticate(request))


async def pdf_response(request: web.Request, principal: Principal) -> web.Response:
    """A decision's printed document (the API's and the console's): a decision of more
    diplomas than VANBANG_JOB_ROWS is print-as-job, made by POST .../print-jobs instead."""
    decision_id = parse_id(request.match_info["id"])
    signing = request.app[SIGNING]
    settings = request.app[SETTINGS]
    pdf, number = await printing.decision_pdf(
        request.app[POOL],
        principal,
        decision_id,
        keystore=signing.keystore,
        public_url=settings.public_url,
        executor=signing.executor,
        module_mm=settings.qr_module_mm,
        what=_document(request),
        most=settings.job_rows,
    )
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={
            "Content-Disposition": _attachment(f"quyet-dinh-{number}", "pdf"),
            "Cache-Control": "private, no-store",
        },
    )


async def decision_print_job(request: web.Request) -> web.Response:
    """POST /api/v1/graduation-decisions/{id}/print-jobs: the decision's document made by a
    background job of the token's person; asked again while it is being made, the same job."""
    principal = await authenticate(request)
    decision_id = parse_id(request.match_info["id"])
    body = await read_small_json(request, max_bytes=1024) if request.body_exists else None
    document = validate(PrintJobIn, body).document if body else _document(request)
    pool = request.app[POOL]
    job_id = await jobs.queue_print(pool, principal, decision_id, document)
    job = await jobs.read(pool, principal, job_id)
    return job_accepted(jobs.view(job), job_id)


async def job_file(request: web.Request) -> web.Response:
    """GET /api/v1/jobs/{id}/file: the file a finished print job made, to its person."""
    principal = await authenticate(request)
    found = await jobs.print_file(request.app[POOL], principal, parse_id(request.match_info["id"]))
    return web.Response(
        body=found["content"],
        content_type=found["media_type"],
        headers={**attachment(found["file_name"]), "Cache-Control": "private, no-store"},
    )
