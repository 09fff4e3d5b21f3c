"""What every lifecycle event shares: append-only rows signed by the issuer's key, the
deadline flag of Art. 17, and the matching `vanbang` commands."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import CLERK, ROOT, bearer
from tests.factories import decision_request, registered, with_personal_ids
from tests.running import run_vanbang
from verifier import TrustList, load_public_pem
from verifier.events import verify_event

DEMO_ROOT = load_public_pem((ROOT / "keys-example" / "root.pub.pem").read_bytes())
EVENT_TABLES = (
    "corrections",
    "reissues",
    "certified_copies",
    "handovers",
    "blank_receipts",
    "blank_uses",
    "blank_destructions",
    "blank_events",
    "revocations",
)


async def _every_event(client: Any, db: asyncpg.Connection) -> None:
    """One row in every lifecycle table, through the API."""
    receipt = await client.post(
        "/api/v1/issuers/SGDDT-HN/blanks/receipts",
        json={
            "kind": "thpt",
            "first_serial": "T000001",
            "last_serial": "T000050",
            "received_on": "2025-06-01",
            "reference": "Phiếu 1",
        },
        headers=bearer(CLERK),
    )
    assert receipt.status == 201
    await db.execute("UPDATE issuers SET tracks_blanks = true WHERE code = 'SGDDT-HN'")
    first, second = await registered(client, 2)
    posts = (
        (
            f"/api/v1/diplomas/{first['id']}/reissues",
            {
                "serial": "T000040",
                "issued_on": "2025-09-01",
                "reason": "Sai ngày sinh",
                "changes": {"date_of_birth": "2007-05-03"},
            },
        ),
        (
            f"/api/v1/diplomas/{second['id']}/corrections",
            {
                "decision_number": "12/QĐ",
                "decided_on": "2025-11-03",
                "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
                "ground": "birth_registered_late",
                "reason": "Đăng ký lại khai sinh",
                "changes": {"date_of_birth": "2007-06-01"},
            },
        ),
        (
            f"/api/v1/diplomas/{second['id']}/copies",
            {
                "requester_name": "Trần Thị Bình",
                "relation": "holder",
                "id_document_type": "passport",
                "id_document_number": "C1234567",
                "copies": 1,
                "issued_on": "2026-01-02",
                "signer": {"name": "Lê Văn Thành", "title": "Giám đốc"},
            },
        ),
        (
            f"/api/v1/diplomas/{second['id']}/handovers",
            {
                "recipient_name": "Trần Thị Bình",
                "relation": "holder",
                "handed_over_on": "2025-08-20",
                "handed_over_by": "Lê Thị Hoa",
            },
        ),
        (
            f"/api/v1/diplomas/{second['id']}/revocations",
            {
                "decision_number": "45/QĐ",
                "decided_on": "2026-02-01",
                "authority": "Sở GDĐT",
                "ground": "altered",
                "reason": "Tẩy xóa",
            },
        ),
        (
            "/api/v1/issuers/SGDDT-HN/blanks/destructions",
            {
                "kind": "thpt",
                "serials": [first["serial"], "T000045"],
                "minutes_number": "1/BB",
                "council": ["Lê Văn Hùng"],
                "reason": "Phôi hỏng",
                "method": "Đốt",
                "destroyed_on": "2025-12-01",
            },
        ),
    )
    for path, body in posts:
        response = await client.post(path, json=body, headers=bearer(CLERK))
        assert response.status == 201, (path, await response.text())


async def test_every_event_is_signed_and_can_never_be_changed(
    client: Any, db: asyncpg.Connection
) -> None:
    await _every_event(client, db)
    trust = TrustList.from_bytes(
        await (await client.get("/.well-known/vanbang/trust-list")).read(), root_key=DEMO_ROOT
    )
    for table in EVENT_TABLES:
        assert await db.fetchval(f"SELECT count(*) FROM {table}"), table  # noqa: S608
        if table == "blank_uses":
            continue  # a use is part of the registration it belongs to
        for row in await db.fetch(f"SELECT signed FROM {table}"):  # noqa: S608
            verified = verify_event(bytes(row["signed"]), trust)
            assert verified.fields["issuer"] == "SGDDT-HN"
        for statement in (
            f"UPDATE {table} SET issuer_code = issuer_code",  # noqa: S608
            f"DELETE FROM {table}",  # noqa: S608
            f"TRUNCATE {table} CASCADE",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
                await db.execute(statement)


async def test_late_registration_is_accepted_and_flagged(client: Any) -> None:
    # On time: a recent decision, so under whichever circular is in force today. The
    # department's certificate is one both Circular 21/2019 and Circular 10/2026 let it issue,
    # within 30 days under both; the regulation follows the issue date (TT10/2026 also wants
    # the personal identification number).
    today = datetime.now(UTC).date()
    on_time = with_personal_ids(decision_request(1, number="1/QĐ", kind="certificate"))
    del on_time["diploma"]["regulation"]
    on_time["decision"]["date"] = (today - timedelta(days=25)).isoformat()
    on_time["diploma"]["issued_on"] = today.isoformat()
    on_time["diploma"]["graduation_year"] = (today - timedelta(days=25)).year
    # Late: a THPT decision of 14/07/2025 under Circular 21/2019 (75 days), registered now.
    late = decision_request(1, number="2/QĐ", serial_prefix="L")
    for request, deadline, flagged in (
        (on_time, date.fromisoformat(on_time["decision"]["date"]) + timedelta(days=30), False),
        (late, date(2025, 9, 27), True),
    ):
        response = await client.post(
            "/api/v1/graduation-decisions", json=request, headers=bearer(CLERK)
        )
        assert response.status == 201, await response.text()
        answer = await response.json()
        assert (answer["deadline"], answer["late"]) == (deadline.isoformat(), flagged)
        read = await client.get(
            f"/api/v1/graduation-decisions/{answer['id']}", headers=bearer(CLERK)
        )
        assert (await read.json())["late"] is flagged


async def test_the_cli_records_each_action(
    db_url: str, db: asyncpg.Connection, tmp_path: Path
) -> None:
    async def vanbang(*args: str) -> Any:
        code, out, err = await run_vanbang(db_url, *args)
        assert code == 0, err
        return out

    out = await vanbang(
        "blanks",
        "receive",
        "--issuer",
        "SGDDT-HN",
        "--kind",
        "thpt",
        "--first",
        "T000001",
        "--last",
        "T000009",
        "--received-on",
        "2025-06-01",
        "--reference",
        "Phiếu 2",
    )
    assert json.loads(out)["count"] == 9
    assert "tracked" in await vanbang("blanks", "track", "--issuer", "SGDDT-HN", "on")
    file = tmp_path / "decision.json"
    file.write_text(json.dumps(decision_request(2)), encoding="utf-8")
    out = await vanbang("import", str(file), "--issuer", "SGDDT-HN", "--json")
    first, second = json.loads(out)["diplomas"]

    corrected = json.loads(
        await vanbang(
            "correct",
            first["id"],
            "--decision-number",
            "7/QĐ",
            "--decided-on",
            "2025-10-10",
            "--signer-name",
            "Nguyễn Văn Minh",
            "--signer-title",
            "Giám đốc",
            "--ground",
            "civil_status_changed",
            "--reason",
            "Cải chính",
            "--set",
            "full_name=Trần Thị Bính",
        )
    )
    assert corrected["version"] == 2
    copied = json.loads(
        await vanbang(
            "copy",
            first["id"],
            "--requester-name",
            "Trần Thị Bính",
            "--relation",
            "holder",
            "--id-type",
            "citizen_id",
            "--id-number",
            "001085012345",
            "--issued-on",
            "2026-01-05",
            "--signer-name",
            "Lê Văn Thành",
            "--signer-title",
            "Phó Giám đốc",
            "--on-behalf-of",
            "Giám đốc",
        )
    )
    assert copied["number"] == "1/2026/BS"
    assert copied["signer"] == {"name": "Lê Văn Thành", "title": "Phó Giám đốc"}
    assert copied["signer_on_behalf_of"] == "Giám đốc"
    reissued = json.loads(
        await vanbang(
            "reissue",
            second["id"],
            "--serial",
            "T000009",
            "--issued-on",
            "2025-09-01",
            "--reason",
            "In sai xếp loại",
            "--set",
            "classification=Giỏi",
        )
    )
    assert reissued["diploma"]["serial"] == "T000009"
    await vanbang(
        "blanks",
        "spoil",
        "--issuer",
        "SGDDT-HN",
        "--kind",
        "thpt",
        "--serial",
        "T000005",
        "--occurred-on",
        "2025-09-02",
        "--reason",
        "Kẹt giấy",
    )
    await vanbang(
        "blanks",
        "destroy",
        "--issuer",
        "SGDDT-HN",
        "--kind",
        "thpt",
        "--serial",
        "T000005",
        "--serial",
        second["serial"],
        "--minutes-number",
        "2/BB",
        "--council",
        "Lê Văn Hùng",
        "--council",
        "Phạm Thị Lan",
        "--method",
        "Cắt hủy",
        "--reason",
        "Phôi hỏng",
        "--destroyed-on",
        "2025-12-01",
    )
    report = json.loads(
        await vanbang("blanks", "report", "--issuer", "SGDDT-HN", "--year", "2025", "--json")
    )
    assert report["kinds"][0] | {"kind": "thpt"} == {
        "kind": "thpt",
        "on_hand_at_start": 0,
        "received": 9,
        "used": 3,
        "spoiled": 2,  # T000005, and the re-issued diploma's blank
        "destroyed": 2,
        "on_hand_at_end": 5,
        "awaiting_destruction": 0,
    }
    code, _, err = await run_vanbang(
        db_url,
        "correct",
        first["id"],
        "--decision-number",
        "8/QĐ",
        "--decided-on",
        "2025-10-10",
        "--signer-name",
        "Nguyễn Văn Minh",
        "--signer-title",
        "Giám đốc",
        "--ground",
        "civil_status_changed",
        "--reason",
        "x",
        "--set",
        "major=Toán",
    )
    assert code == 1
    assert "changes/major: Only name, date and place of birth" in err
    assert await db.fetchval("SELECT count(*) FROM corrections") == 1
