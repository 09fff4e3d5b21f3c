"""A decision registered in parts: supplementary lists under a registered decision, each
numbered on from the last, signed and logged, each part idempotent (docs/register.md)."""

from __future__ import annotations

from typing import Any

import asyncpg

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from tests.conftest import ADMIN, CLERK, bearer
from tests.factories import assert_problem, decision_request, register_counts

URL = "/api/v1/graduation-decisions"


async def _decision(client: Any, graduates: int = 3) -> dict[str, Any]:
    response = await client.post(URL, json=decision_request(graduates), headers=bearer(CLERK))
    assert response.status == 201, await response.text()
    body: dict[str, Any] = await response.json()
    return body


def _part(graduates: int, prefix: str, **changes: Any) -> dict[str, Any]:
    return decision_request(graduates, serial_prefix=prefix, **changes)


async def test_parts_number_on_and_the_decision_counts_them_all(
    client: Any, db: asyncpg.Connection
) -> None:
    first = await _decision(client, 3)
    assert first["part"] == 1
    headers = {**bearer(CLERK), "Idempotency-Key": "part-2"}
    response = await client.post(f"{URL}/{first['id']}/parts", json=_part(2, "S"), headers=headers)
    assert response.status == 201, await response.text()
    assert response.headers["Location"] == f"{URL}/{first['id']}"
    second = await response.json()
    assert second["id"] == first["id"]
    assert second["part"] == 2
    assert second["graduate_count"] == 5
    assert [d["register_number"] for d in second["diplomas"]] == ["4/THPT-2025", "5/THPT-2025"]
    third = await (
        await client.post(f"{URL}/{first['id']}/parts", json=_part(1, "U"), headers=bearer(CLERK))
    ).json()
    assert (third["part"], third["graduate_count"]) == (3, 6)

    read = await (await client.get(f"{URL}/{first['id']}", headers=bearer(CLERK))).json()
    assert read["graduate_count"] == 6
    assert read["parts"] == 3
    assert [d["register_number"] for d in read["diplomas"]] == [
        f"{n}/THPT-2025" for n in range(1, 7)
    ]
    parts = await db.fetch(
        "SELECT part, graduate_count FROM decision_parts WHERE decision_id = $1 ORDER BY part",
        first["id"],
    )
    assert [tuple(p) for p in parts] == [(1, 3), (2, 2), (3, 1)]
    # Every diploma of every part is a leaf of the issuance log (queued in its transaction).
    queued = await db.fetchval(
        "SELECT count(*) FROM log_queue AS q JOIN diplomas AS d ON d.id = q.diploma_id"
        " WHERE d.decision_id = $1 AND q.event_type = 'issue'",
        first["id"],
    )
    assert queued == 6
    # The register keeps its parts as it keeps everything: append-only.
    for statement in (
        "UPDATE decision_parts SET graduate_count = 9",
        "DELETE FROM decision_parts",
        "TRUNCATE decision_parts",
    ):
        try:
            await db.execute(statement)
        except asyncpg.InsufficientPrivilegeError:
            continue
        raise AssertionError(f"{statement} was not refused")


async def test_a_retried_part_registers_once(client: Any, db: asyncpg.Connection) -> None:
    first = await _decision(client)
    headers = {**bearer(CLERK), "Idempotency-Key": "retry-me"}
    url = f"{URL}/{first['id']}/parts"
    once = await client.post(url, json=_part(2, "S"), headers=headers)
    counts = await register_counts(db)
    again = await client.post(url, json=_part(2, "S"), headers=headers)
    assert again.status == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await again.json() == await once.json()
    assert await register_counts(db) == counts

    # The same key for another list, or the same list for another decision, is refused.
    other = await client.post(url, json=_part(3, "S"), headers=headers)
    await assert_problem(other, 422, "idempotency-key-reused")
    second = await client.post(
        URL, json=decision_request(1, number="7/QĐ", serial_prefix="W"), headers=bearer(CLERK)
    )
    elsewhere = await client.post(
        f"{URL}/{(await second.json())['id']}/parts", json=_part(2, "S"), headers=headers
    )
    await assert_problem(elsewhere, 422, "idempotency-key-reused")
    assert (await register_counts(db))[1] == counts[1] + 1


