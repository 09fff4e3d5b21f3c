"""The staff pages of signing in and of one's own account: sign-in (password, then the
second factor), the temporary password's change, the account page, the second factor's
enrolment, personal API tokens, sign-out. Thin: each reads the form, checks its token,
calls a use case and renders or redirects (303, so that a reload never posts twice)."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from aiohttp import web

from service import texts
from service.db.sessions import SessionRow
from service.domain.second_factor import looks_like_secret, new_secret, provisioning_uri
from service.http import session as gate
from service.http.forms import form_fields
from service.http.public import html_response, language
from service.http.state import POOL, PROXIES, SETTINGS, SIGNING
from service.problems import NOT_FOUND, Problem
from service.ratelimit import client_address
from service.texts import Text
from service.usecases import accounts, enrolment, signin, tokens
from service.usecases.enrolment import second_factor_required
from service.web import staff_pages as pages

_FORM_BYTES = 16 * 1024


async def _form(request: web.Request) -> dict[str, str]:
    if request.content_length is not None and request.content_length > _FORM_BYTES:
        raise web.HTTPRequestEntityTooLarge(_FORM_BYTES, request.content_length)
    return await form_fields(request)


async def _signed_form(
    request: web.Request, stage: gate.Stage = gate.Stage.FULL
) -> tuple[SessionRow, dict[str, str]]:
    """A signed-in page's posted form: the session (at `stage` at least), the form, and its
    token checked (refused without it, nothing done)."""
    current = await gate.require(request, stage)
    form = await _form(request)
    gate.check_form(request, form)
    return current, form


def _client(request: web.Request) -> str:
    return client_address(
        request.remote, request.headers.get("X-Forwarded-For"), request.app[PROXIES]
    )


def _page(request: web.Request, body: str, *, status: int = 200) -> web.Response:
    return html_response(request, body, language(request), status=status, cache="no-store")


def _field_errors(problem: Problem) -> dict[str, Text]:
    """A validation problem's messages by form field (the first per field)."""
    found: dict[str, Text] = {}
    for error in problem.errors:
        field = str(error.loc[-1]) if error.loc else "form"
        found.setdefault(field, Text(error.message_vi, error.message_en))
    return found


# Signing in -------------------------------------------------------------------------------


async def sign_in_form(request: web.Request) -> web.StreamResponse:
    current = await gate.current_session(request)
    lang = language(request)
    if current is not None and not current.second_factor_pending:
        raise gate.redirect(gate.CONSOLE, lang)
    notice = None
    if "da-dang-xuat" in request.query:
        notice = texts.STAFF_PAGE["signed_out"]
    elif "next" in request.query:
        notice = texts.STAFF_PAGE["session_ended"]
    return _sign_in_again(
        request, next_path=gate.safe_next(request.query.get("next")), notice=notice
    )


def _sign_in_again(
    request: web.Request,
    *,
    status: int = 200,
    errors: dict[str, Text] | None = None,
    username: str = "",
    next_path: str = "",
    notice: Text | None = None,
) -> web.Response:
    """The sign-in form (again), with its token, and the cookie that holds it."""
    token = gate.pre_form_token(request)
    body = pages.sign_in_page(
        _pre_frame(request, token),
        errors=errors,
        username=username,
        next_path=next_path,
        notice=notice,
    )
    response = _page(request, body, status=status)
    gate.set_pre_form_cookie(request, response, token)
    return response


def _pre_frame(request: web.Request, token: str) -> pages.Frame:
    lang = language(request)
    return pages.Frame(lang=lang, other_href=gate.other_href(request, lang), form_token=token)


