"""Handlers for digital diplomas (docs/digital-diplomas.md): a decision's made by a job of the
asking person, and one diploma's latest document, for staff within scope."""

from __future__ import annotations

from aiohttp import web

from service.domain.accounts import Principal
from service.http import session as gate
from service.http.audit import attachment
from service.http.auth import authenticate
from service.http.forms import form_fields
from service.http.public import language
from service.http.register import parse_id
from service.http.responses import job_accepted
from service.http.state import DOC_SIGNERS, POOL
from service.usecases import digital, jobs


async def post_decision(request: web.Request) -> web.Response:
    """POST /api/v1/graduation-decisions/{id}/digital-diplomas: 202 and the job."""
    principal = await authenticate(request)
    pool = request.app[POOL]
    job_id = await digital.queue(
        pool, principal, parse_id(request.match_info["id"]), signers=request.app[DOC_SIGNERS]
    )
    job = await jobs.read(pool, principal, job_id)
    return job_accepted(jobs.view(job), job_id)


async def diploma_pdf(request: web.Request) -> web.Response:
    return await pdf_response(request, await authenticate(request))


async def pdf_response(request: web.Request, principal: Principal) -> web.Response:
    """A diploma's latest digital diploma (the API's and the console's)."""
    serial, found = await digital.document(
        request.app[POOL], principal, parse_id(request.match_info["id"])
    )
    name = f"van-bang-so-{serial}-{found['version']}.pdf"
    return web.Response(
        body=bytes(found["pdf"]),
        content_type="application/pdf",
        headers={
            **attachment(name),
            "Cache-Control": "private, no-store",
            "X-Signature-Level": f"PAdES {found['level']}",
        },
    )


async def console_decision(request: web.Request) -> web.StreamResponse:
    """POST /quan-ly/quyet-dinh/{id}/van-bang-so: to the job's page."""
    current = await gate.require(request)
    posted = await form_fields(request)
    gate.check_form(request, posted)
    job_id = await digital.queue(
        request.app[POOL],
        current.principal,
        parse_id(request.match_info["id"]),
        signers=request.app[DOC_SIGNERS],
    )
    raise gate.redirect(f"/quan-ly/viec/{job_id}", language(request))


async def console_pdf(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    return await pdf_response(request, current.principal)
