"""The console's lifecycle forms on one diploma (docs/console.md): the form, its check (a dry
run of the action, which shows exactly what will be signed and that it cannot be undone), and
its confirmation, which runs the action once under the Idempotency-Key the check gave it."""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import datetime
from typing import Any

from aiohttp import web

from service.db.sessions import SessionRow
from service.http import session as gate
from service.http.public import html_response, language
from service.http.register import parse_id
from service.http.state import POOL, SIGNING
from service.problems import NOT_FOUND, Problem
from service.texts import CONSOLE_ACTIONS, Text
from service.usecases import actions, diplomas
from service.usecases.access import ensure_may_write
from service.web import console_forms as forms
from service.web import console_pages as pages
from service.web.staff_pages import VIETNAM

_FORM_BYTES = 16 * 1024
_KEY = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def _action(request: web.Request) -> forms.Action:
    found = forms.ACTIONS.get(request.match_info["action"])
    if found is None:
        raise Problem(NOT_FOUND)
    return found


async def _diploma(request: web.Request, current: SessionRow) -> Any:
    return await diplomas.read_diploma(
        request.app[POOL], current.principal, parse_id(request.match_info["id"])
    )


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


def _form_page(
    request: web.Request,
    current: SessionRow,
    action: forms.Action,
    diploma: Any,
    values: dict[str, str],
    *,
    errors: dict[str, Text] | None = None,
    message: str | None = None,
    status: int = 200,
) -> web.Response:
    body = pages.action_page(
        gate.frame(request, current),
        action,
        diploma,
        values,
        errors=errors or {},
        message=message,
        other_href=_other_href(request),
    )
    return html_response(request, body, language(request), status=status, cache="no-store")


def _other_href(request: web.Request) -> str:
    lang = language(request)
    return f"{request.path}?lang={'en' if lang == 'vi' else 'vi'}"


async def form(request: web.Request) -> web.StreamResponse:
    current = await gate.require(request)
    ensure_may_write(current.principal)
    action = _action(request)
    diploma = await _diploma(request, current)
    return _form_page(request, current, action, diploma, _defaults(action, current))


async def post(request: web.Request) -> web.StreamResponse:
    """step=check: the dry run, then the confirmation page (or the form with its errors);
    step=edit: the form again with its values; step=confirm: the action, once."""
    current = await gate.require(request)
    ensure_may_write(current.principal)
    action = _action(request)
    if request.content_length is not None and request.content_length > _FORM_BYTES:
        raise web.HTTPRequestEntityTooLarge(_FORM_BYTES, request.content_length)
    posted = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
    gate.check_form(request, posted)
    diploma = await _diploma(request, current)
    values = forms.values_of(action, posted)
    step = posted.get("step", "check")
    lang = language(request)
    if step == "edit":
        return _form_page(request, current, action, diploma, values)
    key = posted.get("key", "")
    confirming = step == "confirm" and _KEY.match(key) is not None
    try:
        written = await actions.perform(
            request.app[POOL],
            current.principal,
            action.name,
            diploma.id,
            forms.request_of(values),
            signing=request.app[SIGNING],
            idempotency_key=f"console:{key}" if confirming else None,
            dry_run=not confirming,
        )
    except Problem as problem:
        errors = forms.errors_by_field(action, problem.errors)
        message = None
        if not errors:
            message = problem.detail_vi if lang == "vi" else problem.detail_en
            message = message or (problem.type.title_vi if lang == "vi" else problem.type.title_en)
        status = problem.type.status if problem.type.status in (403, 404, 409) else 422
        if status in (403, 404):
            raise
        return _form_page(
            request, current, action, diploma, values, errors=errors, message=message, status=status
        )
    if confirming:
        raise gate.redirect(
            f"/quan-ly/van-bang/{_target(written.answer, diploma)}?da-ghi={action.slug}", lang
        )
    body = pages.action_confirm_page(
        gate.frame(request, current),
        action,
        diploma,
        values,
        answer=written.answer,
        key=secrets.token_urlsafe(24),
        other_href=_other_href(request),
    )
    return html_response(request, body, lang, cache="no-store")


def _target(answer: Any, diploma: Any) -> uuid.UUID | str:
    """Where the done action leads: the new diploma of a re-issue, else the diploma."""
    new = answer.get("diploma") if isinstance(answer, dict) and "replaced" in answer else None
    if isinstance(new, dict) and "id" in new:
        return str(new["id"])
    return str(diploma.id)


def done_notice(slug: str) -> Text | None:
    action = forms.ACTIONS.get(slug)
    if action is None:
        return None
    return CONSOLE_ACTIONS["done"].format(action=CONSOLE_ACTIONS[action.slug])
