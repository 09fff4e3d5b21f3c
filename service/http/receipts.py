"""Verification receipts (docs/verification.md, "Biên nhận kiểm tra"): the result page's form
that makes one, the receipt's page and PDF, and the same for software under /api/v1/receipts.
No account: a receipt holds only what the public page shows. Each of these checks the QR text
again, so each spends the QR checks' rate budget."""

from __future__ import annotations

import asyncio
import functools
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import web

from service import texts
from service.domain import receipts as rules
from service.formats.receipt_pdf import receipt_pdf
from service.http.body import read_small_json
from service.http.forms import form_fields
from service.http.public import (
    html_response,
    language,
    limit,
    other_language_href,
    read_pool,
)
from service.http.responses import json_response
from service.http.state import CHECKED, COUNTER, POOL, SETTINGS, STANDING, TRUST_LIST
from service.problems import FORBIDDEN, NOT_FOUND, Problem
from service.ratelimit import Budget
from service.usecases import receipts
from service.web.receipt_pages import (
    ReceiptView,
    printed,
    receipt_gone_page,
    receipt_page,
    receipt_view,
)
from verifier.result import Lang

NO_STORE = {"Cache-Control": "no-store"}
MAX_BODY = 16 * 1024


def _same_site(request: web.Request) -> None:
    """Refuses a receipt asked for from another site's page. The public has no session, so no
    form token: a browser says where a request comes from (Sec-Fetch-Site; the Origin, which
    our pages' no-referrer policy turns into "null" for our own forms). Software that sends
    neither header is not a browser, and is let through."""
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    cross = site is not None and site not in ("same-origin", "none")
    if origin and origin != "null":
        public = urlsplit(request.app[SETTINGS].public_url).netloc
        cross = cross or urlsplit(origin).netloc not in (request.host, public)
    if cross:
        raise Problem(FORBIDDEN, *texts.RECEIPT_CROSS_SITE)


def _path(code: str, lang: Lang, suffix: str = "") -> str:
    path = f"{rules.PATH}{rules.grouped(code)}{suffix}"
    return path if lang == "vi" else f"{path}?lang=en"


async def _make(request: web.Request, text: str) -> receipts.Receipt:
    made, _ = await receipts.create(
        request.app[POOL],
        read_pool(request),
        request.app[STANDING],
        request.app[TRUST_LIST],
        request.app[CHECKED],
        text,
        days=request.app[SETTINGS].receipt_days,
    )
    if made.diploma_id is not None:
        request.app[COUNTER].count(made.diploma_id)
    return made


async def _viewed(request: web.Request) -> receipts.Viewed:
    viewed = await receipts.view(
        request.app[POOL],
        read_pool(request),
        request.app[STANDING],
        request.app[TRUST_LIST],
        request.app[CHECKED],
        request.match_info["code"],
    )
    if viewed.diploma_id is not None:
        request.app[COUNTER].count(viewed.diploma_id)
    return viewed


async def _issuer_name(request: web.Request, code: Any) -> str | None:
    trust = (await request.app[TRUST_LIST].current(read_pool(request))).parsed
    issuer = trust.issuers.get(code) if isinstance(code, str) else None
    return issuer.name if issuer else None


async def _view(request: web.Request, viewed: receipts.Viewed, lang: Lang) -> ReceiptView:
    receipt = viewed.receipt
    return receipt_view(
        code=receipt.code,
        url=rules.receipt_url(request.app[SETTINGS].public_url, receipt.code),
        created_at=receipt.created_at,
        valid_until=receipt.valid_until,
        then=receipt.then,
        now=viewed.now_answer,
        changed=viewed.changed,
        issuer_name=await _issuer_name(request, receipt.then.get("fields", {}).get("issuer")),
        lang=lang,
    )


# The pages ----------------------------------------------------------------------------------


async def make_from_page(request: web.Request) -> web.Response:
    """POST /bien-nhan (token=...): from the QR result page's button; on to the receipt."""
    await limit(request, Budget.QR)
    _same_site(request)
    lang = language(request)
    form = await form_fields(request)
    made = await _make(request, str(form.get("token", "")))
    raise web.HTTPSeeOther(_path(made.code, lang), text="", headers=NO_STORE)


async def page(request: web.Request) -> web.Response:
    """GET /bien-nhan/{code}: the receipt, checked again now; 404 with why when there is none
    (unknown, or expired: then only since when)."""
    await limit(request, Budget.QR)
    lang = language(request)
    other = other_language_href(request, lang)
    try:
        viewed = await _viewed(request)
    except Problem as problem:
        if problem.type is not NOT_FOUND:
            raise
        sentence = (problem.detail_vi if lang == "vi" else problem.detail_en) or ""
        body = receipt_gone_page(sentence, lang=lang, other_href=other)
        return html_response(request, body, lang, status=404, cache="no-store")
    view = await _view(request, viewed, lang)
    pdf_href = _path(viewed.receipt.code, lang, ".pdf")
    body = receipt_page(view, lang=lang, other_href=other, pdf_href=pdf_href)
    return html_response(request, body, lang, cache="no-store")


async def pdf(request: web.Request) -> web.Response:
    """GET /bien-nhan/{code}.pdf: the receipt to print (Vietnamese; ?lang=en), the answer now
    being the answer at the time of printing."""
    await limit(request, Budget.QR)
    lang = language(request)
    viewed = await _viewed(request)
    view = await _view(request, viewed, lang)
    qr_text = rules.receipt_qr_text(request.app[SETTINGS].public_url, viewed.receipt.code)
    content = printed(view, lang=lang, qr_text=qr_text, printed_at=datetime.now(UTC))
    module_mm = request.app[SETTINGS].qr_module_mm
    make = functools.partial(receipt_pdf, content, module_mm=module_mm)
    body = await asyncio.get_running_loop().run_in_executor(None, make)
    name = quote(f"bien-nhan-{view.code}.pdf")
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={**NO_STORE, "Content-Disposition": f"inline; filename*=UTF-8''{name}"},
    )


# The API ------------------------------------------------------------------------------------


def _receipt_json(request: web.Request, receipt: receipts.Receipt) -> dict[str, Any]:
    return {
        "code": rules.grouped(receipt.code),
        "url": rules.receipt_url(request.app[SETTINGS].public_url, receipt.code),
        "created_at": receipt.created_at.isoformat(),
        "valid_until": receipt.valid_until.isoformat(),
    }


async def api_create(request: web.Request) -> web.Response:
    """POST /api/v1/receipts {"token"}: 201, the receipt and the result kept."""
    await limit(request, Budget.QR)
    _same_site(request)
    body = await read_small_json(request, max_bytes=MAX_BODY)
    text = body.get("token") if isinstance(body, dict) else None
    made = await _make(request, text if isinstance(text, str) else "")
    answer = {**_receipt_json(request, made), "result": made.then}
    headers = {**NO_STORE, "Location": _path(made.code, "vi")}
    return json_response(answer, status=201, headers=headers)


async def api_get(request: web.Request) -> web.Response:
    """GET /api/v1/receipts/{code}: the result then (as kept) and now (checked again)."""
    await limit(request, Budget.QR)
    viewed = await _viewed(request)
    answer = {
        **_receipt_json(request, viewed.receipt),
        "then": viewed.receipt.then,
        "now": rules.public_answer(viewed.now, language(request)),
        "changed": viewed.changed,
    }
    return json_response(answer, headers=NO_STORE)
