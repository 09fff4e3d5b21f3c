"""The landing page at / and the HTML error pages: a browser that asks for HTML gets a page in
the pages' style (same status, security headers, Vietnamese first), while API clients and
anything not asking for HTML keep getting application/problem+json."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from typing import Any

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, make_mocked_request

from service.app import create_app
from service.http.middleware import problems, request_context
from service.http.responses import wants_html
from service.http.state import PROXIES
from service.problems import FORBIDDEN, UNAUTHENTICATED, Problem
from service.ratelimit import parse_networks
from service.settings import Settings
from tests.factories import assert_problem
from tests.service.test_headers import assert_page_headers

# What chromium and firefox send when a page is opened.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
AS_BROWSER = {"Accept": BROWSER}
# What must never reach a person on a page: a problem type's code, a trace, the database.
LEAKS = ("/problems/", "not-found", "internal-error", "Traceback", "relation", "revocations")


class _Tags(HTMLParser):
    """The start tags of a page, with their attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def _form(html: str) -> str:
    found = re.search(r"<form .*?</form>", html, re.DOTALL)
    assert found, html
    return found.group(0)


async def _page(response: Any, status: int, lang: str) -> str:
    """Checks what every page answered to a browser carries, and returns its HTML."""
    assert response.status == status, await response.text()
    assert_page_headers(response)
    assert response.charset == "utf-8"
    assert response.headers["Content-Language"] == lang
    html: str = await response.text()
    assert f'<html lang="{lang}">' in html
    assert "<script" not in html
    assert " style=" not in html
    return html


@pytest.mark.parametrize(
    ("query", "headers", "lang"),
    [
        ("", {}, "vi"),
        ("?lang=en", {}, "en"),
        ("", {"Accept-Language": "en-GB,en;q=0.9"}, "en"),
        ("?lang=vi", {"Accept-Language": "en"}, "vi"),
    ],
)
async def test_the_landing_page(
    client: Any, query: str, headers: dict[str, str], lang: str
) -> None:
    response = await client.get(f"/{query}", headers={**AS_BROWSER, **headers})
    html = await _page(response, 200, lang)
    tags = _Tags(html)
    # (a) Check a diploma: the lookup form itself, as /tra-cuu shows it, and the QR code.
    (form,) = tags.all("form")
    assert form == {"method": "post", "action": f"/tra-cuu?lang={lang}"}
    inputs = {attrs["name"]: attrs for attrs in tags.all("input")}
    assert set(inputs) == {"serial", "date_of_birth", "issuer"}
    assert "required" in inputs["serial"]
    assert "required" in inputs["date_of_birth"]
    assert "type" not in inputs["date_of_birth"]  # text typed dd/mm/yyyy, never mm/dd/yyyy
    assert inputs["date_of_birth"]["inputmode"] == "numeric"
    assert inputs["date_of_birth"]["aria-describedby"] == "dob-hint"
    assert "required" not in inputs["issuer"]  # optional
    labels = {attrs["for"] for attrs in tags.all("label")}
    assert labels == {attrs["id"] for attrs in inputs.values()}  # a visible label each
    lookup = await (await client.get(f"/tra-cuu?lang={lang}")).text()
    assert _form(html) == _form(lookup)
    links = {attrs["href"] for attrs in tags.all("a")}
    # (b) Staff sign in; (c) what the service is, with the trust list and the log.
    assert {
        f"/dang-nhap?lang={lang}",
        "/.well-known/vanbang/trust-list",
        "/log/checkpoint",
        f"/?lang={'en' if lang == 'vi' else 'vi'}",  # the other language
    } <= links
    if lang == "vi":
        assert "Đăng nhập dành cho cán bộ" in html
        assert "mã QR" in html
        assert "sổ gốc" in html
        assert "nhật ký" in html
    else:
        assert "Staff sign-in" in html
        assert "QR code" in html
        assert "tamper-evident log" in html
        assert "Đăng nhập" not in html
    # Cacheable as the lookup form is, per language.
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert response.headers["Vary"] == "Accept-Language"
    etag = response.headers["ETag"]
    again = await client.get(f"/{query}", headers={**headers, "If-None-Match": etag})
    assert again.status == 304
    assert not await again.read()
    assert again.headers["ETag"] == etag
    assert again.headers["X-Content-Type-Options"] == "nosniff"


async def test_the_landing_page_differs_by_language(client: Any) -> None:
    vi = await client.get("/")
    en = await client.get("/?lang=en")
    assert vi.headers["ETag"] != en.headers["ETag"]
    stale = await client.get("/?lang=en", headers={"If-None-Match": vi.headers["ETag"]})
    assert stale.status == 200


