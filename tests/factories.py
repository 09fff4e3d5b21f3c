"""Builders for requests and checks shared by the service tests."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import asyncpg
from aiohttp import ClientResponse
from PIL import Image

from tests.conftest import CLERK, EXAMPLES, bearer
from tests.qr import decode_qr


def example(kind: str = "json") -> bytes:
    return (EXAMPLES / f"graduation-decision.{kind}").read_bytes()


def example_request() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(example("json"))
    return data


def decision_request(
    graduates: int = 3,
    *,
    serial_prefix: str = "T",
    number: str = "100/QĐ-SGDĐT",
    kind: str = "thpt",
    issued_on: str = "2025-08-15",
    issuer: str | None = None,
) -> dict[str, Any]:
    """A valid THPT decision of the demo department with `graduates` graduates."""
    data: dict[str, Any] = {
        "decision": {
            "number": number,
            "date": "2025-07-14",
            "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
        },
        "diploma": {
            "kind": kind,
            "regulation": "TT21/2019",
            "graduation_year": 2025,
            "place_of_issue": "Hà Nội",
            "issued_on": issued_on,
            "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
        },
        "graduates": [
            {
                "serial": f"{serial_prefix}{i:06d}",
                "full_name": "Trần Thị Bình",
                "date_of_birth": "2007-05-01",
                "place_of_birth": "Hà Nội",
                "gender": "female",
                "ethnicity": "Kinh",
                "student_id": f"{i:010d}",
            }
            for i in range(1, graduates + 1)
        ],
    }
    if issuer is not None:
        data["issuer"] = issuer
    return data


def with_personal_ids(request: dict[str, Any]) -> dict[str, Any]:
    """`request` with a valid personal identification number for each graduate, as Circular
    10/2026 requires of every kind: the factories' graduates are women born in 2007 (century
    and sex digit 3, year digits 07), with a Hà Nội (001) birth registration; the last six
    digits tell them apart. A graduate born otherwise needs a number of their own."""
    for n, graduate in enumerate(request["graduates"], start=1):
        assert (graduate["date_of_birth"][:4], graduate["gender"]) == ("2007", "female")
        graduate["personal_id"] = f"001307{n:06d}"
    return request


async def assert_problem(response: ClientResponse, status: int, slug: str) -> dict[str, Any]:
    """Checks the RFC 9457 shape every error shares, and returns the body."""
    assert response.status == status, await response.text()
    assert response.content_type == "application/problem+json"
    body: dict[str, Any] = await response.json(content_type=None)
    assert body["type"] == f"/problems/{slug}"
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert body["instance"] == response.url.path
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


async def register_counts(db: asyncpg.Connection) -> tuple[int, int, int]:
    """(decisions, diplomas, idempotency keys) in the register."""
    row = await db.fetchrow(
        "SELECT (SELECT count(*) FROM graduation_decisions) AS d,"
        " (SELECT count(*) FROM diplomas) AS p, (SELECT count(*) FROM idempotency_keys) AS k"
    )
    assert row is not None
    return row["d"], row["p"], row["k"]


async def registered(client: Any, graduates: int = 2, **changes: Any) -> list[dict[str, Any]]:
    """Registers a decision of the demo department (as its clerk); its diplomas' summaries."""
    response = await client.post(
        "/api/v1/graduation-decisions",
        json=decision_request(graduates, **changes),
        headers=bearer(CLERK),
    )
    assert response.status == 201, await response.text()
    diplomas: list[dict[str, Any]] = (await response.json())["diplomas"]
    return diplomas


async def qr_text(client: Any, diploma_id: str) -> str:
    """The text of the diploma's QR code, read back from the PNG the service draws."""
    png = await client.get(f"/api/v1/diplomas/{diploma_id}/qr.png", headers=bearer(CLERK))
    assert png.status == 200
    return decode_qr(Image.open(io.BytesIO(await png.read())))


def qr_path(text: str) -> str:
    """The path of a QR URL, to open it on the test client."""
    return text[text.index("/V/") :]


