"""Signing in to the staff pages through the test client: cookies, form tokens on every form
that changes anything, timeouts, throttling, the second factor, where sign-in leads, and
personal tokens. (tests/service/test_staff_browser.py does the same in a real browser.)"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import re
from http.cookies import SimpleCookie
from typing import Any

import asyncpg
import pytest

from service.app import create_app
from service.settings import Settings
from tests.conftest import ADMIN, bearer
from tests.factories import assert_problem
from tests.staff import (
    AUDITOR_LOGIN,
    CLERK_LOGIN,
    code_for,
    code_step,
    enrol_second_factor,
    enrolment_secret,
    form_token,
    post_sign_in,
    shown_token,
    sign_in,
    stored_second_factor,
)


def _cookie(response: Any, name: str) -> Any:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.getall("Set-Cookie", []):
        jar.load(header)
    return jar[name]


async def test_the_session_cookie_and_what_is_stored(client: Any, db: asyncpg.Connection) -> None:
    response = await post_sign_in(client, *CLERK_LOGIN)
    assert response.status == 303
    assert response.headers["Location"] == "/quan-ly"
    cookie = _cookie(response, "vanbang_session")
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["secure"]  # the service is reached over plain http here
    secret = cookie.value
    assert len(secret) == 43  # 32 random bytes, base64url
    stored = await db.fetchval("SELECT id_hash FROM sessions")
    assert stored == hashlib.sha256(secret.encode()).digest()
    assert secret.encode() not in stored


async def test_over_https_the_cookie_is_secure_and_host_only(
    settings: Settings, aiohttp_client: Any
) -> None:
    https = dataclasses.replace(settings, public_url="https://vanbang.example.vn")
    client = await aiohttp_client(create_app(https))
    page = await client.get("/dang-nhap")
    pre = _cookie(page, "__Host-vanbang_form")
    assert pre["secure"]
    # The test client speaks plain http, so it keeps no Secure cookie: sent by hand.
    response = await client.post(
        "/dang-nhap",
        data={"form_token": pre.value, "username": CLERK_LOGIN[0], "password": CLERK_LOGIN[1]},
        headers={"Cookie": f"__Host-vanbang_form={pre.value}"},
        allow_redirects=False,
    )
    assert response.status == 303
    cookie = _cookie(response, "__Host-vanbang_session")
    assert cookie["secure"]
    assert cookie["httponly"]


async def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(client: Any) -> None:
    wrong = await post_sign_in(client, "canbo.hn", "not the password at all")
    unknown = await post_sign_in(client, "nobody.here", "not the password at all")
    assert wrong.status == unknown.status == 401
    wrong_text, unknown_text = await wrong.text(), await unknown.text()
    message = "Tên đăng nhập hoặc mật khẩu không đúng"
    assert message in wrong_text
    assert message in unknown_text
    # The same page but for the name typed back into its field.
    assert wrong_text.replace('value="canbo.hn"', 'value="nobody.here"') == unknown_text
    assert 'value="canbo.hn"' in wrong_text  # the username stays filled in
    assert "vanbang_session" not in wrong.headers.get("Set-Cookie", "")


async def test_the_sign_in_form_says_what_is_missing_beside_each_field(client: Any) -> None:
    page = await client.get("/dang-nhap")
    token = form_token(await page.text())
    response = await client.post("/dang-nhap", data={"form_token": token})
    assert response.status == 422
    text = await response.text()
    assert 'id="username-error"' in text
    assert 'id="password-error"' in text
    assert "Nhập tên đăng nhập" in text
    assert 'href="#username"' in text  # the summary links to the field


# Every form that changes anything needs its token --------------------------------------


STAFF_FORMS = [
    ("/dang-nhap", {"username": "canbo.hn", "password": "demo-canbo-vanbang"}),
    ("/doi-mat-khau", {"current": "demo-canbo-vanbang", "new": "mot cau rat dai de nho"}),
    ("/tai-khoan/xac-thuc-hai-buoc", {"secret": "A" * 32, "code": "123456"}),
    ("/tai-khoan/xac-thuc-hai-buoc/tat", {"off_password": "demo-canbo-vanbang"}),
    ("/tai-khoan/ma-truy-cap", {"label": "HR", "days": "30"}),
    ("/tai-khoan/ma-truy-cap/{token}/thu-hoi", {}),
    ("/dang-xuat", {}),
    ("/dang-xuat/moi-thiet-bi", {}),
    ("/dang-nhap/ma-xac-thuc", {"code": "123456"}),
    ("/quan-ly/dang-ky", {"file": "so,tien"}),
    ("/quan-ly/dang-ky/nhap-tay", {"action": "check", "decision-number": "1/QĐ"}),
    ("/quan-ly/dang-ky/{token}/xac-nhan", {}),
    ("/quan-ly/dang-ky/{token}/huy", {}),
    ("/quan-ly/van-bang/{token}/ban-giao", {"step": "confirm", "key": "k" * 32}),
    ("/quan-ly/phoi/nhan-phoi", {"step": "confirm", "key": "k" * 32, "kind": "thpt"}),
    ("/quan-ly/quyet-dinh/{token}/in", {}),
    ("/giam-sat/bat-thuong", {"key": "late_issuance:x", "note": "Đã xem"}),
    ("/quan-ly/tra-cuu-hang-loat", {"purpose": "Xác minh hồ sơ tuyển dụng", "file": "a,b"}),
    ("/quan-ly/tra-cuu-dinh-danh", {"personal_id": "001307004217"}),
    ("/quan-ly/van-bang/{token}/dinh-danh", {}),
    ("/quan-ly/may-in", {"offset_x": "1", "offset_y": "1", "scale": "1"}),
    ("/quan-ly/quyet-dinh/{token}/van-bang-so", {}),
]


def test_every_staff_form_is_in_the_list(client: Any) -> None:
    posted = {
        route.resource.canonical
        for route in client.app.router.routes()
        if route.method == "POST"
        and route.resource is not None
        and not route.resource.canonical.startswith("/api/")
        # The public lookup, bulk and PDF checks change nothing; a receipt is the public's own
        # (no session, so no form token: refused cross-site instead, docs/verification.md).
        and route.resource.canonical
        not in ("/tra-cuu", "/kiem-tra-hang-loat", "/kiem-tra-van-bang-so", "/bien-nhan")
    }
    assert posted == {
        re.sub(r"/(ban-giao|nhan-phoi)$", "/{action}", path.replace("{token}", "{id}"))
        for path, _ in STAFF_FORMS
    }


@pytest.mark.parametrize(("path", "data"), STAFF_FORMS, ids=[p for p, _ in STAFF_FORMS])
@pytest.mark.parametrize("token", ["missing", "another session's"])
async def test_a_form_without_its_token_is_refused_and_changes_nothing(
    client: Any, db: asyncpg.Connection, path: str, data: dict[str, str], token: str
) -> None:
    await sign_in(client, CLERK_LOGIN)
    if path == "/dang-nhap/ma-xac-thuc":  # a session waiting for its second factor
        await db.execute("UPDATE sessions SET second_factor_pending = true")
        await db.execute(
            "UPDATE accounts SET totp_secret = $1 WHERE username = 'canbo.hn'", "A" * 32
        )
    token_id = await db.fetchval(
        "INSERT INTO api_tokens (id, token_hash, role, issuer_code, account_id) "
        "SELECT gen_random_uuid(), sha256('t'), 'clerk', 'SGDDT-HN', id FROM accounts "
        "WHERE username = 'canbo.hn' RETURNING id"
    )
    before = await _state(db)
    if path == "/dang-nhap":
        client.session.cookie_jar.clear()
        await client.get("/dang-nhap")  # the pre-form cookie, but not its value in the form
    form = dict(data)
    if token != "missing":
        form["form_token"] = "x" * 43
    response = await client.post(
        path.format(token=token_id), data=form, headers={"Accept": "text/html"}
    )
    assert response.status == 403, (path, response.status)
    text = await response.text()
    assert "Biểu mẫu đã hết hạn" in text
    assert await _state(db) == before


async def _state(db: asyncpg.Connection) -> Any:
    return await db.fetch(
        "SELECT (SELECT count(*) FROM sessions) AS sessions, "
        "(SELECT array_agg(password_hash ORDER BY id) FROM accounts) AS hashes, "
        "(SELECT array_agg(coalesce(totp_secret, '') ORDER BY id) FROM accounts) AS factors, "
        "(SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL) AS tokens, "
        "(SELECT count(*) FROM staff_journal) AS journal, "
        "(SELECT count(*) FROM staged_decisions) AS staged, "
        "(SELECT count(*) FROM diplomas) AS diplomas, "
        "(SELECT count(*) FROM handovers) AS handovers"
    )


# Sessions end --------------------------------------------------------------------------


async def test_a_session_ends_when_idle_and_at_its_lifetime(
    client: Any, db: asyncpg.Connection
) -> None:
    await sign_in(client, CLERK_LOGIN)
    assert (await client.get("/tai-khoan", allow_redirects=False)).status == 200
    await db.execute("UPDATE sessions SET last_seen_at = now() - interval '31 minutes'")
    gone = await client.get("/tai-khoan", allow_redirects=False)
    assert gone.status == 303
    assert gone.headers["Location"] == "/dang-nhap?next=/tai-khoan"
    await sign_in(client, CLERK_LOGIN)
    await db.execute("UPDATE sessions SET expires_at = now() - interval '1 second'")
    assert (await client.get("/tai-khoan", allow_redirects=False)).status == 303


async def test_sign_out_and_sign_out_of_every_device(
    client: Any, aiohttp_client: Any, settings: Settings, db: asyncpg.Connection
) -> None:
    other = await aiohttp_client(create_app(settings))
    here = await sign_in(client, CLERK_LOGIN)
    there = await sign_in(other, CLERK_LOGIN)
    out = await client.post("/dang-xuat", data={"form_token": here}, allow_redirects=False)
    assert out.headers["Location"] == "/dang-nhap?da-dang-xuat"
    assert (await client.get("/tai-khoan", allow_redirects=False)).status == 303
    assert (await other.get("/tai-khoan", allow_redirects=False)).status == 200
    here = await sign_in(client, CLERK_LOGIN)
    everywhere = await other.post("/dang-xuat/moi-thiet-bi", data={"form_token": there})
    assert "Bạn đã đăng xuất" in await everywhere.text()
    for browser in (client, other):
        assert (await browser.get("/tai-khoan", allow_redirects=False)).status == 303
    assert await db.fetchval("SELECT count(*) FROM sessions") == 0


async def test_after_sign_in_only_a_page_of_this_site(client: Any) -> None:
    for given, lands in (
        ("/tai-khoan/ma-truy-cap", "/tai-khoan/ma-truy-cap"),
        ("//evil.example/x", "/quan-ly"),
        ("/\\evil.example", "/quan-ly"),
        ("https://evil.example", "/quan-ly"),
        ("/dang-nhap", "/quan-ly"),
    ):
        client.session.cookie_jar.clear()
        response = await post_sign_in(client, *CLERK_LOGIN, next=given)
        assert response.headers["Location"] == lands, given


async def test_english_stays_english(client: Any) -> None:
    page = await client.get("/dang-nhap?lang=en")
    text = await page.text()
    assert "Sign in" in text
    assert 'action="/dang-nhap?lang=en"' in text
    token = form_token(text)
    signed = await client.post(
        "/dang-nhap?lang=en",
        data={"form_token": token, "username": "canbo.hn", "password": "demo-canbo-vanbang"},
        allow_redirects=False,
    )
    assert signed.headers["Location"] == "/quan-ly?lang=en"
    account = await (await client.get("/tai-khoan?lang=en")).text()
    assert "Your account" in account
    assert "Diploma clerk" in account


# Throttling ----------------------------------------------------------------------------


async def test_failures_slow_down_an_account_but_never_lock_it(
    client: Any, db: asyncpg.Connection
) -> None:
    for _ in range(5):  # free
        assert (await post_sign_in(client, "canbo.hn", "wrong password here")).status == 401
    slowed = await post_sign_in(client, "canbo.hn", "demo-canbo-vanbang")  # even the right one
    assert slowed.status == 429
    assert 1 <= int(slowed.headers["Retry-After"]) <= 2
    assert "Vui lòng thử lại sau" in await slowed.text()
    # The same for a name nobody has: the answers tell nothing of which names exist.
    for _ in range(5):
        await post_sign_in(client, "nobody.here", "wrong password here")
    assert (await post_sign_in(client, "nobody.here", "x")).status == 429
    # The wait ends: a minute at most after the last failure, however many came before.
    await db.execute("UPDATE sign_in_throttle SET failures = 1000 WHERE key LIKE 'account:%'")
    await db.execute("UPDATE sign_in_throttle SET last_failure_at = now() - interval '61 seconds'")
    assert (await post_sign_in(client, "canbo.hn", "demo-canbo-vanbang")).status == 303
    key = await db.fetch("SELECT key FROM sign_in_throttle WHERE key LIKE 'account:%'")
    assert len(key) == 1  # the clerk's count was cleared by the success; nobody.here's stays


async def test_failures_slow_down_a_client_that_tries_many_accounts(
    client: Any, db: asyncpg.Connection
) -> None:
    for n in range(20):
        assert (await post_sign_in(client, f"guess.{n}", "wrong password here")).status == 401
    assert (await post_sign_in(client, "canbo.hn", "demo-canbo-vanbang")).status == 429


# The second factor ---------------------------------------------------------------------


async def test_sign_in_with_totp_and_with_a_recovery_code_once(
    client: Any, db: asyncpg.Connection
) -> None:
    form = await sign_in(client, CLERK_LOGIN)
    secret, codes, used_step = await enrol_second_factor(client)
    await client.post("/dang-xuat", data={"form_token": form})
    first = await post_sign_in(client, *CLERK_LOGIN)
    assert first.headers["Location"] == "/dang-nhap/ma-xac-thuc"
    # Nothing else opens before the code.
    assert (await client.get("/tai-khoan", allow_redirects=False)).headers["Location"] == (
        "/dang-nhap/ma-xac-thuc"
    )
    page = await (await client.get("/dang-nhap/ma-xac-thuc")).text()
    pending = form_token(page)
    # The enrolment's own code (its step used): refused.
    refused = await client.post(
        "/dang-nhap/ma-xac-thuc", data={"form_token": pending, "code": used_step}
    )
    assert refused.status == 401
    assert "đã được dùng" in await refused.text()
    ok = await client.post(
        "/dang-nhap/ma-xac-thuc",
        data={"form_token": pending, "code": code_for(secret, ahead=1)},
        allow_redirects=False,
    )
    assert ok.headers["Location"] == "/quan-ly"
    account = await client.get("/tai-khoan")
    form = form_token(await account.text())
    await client.post("/dang-xuat", data={"form_token": form})
    pending = await code_step(client, *CLERK_LOGIN)
    recovered = await client.post(
        "/dang-nhap/ma-xac-thuc",
        data={"form_token": pending, "code": codes[0].upper()},
        allow_redirects=False,
    )
    assert recovered.headers["Location"] == "/quan-ly"
    assert await db.fetchval("SELECT count(*) FROM recovery_codes WHERE used_at IS NULL") == 9
    form = form_token(await (await client.get("/tai-khoan")).text())
    await client.post("/dang-xuat", data={"form_token": form})
    pending = await code_step(client, *CLERK_LOGIN)
    again = await client.post(
        "/dang-nhap/ma-xac-thuc", data={"form_token": pending, "code": codes[0]}
    )
    assert again.status == 401
    # A pending sign-in lapses after ten minutes.
    await db.execute("UPDATE sessions SET created_at = now() - interval '11 minutes'")
    assert (await client.get("/dang-nhap/ma-xac-thuc", allow_redirects=False)).status == 303


async def test_a_role_that_must_have_a_second_factor_enrols_before_anything_else(
    settings: Settings, aiohttp_client: Any, db: asyncpg.Connection
) -> None:
    strict = dataclasses.replace(settings, second_factor_roles=frozenset({"auditor", "admin"}))
    client = await aiohttp_client(create_app(strict))
    signed = await post_sign_in(client, *AUDITOR_LOGIN)
    assert signed.headers["Location"] == "/tai-khoan/xac-thuc-hai-buoc"
    for page in ("/tai-khoan", "/tai-khoan/ma-truy-cap"):
        held = await client.get(page, allow_redirects=False)
        assert held.headers["Location"] == "/tai-khoan/xac-thuc-hai-buoc", page
    enrol = await (await client.get("/tai-khoan/xac-thuc-hai-buoc")).text()
    assert "bắt buộc" in enrol
    assert "Tắt xác thực hai bước" not in enrol
    await enrol_second_factor(client)
    account = await client.get("/tai-khoan", allow_redirects=False)
    assert account.status == 200
    # It cannot be turned off.
    off = await client.post(
        "/tai-khoan/xac-thuc-hai-buoc/tat",
        data={"form_token": form_token(await account.text()), "off_password": AUDITOR_LOGIN[1]},
    )
    assert off.status == 403
    assert await db.fetchval(
        "SELECT totp_secret IS NOT NULL FROM accounts WHERE username = 'thanhtra.bo'"
    )
    # A clerk is not held.
    client.session.cookie_jar.clear()
    assert (await post_sign_in(client, *CLERK_LOGIN)).headers["Location"] == "/quan-ly"


async def test_a_temporary_password_is_changed_first_by_the_policy(
    client: Any, db: asyncpg.Connection
) -> None:
    await db.execute("UPDATE accounts SET password_temporary = true WHERE username = 'canbo.hn'")
    await post_sign_in(client, *CLERK_LOGIN)
    page = await (await client.get("/doi-mat-khau")).text()
    assert "mật khẩu tạm thời" in page
    token = form_token(page)
    change = {"form_token": token, "current": CLERK_LOGIN[1]}
    for new, repeated, field, message in (
        ("ngắn", "ngắn", "new", "ít nhất 12 ký tự"),
        ("Nguyen Thi Lan 1990", "Nguyen Thi Lan 1990", "new", "họ tên"),
        ("mot cau rat dai de nho", "mot cau khac", "repeated", "không giống nhau"),
        (CLERK_LOGIN[1], CLERK_LOGIN[1], "new", "khác mật khẩu hiện tại"),
    ):
        response = await client.post(
            "/doi-mat-khau", data={**change, "new": new, "repeated": repeated}
        )
        assert response.status == 422
        text = await response.text()
        assert f'id="{field}-error"' in text, new
        assert message in text, new
    wrong = await client.post(
        "/doi-mat-khau",
        data={**change, "current": "not it", "new": "x" * 20, "repeated": "x" * 20},
    )
    assert 'id="current-error"' in await wrong.text()
    assert await db.fetchval("SELECT password_temporary FROM accounts WHERE username = 'canbo.hn'")
    new = "mot cau rat dai de nho"
    done = await client.post(
        "/doi-mat-khau", data={**change, "new": new, "repeated": new}, allow_redirects=False
    )
    assert done.headers["Location"] == "/tai-khoan?mat-khau"
    assert "Đã đổi mật khẩu" in await (await client.get("/tai-khoan?mat-khau")).text()
    client.session.cookie_jar.clear()
    assert (await post_sign_in(client, "canbo.hn", new)).status == 303


# Personal tokens -----------------------------------------------------------------------


async def _new_token(client: Any, form: str, **fields: str) -> Any:
    return await client.post("/tai-khoan/ma-truy-cap", data={"form_token": form, **fields})


async def test_personal_tokens_expire_are_revoked_and_follow_their_person(
    client: Any, db: asyncpg.Connection
) -> None:
    form = await sign_in(client, CLERK_LOGIN)
    created = await _new_token(client, form, label="Phần mềm quản lý HS", days="30")
    text = await created.text()
    token = shown_token(text)
    lifetime = await db.fetchval(
        "SELECT expires_at - created_at FROM api_tokens WHERE label = $1", "Phần mềm quản lý HS"
    )
    assert abs(lifetime.total_seconds() - 30 * 86400) < 60
    me = await (await client.get("/api/v1/me", headers=bearer(token))).json()
    assert (me["username"], me["role"], me["issuer"]) == ("canbo.hn", "clerk", "SGDDT-HN")
    # Its scope is its person's, whatever the person becomes.
    await db.execute("UPDATE accounts SET issuer_code = 'THPT-CVA' WHERE username = 'canbo.hn'")
    me = await (await client.get("/api/v1/me", headers=bearer(token))).json()
    assert me["issuer"] == "THPT-CVA"
    await db.execute("UPDATE accounts SET issuer_code = 'SGDDT-HN' WHERE username = 'canbo.hn'")
    # The list shows it, never its secret, with its last use.
    page = await (await client.get("/tai-khoan/ma-truy-cap")).text()
    assert "Phần mềm quản lý HS" in page
    assert token not in page
    assert "Chưa dùng" not in page  # used just now
    # Expired: the same 401 as an unknown token.
    unknown = await (await client.get("/api/v1/me", headers=bearer("vb_" + "x" * 52))).json()
    await db.execute("UPDATE api_tokens SET expires_at = now() - interval '1 second'")
    expired = await client.get("/api/v1/me", headers=bearer(token))
    body = await assert_problem(expired, 401, "unauthenticated")
    assert (body["title"], body["detail"]) == (unknown["title"], unknown["detail"])
    assert expired.headers["WWW-Authenticate"] == 'Bearer realm="vanbang"'
    # Revoked from the page.
    await db.execute("UPDATE api_tokens SET expires_at = now() + interval '1 day'")
    token_id = await db.fetchval("SELECT id FROM api_tokens WHERE label = 'Phần mềm quản lý HS'")
    revoked = await client.post(
        f"/tai-khoan/ma-truy-cap/{token_id}/thu-hoi", data={"form_token": form}
    )
    assert "Đã thu hồi" in await revoked.text()
    await assert_problem(
        await client.get("/api/v1/me", headers=bearer(token)), 401, "unauthenticated"
    )


async def test_a_token_form_says_what_is_wrong_and_makes_nothing(
    client: Any, db: asyncpg.Connection
) -> None:
    form = await sign_in(client, CLERK_LOGIN)
    before = await db.fetchval("SELECT count(*) FROM api_tokens")
    for fields, field in (
        ({"label": "", "days": "30"}, "label"),
        ({"label": "x" * 101, "days": "30"}, "label"),
        ({"label": "HR", "days": "367"}, "days"),
        ({"label": "HR", "days": "0"}, "days"),
        ({"label": "HR", "days": "mười"}, "days"),
    ):
        response = await _new_token(client, form, **fields)
        assert response.status == 422
        assert f'id="{field}-error"' in await response.text(), fields
    assert await db.fetchval("SELECT count(*) FROM api_tokens") == before
    # Another person's token reads as absent.
    other = await db.fetchval(
        "INSERT INTO api_tokens (id, token_hash, role, issuer_code, account_id) "
        "SELECT gen_random_uuid(), sha256('o'), 'auditor', 'BGDDT', id FROM accounts "
        "WHERE username = 'thanhtra.bo' RETURNING id"
    )
    response = await client.post(
        f"/tai-khoan/ma-truy-cap/{other}/thu-hoi",
        data={"form_token": form},
        headers={"Accept": "text/html"},
    )
    assert response.status == 404
    assert await db.fetchval("SELECT revoked_at FROM api_tokens WHERE id = $1", other) is None


async def test_attempts_sent_together_are_counted_one_after_another(client: Any) -> None:
    async def attempt(n: int) -> int:
        response = await post_sign_in(client, "canbo.hn", f"wrong password {n}")
        return int(response.status)

    statuses = await asyncio.gather(*(attempt(n) for n in range(20)))
    assert sorted(statuses) == [401] * 5 + [429] * 15  # five free, the rest wait


async def test_a_browser_that_signed_in_before_is_not_kept_out_by_others(
    client: Any, aiohttp_client: Any, settings: Settings, db: asyncpg.Connection
) -> None:
    mine = await post_sign_in(client, *CLERK_LOGIN)
    assert _cookie(mine, "vanbang_device")["max-age"]  # kept a year, unlike the session
    assert not _cookie(mine, "vanbang_session")["max-age"]  # ends with the browser
    form = form_token(await (await client.get("/tai-khoan")).text())
    await client.post("/dang-xuat", data={"form_token": form})
    attacker = await aiohttp_client(create_app(settings))
    for n in range(8):
        await post_sign_in(attacker, "canbo.hn", f"guess number {n}")
    assert (await post_sign_in(attacker, *CLERK_LOGIN)).status == 429
    again = await post_sign_in(client, *CLERK_LOGIN)  # the clerk's own browser
    assert again.status == 303
    client.session.cookie_jar.clear(lambda cookie: cookie.key == "vanbang_session")
    # Its own failures still slow it down.
    for n in range(5):
        assert (await post_sign_in(client, "canbo.hn", f"typo {n}")).status == 401
    assert (await post_sign_in(client, *CLERK_LOGIN)).status == 429


async def test_one_good_account_does_not_clear_an_address_that_guesses(
    client: Any, db: asyncpg.Connection
) -> None:
    for n in range(19):
        await post_sign_in(client, f"guess.{n}", "wrong password here")
    assert (await post_sign_in(client, *CLERK_LOGIN)).status == 303
    counted = await db.fetchval("SELECT failures FROM sign_in_throttle WHERE key LIKE 'client:%'")
    assert counted == 19
    client.session.cookie_jar.clear()
    await post_sign_in(client, "guess.19", "wrong password here")
    assert (await post_sign_in(client, "guess.20", "wrong password here")).status == 429


@pytest.mark.parametrize(
    "given", ["/\t/evil.example/phish", "/%09/../x\n", "/\x7f", "/ /x", "\\\\evil.example"]
)
async def test_after_sign_in_no_control_character_leads_elsewhere(client: Any, given: str) -> None:
    response = await post_sign_in(client, *CLERK_LOGIN, next=given)
    assert response.headers["Location"] == "/quan-ly"


async def test_an_expired_sign_in_form_is_shown_again_with_a_new_token(client: Any) -> None:
    response = await client.post(
        "/dang-nhap", data={"username": "canbo.hn", "password": "x", "form_token": "old"}
    )
    assert response.status == 403
    text = await response.text()
    assert "Biểu mẫu đã hết hạn" in text
    assert 'value="canbo.hn"' in text
    retried = await client.post(
        "/dang-nhap",
        data={
            "username": CLERK_LOGIN[0],
            "password": CLERK_LOGIN[1],
            "form_token": form_token(text),
        },
        allow_redirects=False,
    )
    assert retried.status == 303


async def test_moving_the_second_factor_takes_the_password_and_a_reload_changes_nothing(
    client: Any, db: asyncpg.Connection
) -> None:
    form = await sign_in(client, CLERK_LOGIN)
    secret, codes, used = await enrol_second_factor(client)
    reload = await client.post(  # the recovery codes page reloaded: the same form again
        "/tai-khoan/xac-thuc-hai-buoc",
        data={"form_token": form, "secret": secret, "code": used},
    )
    assert reload.status == 422
    kept = await db.fetchval("SELECT count(*) FROM recovery_codes WHERE used_at IS NULL")
    assert kept == 10
    page = await (await client.get("/tai-khoan/xac-thuc-hai-buoc")).text()
    other = enrolment_secret(page)
    without = await client.post(
        "/tai-khoan/xac-thuc-hai-buoc",
        data={"form_token": form, "secret": other, "code": code_for(other)},
    )
    assert without.status == 422
    assert 'id="password-error"' in await without.text()
    assert await stored_second_factor(db, "canbo.hn") == secret
    moved = await client.post(
        "/tai-khoan/xac-thuc-hai-buoc",
        data={
            "form_token": form,
            "secret": other,
            "code": code_for(other),
            "password": CLERK_LOGIN[1],
        },
    )
    assert moved.status == 200
    assert await stored_second_factor(db, "canbo.hn") == other
    # A tampered secret starts again rather than failing.
    tampered = await client.post(
        "/tai-khoan/xac-thuc-hai-buoc",
        data={"form_token": form, "secret": "0" * 32, "code": "123456"},
        headers={"Accept": "text/html"},
    )
    assert tampered.status == 422
    assert codes


async def test_a_success_takes_its_attempt_off_the_network_as_if_it_had_not_been(
    client: Any, db: asyncpg.Connection
) -> None:
    for n in range(3):
        await post_sign_in(client, f"typo.{n}", "wrong password here")
    before = await db.fetchrow("SELECT * FROM sign_in_throttle WHERE key LIKE 'client:%'")
    assert (await post_sign_in(client, *CLERK_LOGIN)).status == 303
    after = await db.fetchrow("SELECT * FROM sign_in_throttle WHERE key LIKE 'client:%'")
    assert before is not None
    assert after is not None
    assert (after["failures"], after["last_failure_at"]) == (3, before["last_failure_at"])


async def test_a_reset_forgets_the_persons_known_browsers(
    client: Any, db: asyncpg.Connection
) -> None:
    await sign_in(client, CLERK_LOGIN)
    clerk = await db.fetchval("SELECT id FROM accounts WHERE username = 'canbo.hn'")
    assert await db.fetchval("SELECT count(*) FROM known_devices WHERE account_id = $1", clerk)
    reset = await client.post(
        f"/api/v1/accounts/{clerk}/reset-password", json={}, headers=bearer(ADMIN)
    )
    assert reset.status == 200
    assert not await db.fetchval("SELECT count(*) FROM known_devices WHERE account_id = $1", clerk)
