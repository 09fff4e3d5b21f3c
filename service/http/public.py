"""Public verification without an account: the landing page, the page a QR code opens, the
lookup form, and the lookup API. Every check here is rate-limited per client (the landing
page and the empty form are not checks)."""

from __future__ import annotations

from hashlib import sha256
from typing import Any

from aiohttp import web

from service import metrics, texts
from service.domain.graduates import LookupIn, validate
from service.http.body import read_small_json
from service.http.forms import form_fields
from service.http.responses import json_response
from service.http.state import (
    CHECKED,
    COUNTER,
    POOL,
    PROXIES,
    RATE_LIMITER,
    READ_POOL,
    STANDING,
    TRUST_LIST,
)
from service.problems import RATE_LIMITED, Problem, pick_language
from service.ratelimit import Budget, RateLimiter, client_address
from service.usecases import lookup as public
from service.usecases.verification import verify_online
from service.web.pages import error_page, landing_page, lookup_page, result_page
from verifier.result import Lang


async def limit(request: web.Request, budget: Budget) -> None:
    """Raises 429 when this client is over its rate for this kind of path."""
    client = client_address(
        request.remote, request.headers.get("X-Forwarded-For"), request.app[PROXIES]
    )
    wait = await request.app[RATE_LIMITER].take(budget, client)
    if wait:
        retry = RateLimiter.retry_after(wait)
        raise Problem(
            RATE_LIMITED,
            *texts.RETRY_AFTER.format(seconds=retry),
            headers={"Retry-After": retry},
        )


def language(request: web.Request) -> Lang:
    asked = request.query.get("lang")
    if asked in ("vi", "en"):
        return asked  # type: ignore[return-value]
    return pick_language(request.headers.get("Accept-Language"))


def read_pool(request: web.Request) -> Any:
    return request.app.get(READ_POOL) or request.app[POOL]


def other_language_href(request: web.Request, lang: Lang) -> str:
    other = "en" if lang == "vi" else "vi"
    if not request.query_string:  # the usual case, a QR code's URL: no URL to rebuild
        return f"{request.rel_url.raw_path}?lang={other}"
    return request.rel_url.update_query(lang=other).path_qs


def html_response(
    request: web.Request,
    body: str,
    lang: Lang,
    *,
    status: int = 200,
    cache: str = "private, no-store",
) -> web.Response:
    return web.Response(
        text=body,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers={"Cache-Control": cache, "Content-Language": lang},
    )


# The landing page and the empty lookup form are the same for everyone who reads them in one
# language: shared caches may keep them for an hour, per Accept-Language (without ?lang=,
# the language comes from it).
_SAME_FOR_EVERYONE = "public, max-age=3600"


def cacheable_page(request: web.Request, body: str, lang: Lang) -> web.Response:
    """A page the same for everyone: with an ETag of its body, and a 304 (no body) when the
    browser already holds it."""
    etag = sha256(body.encode()).hexdigest()[:32]
    headers = {"Cache-Control": _SAME_FOR_EVERYONE, "Vary": "Accept-Language"}
    if any(tag.value == etag for tag in request.if_none_match or ()):
        return web.Response(status=304, headers={"ETag": f'"{etag}"', **headers})
    response = html_response(request, body, lang, cache=_SAME_FOR_EVERYONE)
    response.headers["Vary"] = headers["Vary"]
    response.etag = etag
    return response


def problem_page(request: web.Request, problem: Problem, request_id: str | None) -> web.Response:
    """`problem` as a page, for a browser (responses.wants_html decides): the same status and
    headers (Allow, Retry-After), in the page's language, never kept by a cache."""
    lang = language(request)
    status = problem.type.status
    page = error_page(
        status,
        lang=lang,
        other_href=other_language_href(request, lang),
        request_id=request_id,
        retry_after=problem.headers.get("Retry-After"),
        detail=problem.detail_vi if lang == "vi" else problem.detail_en,
    )
    response = html_response(request, page, lang, status=status)
    response.headers.update(problem.headers)
    return response


async def landing(request: web.Request) -> web.Response:
    lang = language(request)
    page = landing_page(lang=lang, other_href=other_language_href(request, lang))
    return cacheable_page(request, page, lang)


async def issuer_name(request: web.Request, code: Any) -> str | None:
    trust = (await request.app[TRUST_LIST].current(read_pool(request))).parsed
    issuer = trust.issuers.get(code) if isinstance(code, str) else None
    return issuer.name if issuer else None


async def qr_page(request: web.Request) -> web.Response:
    await limit(request, Budget.QR)
    lang = language(request)
    result, diploma_id = await verify_online(
        read_pool(request),
        request.app[STANDING],
        request.app[TRUST_LIST],
        request.match_info["token"],
        request.app[CHECKED],
    )
    metrics.verified("qr", result.verdict)
    if diploma_id is not None:
        request.app[COUNTER].count(diploma_id)
    page = result_page(
        result,
        lang=lang,
        issuer_name=await issuer_name(request, result.fields.get("issuer")),
        other_href=other_language_href(request, lang),
        receipt_token=request.match_info["token"],
    )
    return html_response(request, page, lang)


async def lookup_form(request: web.Request) -> web.Response:
    lang = language(request)
    page = lookup_page(lang=lang, other_href=other_language_href(request, lang))
    return cacheable_page(request, page, lang)


async def lookup_form_post(request: web.Request) -> web.Response:
    await limit(request, Budget.LOOKUP)
    lang = language(request)
    form = await form_fields(request)
    values = {k: str(form.get(k, "")).strip() for k in ("serial", "date_of_birth", "issuer")}
    try:
        query = validate(LookupIn, {k: v for k, v in values.items() if v})
    except Problem as problem:
        errors: dict[str, str] = {}
        for e in problem.errors:  # each beside its field
            field = str(e.loc[0]) if e.loc else "serial"
            errors.setdefault(field if field in values else "serial", e.render(lang)["detail"])
        page = lookup_page(
            lang=lang, other_href=other_language_href(request, lang), errors=errors, **values
        )
        return html_response(request, page, lang, status=422)
    result = await _lookup(request, query)
    page = result_page(
        result,
        lang=lang,
        issuer_name=result.fields.get("issuer_name"),
        other_href=f"/tra-cuu?lang={'en' if lang == 'vi' else 'vi'}",
    )
    return html_response(request, page, lang)


async def lookup_api(request: web.Request) -> web.Response:
    await limit(request, Budget.LOOKUP)
    query = validate(LookupIn, await read_small_json(request, max_bytes=4096))
    result = await _lookup(request, query)
    return json_response(result.to_dict(language(request)), headers={"Cache-Control": "no-store"})


async def _lookup(request: web.Request, query: LookupIn) -> Any:
    result, diploma_id = await public.lookup(
        read_pool(request),
        request.app[TRUST_LIST],
        serial=query.serial,
        date_of_birth=query.date_of_birth,
        issuer=query.issuer,
    )
    metrics.verified("lookup", result.verdict)
    if diploma_id is not None:
        request.app[COUNTER].count(diploma_id)
    return result