async def sign_in(request: web.Request) -> web.StreamResponse:
    form = await _form(request)
    lang = language(request)
    username = form.get("username", "").strip()
    next_path = gate.safe_next(form.get("next"))
    if not gate.pre_form_ok(request, form):
        # A page kept open past a restart, or a form from elsewhere: the form again, with a
        # token of its own, and nothing checked.
        return _sign_in_again(
            request, status=403, username=username, next_path=next_path, notice=texts.FORM_EXPIRED
        )
    errors: dict[str, Text] = {}
    if not username:
        errors["username"] = texts.STAFF_MISSING_USERNAME
    if not form.get("password"):
        errors["password"] = texts.STAFF_MISSING_PASSWORD
    status = 422
    retry_after = None
    if not errors:
        try:
            signed = await signin.sign_in(
                request.app[POOL],
                request.app[SETTINGS],
                username=username,
                password=form.get("password", ""),
                client=_client(request),
                user_agent=request.headers.get("User-Agent"),
                device=gate.device_cookie(request),
            )
        except signin.SignInRefused as refused:
            errors["password"] = refused.text
            retry_after = refused.retry_after
            status = 429 if retry_after else 401
        else:
            settings = request.app[SETTINGS]
            started = await signin.session(request.app[POOL], settings, signed.secret)
            assert started is not None
            target = gate.after_sign_in(started, settings.second_factor_roles, next_path)
            if target == gate.SECOND_FACTOR and next_path != gate.CONSOLE:
                target += "?next=" + quote(next_path, safe="/")
            moved = gate.redirect(target, lang)
            gate.set_session_cookie(request, moved, signed.secret)
            if signed.device is not None:
                gate.set_device_cookie(request, moved, signed.device)
            raise moved
    response = _sign_in_again(
        request, status=status, errors=errors, username=username, next_path=next_path
    )
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


async def second_factor_form(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request, gate.Stage.SECOND_FACTOR)
    if not current.second_factor_pending:
        raise gate.redirect(gate.CONSOLE, language(request))
    body = pages.second_factor_page(
        gate.frame(request, current), next_path=gate.safe_next(request.query.get("next"))
    )
    return _page(request, body)


async def second_factor(request: web.Request) -> web.StreamResponse:
    current, form = await _signed_form(request, gate.Stage.SECOND_FACTOR)
    lang = language(request)
    if not current.second_factor_pending:
        raise gate.redirect(gate.CONSOLE, lang)
    try:
        device = await signin.second_factor(
            request.app[POOL],
            current,
            form.get("code", ""),
            request.app[SIGNING].keystore.second_factor_seal(),
            device=gate.device_cookie(request),
        )
    except signin.SignInRefused as refused:
        body = pages.second_factor_page(
            gate.frame(request, current),
            errors={"code": refused.text},
            next_path=gate.safe_next(form.get("next")),
        )
        response = _page(request, body, status=429 if refused.retry_after else 401)
        if refused.retry_after:
            response.headers["Retry-After"] = str(refused.retry_after)
        return response
    refreshed = await gate.current_session(request)
    assert refreshed is not None
    roles = request.app[SETTINGS].second_factor_roles
    moved = gate.redirect(gate.after_sign_in(refreshed, roles, form.get("next", "")), lang)
    if device is not None:
        gate.set_device_cookie(request, moved, device)
    raise moved


async def sign_out(request: web.Request) -> web.StreamResponse:
    return await _sign_out(request, everywhere=False)


async def sign_out_everywhere(request: web.Request) -> web.StreamResponse:
    return await _sign_out(request, everywhere=True)


async def _sign_out(request: web.Request, *, everywhere: bool) -> web.StreamResponse:
    current = await gate.current_session(request)
    lang = language(request)
    if current is not None:
        gate.check_form(request, await _form(request))
        await signin.sign_out(request.app[POOL], current, everywhere=everywhere)
    response = gate.redirect(f"{gate.SIGN_IN}?da-dang-xuat", lang)
    gate.clear_session_cookie(request, response)
    raise response


# The password -----------------------------------------------------------------------------


async def change_password_form(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request, gate.Stage.CHANGE_PASSWORD)
    body = pages.change_password_page(
        gate.frame(request, current),
        username=current.principal.username or "",
        must_change=current.password_temporary,
    )
    return _page(request, body)


async def change_password(request: web.Request) -> web.StreamResponse:
    current, form = await _signed_form(request, gate.Stage.CHANGE_PASSWORD)
    try:
        await accounts.change_password(
            request.app[POOL],
            current.principal,
            current=form.get("current", ""),
            new=form.get("new", ""),
            repeated=form.get("repeated", ""),
            keep_session=current.id_hash,
        )
    except Problem as problem:
        if not problem.errors:
            raise
        body = pages.change_password_page(
            gate.frame(request, current),
            username=current.principal.username or "",
            must_change=current.password_temporary,
            errors=_field_errors(problem),
        )
        return _page(request, body, status=422)
    refreshed = await gate.current_session(request)
    assert refreshed is not None
    roles = request.app[SETTINGS].second_factor_roles
    target = gate.after_sign_in(refreshed, roles, gate.ACCOUNT + "?mat-khau")
    raise gate.redirect(target, language(request))


