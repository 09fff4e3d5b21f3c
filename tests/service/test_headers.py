"""The pages' templates, stylesheet and security headers: every HTML answer under a strict
Content-Security-Policy, nosniff on every answer, no version in Server, values escaped, and
templates that fail on a name they were not given."""

from __future__ import annotations

import re
from importlib.resources import files
from typing import Any

import jinja2
import pytest
from aiohttp import ClientResponse, web
from markupsafe import Markup, escape

from service.http.headers import CONTENT_SECURITY_POLICY
from service.http.middleware import request_context
from service.web.assets import STYLESHEET
from service.web.render import ENVIRONMENTS, TEMPLATES, escape_value, render
from tests.factories import assert_problem, qr_path, qr_text, registered, revoke

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def assert_page_headers(response: ClientResponse) -> None:
    assert response.content_type == "text/html"
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert_server(response)


def assert_server(response: ClientResponse) -> None:
    assert response.headers.getall("Server") == ["vanbang"]  # no Python/3.x aiohttp/3.x


async def test_every_page_carries_the_security_headers(client: Any) -> None:
    assert CONTENT_SECURITY_POLICY == CSP
    valid, revoked = await registered(client)
    await revoke(client, revoked["id"])
    pages = [
        await client.get(qr_path(await qr_text(client, valid["id"]))),
        await client.get(qr_path(await qr_text(client, revoked["id"]))),
        await client.get("/tra-cuu"),
        await client.post("/tra-cuu", data={"serial": valid["serial"], "date_of_birth": "x"}),
        await client.get("/thu-hoi/SGDDT-HN"),
    ]
    assert [page.status for page in pages] == [200, 200, 200, 422, 200]
    for page in pages:
        assert_page_headers(page)
        html = await page.text()
        assert f'<link rel="stylesheet" href="{STYLESHEET.url}">' in html
        assert "<style" not in html  # the CSP allows no inline style
        assert "<script" not in html
        assert " style=" not in html
    # A revalidated form: no body, but still nosniff and no version.
    again = await client.get("/tra-cuu", headers={"If-None-Match": pages[2].headers["ETag"]})
    assert again.status == 304
    assert again.headers["X-Content-Type-Options"] == "nosniff"
    assert_server(again)


async def test_json_answers_carry_nosniff_only(client: Any) -> None:
    missing = await client.get("/api/v1/diplomas/00000000-0000-4000-8000-000000000000")
    assert missing.status in (401, 404)  # unknown or unauthenticated, a problem either way
    no_route = await client.get("/no/such/path")
    await assert_problem(no_route, 404, "not-found")
    health = await client.get("/healthz")
    for response in (missing, no_route, health):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Content-Security-Policy" not in response.headers
        assert "X-Frame-Options" not in response.headers
        assert_server(response)


async def test_the_stylesheet_is_served_for_good(client: Any) -> None:
    assert re.fullmatch(r"/static/public\.[0-9a-f]{16}\.css", STYLESHEET.url)
    css = await client.get(STYLESHEET.url)
    assert css.status == 200
    assert css.content_type == "text/css"
    assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert css.headers["X-Content-Type-Options"] == "nosniff"  # so text/css is required
    assert await css.read() == (files("service.web") / "static" / "public.css").read_bytes()
    assert ".verdict" in await css.text()
    etag = css.headers["ETag"]
    assert etag == f'"{STYLESHEET.etag}"'
    cached = await client.get(STYLESHEET.url, headers={"If-None-Match": etag})
    assert cached.status == 304
    plain = await client.get("/static/public.css")
    assert plain.status == 200
    assert plain.headers["Cache-Control"] == "public, no-cache"
    assert plain.headers["ETag"] == etag
    await assert_problem(await client.get("/static/public.0000000000000000.css"), 404, "not-found")
    await assert_problem(await client.get("/static/..%2Fpages.py"), 404, "not-found")


