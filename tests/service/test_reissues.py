"""Re-issue for the issuer's own error (Art. 18): a new serial on a new blank, a new register
entry and QR; the old diploma answers replaced and its blank is spoiled."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.conftest import CLERK, bearer
from tests.factories import assert_problem, qr_path, qr_text, registered

REISSUE: dict[str, Any] = {
    "serial": "T900001",
    "issued_on": "2025-09-02",
    "reason": "Ghi sai nơi sinh khi in văn bằng",
    "changes": {"place_of_birth": "Hà Nam"},
}


async def _reissue(client: Any, diploma_id: str, **changes: Any) -> Any:
    return await client.post(
        f"/api/v1/diplomas/{diploma_id}/reissues",
        json={**REISSUE, **changes},
        headers=bearer(CLERK),
    )


async def test_the_old_diploma_is_replaced_and_the_new_one_is_valid(
    client: Any, db: asyncpg.Connection
) -> None:
    old = (await registered(client, 3))[0]
    old_text = await qr_text(client, old["id"])

    response = await _reissue(client, old["id"])
    assert response.status == 201, await response.text()
    answer = await response.json()
    new = answer["diploma"]
    assert new["serial"] == "T900001"
    assert new["register_number"] == "4/THPT-2025"  # the next entry of the register
    assert answer["changes"] == {"place_of_birth": {"old": "Hà Nội", "new": "Hà Nam"}}
    assert response.headers["Location"] == f"/api/v1/diplomas/{new['id']}"

    result = await (await client.get("/api/v1/verify", params={"token": old_text})).json()
    assert result["verdict"] == "replaced"
    assert result["status"] == {
        "state": "replaced",
        "serial": "T900001",
        "register_number": "4/THPT-2025",
        "issued_on": "2025-09-02",
    }
    page = await (await client.get(qr_path(old_text))).text()
    assert 'class="verdict replaced"' in page
    assert "T900001" in page

    new_text = await qr_text(client, new["id"])
    fresh = await (await client.get("/api/v1/verify", params={"token": new_text})).json()
    assert fresh["verdict"] == "valid"
    assert fresh["fields"]["place_of_birth"] == "Hà Nam"
    assert fresh["fields"]["holder_name"] == old["full_name"]

    # The old blank carried the error: it is recorded as spoiled, with the re-issue.
    spoiled = await db.fetchrow("SELECT serial, event, was_used, reissue_id FROM blank_events")
    assert spoiled is not None
    assert (spoiled["serial"], spoiled["event"], spoiled["was_used"]) == (
        old["serial"],
        "spoiled",
        True,
    )
    history = await (
        await client.get(f"/api/v1/diplomas/{old['id']}", headers=bearer(CLERK))
    ).json()
    assert history["lifecycle"]["state"] == "replaced"
    assert history["lifecycle"]["replaced_by"]["serial"] == "T900001"
    back = await (await client.get(f"/api/v1/diplomas/{new['id']}", headers=bearer(CLERK))).json()
    assert back["lifecycle"]["replaces"]["id"] == old["id"]


async def test_a_diploma_is_replaced_once_on_a_new_serial(
    client: Any, db: asyncpg.Connection
) -> None:
    first, second = await registered(client, 2)
    problem = await assert_problem(
        await _reissue(client, first["id"], serial=first["serial"]), 422, "validation-error"
    )
    assert problem["errors"][0]["code"] == "same_serial"
    problem = await assert_problem(
        await _reissue(client, first["id"], serial=second["serial"]), 409, "duplicate-serial"
    )
    assert problem["errors"][0]["pointer"] == "#/serial"
    problem = await assert_problem(
        await _reissue(client, first["id"], issued_on="2025-08-01"), 422, "validation-error"
    )
    assert problem["errors"][0]["code"] == "before_issue"
    assert await db.fetchval("SELECT count(*) FROM diplomas") == 2

    assert (await _reissue(client, first["id"])).status == 201
    await assert_problem(
        await _reissue(client, first["id"], serial="T900002"), 409, "diploma-not-in-force"
    )
    # Every refused attempt rolled back whole: one new entry, register numbers without gap.
    numbers = await db.fetch("SELECT register_seq FROM diplomas ORDER BY register_seq")
    assert [n["register_seq"] for n in numbers] == [1, 2, 3]


async def test_a_tracked_issuer_reissues_only_on_a_received_blank(
    client: Any, db: asyncpg.Connection
) -> None:
    old = (await registered(client, 1))[0]
    await db.execute("UPDATE issuers SET tracks_blanks = true WHERE code = 'SGDDT-HN'")
    problem = await assert_problem(await _reissue(client, old["id"]), 422, "blank-unavailable")
    assert problem["errors"][0] == {
        "pointer": "#/serial",
        "code": "blank_not_received",
        "detail": "Số hiệu T900001 không thuộc dải phôi đã nhận",
    }
    receipt = await client.post(
        "/api/v1/issuers/SGDDT-HN/blanks/receipts",
        json={
            "kind": "thpt",
            "first_serial": "T900001",
            "last_serial": "T900010",
            "received_on": "2025-09-01",
            "reference": "Phiếu xuất kho 17/2025",
        },
        headers=bearer(CLERK),
    )
    assert receipt.status == 201, await receipt.text()
    assert (await _reissue(client, old["id"])).status == 201
    assert await db.fetchval("SELECT serial FROM blank_uses") == "T900001"