# The account page -------------------------------------------------------------------------


async def account(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    principal = current.principal
    assert principal.account_id is not None
    open_sessions, issuer = await signin.overview(
        request.app[POOL], request.app[SETTINGS], principal
    )
    notice = texts.STAFF_PAGE["password_changed"] if "mat-khau" in request.query else None
    body = pages.account_page(
        gate.frame(request, current),
        display_name=current.display_name,
        username=principal.username or "",
        role=principal.role.value,
        issuer=f"{issuer.name} ({issuer.code})" if issuer else None,
        has_second_factor=current.has_second_factor,
        second_factor_required=second_factor_required(
            principal, request.app[SETTINGS].second_factor_roles
        ),
        sessions=open_sessions,
        notice=notice,
    )
    return _page(request, body)


# The second factor ------------------------------------------------------------------------


def _enrol_body(
    request: web.Request, current: SessionRow, secret: str, errors: dict[str, Text] | None = None
) -> str:
    principal = current.principal
    return pages.enrol_page(
        gate.frame(request, current),
        secret=secret,
        uri=provisioning_uri(secret, principal.username or ""),
        has_second_factor=current.has_second_factor,
        required=second_factor_required(principal, request.app[SETTINGS].second_factor_roles),
        errors=errors,
    )


async def enrol_form(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request, gate.Stage.ENROL)
    return _page(request, _enrol_body(request, current, new_secret()))


async def enrol(request: web.Request) -> web.StreamResponse:
    current, form = await _signed_form(request, gate.Stage.ENROL)
    secret = form.get("secret", "")
    if not looks_like_secret(secret):
        secret = new_secret()  # a tampered form: start again with a new secret
    try:
        codes = await enrolment.enrol(
            request.app[POOL],
            current.principal,
            request.app[SIGNING].keystore.second_factor_seal(),
            secret=secret,
            code=form.get("code", ""),
            password=form.get("password", ""),
        )
    except Problem as problem:
        if not problem.errors:
            raise
        body = _enrol_body(request, current, secret, _field_errors(problem))
        return _page(request, body, status=422)
    lang = language(request)
    body = pages.recovery_codes_page(
        gate.frame(request, current),
        codes=codes.codes,
        next_href=gate.lang_path(gate.ACCOUNT, lang),
    )
    return _page(request, body)


async def remove_second_factor(request: web.Request) -> web.StreamResponse:
    current, form = await _signed_form(request)
    try:
        await enrolment.remove(
            request.app[POOL],
            current.principal,
            password=form.get("off_password", ""),
            roles=request.app[SETTINGS].second_factor_roles,
        )
    except Problem as problem:
        if not problem.errors:
            raise
        body = _enrol_body(request, current, new_secret(), _field_errors(problem))
        return _page(request, body, status=422)
    raise gate.redirect(gate.ACCOUNT, language(request))


# Personal API tokens ----------------------------------------------------------------------


async def tokens_page(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    rows = await tokens.mine(request.app[POOL], current.principal)
    return _page(request, pages.tokens_page(gate.frame(request, current), tokens=rows))


async def create_token(request: web.Request) -> web.StreamResponse:
    current, form = await _signed_form(request)
    label = form.get("label", "")
    days_text = form.get("days", "").strip()
    created = None
    errors: dict[str, Text] = {}
    try:
        days = int(days_text) if days_text else None
    except ValueError:
        days = 0  # refused with the range's message
    try:
        created = await tokens.create(request.app[POOL], current.principal, label=label, days=days)
    except Problem as problem:
        if not problem.errors:
            raise
        errors = _field_errors(problem)
    rows = await tokens.mine(request.app[POOL], current.principal)
    body = pages.tokens_page(
        gate.frame(request, current),
        tokens=rows,
        created=created.token if created else None,
        errors=errors,
        label="" if created else label,
        days="90" if created else days_text,
    )
    return _page(request, body, status=422 if errors else 200)


async def revoke_token(request: web.Request) -> web.StreamResponse:
    current, _ = await _signed_form(request)
    try:
        token_id = uuid.UUID(request.match_info["id"])
    except ValueError:
        raise Problem(NOT_FOUND) from None
    await tokens.revoke(request.app[POOL], current.principal, token_id)
    raise gate.redirect("/tai-khoan/ma-truy-cap", language(request))