async def test_a_part_must_name_the_registered_decision(
    client: Any, db: asyncpg.Connection
) -> None:
    first = await _decision(client)
    counts = await register_counts(db)
    wrong = _part(2, "S", number="999/QĐ", kind="thcs")
    response = await client.post(f"{URL}/{first['id']}/parts", json=wrong, headers=bearer(CLERK))
    body = await assert_problem(response, 422, "validation-error")
    assert {e["pointer"] for e in body["errors"]} >= {"#/decision/number", "#/diploma/kind"}
    assert all(e["code"] == "differs_from_decision" for e in body["errors"])
    # A serial the decision's first part holds is taken, as in any registration.
    taken = await client.post(
        f"{URL}/{first['id']}/parts", json=_part(1, "T"), headers=bearer(CLERK)
    )
    await assert_problem(taken, 409, "duplicate-serial")
    assert await register_counts(db) == counts


async def test_a_part_of_another_issuers_decision_is_refused(
    client: Any, db: asyncpg.Connection
) -> None:
    university = decision_request(2, kind="bachelor", issuer="DHSPHN", serial_prefix="D")
    university["diploma"]["major"] = "Sư phạm Toán"
    response = await client.post(URL, json=university, headers=bearer(ADMIN))
    assert response.status == 201, await response.text()
    theirs = (await response.json())["id"]
    counts = await register_counts(db)
    # A clerk of SGDDT-HN cannot see it: not found, as any read outside the scope.
    url = f"{URL}/{theirs}/parts"
    await assert_problem(
        await client.post(url, json=_part(1, "S"), headers=bearer(CLERK)), 404, "not-found"
    )
    # An admin naming another issuer than the decision's is told so.
    mine = _part(1, "S", issuer="SGDDT-HN")
    body = await assert_problem(
        await client.post(url, json=mine, headers=bearer(ADMIN)), 422, "validation-error"
    )
    assert "#/issuer" in {e["pointer"] for e in body["errors"]}
    # A clerk of the university may add to it.
    token = new_token()
    await add_token(db, token, Role.CLERK, "DHSPHN")
    more = decision_request(1, kind="bachelor", serial_prefix="E")
    more["diploma"]["major"] = "Sư phạm Toán"
    added = await client.post(url, json=more, headers=bearer(token))
    assert added.status == 201, await added.text()
    assert (await register_counts(db))[1] == counts[1] + 1
    await assert_problem(
        await client.post(
            f"{URL}/0190f5b6-0000-7000-8000-000000000000/parts", json=more, headers=bearer(token)
        ),
        404,
        "not-found",
    )


async def test_a_parts_dry_run_takes_nothing(client: Any, db: asyncpg.Connection) -> None:
    first = await _decision(client)
    counts = await register_counts(db)
    parts = await db.fetchval("SELECT count(*) FROM decision_parts")
    response = await client.post(
        f"{URL}/{first['id']}/parts",
        params={"validate_only": "true"},
        json=_part(2, "S"),
        headers={**bearer(CLERK), "Idempotency-Key": "dry"},
    )
    assert response.status == 200, await response.text()
    body = await response.json()
    assert (body["part"], body["graduate_count"]) == (2, 5)
    assert [d["register_number"] for d in body["diplomas"]] == ["4/THPT-2025", "5/THPT-2025"]
    assert await register_counts(db) == counts
    assert await db.fetchval("SELECT count(*) FROM decision_parts") == parts
    # The numbers it showed are still free.
    real = await client.post(
        f"{URL}/{first['id']}/parts", json=_part(2, "S"), headers=bearer(CLERK)
    )
    assert [d["register_number"] for d in (await real.json())["diplomas"]] == [
        "4/THPT-2025",
        "5/THPT-2025",
    ]
