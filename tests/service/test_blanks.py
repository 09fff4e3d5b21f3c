"""Blank forms (phôi, Art. 9-11): received ranges, consumption at registration, spoiled and
destroyed blanks with minutes, and the yearly report."""

from __future__ import annotations

from typing import Any

import asyncpg

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from tests.conftest import AUDITOR, CLERK, bearer
from tests.factories import assert_problem, decision_request

BLANKS = "/api/v1/issuers/SGDDT-HN/blanks"


async def _post(client: Any, path: str, body: dict[str, Any], token: str = CLERK) -> Any:
    return await client.post(f"{BLANKS}{path}", json=body, headers=bearer(token))


async def _receive(client: Any, first: str, last: str, on: str, token: str = CLERK) -> Any:
    body = {
        "kind": "thpt",
        "first_serial": first,
        "last_serial": last,
        "received_on": on,
        "reference": "Phiếu xuất kho 17/2025",
    }
    return await _post(client, "/receipts", body, token)


async def _register(client: Any, serials: list[str], number: str) -> Any:
    request = decision_request(len(serials), number=number)
    for graduate, serial in zip(request["graduates"], serials, strict=True):
        graduate["serial"] = serial
    return await client.post("/api/v1/graduation-decisions", json=request, headers=bearer(CLERK))


def _spoil(serials: list[str]) -> dict[str, Any]:
    return {
        "kind": "thpt",
        "serials": serials,
        "occurred_on": "2025-09-01",
        "reason": "In lệch khi in thử",
    }


def _destroy(serials: list[str]) -> dict[str, Any]:
    return {
        "kind": "thpt",
        "serials": serials,
        "minutes_number": "03/BB-HĐHP",
        "council": ["Nguyễn Văn Minh", "Lê Thị Hoa", "Phạm Văn Đức"],
        "reason": "Phôi hỏng và phôi mẫu cũ",
        "method": "Cắt hủy bằng máy",
        "destroyed_on": "2025-12-01",
    }


async def test_blank_accounting_through_a_year(client: Any, db: asyncpg.Connection) -> None:
    assert (await _receive(client, "T000001", "T000100", "2025-06-01")).status == 201
    assert (await _receive(client, "T000101", "T000150", "2026-01-05")).status == 201
    overlap = await _receive(client, "T000050", "T000120", "2025-06-02")
    problem = await assert_problem(overlap, 409, "blank-range-overlap")
    assert "T000001" in problem["detail"]
    await db.execute("UPDATE issuers SET tracks_blanks = true WHERE code = 'SGDDT-HN'")

    assert (await _register(client, ["T000001", "T000002", "T000003"], "1/QĐ")).status == 201
    refused = await _register(client, ["T000004", "X000001", "T000200"], "2/QĐ")
    problem = await assert_problem(refused, 422, "blank-unavailable")
    assert [(e["pointer"], e["code"]) for e in problem["errors"]] == [
        ("#/graduates/1/serial", "blank_not_received"),
        ("#/graduates/2/serial", "blank_not_received"),
    ]
    assert await db.fetchval("SELECT count(*) FROM diplomas") == 3

    assert (await _post(client, "/spoiled", _spoil(["T000010", "T000011"]))).status == 201
    for serials, code in ((["T000001"], "blank_used"), (["T000010"], "blank_spoiled")):
        problem = await assert_problem(
            await _post(client, "/spoiled", _spoil(serials)), 422, "blank-unavailable"
        )
        assert problem["errors"][0]["code"] == code
    problem = await assert_problem(
        await _register(client, ["T000010"], "3/QĐ"), 422, "blank-unavailable"
    )
    assert problem["errors"][0]["code"] == "blank_spoiled"

    problem = await assert_problem(
        await _post(client, "/destructions", _destroy(["T000002"])), 422, "blank-unavailable"
    )
    assert problem["errors"][0]["code"] == "blank_used"
    destroyed = await _post(client, "/destructions", _destroy(["T000010", "T000020"]))
    assert destroyed.status == 201, await destroyed.text()
    again = await _post(client, "/destructions", _destroy(["T000020"]))
    assert (await assert_problem(again, 422, "blank-unavailable"))["errors"][0]["code"] == (
        "blank_destroyed"
    )

    report = await (
        await client.get(BLANKS, params={"year": "2025"}, headers=bearer(AUDITOR))
    ).json()
    assert report["tracks_blanks"] is True
    assert report["kinds"] == [
        {
            "kind": "thpt",
            "on_hand_at_start": 0,
            "received": 100,
            "used": 3,
            "spoiled": 2,
            "destroyed": 2,
            # 100 - 3 used - 2 spoiled unused - 1 destroyed unused (T000010 left once)
            "on_hand_at_end": 94,
            "awaiting_destruction": 1,  # T000011
        }
    ]
    next_year = await (
        await client.get(BLANKS, params={"year": "2026"}, headers=bearer(CLERK))
    ).json()
    row = next_year["kinds"][0]
    assert (row["on_hand_at_start"], row["received"], row["on_hand_at_end"]) == (94, 50, 144)


async def test_bad_ranges_and_other_issuers_are_refused(
    client: Any, db: asyncpg.Connection
) -> None:
    for first, last, pointer in (
        ("T000100", "T000001", "#/last_serial"),
        ("T000001", "U000100", "#/last_serial"),
        ("T000001", "T0000100", "#/last_serial"),
        ("T0000001", "T2000000", "#/last_serial"),  # more than a million at once
    ):
        problem = await assert_problem(
            await _receive(client, first, last, "2025-06-01"), 422, "validation-error"
        )
        assert problem["errors"][0]["pointer"] == pointer
    other = new_token()
    await add_token(db, other, Role.CLERK, "DHSPHN")
    await assert_problem(await _receive(client, "T1", "T9", "2025-06-01", other), 403, "forbidden")
    await assert_problem(
        await _receive(client, "T1", "T9", "2025-06-01", AUDITOR), 403, "forbidden"
    )
    report = await client.get(BLANKS, params={"year": "2025"}, headers=bearer(other))
    await assert_problem(report, 404, "not-found")
    missing_year = await client.get(BLANKS, headers=bearer(CLERK))
    await assert_problem(missing_year, 422, "validation-error")
    assert await db.fetchval("SELECT count(*) FROM blank_receipts") == 0
