"""Handover (bàn giao, Art. 13): who received a diploma and when, recorded once, signed,
logged, shown with the diploma's history and in the register's exports."""

from __future__ import annotations

import asyncio
import base64
import csv
import hashlib
import io
import json
import uuid
from datetime import datetime
from typing import Any

import asyncpg
import cbor2
import openpyxl
import pytest

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from tests.conftest import ADMIN, AUDITOR, CLERK, ROOT, bearer
from tests.factories import assert_problem, registered, revoke, sequenced
from tests.running import run_vanbang
from verifier import TrustList, load_public_pem, merkle
from verifier.events import EVENT_FIELDS, verify_event
from verifier.note import verify_checkpoint
from verifier.token import record_digest

DEMO_ROOT = load_public_pem((ROOT / "keys-example" / "root.pub.pem").read_bytes())
EXPORT = "/api/v1/audit/issuers/SGDDT-HN/register"

# The demo decision's diplomas are issued on 2025-08-15 to Trần Thị Bình.
HANDOVER: dict[str, Any] = {
    "recipient_name": "Trần Thị Bình",
    "relation": "holder",
    "handed_over_on": "2025-08-20",
    "handed_over_by": "Lê Thị Hoa",
}
AUTHORISATION = "Giấy ủy quyền số 12/2025, UBND phường Láng chứng thực ngày 18/08/2025"
REPRESENTATIVE: dict[str, Any] = {
    "recipient_name": "Trần Văn An",
    "relation": "representative",
    "id_document_type": "citizen_id",
    "id_document_number": "001085012345",
    "authorisation": AUTHORISATION,
    "handed_over_on": "21/08/2025",
    "handed_over_by": "Lê Thị Hoa",
    "note": "Người được cấp đang học ở nước ngoài",
}


async def _hand_over(
    client: Any,
    diploma_id: str,
    token: str = CLERK,
    headers: dict[str, str] | None = None,
    **changes: Any,
) -> Any:
    return await client.post(
        f"/api/v1/diplomas/{diploma_id}/handovers",
        json={**HANDOVER, **changes},
        headers={**bearer(token), **(headers or {})},
    )


async def _written(db: asyncpg.Connection) -> tuple[int, int, int]:
    """(handovers, their journal entries, idempotency keys kept)."""
    row = await db.fetchrow(
        "SELECT (SELECT count(*) FROM handovers) AS h,"
        " (SELECT count(*) FROM staff_journal WHERE action = 'register.handover') AS j,"
        " (SELECT count(*) FROM idempotency_keys) AS k"
    )
    assert row is not None
    return row["h"], row["j"], row["k"]


async def _trust(client: Any) -> TrustList:
    signed = await (await client.get("/.well-known/vanbang/trust-list")).read()
    return TrustList.from_bytes(signed, root_key=DEMO_ROOT)


