"""People's accounts: the password policy, the accounts API within an admin's subtree, the
operator's `vanbang account` commands, and production refusing the demo accounts."""

from __future__ import annotations

import dataclasses
from typing import Any

import asyncpg
import pytest

from service.demo import DemoAccountsError, refuse_demo_accounts
from service.domain.passwords import password_problems
from service.domain.throttle import ACCOUNT, CLIENT
from tests.conftest import ADMIN, AUDITOR, CLERK, bearer
from tests.factories import assert_problem
from tests.running import run_vanbang
from tests.staff import ADMIN_LOGIN, personal_token, post_sign_in

ACCOUNTS = "/api/v1/accounts"


# The password policy -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("ngắn quá", "at least 12"),
        ("x" * 257, "longer than"),
        ("NguyenThiHoa2024!", "your name"),
        ("hoa.nguyen.2024", "your name"),
        ("Nguyễn Thị Hoa ơi", "your name"),
        ("123456789012", "too common"),
        ("password1234", "too common"),
        ("matkhau123456", "too common"),
        ("qwertyuiopas", "too common"),
        ("aaaaaaaaaaaaaaaa", "too common"),
    ],
)
def test_the_policy_refuses(password: str, problem: str) -> None:
    found = password_problems(password, username="hoa.nguyen", display_name="Nguyễn Thị Hoa")
    assert found, password
    assert problem in found[0].en


@pytest.mark.parametrize(
    "password",
    [
        "hoa mi hot tren canh cay xanh",  # a word of the name in a phrase is not refused
        "con mèo ngồi trên cây cau",  # Vietnamese letters and spaces, no composition rules
        "gió mùa thu hoạch lúa vàng 2026",
        "correct horse battery staple",
    ],
)
def test_the_policy_accepts_long_passphrases(password: str) -> None:
    assert password_problems(password, username="hoa.nguyen", display_name="Nguyễn Thị Hoa") == []


def test_the_throttle_delays_grow_to_a_ceiling_and_never_lock() -> None:
    assert ACCOUNT.delay(0).total_seconds() == 0
    assert ACCOUNT.delay(ACCOUNT.free - 1).total_seconds() == 0
    delays = [ACCOUNT.delay(n).total_seconds() for n in range(ACCOUNT.free, ACCOUNT.free + 10)]
    assert delays == sorted(delays)
    assert delays[0] > 0
    assert max(delays) == ACCOUNT.ceiling_seconds == 60
    assert CLIENT.delay(10_000).total_seconds() == CLIENT.ceiling_seconds


# The accounts API --------------------------------------------------------------------------


async def _create(client: Any, token: str, **body: Any) -> Any:
    person = {"username": "lan.tran", "display_name": "Trần Thị Lan", "role": "clerk"}
    return await client.post(ACCOUNTS, json={**person, **body}, headers=bearer(token))


async def _admin_token(client: Any, db: asyncpg.Connection) -> str:
    """A personal token of the demo admin of SGDDT-HN (a scoped admin)."""
    return await personal_token(client, ADMIN_LOGIN)


async def test_an_admin_creates_an_account_and_its_temporary_password_works_once(
    client: Any, db: asyncpg.Connection
) -> None:
    response = await _create(client, ADMIN, issuer="THPT-CVA")
    assert response.status == 201, await response.text()
    assert response.headers["Cache-Control"] == "no-store"
    created = await response.json()
    assert created["account"]["must_change_password"] is True
    assert created["account"]["created_by"] is None  # an operator token has no person
    assert response.headers["Location"] == f"{ACCOUNTS}/{created['account']['id']}"
    stored = await db.fetchrow("SELECT * FROM accounts WHERE username = 'lan.tran'")
    assert stored is not None
    assert stored["password_hash"].startswith("$argon2id$")
    assert created["temporary_password"] not in stored["password_hash"]
    signed = await post_sign_in(client, "LAN.TRAN", created["temporary_password"])
    assert signed.status == 303
    assert signed.headers["Location"] == "/doi-mat-khau"  # the temporary one is changed first
    # Anything else sends the person back to change it.
    account = await client.get("/tai-khoan", allow_redirects=False)
    assert account.headers["Location"] == "/doi-mat-khau"


