"""The staff pages in a real browser: Debian's chromium, headless, driven by Playwright through
the forms as a person would (typing, clicking), against `vanbang serve --workers 2` on a real
port; and one session seen by both of the server's processes.

Every screen is checked to fit a phone's width and to break no rule of the
Content-Security-Policy (chromium reports those on the console). VANBANG_SCREENSHOTS=DIR
keeps a phone and a desktop screenshot of each (docs/screenshots holds the ones in the docs).
"""

from __future__ import annotations

import asyncio
import io
import re
from collections import Counter
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import aiohttp
import psutil
import pytest
import pytest_asyncio
from PIL import Image
from playwright.async_api import (
    Browser,
    ConsoleMessage,
    Page,
    Response,
    expect,
)

from tests.browsing import PHONE, path_of, screen, sign_out, staff_server, type_sign_in
from tests.conftest import ADMIN, bearer
from tests.pg import Databases
from tests.qr import decode_qr
from tests.running import Running
from tests.staff import AUDITOR_LOGIN, CLERK_LOGIN, DEMO, code_for, sign_in

# One server and one browser for the module, one event loop for both.
pytestmark = pytest.mark.asyncio(loop_scope="module")

CLERK_NAME = DEMO["clerk"]["display_name"]
AUDITOR_NAME = DEMO["auditor"]["display_name"]
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng"
DATE_TIME = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")  # dd/mm/yyyy hh:mm, Vietnam time


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(databases: Databases) -> AsyncIterator[Running]:
    """`vanbang serve` with two worker processes, on a database of the module's own."""
    async with staff_server(databases, VANBANG_WORKERS="2") as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser, server: Running) -> AsyncIterator[Page]:
    """A new browser profile (no cookies) on a phone set to Vietnamese, JavaScript off: every
    page works without it (and the CSP runs none)."""
    context = await browser.new_context(
        base_url=server.base,
        viewport=PHONE,
        locale="vi-VN",
        color_scheme="light",
        java_script_enabled=False,
    )
    opened = await context.new_page()
    complaints: list[str] = []

    def console(message: ConsoleMessage) -> None:
        # A style or script the CSP refused: chromium says so on the console. A status is
        # judged from the responses below.
        if not message.text.startswith("Failed to load resource"):
            complaints.append(message.text)

    def answered(response: Response) -> None:
        # A page may answer 401 or 422 (a form with its errors); an asset must load. The
        # service has no icon: chromium's own request for one is no page's fault.
        asset = response.request.resource_type != "document"
        if response.status >= 400 and asset and urlsplit(response.url).path != "/favicon.ico":
            complaints.append(f"{response.status} {response.url}")

    opened.on("console", console)
    opened.on("pageerror", lambda error: complaints.append(str(error)))
    opened.on("response", answered)
    yield opened
    await context.close()
    assert complaints == []


async def test_sign_in_and_out(page: Page) -> None:
    await page.goto("/dang-nhap")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    await screen(page, "sign-in")
    await page.goto("/dang-nhap?lang=en")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    await screen(page, "sign-in", "en")

    await page.goto("/dang-nhap")
    await type_sign_in(page, *CLERK_LOGIN)
    assert path_of(page) == "/quan-ly"  # a clerk starts in the console
    await page.get_by_role("link", name="Tài khoản", exact=True).click()
    assert path_of(page) == "/tai-khoan"
    await expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của bạn")
    await expect(page.locator(".staff-bar .person")).to_have_text(
        f"{CLERK_NAME} · Cán bộ quản lý văn bằng"
    )
    await expect(page.locator("dl")).to_contain_text(CLERK_NAME)
    await expect(page.locator("dl")).to_contain_text("SGDDT-HN")
    await screen(page, "account")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    await screen(page, "account", "en")
    await page.get_by_role("link", name="Tiếng Việt").click()

    await sign_out(page)
    await page.goto("/tai-khoan")
    assert path_of(page) == "/dang-nhap?next=/tai-khoan"  # signed out: the gate sends back
    await expect(page.get_by_role("status")).to_have_text("Vui lòng đăng nhập để tiếp tục.")
    await expect(page.locator(".staff-bar .person")).to_have_count(0)


async def test_a_wrong_password_is_told_beside_the_field_and_at_the_top(page: Page) -> None:
    await page.goto("/dang-nhap")
    await type_sign_in(page, CLERK_LOGIN[0], "khong-phai-mat-khau")
    assert path_of(page) == "/dang-nhap"
    password = page.locator(".field", has=page.locator("#password"))
    await expect(password.locator(".error")).to_have_text(WRONG)
    await expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#password")).to_have_value("")  # never sent back
    summary = page.locator(".error-summary")
    await expect(summary.get_by_role("heading")).to_have_text("Có lỗi cần sửa")
    await expect(summary.get_by_role("link")).to_have_text(WRONG)
    await expect(summary.get_by_role("link")).to_have_attribute("href", "#password")
    await expect(page.get_by_label("Tên đăng nhập hoặc thư điện tử")).to_have_value(CLERK_LOGIN[0])
    await screen(page, "sign-in-errors")

    # Nothing typed: a message for each field, and no attempt counted against anyone.
    await page.get_by_label("Tên đăng nhập hoặc thư điện tử").fill("")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Đăng nhập", exact=True).click()
    await expect(page.locator(".error-summary li")).to_have_text(
        ["Nhập tên đăng nhập", "Nhập mật khẩu"]
    )
    await expect(page.locator("#username-error")).to_have_text("Nhập tên đăng nhập")
    await expect(page.locator("#password-error")).to_have_text("Nhập mật khẩu")


