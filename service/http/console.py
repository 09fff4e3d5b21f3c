"""The clerk's console's pages (docs/console.md): the home, registering a decision (upload or
typed list, checked as a dry run, previewed, confirmed), a decision's page and a diploma's.
Thin: each passes the gate, reads its form (checking its token), calls a use case and
renders, or redirects (303, so that a reload never posts twice)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from aiohttp import web
from markupsafe import Markup

from service import texts
from service.db.sessions import SessionRow
from service.domain.clock import VIETNAM
from service.domain.graduates import validate
from service.domain.jobs import PrintJobIn
from service.domain.kinds import DiplomaKind
from service.formats.uploads import CSV, ParsedBody, media_type_for, parse_body
from service.http import console_actions, qr
from service.http import session as gate
from service.http.audit import attachment, xlsx_response
from service.http.forms import form_fields, parts, read_part, readable
from service.http.public import html_response, language
from service.http.register import parse_id
from service.http.state import LOG_SIGNER, POOL, SETTINGS, SIGNING
from service.problems import MALFORMED_BODY, PAYLOAD_TOO_LARGE, PRINT_AS_JOB, Problem
from service.usecases import (
    audit,
    digital,
    diplomas,
    issuance_log,
    jobs,
    overview,
    printing,
    staging,
)
from service.usecases.access import ensure_may_write
from service.web import console_pages as pages
from service.web import log_pages
from service.web.texts import kind_title
from verifier.result import Lang

_FORM_BYTES = 64 * 1024  # the typed form: a few graduates
REGISTER = "/quan-ly/dang-ky"


def _page(request: web.Request, body: str, *, status: int = 200) -> web.Response:
    return html_response(request, body, language(request), status=status, cache="no-store")


def _kinds(lang: Lang) -> list[tuple[str, str]]:
    return [(kind.value, kind_title(kind, lang)) for kind in DiplomaKind]


def _message(problem: Problem, lang: Lang) -> str:
    """A problem without field errors, in a sentence: its detail, else its type's title."""
    if lang == "vi":
        return problem.detail_vi or problem.type.title_vi
    return problem.detail_en or problem.type.title_en


async def _writer(request: web.Request) -> SessionRow:
    current = await gate.require(request)
    ensure_may_write(current.principal)
    return current


# The home ---------------------------------------------------------------------------------


