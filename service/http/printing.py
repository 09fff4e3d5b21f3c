"""Handlers for printing onto the blank forms (docs/printing.md): the layouts, an issuer's
printer calibration and its calibration page, one diploma's page, and a certified copy."""

from __future__ import annotations

from typing import cast

from aiohttp import web

from service import texts
from service.domain.accounts import Principal
from service.domain.graduates import validate
from service.domain.printing import CalibrationIn
from service.http.auth import authenticate
from service.http.body import read_small_json
from service.http.qr import _attachment
from service.http.register import parse_id
from service.http.responses import json_response
from service.http.state import POOL, SETTINGS, SIGNING
from service.printing.layout import shipped_layouts
from service.problems import INVALID_PARAMETER, FieldError, Problem
from service.usecases import blank_printing, calibration, copies

SMALL_BODY = 4 * 1024


def module_mm(request: web.Request) -> float:
    return request.app[SETTINGS].qr_module_mm


def _code(request: web.Request) -> str:
    return request.match_info["code"].upper()


def layout_param(request: web.Request, *, required: bool) -> str | None:
    name = request.query.get("layout")
    layouts = shipped_layouts(module_mm(request))
    if name is None and not required:
        return None
    if name not in layouts:
        message = texts.PRINT_LAYOUT_UNKNOWN.format(names=", ".join(layouts))
        raise Problem(
            INVALID_PARAMETER,
            errors=[FieldError(("layout",), "unknown" if name else "missing", *message)],
        )
    return name


def document_param(request: web.Request) -> blank_printing.Document:
    # The check sheet unless asked: a blank is a controlled form, a print by mistake spoils it.
    value = request.query.get("document", "check")
    if value not in ("blank", "check", "preview"):
        raise Problem(
            INVALID_PARAMETER,
            errors=[FieldError(("document",), "invalid", *texts.PRINT_DOCUMENT_CHOICES)],
        )
    return cast(blank_printing.Document, value)


async def list_layouts(request: web.Request) -> web.Response:
    await authenticate(request)
    return json_response(calibration.list_layouts(module_mm=module_mm(request)))


async def get_calibration(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    return json_response(await calibration.read(request.app[POOL], principal, _code(request)))


async def put_calibration(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    parsed = validate(CalibrationIn, await read_small_json(request, max_bytes=SMALL_BODY))
    saved = await calibration.save(request.app[POOL], principal, _code(request), parsed)
    return json_response(saved)


def pdf(body: bytes, name: str) -> web.Response:
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={
            "Content-Disposition": _attachment(name, "pdf"),
            "Cache-Control": "private, no-store",
        },
    )


async def calibration_pdf(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    layout = layout_param(request, required=True)
    assert layout is not None
    body = await calibration.page(
        request.app[POOL],
        principal,
        _code(request),
        layout,
        module_mm=module_mm(request),
        executor=request.app[SIGNING].executor,
    )
    return pdf(body, f"can-chinh-{layout}")


async def diploma_pdf(request: web.Request) -> web.Response:
    return await diploma_response(request, await authenticate(request))


async def diploma_response(request: web.Request, principal: Principal) -> web.Response:
    """One diploma's page (the API's and the console's)."""
    diploma_id = parse_id(request.match_info["id"])
    document = document_param(request)
    layout = layout_param(request, required=False)
    signing = request.app[SIGNING]
    body, serial = await blank_printing.diploma_print(
        request.app[POOL],
        principal,
        diploma_id,
        document=document,
        layout=layout,
        keystore=signing.keystore,
        public_url=request.app[SETTINGS].public_url,
        module_mm=module_mm(request),
        executor=signing.executor,
    )
    prefix = {"blank": "van-bang", "check": "kiem-tra", "preview": "xem-truoc"}[document]
    return pdf(body, f"{prefix}-{serial}")


async def copy_pdf(request: web.Request) -> web.Response:
    return await copy_response(request, await authenticate(request))


async def copy_response(request: web.Request, principal: Principal) -> web.Response:
    """A certified copy's pages as issued (the API's and the console's)."""
    made = await copies.document(
        request.app[POOL],
        principal,
        parse_id(request.match_info["id"]),
        parse_id(request.match_info["copy_id"]),
        signing=request.app[SIGNING],
        public_url=request.app[SETTINGS].public_url,
        module_mm=module_mm(request),
    )
    prefix = "ban-sao-" if made.level is None else "trich-luc-"
    response = pdf(made.body, prefix + made.number.replace("/", "-"))
    if made.level is not None:
        response.headers["X-Signature-Level"] = f"PAdES {made.level}"
    return response