async def test_a_second_factor_enrolled_then_used_with_a_code_and_a_recovery_code(
    page: Page,
) -> None:
    await page.goto("/dang-nhap")
    await type_sign_in(page, *AUDITOR_LOGIN)
    assert path_of(page) == "/giam-sat"  # an auditor starts in the supervision overview
    await screen(page, "supervision")
    await page.goto("/tai-khoan")
    await expect(page.locator(".card", has_text="Xác thực hai bước")).to_contain_text("Chưa bật")
    await page.get_by_role("link", name="Bật xác thực hai bước").click()
    assert path_of(page) == "/tai-khoan/xac-thuc-hai-buoc"

    # The key as a person would type it into the app, and the QR code as a phone reads it.
    shown = await page.locator("code.secret").inner_text()
    secret = shown.replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), shown
    assert await page.locator('input[name="secret"]').get_attribute("value") == secret
    qr = Image.open(io.BytesIO(await page.locator("img.enrol-qr").screenshot()))
    uri = decode_qr(qr)
    assert uri.startswith("otpauth://totp/vanbang:thanhtra.bo?"), uri
    assert f"secret={secret}" in uri
    await screen(page, "enrol")

    await page.get_by_label("Mã xác thực").fill(code_for(secret))
    async with page.expect_navigation():
        await page.get_by_role("button", name="Bật xác thực hai bước").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mã khôi phục")
    codes = await page.locator("ol.codes code").all_inner_texts()
    assert len(codes) == 10
    assert all(re.fullmatch(r"[a-z2-7]{5}-[a-z2-7]{5}", code) for code in codes), codes
    await screen(page, "recovery-codes")
    await page.get_by_role("link", name="Xong").click()
    assert path_of(page) == "/tai-khoan"
    await expect(page.locator(".card", has_text="Xác thực hai bước")).to_contain_text("Đang bật")
    await sign_out(page)

    # The password, then the next step's code (the enrolment's step is spent).
    await type_sign_in(page, *AUDITOR_LOGIN)
    assert path_of(page) == "/dang-nhap/ma-xac-thuc"
    await expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực hai bước")
    await screen(page, "second-factor")
    await page.goto("/tai-khoan")  # the account waits for the code
    assert path_of(page) == "/dang-nhap/ma-xac-thuc"
    await page.get_by_label("Mã xác thực").fill(code_for(secret, ahead=1))
    async with page.expect_navigation():
        await page.get_by_role("button", name="Tiếp tục").click()
    assert path_of(page) == "/giam-sat"  # an auditor's home
    await expect(page.locator(".staff-bar .person")).to_contain_text(AUDITOR_NAME)
    await sign_out(page)

    # A lost phone: a recovery code instead, typed in capitals as people do; once only.
    await type_sign_in(page, *AUDITOR_LOGIN)
    assert path_of(page) == "/dang-nhap/ma-xac-thuc"
    await page.get_by_label("Mã xác thực").fill(codes[0].upper())
    async with page.expect_navigation():
        await page.get_by_role("button", name="Tiếp tục").click()
    assert path_of(page) == "/giam-sat"
    await expect(page.locator(".staff-bar .person")).to_contain_text(AUDITOR_NAME)
    await sign_out(page)

    await type_sign_in(page, *AUDITOR_LOGIN)
    await page.get_by_label("Mã xác thực").fill(codes[0])
    async with page.expect_navigation():
        await page.get_by_role("button", name="Tiếp tục").click()
    assert path_of(page) == "/dang-nhap/ma-xac-thuc"
    await expect(page.locator("#code-error")).to_have_text(
        "Mã xác thực không đúng hoặc đã được dùng"
    )