async def test_the_accounts_api_refuses_what_it_must(client: Any, db: asyncpg.Connection) -> None:
    before = await db.fetchval("SELECT count(*) FROM accounts")
    await assert_problem(await _create(client, CLERK, issuer="SGDDT-HN"), 403, "forbidden")
    await assert_problem(await _create(client, AUDITOR, issuer="SGDDT-HN"), 403, "forbidden")
    await assert_problem(await client.get(ACCOUNTS, headers=bearer(CLERK)), 403, "forbidden")
    await assert_problem(await client.get(ACCOUNTS), 401, "unauthenticated")
    bad = await _create(client, ADMIN, issuer="SGDDT-HN", username="Lan Tran!")
    body = await assert_problem(bad, 422, "validation-error")
    assert body["errors"][0]["pointer"] == "#/username"
    no_issuer = await assert_problem(await _create(client, ADMIN), 422, "validation-error")
    assert no_issuer["errors"][0]["pointer"] == "#/issuer"
    await assert_problem(await _create(client, ADMIN, issuer="NOWHERE"), 422, "unknown-issuer")
    extra = await _create(client, ADMIN, issuer="SGDDT-HN", password="chosen by me")
    await assert_problem(extra, 422, "validation-error")
    await assert_problem(
        await client.post(ACCOUNTS, data=b"{", headers=bearer(ADMIN)), 400, "malformed-body"
    )
    assert await db.fetchval("SELECT count(*) FROM accounts") == before
    # A username is taken once, whatever its case.
    assert (await _create(client, ADMIN, issuer="SGDDT-HN")).status == 201
    taken = await _create(client, ADMIN, issuer="THPT-CVA", username="Lan.Tran")
    await assert_problem(taken, 409, "username-taken")
    assert await db.fetchval("SELECT count(*) FROM accounts") == before + 1


async def test_a_scoped_admin_manages_its_subtree_only(client: Any, db: asyncpg.Connection) -> None:
    token = await _admin_token(client, db)  # admin of SGDDT-HN
    me = await (await client.get("/api/v1/me", headers=bearer(token))).json()
    assert (me["username"], me["role"], me["issuer"]) == ("quantri.hn", "admin", "SGDDT-HN")
    school = await _create(client, token, issuer="THPT-CVA")  # under SGDDT-HN
    assert school.status == 201
    created = await school.json()
    assert created["account"]["created_by"] == "quantri.hn"
    elsewhere = await _create(client, token, issuer="DHSPHN", username="x.dhsp")
    await assert_problem(elsewhere, 403, "forbidden")
    # An admin of every issuer is made by one only.
    everywhere = await _create(client, token, role="admin", username="root.admin")
    assert "toàn hệ thống" in (await assert_problem(everywhere, 403, "forbidden"))["detail"]
    listed = await (await client.get(ACCOUNTS, headers=bearer(token))).json()
    issuers = {a["issuer"] for a in listed["accounts"]}
    assert issuers <= {"SGDDT-HN", "THPT-CVA", "PGDDT-CG"}
    assert "lan.tran" in {a["username"] for a in listed["accounts"]}
    # The ministry's auditor is outside: not found, as records are.
    auditor_id = await db.fetchval("SELECT id FROM accounts WHERE username = 'thanhtra.bo'")
    for path in ("", "/disable", "/enable", "/reset-password"):
        method = client.get if not path else client.post
        response = await method(f"{ACCOUNTS}/{auditor_id}{path}", headers=bearer(token))
        await assert_problem(response, 404, "not-found")
    assert await db.fetchval("SELECT state FROM accounts WHERE id = $1", auditor_id) == "active"
    # Its own account cannot be disabled by itself.
    own = await db.fetchval("SELECT id FROM accounts WHERE username = 'quantri.hn'")
    await assert_problem(
        await client.post(f"{ACCOUNTS}/{own}/disable", headers=bearer(token)), 403, "forbidden"
    )


