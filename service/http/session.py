"""The staff pages' session at the edge: the cookie (HttpOnly, SameSite=Lax, Secure and
__Host- when the service is public over HTTPS), the gate every staff page passes (signed in,
second factor done, temporary password changed, second factor enrolled where the role must
have one), and the form token every form that changes anything must carry (CSRF).

Before sign-in there is no session: the sign-in form's token is a random value set as a
cookie and repeated in the form (a double-submit token), so that no other site can sign a
browser in to an account of its choosing."""

from __future__ import annotations

import re
import secrets
from enum import Enum
from typing import Final
from urllib.parse import quote

from aiohttp import web
from yarl import URL

from service import texts
from service.db.sessions import SessionRow
from service.domain.accounts import Role
from service.domain.sessions import form_token, same_token
from service.http.public import language
from service.http.state import POOL, SETTINGS
from service.problems import FORBIDDEN, Problem
from service.usecases import signin
from service.usecases.enrolment import second_factor_required
from service.web.staff_pages import Frame, Person, role_title
from verifier.result import Lang

SIGN_IN: Final = "/dang-nhap"
SECOND_FACTOR: Final = "/dang-nhap/ma-xac-thuc"
CHANGE_PASSWORD: Final = "/doi-mat-khau"  # noqa: S105  # a page, no password
ENROL: Final = "/tai-khoan/xac-thuc-hai-buoc"
ACCOUNT: Final = "/tai-khoan"
CONSOLE: Final = "/quan-ly"
SUPERVISION: Final = "/giam-sat"
_PRE_FORM_COOKIE: Final = "vanbang_form"
_DEVICE_COOKIE: Final = "vanbang_device"
# One slash, then a path and a query of unreserved, sub-delim and percent-encoded characters.
_LOCAL_PATH: Final = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*")
_SESSION_SECRET: Final = web.RequestKey("session_secret", str)


class Stage(Enum):
    """How far a page needs the sign-in to have come."""

    SECOND_FACTOR = 1  # the password was right; the code is to come
    CHANGE_PASSWORD = 2  # signed in, perhaps with a temporary password
    ENROL = 3  # signed in with a password of one's own, perhaps without a required factor
    FULL = 4


def _set_cookie(
    request: web.Request,
    response: web.StreamResponse,
    name: str,
    value: str,
    max_age: int | None = None,
) -> None:
    """Every cookie of ours: HttpOnly, SameSite=Lax, the whole site, Secure over https."""
    response.set_cookie(
        name,
        value,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=request.app[SETTINGS].secure_cookies,
        max_age=max_age,
    )


def cookie_name(request: web.Request) -> str:
    return "__Host-vanbang_session" if request.app[SETTINGS].secure_cookies else "vanbang_session"


def _pre_cookie_name(request: web.Request) -> str:
    secure = request.app[SETTINGS].secure_cookies
    return f"__Host-{_PRE_FORM_COOKIE}" if secure else _PRE_FORM_COOKIE


def set_session_cookie(request: web.Request, response: web.StreamResponse, secret: str) -> None:
    """A cookie for this browser session only (no Max-Age: closing the browser of a shared
    office computer ends it; the server ends it anyway at its idle or absolute limit)."""
    _set_cookie(request, response, cookie_name(request), secret)


def clear_session_cookie(request: web.Request, response: web.StreamResponse) -> None:
    # With the attributes it was set with: a browser keeps a __Host- cookie that an
    # expiring Set-Cookie without Secure names.
    _set_cookie(request, response, cookie_name(request), "", max_age=0)


def device_cookie(request: web.Request) -> str | None:
    """The known-browser cookie, if this browser has one (docs/accounts.md, throttling)."""
    return request.cookies.get(_device_cookie_name(request))


def set_device_cookie(request: web.Request, response: web.StreamResponse, secret: str) -> None:
    """Kept for a year: the browser a person signed in with is not slowed down by others'
    failures on their account."""
    _set_cookie(request, response, _device_cookie_name(request), secret, max_age=366 * 86400)


def _device_cookie_name(request: web.Request) -> str:
    secure = request.app[SETTINGS].secure_cookies
    return f"__Host-{_DEVICE_COOKIE}" if secure else _DEVICE_COOKIE


def lang_path(path: str, lang: Lang) -> str:
    if lang == "vi":
        return path
    return path + ("&" if "?" in path else "?") + "lang=en"


