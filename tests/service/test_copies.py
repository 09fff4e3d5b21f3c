"""Certified copies from the register (Art. 27-32): numbered per issuer and year with no gap,
even under concurrency, with the register's current content."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg

from tests.conftest import CLERK, bearer
from tests.factories import assert_problem, qr_text, registered, revoke

COPY: dict[str, Any] = {
    "requester_name": "Trần Văn An",
    "relation": "relative",
    "id_document_type": "citizen_id",
    "id_document_number": "001085012345",
    "copies": 2,
    "issued_on": "2026-03-10",
    "signer": {"name": "Lê Văn Thành", "title": "Giám đốc"},
}


async def _copy(client: Any, diploma_id: str, **changes: Any) -> Any:
    return await client.post(
        f"/api/v1/diplomas/{diploma_id}/copies", json={**COPY, **changes}, headers=bearer(CLERK)
    )


async def test_concurrent_copies_are_numbered_without_gap(
    client: Any, db: asyncpg.Connection
) -> None:
    diplomas = await registered(client, 3)
    responses = await asyncio.gather(
        *(_copy(client, diplomas[n % 3]["id"]) for n in range(12)),
        _copy(client, diplomas[0]["id"], copies=0),  # refused: takes no number
        _copy(client, diplomas[1]["id"], issued_on="2025-12-31"),  # another year's register
    )
    assert [r.status for r in responses] == [201] * 12 + [422, 201]
    numbers = sorted([(await r.json())["seq"] for r in responses[:12]])
    assert numbers == list(range(1, 13))
    assert (await responses[13].json())["number"] == "1/2025/BS"
    rows = await db.fetch("SELECT number FROM certified_copies WHERE year = 2026 ORDER BY seq")
    assert [r["number"] for r in rows] == [f"{n}/2026/BS" for n in range(1, 13)]
    # A copy changes nothing of the diploma's standing.
    text = await qr_text(client, diplomas[0]["id"])
    result = await (await client.get("/api/v1/verify", params={"token": text})).json()
    assert result["verdict"] == "valid"


async def test_a_copy_has_the_current_content(client: Any) -> None:
    diploma = (await registered(client, 1))[0]
    corrected = await client.post(
        f"/api/v1/diplomas/{diploma['id']}/corrections",
        json={
            "decision_number": "12/QĐ-SGDĐT",
            "decided_on": "2025-11-03",
            "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
            "ground": "civil_status_changed",
            "reason": "Cải chính họ tên",
            "changes": {"full_name": "Trần Thị Bính"},
        },
        headers=bearer(CLERK),
    )
    assert corrected.status == 201
    answer = await (await _copy(client, diploma["id"])).json()
    assert answer["content"]["full_name"] == "Trần Thị Bính"
    assert answer["content"]["serial"] == diploma["serial"]
    assert answer["version"] == 2
    history = await (
        await client.get(f"/api/v1/diplomas/{diploma['id']}", headers=bearer(CLERK))
    ).json()
    assert [c["number"] for c in history["lifecycle"]["copies"]] == ["1/2026/BS"]


async def test_bad_requests_and_revoked_diplomas_get_no_copy(
    client: Any, db: asyncpg.Connection
) -> None:
    diploma = (await registered(client, 1))[0]
    for changes, pointer in (
        ({"relation": "friend"}, "#/relation"),
        ({"id_document_type": "library_card"}, "#/id_document_type"),
        ({"id_document_number": "12 34"}, "#/id_document_number"),
        ({"copies": 51}, "#/copies"),
        ({"issued_on": "2099-01-01"}, "#/issued_on"),
        ({"issued_on": "2025-01-01"}, "#/issued_on"),  # before the diploma
    ):
        problem = await assert_problem(
            await _copy(client, diploma["id"], **changes), 422, "validation-error"
        )
        assert problem["errors"][0]["pointer"] == pointer
    await revoke(client, diploma["id"])
    await assert_problem(await _copy(client, diploma["id"]), 409, "diploma-not-in-force")
    assert await db.fetchval("SELECT count(*) FROM certified_copies") == 0
    assert await db.fetchval("SELECT count(*) FROM copy_counters") == 0