async def test_disabling_ends_sessions_and_stops_tokens_and_enabling_restores_sign_in(
    client: Any, db: asyncpg.Connection
) -> None:
    token = await _admin_token(client, db)
    clerk_id = await db.fetchval("SELECT id FROM accounts WHERE username = 'canbo.hn'")
    clerk_token = "vb_" + "c" * 52
    await db.execute(
        "INSERT INTO api_tokens (id, token_hash, role, issuer_code, account_id, expires_at) "
        "VALUES (gen_random_uuid(), sha256($1::bytea), 'clerk', 'SGDDT-HN', $2, "
        "now() + interval '1 day')",
        clerk_token.encode(),
        clerk_id,
    )
    assert (await client.get("/api/v1/me", headers=bearer(clerk_token))).status == 200
    await db.execute(
        "INSERT INTO sessions (id_hash, account_id, expires_at, second_factor_pending) "
        "VALUES ($1, $2, now() + interval '1 hour', false)",
        b"s" * 32,
        clerk_id,
    )
    disabled = await client.post(f"{ACCOUNTS}/{clerk_id}/disable", headers=bearer(token))
    assert disabled.status == 200
    assert (await disabled.json())["state"] == "disabled"
    assert await db.fetchval("SELECT count(*) FROM sessions WHERE account_id = $1", clerk_id) == 0
    await assert_problem(
        await client.get("/api/v1/me", headers=bearer(clerk_token)), 401, "unauthenticated"
    )
    client.session.cookie_jar.clear()  # the admin's session; now a browser of the clerk's
    refused = await post_sign_in(client, "canbo.hn", "demo-canbo-vanbang")
    assert refused.status == 401
    assert "đã bị khóa" in await refused.text()  # told only to who knew the password
    enabled = await client.post(f"{ACCOUNTS}/{clerk_id}/enable", headers=bearer(token))
    assert (await enabled.json())["state"] == "active"
    assert (await client.get("/api/v1/me", headers=bearer(clerk_token))).status == 200
    assert (await post_sign_in(client, "canbo.hn", "demo-canbo-vanbang")).status == 303


async def test_a_reset_gives_a_new_temporary_password_and_can_drop_the_second_factor(
    client: Any, db: asyncpg.Connection
) -> None:
    clerk_id = await db.fetchval("SELECT id FROM accounts WHERE username = 'canbo.hn'")
    await db.execute("UPDATE accounts SET totp_secret = $2 WHERE id = $1", clerk_id, "A" * 32)
    reset = await client.post(
        f"{ACCOUNTS}/{clerk_id}/reset-password",
        json={"reset_second_factor": True},
        headers=bearer(ADMIN),
    )
    assert reset.status == 200
    body = await reset.json()
    assert body["account"]["must_change_password"] is True
    assert body["account"]["second_factor"] is False
    assert (await post_sign_in(client, "canbo.hn", "demo-canbo-vanbang")).status == 401
    signed = await post_sign_in(client, "canbo.hn", body["temporary_password"])
    assert signed.headers["Location"] == "/doi-mat-khau"
    bad = await client.post(
        f"{ACCOUNTS}/{clerk_id}/reset-password", json={"x": 1}, headers=bearer(ADMIN)
    )
    await assert_problem(bad, 422, "validation-error")


# The operator's commands -------------------------------------------------------------------


async def test_the_account_commands(db_url: str, db: asyncpg.Connection) -> None:
    code, out, err = await run_vanbang(
        db_url,
        "account",
        "create",
        "--username",
        "Minh.Le@example.vn",
        "--name",
        "Lê Văn Minh",
        "--role",
        "auditor",
        "--issuer",
        "sgddt-hn",
    )
    assert code == 0, err
    assert "minh.le@example.vn" in out
    password = out.rsplit(": ", 1)[1].strip()
    assert len(password) == 19
    code, out, _ = await run_vanbang(db_url, "account", "list", "--issuer", "SGDDT-HN")
    assert "minh.le@example.vn" in out
    assert "must change password" in out
    code, out, err = await run_vanbang(db_url, "account", "disable", "minh.le@example.vn")
    assert code == 0, err
    assert "disabled" in out
    code, out, _ = await run_vanbang(db_url, "account", "enable", "MINH.LE@example.vn")
    assert "active" in out
    code, out, _ = await run_vanbang(
        db_url, "account", "reset-password", "minh.le@example.vn", "--second-factor"
    )
    assert out.rsplit(": ", 1)[1].strip() != password
    code, _, err = await run_vanbang(db_url, "account", "disable", "nobody")
    assert code == 1
    assert "no account nobody" in err
    code, _, err = await run_vanbang(
        db_url, "account", "create", "--username", "x", "--name", "X", "--role", "clerk"
    )
    assert code == 1
    actions = await db.fetch(
        "SELECT action FROM staff_journal WHERE record_type = 'account' ORDER BY id"
    )
    assert [r["action"] for r in actions][-4:] == [
        "account.created",
        "account.disabled",
        "account.enabled",
        "account.password_reset",
    ]