async def revoke(client: Any, diploma_id: str, **changes: Any) -> dict[str, Any]:
    """Revokes a diploma as the demo department's clerk; the revocation's answer."""
    response = await client.post(
        f"/api/v1/diplomas/{diploma_id}/revocations",
        json={
            "decision_number": "45/QĐ-SGDĐT",
            "decided_on": "2025-10-01",
            "authority": "Sở Giáo dục và Đào tạo Hà Nội",
            "ground": "fraud",
            "reason": "Sử dụng hồ sơ giả để dự thi tốt nghiệp",
            **changes,
        },
        headers=bearer(CLERK),
    )
    assert response.status == 201, await response.text()
    answer: dict[str, Any] = await response.json()
    return answer


def step(result: dict[str, Any], code: str) -> dict[str, Any]:
    """The step of a verification result with this code."""
    found: dict[str, Any] = next(s for s in result["steps"] if s["code"] == code)
    return found


async def sequenced(client: Any, *, max_wait: float = 10.0) -> int:
    """Runs the log's sequencer now (the app's own runs every half second) and returns once
    every queued event is in the log under a signed checkpoint: the leaves this call appended.

    While the app's own sequencer holds the sequencer's lock, this call appends nothing, and
    the events that sequencer took are not in the log until its transaction commits, which
    is also when they leave the queue: so it waits until the queue is empty, trying again.
    """
    from service.http.state import LOG_SIGNER, POOL
    from service.tlog.sequencer import sequence_all

    pool, signer = client.app[POOL], client.app[LOG_SIGNER]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_wait
    appended = 0
    while True:
        appended += await sequence_all(pool, signer)
        waiting = await pool.fetchval("SELECT count(*) FROM log_queue")
        if waiting == 0:
            return appended
        if loop.time() > deadline:
            raise AssertionError(
                f"the log queue still holds {waiting} event(s) after {max_wait} s:"
                " no sequencer took them (is the sequencer's lock held elsewhere?)"
            )
        await asyncio.sleep(0.05)


def lifecycle_requests(
    corrected: str, copied: str, reissued: str, revoked: str
) -> list[tuple[str, str, dict[str, Any]]]:
    """One request of each lifecycle event on a demo decision's diplomas (ids given; the
    copied diploma is handed over too): (the path's last part, the diploma, the body)."""
    return [
        ("corrections", corrected, {
            "decision_number": "12/QĐ", "decided_on": "2025-11-03",
            "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
            "ground": "civil_status_changed", "reason": "Cải chính họ tên",
            "changes": {"full_name": "Trần Thị Bính", "date_of_birth": "2007-05-02"},
        }),
        ("copies", copied, {
            "requester_name": "Trần Thị Bính", "relation": "holder",
            "id_document_type": "citizen_id", "id_document_number": "001085012345",
            "copies": 2, "issued_on": "2026-01-05",
            "signer": {"name": "Lê Văn Thành", "title": "Giám đốc"},
        }),
        ("reissues", reissued, {
            "serial": "T900001", "issued_on": "2025-09-01", "reason": "In sai xếp loại",
        }),
        ("revocations", revoked, {
            "decision_number": "45/QĐ-SGDĐT", "decided_on": "2025-10-01",
            "authority": "Sở Giáo dục và Đào tạo Hà Nội", "ground": "fraud",
            "reason": "Sử dụng hồ sơ giả để dự thi tốt nghiệp",
        }),
        ("handovers", copied, {
            "recipient_name": "Trần Thị Bính", "relation": "holder",
            "handed_over_on": "2025-08-20", "handed_over_by": "Lê Thị Hoa",
        }),
    ]  # fmt: skip


async def delete_behind_the_back(db: Any, diploma_id: str) -> None:
    """A register row deleted as only a superuser could (the append-only triggers off), with
    the digest of its token: what the audit must catch."""
    for table in ("token_digests", "diploma_personal_ids", "diplomas"):
        column = "id" if table == "diplomas" else "diploma_id"
        await db.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        await db.execute(f"DELETE FROM {table} WHERE {column} = $1", diploma_id)  # noqa: S608
        await db.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
