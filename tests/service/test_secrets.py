"""No secret leaks (issue 22, "Secrets"): a whole scenario through a real `vanbang serve`
(staff signing in, a personal token made and used, a register with personal identification
numbers, refusals of every kind, lifecycle actions, public checks), then every log line the
server wrote, every answer it gave and the database's dump are searched for the passwords,
the session id, the tokens, the private keys, the personal identification numbers, the
second factor's secret and its recovery codes.

Kept by design and not searched for in the dump: a copy requester's identity document
number (the copy register holds it, Art. 30) and the demo tokens, public on purpose."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import aiohttp

from tests.factories import decision_request, with_personal_ids
from tests.running import run_vanbang, running_service
from tests.service.test_backup import _pg_restore_sql, _secrets
from tests.staff import CLERK_LOGIN, code_for, enrolment_secret, form_token, shown_token

WRONG_PASSWORD = "Mat-Khau-Sai-9!xyz"  # what a mistyped sign-in sends
# The clerk's own password, chosen in the scenario (the demo's is published on purpose).
OWN_PASSWORD = "Hoa-Sen-Trong-Ho-2026!"
BOGUS_TOKEN = "vb_0123456789abcdefghijklmnopqrstuvwxyz_guess"


class Recorder:
    """An HTTP session to the server that keeps every answer's headers and body."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base
        self.answers: list[str] = []

    async def call(self, method: str, path: str, **kwargs: Any) -> tuple[int, str]:
        async with self.session.request(
            method, self.base + path, allow_redirects=False, **kwargs
        ) as response:
            body = await response.read()
            text = body.decode("utf-8", "replace")
            self.answers.append(f"{dict(response.headers)}\n{text}")
            return response.status, text


async def _scenario(http: Recorder) -> dict[str, str]:
    """Runs the scenario; answers the secrets it used, by what they are."""
    username, password = CLERK_LOGIN
    _, page = await http.call("GET", "/dang-nhap")
    # A mistyped password first, then the right one.
    status, _ = await http.call(
        "POST",
        "/dang-nhap",
        data={"form_token": form_token(page), "username": username, "password": WRONG_PASSWORD},
    )
    assert status == 401
    _, page = await http.call("GET", "/dang-nhap")
    status, _ = await http.call(
        "POST",
        "/dang-nhap",
        data={"form_token": form_token(page), "username": username, "password": password},
    )
    assert status == 303
    # The demo password is public: the clerk chooses one of their own, the real secret.
    _, page = await http.call("GET", "/doi-mat-khau")
    status, _ = await http.call(
        "POST",
        "/doi-mat-khau",
        data={
            "form_token": form_token(page),
            "current": password,
            "new": OWN_PASSWORD,
            "repeated": OWN_PASSWORD,
        },
    )
    assert status == 303
    cookies = {c.key: c.value for c in http.session.cookie_jar}
    session_id = cookies["vanbang_session"]
    _, page = await http.call("GET", "/tai-khoan/ma-truy-cap")
    status, page = await http.call(
        "POST",
        "/tai-khoan/ma-truy-cap",
        data={"form_token": form_token(page), "label": "phan mem", "days": "7"},
    )
    assert status == 200
    token = shown_token(page)
    bearer = {"Authorization": f"Bearer {token}"}
    # A second factor enrolled: its secret is shown once, by the enrolment page, and kept
    # sealed; its recovery codes once, by the page after it, and kept as digests.
    _, page = await http.call("GET", "/tai-khoan/xac-thuc-hai-buoc")
    totp = enrolment_secret(page)
    status, page = await http.call(
        "POST",
        "/tai-khoan/xac-thuc-hai-buoc",
        data={"form_token": form_token(page), "secret": totp, "code": code_for(totp)},
    )
    assert status == 200
    recovery = re.findall(r"<li><code>([^<]+)</code>", page)
    assert len(recovery) == 10

    request = with_personal_ids(decision_request(3))
    status, body = await http.call(
        "POST", "/api/v1/graduation-decisions", json=request, headers=bearer
    )
    assert status == 201, body
    ids = re.findall(r'"id":"([0-9a-f-]{36})"', body)
    # Refusals: a malformed number beside good ones, a guessed token, a number in a lookup.
    bad = with_personal_ids(decision_request(2, serial_prefix="X", number="9/QĐ"))
    bad["graduates"][1]["personal_id"] = bad["graduates"][1]["personal_id"][:11] + "x"
    status, _ = await http.call("POST", "/api/v1/graduation-decisions", json=bad, headers=bearer)
    assert status == 422
    status, _ = await http.call(
        "GET", "/api/v1/diplomas", headers={"Authorization": f"Bearer {BOGUS_TOKEN}"}
    )
    assert status == 401
    status, _ = await http.call(
        "POST", "/api/v1/lookup", json={"serial": "T000001", "date_of_birth": "2007-05-01"}
    )
    assert status == 200
    # Lifecycle actions and the diploma read back, with its QR code checked.
    status, _ = await http.call(
        "POST",
        f"/api/v1/diplomas/{ids[1]}/revocations",
        json={
            "decision_number": "9/QĐ-SGDĐT",
            "decided_on": "2025-10-01",
            "authority": "Sở Giáo dục và Đào tạo Hà Nội",
            "ground": "fraud",
            "reason": "Gian lận trong thi cử",
        },
        headers=bearer,
    )
    assert status == 201
    status, _ = await http.call("GET", f"/api/v1/diplomas/{ids[2]}", headers=bearer)
    assert status == 200
    status, _ = await http.call("GET", f"/quan-ly/van-bang/{ids[2]}")
    assert status == 200
    numbers = {f"personal id {n}": g["personal_id"] for n, g in enumerate(request["graduates"])}
    numbers.update(
        {f"refused personal id {n}": g["personal_id"] for n, g in enumerate(bad["graduates"])}
    )
    return {
        "the clerk's own password": OWN_PASSWORD,
        "a mistyped password": WRONG_PASSWORD,
        "the session id": session_id,
        "the personal token": token,
        "a guessed token": BOGUS_TOKEN,
        "the second factor's secret": totp,
        **{f"recovery code {n}": c for n, c in enumerate(recovery)},
        **numbers,
    }