async def test_every_page_links_the_landing_page(client: Any) -> None:
    for path in ("/tra-cuu", "/tra-cuu?lang=en", "/thu-hoi/SGDDT-HN", "/khong-co"):
        html = await (await client.get(path, headers=AS_BROWSER)).text()
        lang = "en" if "lang=en" in path else "vi"
        assert f'<h1><a href="/?lang={lang}">' in html, path


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [
        ("/khong-co-trang", "vi", "Không tìm thấy trang"),
        ("/khong-co-trang?lang=en", "en", "Page not found"),
        ("/V", "vi", "Không tìm thấy trang"),
        ("/thu-hoi/NO-SUCH-ISSUER", "vi", "Không tìm thấy trang"),  # a Problem raised below
        ("/static/nothing.css", "vi", "Không tìm thấy trang"),
    ],
)
async def test_a_browser_gets_a_page_for_a_missing_path(
    client: Any, path: str, lang: str, title: str
) -> None:
    response = await client.get(path, headers=AS_BROWSER)
    html = await _page(response, 404, lang)
    assert f"<title>{title}</title>" in html
    assert f"<h2>{title}</h2>" in html
    links = {attrs["href"] for attrs in _Tags(html).all("a")}
    assert {f"/?lang={lang}", f"/tra-cuu?lang={lang}"} <= links  # what to do next
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "request-id" not in html  # not our fault: no id to quote
    assert response.headers["X-Request-ID"]
    for leak in LEAKS:
        assert leak not in html


async def test_the_language_comes_from_accept_language_too(client: Any) -> None:
    response = await client.get("/khong-co", headers={**AS_BROWSER, "Accept-Language": "en"})
    html = await _page(response, 404, "en")
    assert "Page not found" in html
    assert '<a href="/khong-co?lang=vi">Tiếng Việt</a>' in html


async def test_a_method_not_allowed_is_a_page_and_keeps_allow(client: Any) -> None:
    response = await client.post("/", data={"serial": "A1"}, headers=AS_BROWSER)
    html = await _page(response, 405, "vi")
    assert "Không thực hiện được yêu cầu" in html
    assert "GET" in response.headers["Allow"]
    api = await client.post("/", data={"serial": "A1"})
    await assert_problem(api, 405, "method-not-allowed")
    assert api.headers["Allow"] == response.headers["Allow"]


async def test_too_large_a_form_is_a_page(settings: Settings, aiohttp_client: Any) -> None:
    small = dataclasses.replace(settings, max_body_bytes=1024)
    client: TestClient[Any, Any] = await aiohttp_client(create_app(small))
    body = {"serial": "A" * 4096, "date_of_birth": "2007-05-01"}
    response = await client.post("/tra-cuu?lang=en", data=body, headers=AS_BROWSER)
    html = await _page(response, 413, "en")
    assert "What you sent is too large" in html
    await assert_problem(await client.post("/tra-cuu", data=body), 413, "payload-too-large")


async def test_over_the_rate_a_browser_is_told_how_long_to_wait(
    settings: Settings, aiohttp_client: Any
) -> None:
    limited = dataclasses.replace(settings, lookup_rate_limit=6, lookup_rate_burst=3)
    client: TestClient[Any, Any] = await aiohttp_client(create_app(limited))
    form = {"serial": "A1", "date_of_birth": "2007-01-01"}
    statuses = []
    for _ in range(4):
        response = await client.post("/tra-cuu", data=form, headers=AS_BROWSER)
        statuses.append(response.status)
    assert statuses == [200, 200, 200, 429]
    html = await _page(response, 429, "vi")
    seconds = response.headers["Retry-After"]
    assert int(seconds) >= 1
    assert f"Hãy thử lại sau {seconds} giây." in html
    assert "Quá nhiều yêu cầu" in html
    english = await client.post("/tra-cuu?lang=en", data=form, headers=AS_BROWSER)
    assert f"Try again in {english.headers['Retry-After']} seconds." in await english.text()
    # The API is limited as it was, and answers a problem.
    api = await client.post("/api/v1/lookup", json=form, headers=AS_BROWSER)
    await assert_problem(api, 429, "rate-limited")
    assert api.headers["Retry-After"]


