"""The authorisation matrix: each role and scope against each endpoint.

Demo hierarchy: BGDDT (ministry) > SGDDT-HN (department) > PGDDT-CG, THPT-CVA; BGDDT > DHSPHN.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from tests.conftest import ADMIN, AUDITOR, CLERK, bearer
from tests.factories import assert_problem, decision_request, register_counts

URL = "/api/v1/graduation-decisions"


async def _token(db: asyncpg.Connection, role: Role, issuer: str | None) -> str:
    token = new_token()
    await add_token(db, token, role, issuer)
    return token


@pytest.fixture
async def registered(client: Any) -> dict[str, Any]:
    """One decision of SGDDT-HN, registered by its clerk."""
    response = await client.post(URL, json=decision_request(2), headers=bearer(CLERK))
    assert response.status == 201
    body: dict[str, Any] = await response.json()
    return body


# (who, may register for SGDDT-HN, may read SGDDT-HN's records)
MATRIX = [
    ("admin", True, True),
    ("clerk of SGDDT-HN", True, True),
    ("clerk of THPT-CVA (under it)", False, False),
    ("clerk of DHSPHN (elsewhere)", False, False),
    ("auditor of BGDDT (above it)", False, True),
    ("auditor of SGDDT-HN (itself)", False, True),
    ("auditor of PGDDT-CG (below it)", False, False),
    ("auditor of DHSPHN (sibling branch)", False, False),
]


async def _who(db: asyncpg.Connection, who: str) -> str:
    if who == "admin":
        return ADMIN
    if who == "clerk of SGDDT-HN":
        return CLERK
    if who == "auditor of BGDDT (above it)":
        return AUDITOR
    role = Role.CLERK if who.startswith("clerk") else Role.AUDITOR
    issuer = who.split(" of ")[1].split(" ")[0]
    return await _token(db, role, issuer)


@pytest.mark.parametrize(("who", "may_register", "may_read"), MATRIX)
async def test_matrix(
    client: Any,
    db: asyncpg.Connection,
    registered: dict[str, Any],
    who: str,
    may_register: bool,
    may_read: bool,
) -> None:
    token = await _who(db, who)
    data = decision_request(1, number="2/QĐ", serial_prefix="N", issuer="SGDDT-HN")
    response = await client.post(URL, json=data, headers=bearer(token))
    if may_register:
        assert response.status == 201, await response.text()
    else:
        await assert_problem(response, 403, "forbidden")
        assert (await register_counts(db))[:2] == (1, 2)

    diploma = await client.get(
        f"/api/v1/diplomas/{registered['diplomas'][0]['id']}", headers=bearer(token)
    )
    decision = await client.get(f"{URL}/{registered['id']}", headers=bearer(token))
    for response in (diploma, decision):
        if may_read:
            assert response.status == 200
        else:
            # Out of scope reads as absent: a token learns nothing of other issuers.
            await assert_problem(response, 404, "not-found")


@pytest.mark.parametrize(
    "path",
    [
        URL,
        "/api/v1/diplomas/01a20106-9953-7985-8c29-d2697cc7d7a1",
        f"{URL}/01a20106-9953-7985-8c29-d2697cc7d7a1",
    ],
)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer vb_not_a_real_token_at_all", "Basic dXNlcjpwYXNz", f"Token {CLERK}"],
)
async def test_unauthenticated(client: Any, db: Any, path: str, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    method = client.post if path == URL else client.get
    response = await method(path, json=decision_request(1), headers=headers)
    await assert_problem(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert await register_counts(db) == (0, 0, 0)


async def test_revoked_token_stops_at_once(client: Any, db: asyncpg.Connection) -> None:
    token = await _token(db, Role.CLERK, "SGDDT-HN")
    response = await client.post(URL, json=decision_request(1), headers=bearer(token))
    assert response.status == 201
    await db.execute(
        "UPDATE api_tokens SET revoked_at = now() WHERE token_hash = sha256($1)", token.encode()
    )
    again = await client.post(
        URL, json=decision_request(1, number="9/QĐ", serial_prefix="R"), headers=bearer(token)
    )
    await assert_problem(again, 401, "unauthenticated")


async def test_unknown_ids_are_not_found(client: Any) -> None:
    for path in (
        "/api/v1/diplomas/not-a-uuid",
        "/api/v1/diplomas/01a20106-9953-7985-8c29-d2697cc7d7a1",
    ):
        await assert_problem(await client.get(path, headers=bearer(ADMIN)), 404, "not-found")


async def test_tokens_are_stored_only_as_hashes(db: asyncpg.Connection) -> None:
    token = await _token(db, Role.ADMIN, None)
    dump = await db.fetchval("SELECT string_agg(t::text, '') FROM api_tokens AS t")
    assert token not in dump
    assert token[3:] not in dump