def other_href(request: web.Request, lang: Lang) -> str:
    return request.rel_url.update_query(lang="en" if lang == "vi" else "vi").path_qs


def redirect(path: str, lang: Lang) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(lang_path(path, lang), text="", headers={"Cache-Control": "no-store"})


def safe_next(raw: str | None) -> str:
    """A path on this site to go back to after sign-in, or the console's home: only the
    characters of a path and query (no space, tab or other control character, no backslash,
    which browsers and URL libraries read in their own ways), starting with one slash and
    never two, never a sign-in page."""
    if not raw or len(raw) > 500 or not _LOCAL_PATH.fullmatch(raw):
        return CONSOLE
    if URL(raw).path.startswith(SIGN_IN):  # as decoded: /%64ang-nhap is /dang-nhap too
        return CONSOLE
    return raw


def _next_stage(current: SessionRow, roles: frozenset[str]) -> tuple[Stage, str] | None:
    """The step the sign-in still has to take, and its page, or None when it is complete."""
    if current.second_factor_pending:
        return Stage.SECOND_FACTOR, SECOND_FACTOR
    if current.password_temporary:
        return Stage.CHANGE_PASSWORD, CHANGE_PASSWORD
    if not current.has_second_factor and second_factor_required(current.principal, roles):
        return Stage.ENROL, ENROL
    return None


async def current_session(request: web.Request) -> SessionRow | None:
    secret = request.cookies.get(cookie_name(request))
    found = await signin.session(request.app[POOL], request.app[SETTINGS], secret)
    if found is not None and secret is not None:
        request[_SESSION_SECRET] = secret
    return found


async def require(request: web.Request, stage: Stage = Stage.FULL) -> SessionRow:
    """The session for a page that needs sign-in to have reached `stage`; else a redirect to
    the step still to take (the sign-in page, with the page to come back to)."""
    lang = language(request)
    current = await current_session(request)
    if current is None:
        back = quote(request.rel_url.path_qs, safe="/?=&")
        raise redirect(f"{SIGN_IN}?next={back}", lang)
    pending = _next_stage(current, request.app[SETTINGS].second_factor_roles)
    if pending is not None and pending[0].value < stage.value:
        raise redirect(pending[1], lang)
    return current


def after_sign_in(current: SessionRow, roles: frozenset[str], next_path: str) -> str:
    """The step still to take, or the page asked for, or the person's home: an auditor's is
    the supervision overview, everyone else's the console."""
    pending = _next_stage(current, roles)
    if pending is not None:
        return pending[1]
    target = safe_next(next_path)
    if target == CONSOLE and current.principal.role == Role.AUDITOR:
        return SUPERVISION
    return target


def session_form_token(request: web.Request) -> str:
    return form_token(request[_SESSION_SECRET])


def frame(request: web.Request, current: SessionRow | None) -> Frame:
    lang = language(request)
    if current is None:
        return Frame(lang=lang, other_href=other_href(request, lang), home_href="/")
    role = current.principal.role
    person = Person(
        current.display_name,
        role_title(role.value, lang),
        writes=role != Role.AUDITOR,
        supervises=role in (Role.AUDITOR, Role.ADMIN),
    )
    return Frame(
        lang=lang,
        other_href=other_href(request, lang),
        person=person,
        form_token=session_form_token(request),
        home_href=lang_path(CONSOLE, lang),
    )


def check_form(request: web.Request, form: dict[str, str]) -> None:
    """Refuses a form of a signed-in page without this session's form token."""
    given = form.get("form_token", "")
    if not given or not same_token(given, session_form_token(request)):
        raise Problem(FORBIDDEN, *texts.FORM_EXPIRED)


def pre_form_token(request: web.Request) -> str:
    """The sign-in form's token: the browser's cookie, or a new one (set it on the answer
    with set_pre_form_cookie)."""
    token = request.cookies.get(_pre_cookie_name(request), "")
    if len(token) != 43 or not token.isascii():
        token = secrets.token_urlsafe(32)
    return token


def set_pre_form_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    _set_cookie(request, response, _pre_cookie_name(request), token)


def pre_form_ok(request: web.Request, form: dict[str, str]) -> bool:
    """Whether the sign-in form carries the token its cookie holds."""
    cookie = request.cookies.get(_pre_cookie_name(request), "")
    given = form.get("form_token", "")
    return bool(cookie) and bool(given) and same_token(given, cookie)