async def test_a_fault_of_ours_shows_the_request_id(client: Any, db: asyncpg.Connection) -> None:
    assert (await client.get("/thu-hoi/SGDDT-HN", headers=AS_BROWSER)).status == 200
    # A real fault, as tests/service/test_failures.py makes one: the table a read needs is gone.
    await db.execute("ALTER TABLE revocations RENAME TO moved_away")
    try:
        response = await client.get(
            "/thu-hoi/SGDDT-HN", headers={**AS_BROWSER, "X-Request-ID": "support-1234"}
        )
        html = await _page(response, 500, "vi")
        assert "Đã có lỗi ở máy chủ" in html
        assert response.headers["X-Request-ID"] == "support-1234"
        assert '<code class="request-id">support-1234</code>' in html
        for leak in (*LEAKS, "moved_away", "UndefinedTable", "asyncpg"):
            assert leak not in html
        english = await client.get("/thu-hoi/SGDDT-HN?lang=en", headers=AS_BROWSER)
        assert "Something went wrong on our side" in await _page(english, 500, "en")
        # Software asking for JSON gets the problem, as before.
        api = await client.get("/thu-hoi/SGDDT-HN", headers={"Accept": "application/json"})
        body = await assert_problem(api, 500, "internal-error")
        assert "detail" not in body
    finally:
        await db.execute("ALTER TABLE moved_away RENAME TO revocations")


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/khong-co", {"Accept": "application/json"}),
        ("/khong-co", {"Accept": "application/json, text/html;q=0.5"}),
        ("/khong-co", {"Accept": "*/*"}),
        ("/khong-co", {}),
        ("/api/v1/khong-co", AS_BROWSER),
        ("/api/v1/diplomas/00000000-0000-4000-8000-000000000000/nothing", AS_BROWSER),
        ("/log/khong-co", AS_BROWSER),
        ("/.well-known/vanbang/khong-co", AS_BROWSER),
        ("/problems/khong-co", AS_BROWSER),
    ],
)
async def test_software_keeps_getting_problems(
    client: Any, path: str, headers: dict[str, str]
) -> None:
    response = await client.get(path, headers=headers)
    await assert_problem(response, 404, "not-found")
    assert "Content-Security-Policy" not in response.headers


@pytest.mark.parametrize(
    ("path", "accept", "html"),
    [
        ("/khong-co", BROWSER, True),
        ("/V/ABC", "text/html", True),
        ("/", "text/*", True),
        ("/", "text/html, application/json;q=0.9", True),
        ("/", "application/json;q=0.5, */*", True),  # */* covers text/html at q=1
        ("/", "text/html;q=0.5, */*", False),  # text/html named: its own q counts
        ("/", "application/json, text/html", False),  # a tie is a problem
        ("/", "*/*", False),
        ("/", "", False),
        ("/", "application/problem+json", False),
        ("/", "text/html;q=0", False),
        ("/", "text/html;q=nonsense, application/json;q=0.1", False),
        ("/api/v1/lookup", BROWSER, False),
        ("/log/checkpoint", BROWSER, False),
        ("/.well-known/vanbang/trust-list", BROWSER, False),
        ("/openapi.json", BROWSER, False),
        ("/problems/not-found", BROWSER, False),
        ("/healthz", BROWSER, False),
        ("/readyz", BROWSER, False),
    ],
)
def test_which_requests_want_a_page(path: str, accept: str, html: bool) -> None:
    headers = {"Accept": accept} if accept else {}
    assert wants_html(make_mocked_request("GET", path, headers=headers)) is html


async def _fails(request: web.Request) -> web.StreamResponse:
    failure = request.match_info["failure"]
    if failure == "401":
        raise Problem(UNAUTHENTICATED)
    if failure == "403":
        raise Problem(FORBIDDEN)
    raise OSError("the database went away")  # what the middleware answers 503 for


@pytest.fixture
async def failing(aiohttp_client: Any) -> TestClient[Any, Any]:
    """An app of the service's two middlewares and a handler that fails as asked."""
    app = web.Application(middlewares=[request_context, problems])
    app[PROXIES] = parse_networks("")  # as create_app sets it: no proxy is trusted
    app.router.add_get("/ban-lam-viec/{failure}", _fails)
    app.router.add_get("/api/v1/{failure}", _fails)
    client: TestClient[Any, Any] = await aiohttp_client(app)
    return client


async def test_a_page_that_needs_a_sign_in_points_to_it(failing: Any) -> None:
    response = await failing.get("/ban-lam-viec/401", headers=AS_BROWSER)
    html = await _page(response, 401, "vi")
    assert "Cần đăng nhập" in html
    card = html[html.index('<section class="card problem">') :]
    links = [attrs["href"] for attrs in _Tags(card).all("a")]
    assert links == ["/dang-nhap?lang=vi", "/?lang=vi", "/tra-cuu?lang=vi"]  # sign in first
    assert "Đăng nhập dành cho cán bộ" in html
    english = await failing.get("/ban-lam-viec/401?lang=en", headers=AS_BROWSER)
    assert "Staff sign-in" in await _page(english, 401, "en")
    await assert_problem(
        await failing.get("/api/v1/401", headers=AS_BROWSER), 401, "unauthenticated"
    )


async def test_forbidden_and_unavailable_pages(failing: Any) -> None:
    forbidden = await failing.get("/ban-lam-viec/403", headers=AS_BROWSER)
    html = await _page(forbidden, 403, "vi")
    assert "Không có quyền xem trang này" in html
    assert "request-id" not in html
    down = await failing.get("/ban-lam-viec/503", headers={**AS_BROWSER, "Accept-Language": "en"})
    html = await _page(down, 503, "en")
    assert "The service is briefly unavailable" in html
    assert f'<code class="request-id">{down.headers["X-Request-ID"]}</code>' in html
    assert "the database went away" not in html
    await assert_problem(await failing.get("/api/v1/503", headers=AS_BROWSER), 503, "unavailable")