async def test_a_value_given_comes_back_escaped(client: Any) -> None:
    injected = "<script>alert(1)</script>"
    response = await client.post(
        "/tra-cuu?lang=en",
        data={"serial": injected, "date_of_birth": "x", "issuer": '"><img src=x>'},
    )
    assert response.status == 422
    assert_page_headers(response)
    html = await response.text()
    assert "A date must be" in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert 'value="&#34;&gt;&lt;img src=x&gt;"' in html
    assert "<script" not in html
    assert "<img" not in html


def test_a_name_not_given_fails_the_render() -> None:
    with pytest.raises(jinja2.UndefinedError, match="'summary' is undefined"):
        render("result.html", "vi")
    for lang in ENVIRONMENTS:
        with pytest.raises(jinja2.UndefinedError):
            ENVIRONMENTS[lang].from_string("<p>{{ nope }}</p>").render()
        with pytest.raises(jinja2.UndefinedError):
            ENVIRONMENTS[lang].from_string("{% for x in nope %}{% endfor %}").render()


def test_a_text_not_in_the_catalogue_fails_the_compile() -> None:
    assert ENVIRONMENTS["vi"].from_string("{{ t.lookup }}").render() == "Tra cứu theo số hiệu"
    assert ENVIRONMENTS["en"].from_string("{{ t.lookup }}").render() == "Look up by serial"
    with pytest.raises(jinja2.TemplateSyntaxError, match=r"t\.no_such_key: no such text"):
        ENVIRONMENTS["vi"].from_string("{{ t.no_such_key }}")


def test_printed_values_are_escaped_as_markupsafe_does() -> None:
    for value in ("", "plain", "<a href=\"x\" title='y'>&amp;</a>", "Trần Thị Bình", 7, None):
        assert escape_value(value) == str(escape(value))
    assert escape_value(Markup("<b>kept</b>")) == "<b>kept</b>"

    class Html:
        def __html__(self) -> str:
            return "<i>own</i>"

    assert escape_value(Html()) == "<i>own</i>"
    # The templates print through escape_value (see render.py), not markupsafe.escape.
    env = ENVIRONMENTS["vi"]
    assert env.loader is not None
    source = env.loader.get_source(env, "result.html")[0]
    assert "environment.escape_value(" in str(env.compile(source, raw=True))
    out = env.from_string("{{ a }}|{{ b }}|{{ c }}").render(a="<", b=Markup("<br>"), c=1)
    assert out == "&lt;|<br>|1"


def test_the_field_macro_shows_its_error_beside_the_field() -> None:
    env = ENVIRONMENTS["en"]
    html = env.from_string(
        '{{ field("dob", "date_of_birth", t.dob, "<x>", type="date", required=true,'
        ' error="A date must be <dd/mm/yyyy>") }}'
    ).render()
    assert '<label for="dob">Date of birth</label>' in html
    assert '<p class="error" id="dob-error">A date must be &lt;dd/mm/yyyy&gt;</p>' in html
    assert 'aria-invalid="true" aria-describedby="dob-error"' in html
    assert 'type="date" required' in html
    assert 'value="&lt;x&gt;"' in html


def test_templates_and_static_files_ship_in_the_package() -> None:
    web = files("service.web")
    for name in ("base.html", "_macros.html", "result.html", "lookup.html", "revocations.html"):
        assert (web / "templates" / name).is_file()
    assert (web / "static" / "public.css").is_file()
    assert set(TEMPLATES["vi"]) == set(TEMPLATES["en"]) >= {"result.html", "lookup.html"}


async def test_an_http_exception_let_through_is_covered_too(aiohttp_client: Any) -> None:
    async def moved(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/tra-cuu")

    app = web.Application(middlewares=[request_context])
    app.router.add_get("/old", moved)
    client = await aiohttp_client(app)
    response = await client.get("/old", allow_redirects=False)
    assert response.status == 302
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert_server(response)