async def test_a_temporary_password_is_changed_then_a_token_made(
    page: Page, server: Running
) -> None:
    async with aiohttp.ClientSession() as api:
        new = {
            "username": "pham.thu.ha",
            "display_name": "Phạm Thu Hà",
            "role": "clerk",
            "issuer": "PGDDT-CG",
        }
        async with api.post(
            f"{server.base}/api/v1/accounts", json=new, headers=bearer(ADMIN)
        ) as response:
            assert response.status == 201, await response.text()
            temporary = (await response.json())["temporary_password"]

    await page.goto("/dang-nhap")
    await type_sign_in(page, "pham.thu.ha", temporary)
    assert path_of(page) == "/doi-mat-khau"
    await expect(page.get_by_role("status")).to_contain_text("mật khẩu tạm thời")
    await page.goto("/tai-khoan/ma-truy-cap")  # nothing else until it is changed
    assert path_of(page) == "/doi-mat-khau"
    await screen(page, "change-password")

    chosen = "sông Hồng chảy qua bốn mùa lúa chín"
    await page.get_by_label("Mật khẩu hiện tại").fill(temporary)
    await page.get_by_label("Mật khẩu mới", exact=True).fill(chosen)
    await page.get_by_label("Nhập lại mật khẩu mới").fill(chosen)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Lưu").click()
    assert path_of(page) == "/tai-khoan?mat-khau"
    await expect(page.get_by_role("status")).to_have_text("Đã đổi mật khẩu.")

    await page.get_by_role("link", name="Mã truy cập API").last.click()
    assert path_of(page) == "/tai-khoan/ma-truy-cap"
    await expect(page.get_by_text("Bạn chưa có mã truy cập nào.")).to_be_visible()
    await page.get_by_label("Tên gợi nhớ").fill("Phần mềm quản lý trường")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Tạo mã").click()
    token = await page.locator("#new-token").inner_text()
    assert token.startswith("vb_"), token
    cells = await page.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells[0] == "Phần mềm quản lý trường"
    assert DATE_TIME.match(cells[1]), cells
    assert DATE_TIME.match(cells[2]), cells
    assert cells[3] == "Chưa dùng"
    await screen(page, "tokens")

    # The token acts as the account.
    async with (
        aiohttp.ClientSession() as api,
        api.get(f"{server.base}/api/v1/me", headers=bearer(token)) as response,
    ):
        assert response.status == 200
        me = await response.json()
    assert (me["username"], me["role"], me["issuer"]) == ("pham.thu.ha", "clerk", "PGDDT-CG")


# One session, two processes ---------------------------------------------------------------


def _workers(server: Running) -> dict[int, psutil.Process]:
    """The server's processes that listen on its port, by process id."""
    port = urlsplit(server.base).port
    main = psutil.Process(server.process.pid)
    found = {}
    for process in [main, *main.children(recursive=True)]:
        for conn in process.net_connections("tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port:
                found[process.pid] = process
    return found


async def _answered_by(
    server: Running, workers: dict[int, psutil.Process], cookie: str
) -> tuple[int, int, str]:
    """GET /tai-khoan with the session's cookie over a TCP connection of its own; answers the
    process that answered, the status and the body.

    The process that answered is the one holding the server's end of the connection: a
    process answers on the connections it accepted (the kernel spreads new connections over
    the SO_REUSEPORT listeners), and the connection, kept alive, is still open at both ends
    once the answer is read. A plain stream, not aiohttp's client: that one hands a short
    answer's connection back to its pool before the caller can see the socket."""
    url = urlsplit(server.base)
    assert url.hostname is not None
    assert url.port is not None
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    try:
        ours = writer.get_extra_info("sockname")[1]
        writer.write(
            f"GET /tai-khoan HTTP/1.1\r\nHost: {url.netloc}\r\nAccept: text/html\r\n"
            f"Cookie: vanbang_session={cookie}\r\n\r\n".encode()
        )
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        status = int(head.split(" ", 2)[1])
        length = re.search(r"(?im)^content-length: *(\d+)", head)
        assert length, head
        body = (await reader.readexactly(int(length[1]))).decode()
        holders = [
            pid
            for pid, process in workers.items()
            for conn in process.net_connections("tcp")
            if conn.laddr.port == url.port and conn.raddr and conn.raddr.port == ours
        ]
    finally:
        writer.close()
        await writer.wait_closed()
    assert len(holders) == 1, holders
    return holders[0], status, body


async def test_one_session_is_seen_by_both_worker_processes(server: Running) -> None:
    workers = _workers(server)
    assert len(workers) == 2, workers  # serve --workers 2: two processes listen on the port

    jar = aiohttp.CookieJar(unsafe=True)  # unsafe: the cookie of an IP address's site
    async with aiohttp.ClientSession(base_url=server.base, cookie_jar=jar) as client:
        session_token = await sign_in(client, CLERK_LOGIN)
        cookie = next(c.value for c in jar if c.key == "vanbang_session")

        signed_in: Counter[int] = Counter()
        for _ in range(200):
            pid, status, body = await _answered_by(server, workers, cookie)
            assert status == 200, status
            assert CLERK_NAME in body
            signed_in[pid] += 1
            if sum(signed_in.values()) >= 20 and len(signed_in) == 2:
                break
        assert signed_in.keys() == workers.keys(), signed_in

        # Signed out through one process, the session is over in both: nothing keeps it.
        response = await client.post(
            "/dang-xuat", data={"form_token": session_token}, allow_redirects=False
        )
        assert response.status == 303
    signed_out: Counter[int] = Counter()
    for _ in range(200):
        pid, status, _ = await _answered_by(server, workers, cookie)
        assert status == 303, status
        signed_out[pid] += 1
        if sum(signed_out.values()) >= 10 and len(signed_out) == 2:
            break
    assert signed_out.keys() == workers.keys(), signed_out
