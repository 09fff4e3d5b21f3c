"""The console's printing (docs/printing.md): the issuer's printer calibration with its test
print, and one diploma's page on its blank or as its check sheet."""

from __future__ import annotations

from aiohttp import web

from service.db.sessions import SessionRow
from service.domain.graduates import validate
from service.domain.printing import CalibrationIn
from service.http import printing
from service.http import session as gate
from service.http.forms import form_fields
from service.http.public import html_response, language
from service.http.state import POOL, SIGNING
from service.problems import NOT_FOUND, VALIDATION_ERROR, Problem
from service.texts import CONSOLE_PAGE, Text
from service.usecases import calibration
from service.usecases.access import ensure_may_write
from service.web.printer_pages import printer_page

PAGE = "/quan-ly/may-in"
_FORM_BYTES = 4096
_FIELDS = {"offset_x": "offset_x_mm", "offset_y": "offset_y_mm", "scale": "scale"}


def _issuer(current: SessionRow) -> str:
    code = current.principal.issuer_code
    if code is None:
        raise Problem(NOT_FOUND)
    return code


async def _render(
    request: web.Request,
    current: SessionRow,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, Text] | None = None,
    notice: Text | None = None,
    status: int = 200,
) -> web.Response:
    code = _issuer(current)
    setting = await calibration.read(request.app[POOL], current.principal, code)
    layouts = calibration.list_layouts(module_mm=printing.module_mm(request)).layouts
    body = printer_page(
        gate.frame(request, current),
        code,
        setting,
        layouts,
        values=values,
        errors=errors,
        notice=notice,
    )
    return html_response(request, body, language(request), status=status, cache="no-store")


async def printer(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    notice = CONSOLE_PAGE["pr_saved"] if "da-luu" in request.query else None
    return await _render(request, current, notice=notice)


def _number(raw: str) -> float | str:
    """What a clerk types: 1,5 or 1.5, a minus sign of either kind; else the text itself,
    which the model refuses beside its field."""
    cleaned = raw.strip().replace(",", ".").replace("\u2212", "-")
    try:
        return float(cleaned)
    except ValueError:
        return raw


async def printer_post(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    ensure_may_write(current.principal)
    if request.content_length is not None and request.content_length > _FORM_BYTES:
        raise web.HTTPRequestEntityTooLarge(_FORM_BYTES, request.content_length)
    posted = await form_fields(request)
    gate.check_form(request, posted)
    values = {name: posted.get(name, "")[:20] for name in _FIELDS}
    errors: dict[str, Text] = {}
    data = {}
    for name, field in _FIELDS.items():
        number = _number(values[name])
        if isinstance(number, str):
            errors[name] = CONSOLE_PAGE["pr_number"]
        data[field] = number
    try:
        parsed = validate(CalibrationIn, data)
    except Problem as problem:
        if problem.type is not VALIDATION_ERROR:
            raise
        back = {field: name for name, field in _FIELDS.items()}
        for error in problem.errors:
            name = back.get(str(error.loc[-1]), "offset_x")
            errors.setdefault(name, Text(error.message_vi, error.message_en))
    else:
        await calibration.save(request.app[POOL], current.principal, _issuer(current), parsed)
        raise gate.redirect(f"{PAGE}?da-luu=1", language(request))
    ordered = {name: errors[name] for name in _FIELDS if name in errors}  # the form's order
    return await _render(request, current, values=values, errors=ordered, status=422)


async def calibration_pdf(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    layout = printing.layout_param(request, required=True)
    assert layout is not None
    body = await calibration.page(
        request.app[POOL],
        current.principal,
        _issuer(current),
        layout,
        module_mm=printing.module_mm(request),
        executor=request.app[SIGNING].executor,
    )
    return printing.pdf(body, f"can-chinh-{layout}")


async def diploma_pdf(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    return await printing.diploma_response(request, current.principal)


async def copy_pdf(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    return await printing.copy_response(request, current.principal)
