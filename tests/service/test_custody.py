"""Custody of a register (docs/custody.md): a district office's register passes to the
department by a signed, logged transfer; the department then records what happens to those
diplomas with its own key, the office's staff are refused naming the transfer, and every
public path (the API, the QR page, the offline verifier) accepts both keys for what each
signed in its time, and names both the issuer and the current custodian."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import asyncpg
from PIL import Image

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from tests.conftest import ADMIN, CLERK, ROOT, bearer
from tests.factories import assert_problem, qr_path, sequenced, step
from tests.qr import decode_qr
from tests.running import run_vanbang, run_verifier
from verifier import (
    IssuerMismatchError,
    KeyNotValidError,
    TrustList,
    load_public_pem,
    verify_record,
)
from verifier.check import check_token
from verifier.cose import parse_sign1, sign1
from verifier.events import verify_event
from verifier.keys import load_private_pem
from verifier.record import decode_record, encode_record
from verifier.token import decode_token, encode_token

ROOT_KEY = ROOT / "keys-example" / "root.pub.pem"
DEMO_ROOT = load_public_pem(ROOT_KEY.read_bytes())
DISTRICT, DEPARTMENT = "PGDDT-CG", "SGDDT-HN"
DISTRICT_KID, DEPARTMENT_KID = "7c09ea0819be9437", "9eadc052a7ac98de"
UNRELATED_KEY = ROOT / "keys-example" / "keys" / "0aec4279709f81a4.pem"  # DHSPHN's
TRANSFER = {
    "to": DEPARTMENT,
    "effective_on": "01/07/2025",
    "legal_basis": "Thông tư 13/2025/TT-BGDĐT",
    "reason": "Phòng GDĐT quận Cầu Giấy kết thúc hoạt động; Sở GDĐT Hà Nội quản lý sổ gốc",
}
CORRECTION = {
    "decision_number": "12/QĐ-SGDĐT",
    "decided_on": "2025-11-03",
    "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
    "ground": "civil_status_changed",
    "reason": "Cải chính họ tên theo trích lục cải chính hộ tịch",
    "changes": {"full_name": "Nguyễn Minh Ánh"},
}


def district_decision(graduates: int = 2) -> dict[str, Any]:
    """A THCS decision of the district office, issued before 01/07/2025."""
    return {
        "issuer": DISTRICT,
        "decision": {
            "number": "215/QĐ-PGDĐT",
            "date": "2025-06-05",
            "signer": {"name": "Phạm Thị Thu", "title": "Trưởng phòng"},
        },
        "diploma": {
            "kind": "thcs",
            "regulation": "TT21/2019",
            "graduation_year": 2025,
            "place_of_issue": "Hà Nội",
            "issued_on": "2025-06-20",
            "signer": {"name": "Phạm Thị Thu", "title": "Trưởng phòng"},
        },
        "graduates": [
            {
                "serial": f"CG25-{i:06d}",
                "full_name": "Nguyễn Minh Anh",
                "date_of_birth": "2010-03-14",
                "place_of_birth": "Hà Nội",
                "gender": "female",
                "ethnicity": "Kinh",
            }
            for i in range(1, graduates + 1)
        ],
    }


async def _token(db: asyncpg.Connection, role: Role, issuer: str | None) -> str:
    token = new_token()
    await add_token(db, token, role, issuer)
    return token


async def _register_district(client: Any, graduates: int = 2) -> list[dict[str, Any]]:
    response = await client.post(
        "/api/v1/graduation-decisions", json=district_decision(graduates), headers=bearer(ADMIN)
    )
    assert response.status == 201, await response.text()
    diplomas: list[dict[str, Any]] = (await response.json())["diplomas"]
    return diplomas


async def _qr(client: Any, diploma_id: str, token: str = ADMIN) -> str:
    png = await client.get(f"/api/v1/diplomas/{diploma_id}/qr.png", headers=bearer(token))
    assert png.status == 200, await png.text()
    return decode_qr(Image.open(io.BytesIO(await png.read())))


async def _transfer(client: Any, token: str, key: str | None = "t-1", **changes: Any) -> Any:
    headers = bearer(token) | ({"Idempotency-Key": key} if key else {})
    return await client.post(
        f"/api/v1/issuers/{DISTRICT}/custody-transfers",
        json={**TRANSFER, **changes},
        headers=headers,
    )


async def _trust(client: Any) -> tuple[bytes, TrustList]:
    body = await (await client.get("/.well-known/vanbang/trust-list")).read()
    return body, TrustList.from_bytes(body, root_key=DEMO_ROOT)


async def test_a_district_diploma_corrected_by_the_department_verifies_with_both_keys(
    client: Any, db: asyncpg.Connection, tmp_path: Path
) -> None:
    diplomas = await _register_district(client)
    text = await _qr(client, diplomas[0]["id"])
    admin = await _token(db, Role.ADMIN, DEPARTMENT)
    district_clerk = await _token(db, Role.CLERK, DISTRICT)

    # Before the transfer the department's clerk does not even see the office's diplomas.
    hidden = await client.get(f"/api/v1/diplomas/{diplomas[0]['id']}", headers=bearer(CLERK))
    await assert_problem(hidden, 404, "not-found")

    response = await _transfer(client, admin)
    assert response.status == 201, await response.text()
    transfer = await response.json()
    assert response.headers["Location"] == f"/api/v1/issuers/{DISTRICT}/custody"
    assert (transfer["issuer"], transfer["from_custodian"], transfer["to_custodian"]) == (
        DISTRICT,
        DISTRICT,
        DEPARTMENT,
    )
    assert (transfer["seq"], transfer["effective_on"], transfer["kid"]) == (
        1,
        "2025-07-01",
        DEPARTMENT_KID,
    )
    replay = await _transfer(client, admin)
    assert replay.status == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert await replay.json() == transfer
    assert await db.fetchval("SELECT count(*) FROM custody_transfers") == 1

    # The old body's staff are refused, naming the transfer; nothing is written.
    refused = await client.post(
        f"/api/v1/diplomas/{diplomas[0]['id']}/corrections",
        json=CORRECTION,
        headers=bearer(district_clerk),
    )
    problem = await assert_problem(refused, 403, "forbidden")
    assert "SGDDT-HN" in problem["detail"]
    assert "Thông tư 13/2025/TT-BGDĐT" in problem["detail"]
    assert "01/07/2025" in problem["detail"]
    assert await db.fetchval("SELECT count(*) FROM corrections") == 0

    # The department's clerk corrects it, with the department's key.
    corrected = await client.post(
        f"/api/v1/diplomas/{diplomas[0]['id']}/corrections",
        json=CORRECTION,
        headers=bearer(CLERK) | {"Idempotency-Key": "c-1"},
    )
    assert corrected.status == 201, await corrected.text()
    correction = await corrected.json()
    assert (correction["issuer"], correction["kid"], correction["version"]) == (
        DISTRICT,
        DEPARTMENT_KID,
        2,
    )

    # The trust list publishes the custody; the office's key retired at the transfer.
    raw_trust, trust = await _trust(client)
    custody = trust.custodian(DISTRICT)
    assert custody is not None
    assert (custody.custodian, custody.effective_on, custody.legal_basis) == (
        DEPARTMENT,
        "2025-07-01",
        "Thông tư 13/2025/TT-BGDĐT",
    )
    district_key = trust.key(bytes.fromhex(DISTRICT_KID))
    assert district_key is not None
    assert district_key.not_after == custody.since

    # Offline, with both keys in the trust list: the registered record (the office's key)
    # and the corrected version (the department's), and the correction's statement.
    registered_signed = await db.fetchval(
        "SELECT signed FROM diplomas WHERE id = $1", diplomas[0]["id"]
    )
    first = verify_record(bytes(registered_signed), trust)
    assert (first.issuer, first.kid.hex()) == (DISTRICT, DISTRICT_KID)
    new_version = base64.b64decode(correction["record"])
    second = verify_record(new_version, trust)
    assert (second.issuer, second.kid.hex(), second.fields["issuer"]) == (
        DEPARTMENT,
        DEPARTMENT_KID,
        DISTRICT,
    )
    assert second.fields["holder_name"] == "Nguyễn Minh Ánh"
    statement = await db.fetchval("SELECT signed FROM corrections")
    assert verify_event(bytes(statement), trust).issuer == DEPARTMENT
    transfer_statement = await db.fetchval("SELECT signed FROM custody_transfers")
    assert verify_event(bytes(transfer_statement), trust).issuer == DEPARTMENT

    # The same new version signed by an unrelated issuer's key is refused, and so is one
    # the office's own key signed after the transfer.
    unrelated = load_private_pem(UNRELATED_KEY.read_bytes())
    payload = parse_sign1(new_version).payload
    forged = sign1(payload, unrelated, bytes.fromhex("0aec4279709f81a4"))
    try:
        verify_record(forged, trust)
        raise AssertionError("an unrelated key signed for the register")
    except IssuerMismatchError:
        pass
    office = load_private_pem((ROOT / "keys-example/keys" / f"{DISTRICT_KID}.pem").read_bytes())
    later = decode_record(payload)
    later["issued_at"] += 60  # past the second of the transfer, when both bodies may sign
    try:
        verify_record(sign1(encode_record(later), office, bytes.fromhex(DISTRICT_KID)), trust)
        raise AssertionError("the office's key signed after its register passed")
    except KeyNotValidError:
        pass
    forged_token = sign1(
        parse_sign1(
            base64.b32decode(qr_path(text)[3:] + "=" * (-len(qr_path(text)[3:]) % 8))
        ).payload,
        unrelated,
        bytes.fromhex("0aec4279709f81a4"),
    )
    result = check_token(forged_token, trust)
    assert result.failure is not None
    assert result.failure.code == "issuer_mismatch"

    # Online: the old QR (the office's signature) answers corrected, naming both bodies.
    answer = await (await client.get("/api/v1/verify", params={"token": text})).json()
    assert answer["verdict"] == "corrected"
    assert answer["fields"]["issuer"] == DISTRICT
    assert answer["custodian"] == {
        "code": DEPARTMENT,
        "name": "Sở Giáo dục và Đào tạo Hà Nội",
        "since": "2025-07-01",
        "legal_basis": "Thông tư 13/2025/TT-BGDĐT",
    }
    page = await (await client.get(qr_path(text))).text()
    assert "Đơn vị cấp" in page
    assert "Phòng Giáo dục và Đào tạo quận Cầu Giấy" in page
    assert "Đơn vị đang quản lý sổ gốc" in page
    assert "Sở Giáo dục và Đào tạo Hà Nội (SGDDT-HN), từ ngày 01/07/2025" in page
    english = await (await client.get(qr_path(text) + "?lang=en")).text()
    assert "Current custodian of the register" in english
    looked_up = await client.post(
        "/api/v1/lookup", json={"serial": "CG25-000001", "date_of_birth": "2010-03-14"}
    )
    assert (await looked_up.json())["custodian"]["code"] == DEPARTMENT

    # And vanbang-verify offline, with the trust list saved: genuine, both bodies named.
    saved = tmp_path / "trust-list.cose"
    saved.write_bytes(raw_trust)
    code, out, err = await run_verifier(
        text, "--root-key", str(ROOT_KEY), "--trust-list", str(saved)
    )
    assert code == 0, err
    assert "Đơn vị đang quản lý sổ gốc: Sở Giáo dục và Đào tạo Hà Nội (SGDDT-HN)" in out

    # A re-issue by the department: a new QR signed by the department's key, genuine
    # online and offline.
    reissued = await client.post(
        f"/api/v1/diplomas/{diplomas[1]['id']}/reissues",
        json={"serial": "CG25-900001", "issued_on": "2025-12-01", "reason": "In sai nơi sinh"},
        headers=bearer(CLERK),
    )
    assert reissued.status == 201, await reissued.text()
    new = (await reissued.json())["diploma"]
    assert new["signature"]["kid"] == DEPARTMENT_KID
    new_text = await _qr(client, new["id"], CLERK)
    new_answer = await (await client.get("/api/v1/verify", params={"token": new_text})).json()
    assert new_answer["verdict"] == "valid", new_answer
    assert new_answer["kid"] == DEPARTMENT_KID
    code, out, err = await run_verifier(
        new_text, "--root-key", str(ROOT_KEY), "--trust-list", str(saved), "--json"
    )
    assert code == 0, err
    token = decode_token(
        parse_sign1(
            base64.b32decode(qr_path(new_text)[3:] + "=" * (-len(qr_path(new_text)[3:]) % 8))
        ).payload
    )
    assert token["issuer"] == DISTRICT
    # A token of the new diploma signed by the unrelated key: refused online too.
    forged_new = sign1(encode_token(token), unrelated, bytes.fromhex("0aec4279709f81a4"))
    forged_answer = await (
        await client.post(
            "/api/v1/verify",
            json={"token": base64.b32encode(forged_new).decode().rstrip("=")},
        )
    ).json()
    assert forged_answer["verdict"] == "not_genuine"
    assert step(forged_answer, "key_trusted_at_issuance")["reason"] == "issuer_mismatch"

    # The log holds the transfer as a leaf of its own, and the audit recomputes it all.
    await sequenced(client)
    leaves = await db.fetch(
        "SELECT event_type, issuer_code FROM log_leaves WHERE event_type = 'custody_transfer'"
    )
    assert [tuple(r) for r in leaves] == [("custody_transfer", DISTRICT)]
    from service.http.state import LOG_SIGNER, POOL
    from service.tlog.recompute import verify_log

    report = await verify_log(client.app[POOL], client.app[LOG_SIGNER])
    assert report.ok, report.problems

    # The department's clerk now finds the office's diplomas in its searches.
    found = await (
        await client.get("/api/v1/diplomas", params={"q": "CG25-000001"}, headers=bearer(CLERK))
    ).json()
    assert [d["serial"] for d in found["items"]] == ["CG25-000001"]
    journal = await db.fetchval(
        "SELECT count(*) FROM staff_journal WHERE action = 'custody.transfer'"
    )
    assert journal == 1


async def test_transfers_that_cannot_be_are_refused_and_write_nothing(
    client: Any, db: asyncpg.Connection
) -> None:
    await _register_district(client, 1)
    admin = await _token(db, Role.ADMIN, DEPARTMENT)

    async def field_error(response: Any, field: str) -> str:
        body = await assert_problem(response, 422, "validation-error")
        errors: dict[str, str] = {e["pointer"]: e["code"] for e in body["errors"]}
        return errors[f"#/{field}"]

    assert await field_error(await _transfer(client, admin, None, to=DISTRICT), "to") == (
        "same_body"
    )
    # A school does not take over a district office's register.
    assert await field_error(await _transfer(client, admin, None, to="THPT-CVA"), "to") == (
        "not_a_custodian"
    )
    assert await field_error(await _transfer(client, admin, None, to="NOBODY"), "to") == (
        "unknown_issuer"
    )
    assert (
        await field_error(await _transfer(client, admin, None, effective_on="2999-01-01"),
                          "effective_on")
        == "in_future"
    )  # fmt: skip
    # Only an administrator; a clerk of the department is refused.
    await assert_problem(await _transfer(client, CLERK, None), 403, "forbidden")
    # An administrator of another branch (the university's) administers neither body.
    other = await _token(db, Role.ADMIN, "DHSPHN")
    await assert_problem(await _transfer(client, other, None), 403, "forbidden")
    assert await db.fetchval("SELECT count(*) FROM custody_transfers") == 0

    assert (await _transfer(client, admin, "first")).status == 201
    again = await _transfer(client, admin, "second")
    body = await assert_problem(again, 409, "already-transferred")
    assert "01/07/2025" in body["detail"]
    # The same key with another body is refused as reused.
    await assert_problem(
        await _transfer(client, admin, "first", reason="Khác"), 422, "idempotency-key-reused"
    )
    # No new diploma is registered in a transferred register.
    late = district_decision(1)
    late["decision"]["number"] = "216/QĐ-PGDĐT"
    late["graduates"][0]["serial"] = "CG25-000777"
    registered = await client.post("/api/v1/graduation-decisions", json=late, headers=bearer(ADMIN))
    problem = await assert_problem(registered, 409, "register-transferred")
    assert "SGDDT-HN" in problem["detail"]
    assert await db.fetchval("SELECT count(*) FROM custody_transfers") == 1

    shown = await (
        await client.get(f"/api/v1/issuers/{DISTRICT}/custody", headers=bearer(CLERK))
    ).json()
    assert (shown["custodian"], shown["custodian_name"]) == (
        DEPARTMENT,
        "Sở Giáo dục và Đào tạo Hà Nội",
    )
    assert [t["to_custodian"] for t in shown["transfers"]] == [DEPARTMENT]


async def test_the_command_line_records_and_shows_a_transfer(
    db_url: str, db: asyncpg.Connection
) -> None:
    code, out, err = await run_vanbang(
        db_url,
        "custody",
        "transfer",
        DISTRICT,
        "--to",
        DEPARTMENT,
        "--effective-on",
        "01/07/2025",
        "--legal-basis",
        "Thông tư 13/2025/TT-BGDĐT",
        "--reason",
        "Tổ chức chính quyền địa phương hai cấp",
        "--idempotency-key",
        "cli-1",
    )
    assert code == 0, err
    assert '"to_custodian": "SGDDT-HN"' in out
    code, out, err = await run_vanbang(db_url, "custody", "show", DISTRICT)
    assert code == 0, err
    assert '"custodian": "SGDDT-HN"' in out
    code, out, err = await run_vanbang(
        db_url, "custody", "transfer", DISTRICT, "--to", DEPARTMENT, "--effective-on",
        "01/07/2025", "--legal-basis", "TT13", "--reason", "lần hai",
    )  # fmt: skip
    assert code == 1
    assert "already in" in err
    assert (
        await db.fetchval("SELECT count(*) FROM staff_journal WHERE action = 'custody.transfer'")
        == 1
    )


async def test_the_demo_district_office_passed_its_register_to_the_department(
    client: Any, db: asyncpg.Connection
) -> None:
    """The demo (docs/custody.md, keys-example/): PGDDT-BD's THCS diplomas of June 2025, its
    register in the department's custody since 01/07/2025; loading it again adds nothing.
    The department's supervision page shows the transfer."""
    from service.demo import load_demo_custody
    from service.http.state import POOL, SIGNING

    for _ in range(2):
        await load_demo_custody(client.app[POOL], client.app[SIGNING])
    rows = await db.fetch(
        "SELECT serial, issued_on, kid FROM diplomas WHERE issuer_code = 'PGDDT-BD' ORDER BY 1"
    )
    assert [r["serial"] for r in rows] == ["BD25-000001", "BD25-000002", "BD25-000003"]
    assert {str(r["issued_on"]) for r in rows} == {"2025-06-20"}
    transfer = await db.fetchrow("SELECT * FROM custody_transfers")
    assert transfer is not None
    assert (transfer["register_issuer"], transfer["to_custodian"]) == ("PGDDT-BD", DEPARTMENT)
    assert str(transfer["effective_on"]) == "2025-07-01"
    assert await db.fetchval("SELECT count(*) FROM custody_transfers") == 1

    # A demo diploma's QR names both bodies; the department's clerk reads and acts on it.
    diploma = await db.fetchval("SELECT id FROM diplomas WHERE serial = 'BD25-000001'")
    text = await _qr(client, str(diploma), CLERK)
    answer = await (await client.get("/api/v1/verify", params={"token": text})).json()
    assert answer["verdict"] == "valid"
    assert answer["custodian"]["code"] == DEPARTMENT

    from tests.staff import ADMIN_LOGIN, sign_in

    await sign_in(client, ADMIN_LOGIN)
    page = await (await client.get("/giam-sat")).text()
    assert "Chuyển giao sổ gốc" in page
    assert "Phòng Giáo dục và Đào tạo quận Ba Đình (PGDDT-BD)" in page
    assert "01/07/2025" in page
    assert "Thông tư 13/2025/TT-BGDĐT" in page