# Production and the demo accounts ----------------------------------------------------------


async def test_production_refuses_the_demo_accounts(db: asyncpg.Connection) -> None:
    with pytest.raises(DemoAccountsError, match=r"canbo\.hn"):
        await refuse_demo_accounts(db)
    await db.execute("UPDATE accounts SET state = 'disabled' WHERE demo")
    await refuse_demo_accounts(db)
    # Made again by hand with the published password: refused all the same.
    hashed = await db.fetchval("SELECT password_hash FROM accounts WHERE username = 'canbo.hn'")
    await db.execute("UPDATE accounts SET username = 'old.canbo' WHERE username = 'canbo.hn'")
    await db.execute(
        "INSERT INTO accounts (id, username, display_name, role, issuer_code, password_hash) "
        "VALUES (gen_random_uuid(), 'canbo.hn', 'Copy', 'clerk', 'SGDDT-HN', $1)",
        hashed,
    )
    with pytest.raises(DemoAccountsError):
        await refuse_demo_accounts(db)


async def test_a_production_server_will_not_sign_in_a_demo_account(
    settings: Any, aiohttp_client: Any
) -> None:
    from service.app import create_app

    production = dataclasses.replace(settings, env="production", demo=False)
    client = await aiohttp_client(create_app(production))
    refused = await post_sign_in(client, *ADMIN_LOGIN)
    assert refused.status == 401
    assert "Tài khoản mẫu" in await refused.text()


async def test_a_scoped_admin_does_not_manage_its_own_level(
    client: Any, db: asyncpg.Connection
) -> None:
    token = await _admin_token(client, db)  # admin of SGDDT-HN
    peer = await _create(client, ADMIN, issuer="SGDDT-HN", role="admin", username="peer.admin")
    peer_id = (await peer.json())["account"]["id"]
    for role in ("admin", "auditor"):
        made = await _create(client, token, issuer="SGDDT-HN", role=role, username=f"x.{role}")
        body = await assert_problem(made, 403, "forbidden")
        assert "cấp trên" in body["detail"]
    clerk = await _create(client, token, issuer="SGDDT-HN", username="own.clerk")
    assert clerk.status == 201
    for path in ("", "/disable", "/reset-password"):
        method = client.get if not path else client.post
        response = await method(f"{ACCOUNTS}/{peer_id}{path}", headers=bearer(token))
        await assert_problem(response, 404, "not-found")
    listed = await (await client.get(ACCOUNTS, headers=bearer(token))).json()
    names = {a["username"] for a in listed["accounts"]}
    assert "own.clerk" in names
    assert not names & {"peer.admin", "quantri.hn"}


async def test_a_reset_revokes_the_persons_tokens(client: Any, db: asyncpg.Connection) -> None:
    token = await personal_token(client, ("canbo.hn", "demo-canbo-vanbang"))
    assert (await client.get("/api/v1/me", headers=bearer(token))).status == 200
    clerk_id = await db.fetchval("SELECT id FROM accounts WHERE username = 'canbo.hn'")
    reset = await client.post(
        f"{ACCOUNTS}/{clerk_id}/reset-password", json={}, headers=bearer(ADMIN)
    )
    assert reset.status == 200
    await assert_problem(
        await client.get("/api/v1/me", headers=bearer(token)), 401, "unauthenticated"
    )