async def test_a_handover_is_signed_logged_and_shown_with_the_diploma(
    client: Any, db: asyncpg.Connection, db_url: str
) -> None:
    diploma = (await registered(client, 1))[0]
    response = await _hand_over(client, diploma["id"])
    assert response.status == 201, await response.text()
    assert response.headers["Location"] == f"/api/v1/diplomas/{diploma['id']}"
    answer = await response.json()
    assert uuid.UUID(answer["id"]).version == 7
    assert answer["diploma_id"] == diploma["id"]
    assert answer["serial"] == diploma["serial"]
    assert answer["issuer"] == "SGDDT-HN"
    assert answer["recipient_name"] == "Trần Thị Bình"
    assert (answer["relation"], answer["handed_over_on"]) == ("holder", "2025-08-20")
    assert answer["id_document_type"] is None
    assert answer["authorisation"] is None
    assert not {"id_document_number", "record_digest", "kid"} & set(answer)

    # The statement verifies against the trust list, and names the registered record.
    row = await db.fetchrow(
        "SELECT h.*, d.signed AS record FROM handovers AS h"
        " JOIN diplomas AS d ON d.id = h.diploma_id"
    )
    assert row is not None
    assert str(row["id"]) == answer["id"]
    assert row["recorded_by"] is None  # an operator token: nobody
    verified = verify_event(bytes(row["signed"]), await _trust(client))
    assert verified.issuer == "SGDDT-HN"
    assert verified.kid == bytes(row["kid"])
    assert set(verified.fields) == EVENT_FIELDS["handover"]
    assert verified.fields["type"] == "handover"
    assert verified.fields["serial"] == diploma["serial"]
    assert verified.fields["record_digest"] == record_digest(bytes(row["record"]))
    assert verified.fields["recipient_name"] == "Trần Thị Bình"
    assert verified.fields["handed_over_on"] == "2025-08-20"
    assert verified.fields["handed_over_by"] == "Lê Thị Hoa"
    assert verified.issued_at == row["recorded_at"]

    # The diploma's history shows it; its standing is unchanged.
    read = await (
        await client.get(f"/api/v1/diplomas/{diploma['id']}", headers=bearer(CLERK))
    ).json()
    assert read["lifecycle"]["state"] == "in_force"
    assert read["lifecycle"]["handover"] == {
        "id": answer["id"],
        "recipient_name": "Trần Thị Bình",
        "relation": "holder",
        "id_document_type": None,
        "authorisation": None,
        "handed_over_on": "2025-08-20",
        "handed_over_by": "Lê Thị Hoa",
        "note": None,
        "recorded_at": answer["recorded_at"],
    }

    # The sequencer makes it a leaf, in the checkpoint's tree, with no personal data.
    await sequenced(client)
    leaf = await db.fetchrow(
        "SELECT idx, diploma_id, record_hash, data FROM log_leaves WHERE event_type = 'handover'"
    )
    assert leaf is not None
    assert str(leaf["diploma_id"]) == diploma["id"]
    assert bytes(leaf["record_hash"]) == hashlib.sha256(bytes(row["signed"])).digest()
    data = bytes(leaf["data"])
    assert cbor2.loads(data)["type"] == "handover"
    assert "Trần" not in data.decode("utf-8", "replace")
    key = (await (await client.get("/log/key")).text()).strip()
    checkpoint = verify_checkpoint(await (await client.get("/log/checkpoint")).text(), key)
    proof = await (
        await client.get("/log/proof/inclusion", params={"index": str(leaf["idx"])})
    ).json()
    merkle.verify_inclusion(
        merkle.leaf_hash(data),
        leaf["idx"],
        checkpoint.size,
        [base64.b64decode(h) for h in proof["proof"]],
        checkpoint.root,
    )
    code, out, err = await run_vanbang(db_url, "audit", "verify")
    assert code == 0, out + err

    # Journaled, and append-only as the rest of the register.
    entry = await db.fetchrow("SELECT * FROM staff_journal WHERE action = 'register.handover'")
    assert entry is not None
    assert (entry["record_type"], entry["record_id"]) == ("diploma", diploma["id"])
    assert json.loads(entry["detail"]) == {"event_id": answer["id"]}
    for statement in (
        "UPDATE handovers SET recipient_name = 'X'",
        "DELETE FROM handovers",
        "TRUNCATE handovers",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await db.execute(statement)


async def test_a_representative_shows_a_document_kept_but_never_answered_or_signed(
    client: Any, db: asyncpg.Connection
) -> None:
    diploma = (await registered(client, 1))[0]
    response = await client.post(
        f"/api/v1/diplomas/{diploma['id']}/handovers", json=REPRESENTATIVE, headers=bearer(ADMIN)
    )
    assert response.status == 201, await response.text()
    answer = await response.json()
    assert answer["relation"] == "representative"
    assert answer["handed_over_on"] == "2025-08-21"
    assert answer["id_document_type"] == "citizen_id"
    assert answer["authorisation"] == AUTHORISATION
    assert answer["note"] == "Người được cấp đang học ở nước ngoài"
    row = await db.fetchrow("SELECT id_document_number, signed FROM handovers")
    assert row is not None
    assert row["id_document_number"] == "001085012345"
    read = await client.get(f"/api/v1/diplomas/{diploma['id']}", headers=bearer(AUDITOR))
    assert "001085012345" not in await read.text()
    assert "001085012345" not in await response.text()
    fields = verify_event(bytes(row["signed"]), await _trust(client)).fields
    assert "001085012345" not in str(dict(fields))
    assert fields["relation"] == "representative"


async def test_a_retry_with_the_same_key_records_once(client: Any, db: asyncpg.Connection) -> None:
    diploma = (await registered(client, 1))[0]
    key = {"Idempotency-Key": "handover-1"}
    first = await _hand_over(client, diploma["id"], headers=key)
    again = await _hand_over(client, diploma["id"], headers=key)
    assert (first.status, again.status) == (201, 201)
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await again.json() == await first.json()
    other = await _hand_over(client, diploma["id"], headers=key, handed_over_by="Phạm Văn Đức")
    await assert_problem(other, 422, "idempotency-key-reused")
    assert await _written(db) == (1, 1, 1)


async def test_a_diploma_is_handed_over_once(client: Any, db: asyncpg.Connection) -> None:
    diploma = (await registered(client, 1))[0]
    assert (await _hand_over(client, diploma["id"])).status == 201
    written = await _written(db)
    again = await _hand_over(
        client,
        diploma["id"],
        headers={"Idempotency-Key": "second", "Accept-Language": "en"},
        **{**REPRESENTATIVE, "handed_over_on": "2025-08-25"},
    )
    problem = await assert_problem(again, 409, "already-handed-over")
    assert problem["title"] == "Diploma already handed over"
    assert problem["detail"] == (
        "The diploma was handed over on 2025-08-20; a diploma is handed over once"
    )
    vietnamese = await assert_problem(
        await _hand_over(client, diploma["id"]), 409, "already-handed-over"
    )
    assert vietnamese["title"] == "Văn bằng đã được bàn giao"
    assert "20/08/2025" in vietnamese["detail"]
    assert await _written(db) == written  # no row, no journal entry, no key kept

    # Concurrent handovers of one diploma: the lock lets one through.
    other = (await registered(client, 1, number="101/QĐ-SGDĐT", serial_prefix="U"))[0]
    responses = await asyncio.gather(
        *(_hand_over(client, other["id"], handed_over_by=f"Lê Thị {n}") for n in "ABCD")
    )
    assert sorted(r.status for r in responses) == [201, 409, 409, 409]
    for response in responses:
        if response.status == 409:
            await assert_problem(response, 409, "already-handed-over")
    assert (
        await db.fetchval("SELECT count(*) FROM handovers WHERE diploma_id = $1", other["id"]) == 1
    )


async def test_a_revoked_or_replaced_diploma_is_not_handed_over_a_corrected_one_is(
    client: Any, db: asyncpg.Connection
) -> None:
    revoked, replaced, corrected = await registered(client, 3)
    await revoke(client, revoked["id"])
    problem = await assert_problem(
        await _hand_over(client, revoked["id"]), 409, "diploma-not-in-force"
    )
    assert "45/QĐ-SGDĐT" in problem["detail"]

    reissue = await client.post(
        f"/api/v1/diplomas/{replaced['id']}/reissues",
        json={"serial": "T900001", "issued_on": "2025-09-01", "reason": "In sai xếp loại"},
        headers=bearer(CLERK),
    )
    assert reissue.status == 201
    replacement = (await reissue.json())["diploma"]["id"]
    await assert_problem(await _hand_over(client, replaced["id"]), 409, "diploma-not-in-force")
    assert await db.fetchval("SELECT count(*) FROM handovers") == 0
    # The replacement is handed over, from its own issue date on.
    early = await assert_problem(await _hand_over(client, replacement), 422, "validation-error")
    assert [(e["pointer"], e["code"]) for e in early["errors"]] == [
        ("#/handed_over_on", "before_issue")
    ]
    assert (await _hand_over(client, replacement, handed_over_on="2025-09-05")).status == 201

    correction = await client.post(
        f"/api/v1/diplomas/{corrected['id']}/corrections",
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
    assert correction.status == 201
    handed = await _hand_over(
        client, corrected["id"], recipient_name="Trần Thị Bính", handed_over_on="2025-11-10"
    )
    assert handed.status == 201, await handed.text()
    read = await (
        await client.get(f"/api/v1/diplomas/{corrected['id']}", headers=bearer(CLERK))
    ).json()
    assert read["lifecycle"]["state"] == "corrected"
    assert read["lifecycle"]["handover"]["recipient_name"] == "Trần Thị Bính"


async def test_a_date_before_the_issue_or_in_the_future_is_a_field_error(
    client: Any, db: asyncpg.Connection
) -> None:
    diploma = (await registered(client, 1))[0]
    for day, code in (
        ("2025-08-14", "before_issue"),
        ("2099-01-01", "in_future"),
    ):
        problem = await assert_problem(
            await _hand_over(client, diploma["id"], handed_over_on=day), 422, "validation-error"
        )
        assert [(e["pointer"], e["code"]) for e in problem["errors"]] == [
            ("#/handed_over_on", code)
        ]
    english = await assert_problem(
        await _hand_over(
            client, diploma["id"], headers={"Accept-Language": "en"}, handed_over_on="2025-08-01"
        ),
        422,
        "validation-error",
    )
    assert english["errors"][0]["detail"] == "The handover is dated before the diploma was issued"
    # The day of issue itself is a handover day.
    assert (await _hand_over(client, diploma["id"], handed_over_on="15/08/2025")).status == 201
    assert (await _written(db))[0] == 1


async def test_a_malformed_request_is_a_problem_naming_each_field(
    client: Any, db: asyncpg.Connection
) -> None:
    diploma = (await registered(client, 1))[0]
    url = f"/api/v1/diplomas/{diploma['id']}/handovers"
    not_json = await client.post(
        url,
        data=b"{recipient",
        headers={**bearer(CLERK), "Content-Type": "application/json"},
    )
    await assert_problem(not_json, 400, "malformed-body")

    wrong = await client.post(
        url,
        json={"relation": "relative", "handed_over_on": "31/02/2025", "colour": "blue"},
        headers=bearer(CLERK),
    )
    problem = await assert_problem(wrong, 422, "validation-error")
    assert {(e["pointer"], e["code"]) for e in problem["errors"]} == {
        ("#/recipient_name", "missing"),
        ("#/relation", "enum"),  # a relative or an heir gets a copy, not the diploma
        ("#/handed_over_on", "date_impossible"),
        ("#/handed_over_by", "missing"),
        ("#/colour", "extra_forbidden"),
    }
    for changes, expected in (
        (
            {"relation": "representative"},
            [("#/id_document_type", "missing"), ("#/authorisation", "missing")],
        ),
        (
            {**REPRESENTATIVE, "authorisation": None},
            [("#/authorisation", "missing")],
        ),
        ({"authorisation": AUTHORISATION}, [("#/authorisation", "not_for_holder")]),
        ({"id_document_type": "passport"}, [("#/id_document_number", "missing")]),
        ({"id_document_number": "C1234567"}, [("#/id_document_type", "missing")]),
        ({"id_document_type": "passport", "id_document_number": "C 12"}, None),
        ({"recipient_name": "Trần 3"}, None),
        ({"note": ""}, None),
    ):
        body = {k: v for k, v in {**HANDOVER, **changes}.items() if v is not None}
        response = await client.post(url, json=body, headers=bearer(CLERK))
        problem = await assert_problem(response, 422, "validation-error")
        found = [(e["pointer"], e["code"]) for e in problem["errors"]]
        if expected is not None:
            assert found == expected, changes
        assert all(e["detail"] for e in problem["errors"])
    assert await _written(db) == (0, 0, 0)


async def test_only_the_issuers_clerk_or_an_admin_records_a_handover(
    client: Any, db: asyncpg.Connection
) -> None:
    diploma = (await registered(client, 1))[0]
    other = new_token()
    await add_token(db, other, Role.CLERK, "DHSPHN")
    await assert_problem(await _hand_over(client, diploma["id"], token=other), 404, "not-found")
    await assert_problem(await _hand_over(client, str(uuid.uuid4())), 404, "not-found")
    await assert_problem(await _hand_over(client, diploma["id"], token=AUDITOR), 403, "forbidden")
    anonymous = await client.post(f"/api/v1/diplomas/{diploma['id']}/handovers", json=HANDOVER)
    await assert_problem(anonymous, 401, "unauthenticated")
    unknown = await _hand_over(client, diploma["id"], token="vb_not_a_token")
    await assert_problem(unknown, 401, "unauthenticated")
    assert await _written(db) == (0, 0, 0)
    assert (await _hand_over(client, diploma["id"], token=ADMIN)).status == 201


async def test_the_exports_have_the_recipient_and_the_date_received(client: Any) -> None:
    holder, represented, kept = await registered(client, 3)
    assert (await _hand_over(client, holder["id"])).status == 201
    represent = await client.post(
        f"/api/v1/diplomas/{represented['id']}/handovers",
        json=REPRESENTATIVE,
        headers=bearer(CLERK),
    )
    assert represent.status == 201

    page = await (await client.get(EXPORT, headers=bearer(AUDITOR))).json()
    entries = {e["serial"]: e for e in page["entries"]}
    assert entries[holder["serial"]]["handover"] == {
        "recipient_name": "Trần Thị Bình",
        "relation": "holder",
        "authorisation": None,
        "handed_over_on": "2025-08-20",
        "handed_over_by": "Lê Thị Hoa",
        "note": None,
    }
    assert entries[kept["serial"]]["handover"] is None

    response = await client.get(f"{EXPORT}.csv", headers=bearer(AUDITOR))
    assert response.status == 200
    body = (await response.read()).decode("utf-8-sig")
    assert "001085012345" not in body  # the identity document is never exported
    rows = list(csv.reader(io.StringIO(body)))
    headings = rows[0]
    assert headings[-3:] == ["Người nhận (ký, ghi rõ họ tên)", "Ngày nhận", "Ghi chú"]
    recipient, received = headings.index("Người nhận (ký, ghi rõ họ tên)"), -2
    by_serial = {row[2]: row for row in rows[1:]}
    first = by_serial[holder["serial"]]
    assert (first[recipient], first[received]) == ("Trần Thị Bình", "20/08/2025")
    assert "Người bàn giao: Lê Thị Hoa" in first[-1]
    second = by_serial[represented["serial"]]
    assert second[recipient] == f"Trần Văn An (nhận thay theo {AUTHORISATION})"
    assert second[received] == "21/08/2025"
    assert "Người được cấp đang học ở nước ngoài" in second[-1]
    third = by_serial[kept["serial"]]
    assert (third[recipient], third[received]) == ("", "")

    response = await client.get(f"{EXPORT}.xlsx", headers=bearer(AUDITOR))
    assert response.status == 200
    sheet = openpyxl.load_workbook(io.BytesIO(await response.read())).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][-3:] == ("Người nhận (ký, ghi rõ họ tên)", "Ngày nhận", "Ghi chú")
    cells = {row[2]: row for row in values[2:]}
    received_cell = ("Trần Thị Bình", datetime(2025, 8, 20))  # noqa: DTZ001 - a date cell
    assert cells[holder["serial"]][recipient : recipient + 2] == received_cell
    assert cells[kept["serial"]][recipient] in (None, "")


async def test_the_handover_command(client: Any, db: asyncpg.Connection, db_url: str) -> None:
    first, second = await registered(client, 2)
    args = (
        "handover",
        first["id"],
        "--recipient",
        "Trần Thị Bình",
        "--date",
        "20/08/2025",
        "--handed-over-by",
        "Lê Thị Hoa",
        "--idempotency-key",
        "cli-1",
    )
    code, out, err = await run_vanbang(db_url, *args)
    assert code == 0, err
    answer = json.loads(out)
    assert (answer["relation"], answer["handed_over_on"]) == ("holder", "2025-08-20")
    code, again, err = await run_vanbang(db_url, *args)  # a retry: the same answer
    assert (code, json.loads(again)) == (0, answer), err
    code, _, err = await run_vanbang(db_url, *args[:-2])
    assert code == 1
    assert "Diploma already handed over" in err

    represented = (
        "handover",
        second["id"],
        "--recipient",
        "Trần Văn An",
        "--relation",
        "representative",
        "--date",
        "2025-08-21",
        "--handed-over-by",
        "Lê Thị Hoa",
    )
    code, _, err = await run_vanbang(db_url, *represented)
    assert code == 1
    assert "#/authorisation" in err
    assert "#/id_document_type" in err
    code, out, err = await run_vanbang(
        db_url,
        *represented,
        "--id-type",
        "citizen_id",
        "--id-number",
        "001085012345",
        "--authorisation",
        AUTHORISATION,
        "--note",
        "Nhận thay",
    )
    assert code == 0, err
    assert json.loads(out)["authorisation"] == AUTHORISATION
    rows = await db.fetch("SELECT relation, recorded_by FROM handovers ORDER BY relation")
    assert [(r["relation"], r["recorded_by"]) for r in rows] == [
        ("holder", None),
        ("representative", None),
    ]