def _found(haystack: str, secrets: dict[str, str]) -> list[str]:
    return [what for what, secret in secrets.items() if secret and secret in haystack]


async def test_no_secret_is_in_a_log_line_an_answer_or_the_dump(
    db_url: str, tmp_path: Path
) -> None:
    # Its own keys directory, with a personal-id key made there as an operator makes it.
    keys = tmp_path / "keys"
    code, _, err = await run_vanbang(db_url, "key", "personal-id", VANBANG_KEYS_DIR=str(keys))
    assert code == 0, err
    sealing = (keys / "personal-id.key").read_text()
    async with running_service(db_url, VANBANG_KEYS_DIR=str(keys), VANBANG_DEMO="1") as service:
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            http = Recorder(session, service.base)
            used = await _scenario(http)
        assert service.process.stdout is not None
    logged = service.stderr.decode("utf-8", "replace")
    logged += (await service.process.stdout.read()).decode("utf-8", "replace")
    assert "request_finished" in logged  # the server's log lines are all here
    keys_found = {
        f"{name} ({n})": line
        for name, lines in _secrets().items()
        for n, line in enumerate(lines)
        if len(line) >= 16
    }
    secret_lines = [line for line in sealing.splitlines() if line and not line.startswith("#")]
    keys_found.update({f"the personal-id key ({n})": s for n, s in enumerate(secret_lines)})
    everything = {**used, **keys_found}
    assert _found(logged, everything) == []
    # The answers: only the answer that showed the new token holds it, once; so for the
    # second factor's secret and its recovery codes.
    shown = [a for a in http.answers if used["the personal token"] in a]
    assert len(shown) == 1
    for what in ("the second factor's secret", "recovery code 0", "recovery code 9"):
        showing = [a for a in http.answers if used[what] in a]
        assert len(showing) == 1, what
        shown += showing
    others = "\n".join(a for a in http.answers if a not in shown)
    leaked = _found(others, {k: v for k, v in everything.items() if k != "the session id"})
    assert leaked == []
    # The session id travels in its Set-Cookie header alone, never in a body.
    bodies = "\n".join(a.split("\n", 1)[1] for a in http.answers)
    assert used["the session id"] not in bodies

    dump = tmp_path / "vanbang.dump"
    code, _, err = await run_vanbang(db_url, "backup", str(dump), VANBANG_KEYS_DIR=str(keys))
    assert code == 0, err
    sql = await _pg_restore_sql(db_url, dump)
    assert "COPY public.accounts" in sql
    assert _found(sql, everything) == []
