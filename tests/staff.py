"""Signing in to the staff pages from a test client, as a browser does: the form's token
from the page, the form posted, the session's cookie kept by the client's cookie jar."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import pyotp

from service.demo import demo_data
from service.keystore import KeyStore
from service.resources import demo_dir

_FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
_SECRET = re.compile(r'name="secret" value="([A-Z2-7]{32})"')

DEMO = {a["role"]: a for a in demo_data()["accounts"]}
CLERK_LOGIN = (DEMO["clerk"]["username"], DEMO["clerk"]["password"])
AUDITOR_LOGIN = (DEMO["auditor"]["username"], DEMO["auditor"]["password"])
ADMIN_LOGIN = (DEMO["admin"]["username"], DEMO["admin"]["password"])


def form_token(html: str) -> str:
    found = _FORM_TOKEN.search(html)
    assert found, "the page has no form token"
    return found[1]


def enrolment_secret(html: str) -> str:
    found = _SECRET.search(html)
    assert found, "the page offers no secret"
    return found[1]


async def stored_second_factor(db: Any, username: str) -> str | None:
    """The account's TOTP secret as the database keeps it, opened with the demo sealing key
    (every test app finds it): what only the server can read."""
    row = await db.fetchrow("SELECT id, totp_secret FROM accounts WHERE username = $1", username)
    if row["totp_secret"] is None:
        return None
    seal = KeyStore(demo_dir() / "keys", demo_dir()).second_factor_seal()
    assert seal is not None
    return seal.open(row["id"], row["totp_secret"])


def code_for(secret: str, *, ahead: int = 0) -> str:
    """The TOTP code `ahead` steps from now (a step already used is refused)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * ahead)


async def post_sign_in(client: Any, username: str, password: str, **extra: str) -> Any:
    page = await client.get("/dang-nhap")
    token = form_token(await page.text())
    data = {"form_token": token, "username": username, "password": password, **extra}
    return await client.post("/dang-nhap", data=data, allow_redirects=False)


async def code_step(client: Any, username: str, password: str) -> str:
    """Signs in with the password of an account that has a second factor; answers the form
    token of the page asking for its code."""
    await post_sign_in(client, username, password)
    return form_token(await (await client.get("/dang-nhap/ma-xac-thuc")).text())


async def sign_in(client: Any, login: tuple[str, str]) -> str:
    """Signs in (password only) and answers the session's form token."""
    response = await post_sign_in(client, *login)
    assert response.status == 303, await response.text()
    account = await client.get("/tai-khoan")
    assert account.status == 200, account.url
    return form_token(await account.text())


def shown_token(page: str) -> str:
    """The new token the tokens page shows once."""
    start = page.index('id="new-token">') + len('id="new-token">')
    return page[start : page.index("<", start)]


async def personal_token(client: Any, login: tuple[str, str], label: str = "tests") -> str:
    """Signs in and makes a personal API token (7 days) from the tokens page."""
    form = await sign_in(client, login)
    page = await client.post(
        "/tai-khoan/ma-truy-cap", data={"form_token": form, "label": label, "days": "7"}
    )
    assert page.status == 200
    return shown_token(await page.text())


async def journal_when(
    client: Any, headers: dict[str, str], ready: Any, params: dict[str, str] | None = None
) -> Any:
    """The journal page once `ready(page)` holds: an entry is readable when every older
    transaction of the database cluster has ended (docs/accounts.md), and the tests' own
    database maker runs beside them. Waits 10 s at most."""
    for _ in range(100):
        response = await client.get("/api/v1/audit/journal", headers=headers, params=params)
        assert response.status == 200, await response.text()
        page = await response.json()
        if ready(page):
            return page
        await asyncio.sleep(0.1)
    raise AssertionError(f"the journal never showed what was expected: {page}")


async def enrol_second_factor(client: Any) -> tuple[str, list[str], str]:
    """Enrols; the secret, the recovery codes and the very code the enrolment used (made
    again later, a code may fall in the next step: a test that replays must replay it)."""
    page = await (await client.get("/tai-khoan/xac-thuc-hai-buoc")).text()
    secret = enrolment_secret(page)
    used = code_for(secret)
    done = await client.post(
        "/tai-khoan/xac-thuc-hai-buoc",
        data={"form_token": form_token(page), "secret": secret, "code": used},
    )
    assert done.status == 200
    text = await done.text()
    assert "Mã khôi phục" in text
    codes = [
        line.split("<code>")[1].split("</code>")[0]
        for line in text.splitlines()
        if "<li><code>" in line
    ]
    assert len(codes) == 10
    return secret, codes, used