async def home(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    today = datetime.now(VIETNAM).date()
    found = await overview.home(request.app[POOL], current.principal, today)
    return _page(request, pages.home_page(gate.frame(request, current), found))


# Registering a decision -------------------------------------------------------------------


async def register_form(request: web.Request) -> web.StreamResponse:
    current = await _writer(request)
    notice = texts.CONSOLE_PAGE["list_cancelled"] if "da-huy" in request.query else None
    return _page(request, _register_body(request, current, notice=notice))


def _register_body(request: web.Request, current: SessionRow, **shown: Any) -> str:
    frame = gate.frame(request, current)
    if request.method == "POST":  # the other language's link leads to the form, not a post
        other = "en" if frame.lang == "vi" else "vi"
        frame = dataclasses.replace(frame, other_href=f"{REGISTER}?lang={other}")
    return pages.register_page(
        frame,
        max_rows=request.app[SETTINGS].max_list_rows,
        kinds=_kinds(language(request)),
        **shown,
    )


async def register_upload(request: web.Request) -> web.StreamResponse:
    """The uploaded list, checked: on to its preview, or the form again with every error by
    row, column and cell (nothing kept)."""
    current = await _writer(request)
    settings = request.app[SETTINGS]
    lang = language(request)
    file_name, data = await _read_upload(request, settings.max_body_bytes)
    body = ParsedBody({}, None)
    try:
        if not data:
            raise Problem(MALFORMED_BODY, *texts.CONSOLE_NO_FILE)
        # A file named otherwise is read as CSV, whose reader says what the file really is.
        media_type = media_type_for(file_name or "") or CSV
        body = await parse_body(media_type, data, max_rows=settings.max_list_rows)
        staged_id = await staging.check(
            request.app[POOL],
            current.principal,
            body,
            file_name=file_name,
            signing=request.app[SIGNING],
        )
    except Problem as problem:
        listed = pages.list_errors(problem.errors, body.data, lang)
        shown = _register_body(
            request,
            current,
            upload_errors=listed,
            upload_message=None if listed else _message(problem, lang),
            file_name=file_name,
        )
        return _page(request, shown, status=422)
    raise gate.redirect(f"{REGISTER}/{staged_id}", lang)


async def _read_upload(request: web.Request, max_bytes: int) -> tuple[str | None, bytes]:
    """The form's file (name and bytes), read only once the form's token, which comes first
    in the form, has been checked."""
    too_large = Problem(PAYLOAD_TOO_LARGE, *texts.CONSOLE_FILE_TOO_LARGE.format(mb=max_bytes >> 20))
    if request.content_length is not None and request.content_length > max_bytes + 65536:
        raise too_large
    if not request.content_type.startswith("multipart/"):
        gate.check_form(request, {})
    checked = False
    async for part in parts(request):
        if part.name == "form_token":
            with readable():
                token = await part.read_chunk(256)
            gate.check_form(request, {"form_token": token.decode("latin-1")})
            checked = True
        elif part.name == "file":
            if not checked:
                gate.check_form(request, {})
            return part.filename or None, await read_part(part, max_bytes, too_large)
    if not checked:
        gate.check_form(request, {})
    return None, b""


async def register_typed(request: web.Request) -> web.StreamResponse:
    """The typed list: more rows, or checked as an upload is."""
    current = await _writer(request)
    lang = language(request)
    if request.content_length is not None and request.content_length > _FORM_BYTES:
        raise web.HTTPRequestEntityTooLarge(_FORM_BYTES, request.content_length)
    form = await form_fields(request)
    gate.check_form(request, form)
    typed = pages.typed_form(form)
    if form.get("action") == "add_rows":
        typed.rows = min(typed.rows + pages.TYPED_ROWS, pages.MAX_TYPED_ROWS)
        return _page(request, _register_body(request, current, typed=typed))
    data, rows = pages.typed_request(typed)
    try:
        if not data["graduates"]:
            raise Problem(MALFORMED_BODY, *texts.CONSOLE_NO_GRADUATES)
        staged_id = await staging.check(
            request.app[POOL],
            current.principal,
            ParsedBody(data, None),
            file_name=None,
            signing=request.app[SIGNING],
        )
    except Problem as problem:
        errors = pages.typed_errors(problem.errors, rows)
        shown = _register_body(
            request,
            current,
            typed=typed,
            typed_errors=errors,
            typed_message=None if errors else _message(problem, lang),
        )
        return _page(request, shown, status=422)
    raise gate.redirect(f"{REGISTER}/{staged_id}", lang)


async def preview(request: web.Request) -> web.StreamResponse:
    current = await _writer(request)
    staged = await staging.read(
        request.app[POOL],
        current.principal,
        parse_id(request.match_info["id"]),
        keystore=request.app[SIGNING].keystore,
    )
    lang = language(request)
    if staged.decision_id is not None:
        raise gate.redirect(f"/quan-ly/quyet-dinh/{staged.decision_id}", lang)
    if staged.state == "cancelled":
        raise gate.redirect(f"{REGISTER}?da-huy", lang)
    job_id = await jobs.of_staged(request.app[POOL], staged.id)
    if job_id is not None:  # confirmed, and being registered in the background
        raise gate.redirect(f"/quan-ly/viec/{job_id}", lang)
    return _page(request, pages.preview_page(gate.frame(request, current), staged))


async def confirm(request: web.Request) -> web.StreamResponse:
    current = await _writer(request)
    gate.check_form(request, await _small_form(request))
    lang = language(request)
    staged_id = parse_id(request.match_info["id"])
    settings = request.app[SETTINGS]
    try:
        confirmed = await staging.confirm(
            request.app[POOL],
            current.principal,
            staged_id,
            signing=request.app[SIGNING],
            job_rows=settings.job_rows,
            part_rows=settings.max_batch_rows,
        )
    except Problem as problem:
        if problem.type.status in (401, 403, 404):
            raise
        staged = await staging.read(
            request.app[POOL], current.principal, staged_id, keystore=request.app[SIGNING].keystore
        )
        data = orjson_request(staged)
        shown = _register_body(
            request,
            current,
            upload_errors=pages.list_errors(problem.errors, data, lang),
            upload_message=None if problem.errors else _message(problem, lang),
            file_name=staged.file_name,
        )
        return _page(request, shown, status=409 if problem.type.status == 409 else 422)
    if confirmed.job_id is not None:  # a large list: registered in the background
        raise gate.redirect(f"/quan-ly/viec/{confirmed.job_id}", lang)
    raise gate.redirect(f"/quan-ly/quyet-dinh/{confirmed.decision_id}?moi", lang)


def orjson_request(staged: staging.Staged) -> Any:
    return staged.request.model_dump(mode="json")


async def cancel(request: web.Request) -> web.StreamResponse:
    current = await _writer(request)
    gate.check_form(request, await _small_form(request))
    await staging.cancel(request.app[POOL], current.principal, parse_id(request.match_info["id"]))
    raise gate.redirect(f"{REGISTER}?da-huy", language(request))


async def _small_form(request: web.Request) -> dict[str, str]:
    if request.content_length is not None and request.content_length > 4096:
        raise web.HTTPRequestEntityTooLarge(4096, request.content_length)
    return await form_fields(request)


# A decision and a diploma -----------------------------------------------------------------


async def decision(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    decision_id = parse_id(request.match_info["id"])
    found, states = await diplomas.read_decision_with_states(
        request.app[POOL], current.principal, decision_id
    )
    job = await jobs.of_decision(request.app[POOL], decision_id)
    body = pages.decision_page(
        gate.frame(request, current),
        found,
        states,
        registered="moi" in request.query,
        job=job,
        digital=await digital.progress(request.app[POOL], found, datetime.now(VIETNAM).date()),
        print_as_job=len(found.diplomas) > request.app[SETTINGS].job_rows,  # a page each
    )
    return _page(request, body)


async def decision_print(request: web.Request) -> web.StreamResponse:
    """POST /quan-ly/quyet-dinh/{id}/in: a large decision's sheet, made by a background job;
    to its page, which shows the progress and then the file."""
    current = await gate.require(request)
    posted = await form_fields(request)
    gate.check_form(request, posted)
    document = validate(PrintJobIn, {"document": posted.get("document", "check")}).document
    job_id = await jobs.queue_print(
        request.app[POOL], current.principal, parse_id(request.match_info["id"]), document
    )
    raise gate.redirect(f"/quan-ly/viec/{job_id}", language(request))


async def job_file(request: web.Request) -> web.StreamResponse:
    """GET /quan-ly/viec/{id}/tep: the file a finished print job made, to its person."""
    current = await gate.require(request)
    found = await jobs.print_file(
        request.app[POOL], current.principal, parse_id(request.match_info["id"])
    )
    return web.Response(
        body=found["content"],
        content_type=found["media_type"],
        headers={**attachment(found["file_name"]), "Cache-Control": "private, no-store"},
    )


async def decision_register_xlsx(request: web.Request) -> web.StreamResponse:
    """The decision's entries in the register (sổ gốc), as the auditors' export has them."""
    current = await gate.require(request)
    decision_id = parse_id(request.match_info["id"])
    export = await audit.decision_register(request.app[POOL], current.principal, decision_id)
    return await xlsx_response(export)


async def job(request: web.Request) -> web.StreamResponse:
    """A background job's progress, to the person who started it (docs/jobs.md)."""
    current = await gate.require(request)
    found = await jobs.read(
        request.app[POOL], current.principal, parse_id(request.match_info["id"])
    )
    return _page(request, pages.job_page(gate.frame(request, current), found))


async def decision_pdf(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    try:
        return await qr.pdf_response(request, current.principal)
    except Problem as problem:
        if problem.type is not PRINT_AS_JOB:
            raise
    # A large decision: to its page, whose button makes the file as a job.
    raise gate.redirect(f"/quan-ly/quyet-dinh/{request.match_info['id']}", language(request))


async def diploma(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    diploma_id = parse_id(request.match_info["id"])
    found = await diplomas.read_diploma(
        request.app[POOL], current.principal, diploma_id, keystore=request.app[SIGNING].keystore
    )
    svg, _ = await printing.diploma_qr(
        request.app[POOL],
        current.principal,
        diploma_id,
        keystore=request.app[SIGNING].keystore,
        public_url=request.app[SETTINGS].public_url,
        image="svg",
        module_mm=request.app[SETTINGS].qr_module_mm,
        dpi=300,
    )
    # Our own SVG (service/qr/render.py: paths, no text of anyone's), inline without its prolog.
    image = Markup(svg.decode().split("?>", 1)[-1])  # noqa: S704
    notice = console_actions.done_notice(request.query.get("da-ghi", ""))
    signer = request.app.get(LOG_SIGNER)
    in_log = await issuance_log.diploma_log(
        request.app[POOL],
        current.principal,
        diploma_id,
        None if signer is None else signer.verifier_key,
    )
    frame = gate.frame(request, current)
    body = pages.diploma_page(
        frame,
        found,
        qr_svg=image,
        notice=notice,
        log_proof=log_pages.diploma_proof(in_log, str(diploma_id), frame.lang),
    )
    return _page(request, body)


async def diploma_qr_svg(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    return await qr.qr_response(request, current.principal, "svg")


async def diploma_qr_png(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    return await qr.qr_response(request, current.principal, "png")
