"""The console's lifecycle forms (docs/console.md): on one diploma (handover, correction,
revocation, re-issue, certified copy) and on the issuer's blanks (receive, spoil, destroy).
Each has its form, its check (a dry run of the action, which shows exactly what will be
signed and that it cannot be undone), and its confirmation, which runs the action once under
the Idempotency-Key the check gave it."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from aiohttp import web

from service.db.sessions import SessionRow
from service.domain.clock import VIETNAM
from service.http import session as gate
from service.http.forms import form_fields
from service.http.public import html_response, language
from service.http.register import parse_id
from service.http.state import POOL, SIGNING
from service.problems import NOT_FOUND, Problem
from service.texts import CONSOLE_ACTIONS, Text
from service.usecases import actions, blanks, diplomas
from service.usecases.access import ensure_may_write
from service.web import console_forms as forms
from service.web import console_pages as pages

_FORM_BYTES = 512 * 1024  # a destruction's minutes may list thousands of serials
_KEY = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def _action(request: web.Request, on: str) -> forms.Action:
    found = forms.ACTIONS.get(request.match_info["action"])
    if found is None or found.on != on:
        raise Problem(NOT_FOUND)
    return found


async def _subject(
    request: web.Request, current: SessionRow, action: forms.Action
) -> tuple[Any, pages.Subject]:
    """The action's target (a diploma's id, the issuer's code) and what its pages show of it."""
    frame = gate.frame(request, current)
    if action.on == "diploma":
        diploma = await diplomas.read_diploma(
            request.app[POOL],
            current.principal,
            parse_id(request.match_info["id"]),
            keystore=request.app[SIGNING].keystore,
        )
        return diploma.id, pages.diploma_subject(frame, diploma, action.slug)
    code = current.principal.issuer_code
    if code is None:  # an admin of every issuer has no blanks of its own
        raise Problem(NOT_FOUND)
    return code, pages.blanks_subject(frame, code, action.slug)


def _defaults(action: forms.Action, current: SessionRow) -> dict[str, str]:
    today = f"{datetime.now(VIETNAM):%d/%m/%Y}"
    values = dict(action.defaults)
    for f in action.fields:
        # The day of the act itself defaults to today; a decision's date, or a date of
        # birth to correct, never does.
        if f.kind == "date" and f.required and f.id != "decided_on":
            values.setdefault(f.id, today)
    if action.slug == "ban-giao":
        values.setdefault("handed_over_by", current.display_name)
    return values


def _other_href(request: web.Request) -> str:
    lang = language(request)
    return f"{request.path}?lang={'en' if lang == 'vi' else 'vi'}"


def _form_page(
    request: web.Request,
    current: SessionRow,
    action: forms.Action,
    subject: pages.Subject,
    values: dict[str, str],
    *,
    errors: dict[str, Text] | None = None,
    message: str | None = None,
    status: int = 200,
) -> web.Response:
    body = pages.action_page(
        gate.frame(request, current),
        action,
        subject,
        values,
        errors=errors or {},
        message=message,
        other_href=_other_href(request),
    )
    return html_response(request, body, language(request), status=status, cache="no-store")


async def diploma_form(request: web.Request) -> web.StreamResponse:
    return await _form(request, "diploma")


async def blanks_form(request: web.Request) -> web.StreamResponse:
    return await _form(request, "issuer")


async def diploma_post(request: web.Request) -> web.StreamResponse:
    return await _post(request, "diploma")


async def blanks_post(request: web.Request) -> web.StreamResponse:
    return await _post(request, "issuer")


async def _form(request: web.Request, on: str) -> web.StreamResponse:
    current = await gate.require(request)
    ensure_may_write(current.principal)
    action = _action(request, on)
    _, subject = await _subject(request, current, action)
    return _form_page(request, current, action, subject, _defaults(action, current))


async def _post(request: web.Request, on: str) -> web.StreamResponse:
    """step=check: the dry run, then the confirmation page (or the form with its errors);
    step=edit: the form again with its values; step=confirm: the action, once."""
    current = await gate.require(request)
    ensure_may_write(current.principal)
    action = _action(request, on)
    if request.content_length is not None and request.content_length > _FORM_BYTES:
        raise web.HTTPRequestEntityTooLarge(_FORM_BYTES, request.content_length)
    posted = await form_fields(request)
    gate.check_form(request, posted)
    target, subject = await _subject(request, current, action)
    values = forms.values_of(action, posted)
    step = posted.get("step", "check")
    lang = language(request)
    if step == "edit":
        return _form_page(request, current, action, subject, values)
    key = posted.get("key", "")
    confirming = step == "confirm" and _KEY.match(key) is not None
    try:
        written = await actions.perform(
            request.app[POOL],
            current.principal,
            action.name,
            target,
            forms.request_of(values),
            signing=request.app[SIGNING],
            idempotency_key=f"console:{key}" if confirming else None,
            dry_run=not confirming,
        )
    except Problem as problem:
        if problem.type.status in (401, 403, 404):
            raise
        errors = forms.errors_by_field(action, problem.errors)
        message = None
        if not errors:
            message = problem.detail_vi if lang == "vi" else problem.detail_en
            message = message or (problem.type.title_vi if lang == "vi" else problem.type.title_en)
        status = 409 if problem.type.status == 409 else 422
        return _form_page(
            request, current, action, subject, values, errors=errors, message=message, status=status
        )
    if confirming:
        raise gate.redirect(
            f"{_done_path(action, written.answer, target)}?da-ghi={action.slug}", lang
        )
    body = pages.action_confirm_page(
        gate.frame(request, current),
        action,
        subject,
        values,
        answer=written.answer,
        key=secrets.token_urlsafe(24),
        other_href=_other_href(request),
    )
    return html_response(request, body, lang, cache="no-store")


def _done_path(action: forms.Action, answer: Any, target: Any) -> str:
    """Where a done action leads: the blanks' page, a re-issue's new diploma, the diploma."""
    if action.on == "issuer":
        return "/quan-ly/phoi"
    new = answer.get("diploma") if isinstance(answer, dict) and "replaced" in answer else None
    if isinstance(new, dict) and "id" in new:
        return f"/quan-ly/van-bang/{new['id']}"
    return f"/quan-ly/van-bang/{target}"


def done_notice(slug: str) -> Text | None:
    action = forms.ACTIONS.get(slug)
    if action is None:
        return None
    return CONSOLE_ACTIONS["done"].format(action=CONSOLE_ACTIONS[action.slug])


async def blanks_page(request: web.Request) -> web.StreamResponse:
    """The issuer's blanks: the year's report by kind (Art. 9-11) and the forms."""
    current = await gate.require(request)
    code = current.principal.issuer_code
    if code is None:
        raise Problem(NOT_FOUND)
    raw = request.query.get("nam", "")
    year = int(raw) if raw.isdigit() and 1900 <= int(raw) <= 2100 else datetime.now(VIETNAM).year
    report = await blanks.report(request.app[POOL], current.principal, code, year)
    body = pages.blanks_page(
        gate.frame(request, current), report, notice=done_notice(request.query.get("da-ghi", ""))
    )
    return html_response(request, body, language(request), cache="no-store")
