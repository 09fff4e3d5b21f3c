"""Revocation (thu hồi, Art. 25): recorded once, signed, published, and every public path
answers revoked."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import asyncpg
import cbor2
import pytest
from cwt import COSE, COSEKey
from PIL import Image

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from service.domain.lifecycle import RevocationGround
from tests.conftest import ADMIN, AUDITOR, CLERK, bearer
from tests.factories import assert_problem, decision_request, step
from tests.qr import decode_qr
from tests.running import run_vanbang_process
from verifier.keys import public_from_raw, public_pem
from verifier.token import record_digest

URL = "/api/v1/graduation-decisions"
DECISION = {
    "decision_number": "45/QĐ-SGDĐT",
    "decided_on": "2025-10-01",
    "authority": "Sở Giáo dục và Đào tạo Hà Nội",
    "ground": "fraud",
    "reason": "Sử dụng hồ sơ giả để dự thi tốt nghiệp",
}


async def _diploma(client: Any) -> dict[str, Any]:
    response = await client.post(URL, json=decision_request(2), headers=bearer(CLERK))
    assert response.status == 201
    body: dict[str, Any] = await response.json()
    first: dict[str, Any] = body["diplomas"][0]
    return first


async def _revoke(client: Any, diploma_id: str, token: str = CLERK, **changes: Any) -> Any:
    return await client.post(
        f"/api/v1/diplomas/{diploma_id}/revocations",
        json={**DECISION, **changes},
        headers=bearer(token),
    )


async def _qr_text(client: Any, diploma_id: str) -> str:
    png = await client.get(f"/api/v1/diplomas/{diploma_id}/qr.png", headers=bearer(CLERK))
    return decode_qr(Image.open(io.BytesIO(await png.read())))


async def test_every_public_path_answers_revoked(client: Any) -> None:
    diploma = await _diploma(client)
    text = await _qr_text(client, diploma["id"])
    before = await (await client.get("/api/v1/verify", params={"token": text})).json()
    assert before["verdict"] == "valid"
    assert before["status"] == {"state": "in_force"}

    response = await _revoke(client, diploma["id"])
    assert response.status == 201, await response.text()
    revocation = await response.json()
    assert revocation["serial"] == diploma["serial"]

    result = await (await client.get("/api/v1/verify", params={"token": text, "lang": "en"})).json()
    assert result["verdict"] == "revoked"
    assert result["summary"] == "Revoked"
    assert step(result, "current_status") == {
        "code": "current_status",
        "outcome": "failed",
        "message": "Revoked by a decision",
        "reason": "revoked",
        "detail": "decision 45/QĐ-SGDĐT of 2025-10-01 by Sở Giáo dục và Đào tạo Hà Nội",
    }
    assert result["status"]["decision_number"] == "45/QĐ-SGDĐT"
    assert result["status"]["ground"] == "fraud"

    page = await (await client.get(text.split("127.0.0.1:8080")[1])).text()
    assert "Văn bằng đã bị thu hồi" in page
    assert "45/QĐ-SGDĐT" in page
    assert "Gian lận trong tuyển sinh" in page
    assert 'class="verdict revoked"' in page

    looked_up = await (
        await client.post(
            "/api/v1/lookup", json={"serial": diploma["serial"], "date_of_birth": "2007-05-01"}
        )
    ).json()
    assert looked_up["verdict"] == "revoked"
    assert looked_up["status"]["authority"] == "Sở Giáo dục và Đào tạo Hà Nội"


@pytest.mark.parametrize("ground", [g.value for g in RevocationGround])
async def test_every_legal_ground_is_accepted(client: Any, ground: str) -> None:
    diploma = await _diploma(client)
    assert (await _revoke(client, diploma["id"], ground=ground)).status == 201


async def test_anything_else_is_refused(client: Any, db: asyncpg.Connection) -> None:
    diploma = await _diploma(client)
    for changes, pointer in (
        ({"ground": "lost"}, "#/ground"),
        ({"decided_on": "2025-08-01"}, "#/decided_on"),  # before issue
        ({"decided_on": "2099-01-01"}, "#/decided_on"),
        ({"reason": ""}, "#/reason"),
        ({"extra": 1}, "#/extra"),
    ):
        problem = await assert_problem(
            await _revoke(client, diploma["id"], **changes), 422, "validation-error"
        )
        assert problem["errors"][0]["pointer"] == pointer
    assert await db.fetchval("SELECT count(*) FROM revocations") == 0


async def test_two_concurrent_revocations_give_one(client: Any, db: asyncpg.Connection) -> None:
    diploma = await _diploma(client)
    responses = await asyncio.gather(
        *(_revoke(client, diploma["id"], decision_number=f"{n}/QĐ") for n in range(5))
    )
    assert sorted(r.status for r in responses) == [201, 409, 409, 409, 409]
    for response in responses:
        if response.status == 409:
            await assert_problem(response, 409, "already-revoked")
    assert await db.fetchval("SELECT count(*) FROM revocations") == 1


async def test_only_the_issuers_clerk_or_an_admin_revokes(
    client: Any, db: asyncpg.Connection
) -> None:
    diploma = await _diploma(client)
    other = new_token()
    await add_token(db, other, Role.CLERK, "DHSPHN")
    await assert_problem(await _revoke(client, diploma["id"], token=other), 404, "not-found")
    await assert_problem(await _revoke(client, diploma["id"], token=AUDITOR), 403, "forbidden")
    response = await client.post(f"/api/v1/diplomas/{diploma['id']}/revocations", json=DECISION)
    await assert_problem(response, 401, "unauthenticated")
    assert await db.fetchval("SELECT count(*) FROM revocations") == 0
    assert (await _revoke(client, diploma["id"], token=ADMIN)).status == 201


async def test_the_revocation_is_signed_and_append_only(
    client: Any, db: asyncpg.Connection
) -> None:
    diploma = await _diploma(client)
    assert (await _revoke(client, diploma["id"])).status == 201
    row = await db.fetchrow(
        "SELECT r.signed, r.kid, k.public_key, d.signed AS record FROM revocations AS r"
        " JOIN issuer_keys AS k ON k.kid = r.kid JOIN diplomas AS d ON d.id = r.diploma_id"
    )
    assert row is not None
    key = COSEKey.from_pem(
        public_pem(public_from_raw(bytes(row["public_key"]))), alg="EdDSA", kid=bytes(row["kid"])
    )
    statement = cbor2.loads(COSE.new().decode(bytes(row["signed"]), key))
    assert statement["type"] == "revocation"
    assert statement["record_digest"] == record_digest(bytes(row["record"]))
    assert statement["decision_number"] == "45/QĐ-SGDĐT"
    for sql in ("UPDATE revocations SET reason = 'x'", "DELETE FROM revocations"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await db.execute(sql)


async def test_revocations_are_published(client: Any) -> None:
    diploma = await _diploma(client)
    assert (await _revoke(client, diploma["id"])).status == 201
    listed = await (await client.get("/api/v1/issuers/sgddt-hn/revocations")).json()
    assert listed["name"] == "Sở Giáo dục và Đào tạo Hà Nội"
    assert [r["serial"] for r in listed["revocations"]] == [diploma["serial"]]
    assert "date_of_birth" not in listed["revocations"][0]
    page = await (await client.get("/thu-hoi/SGDDT-HN")).text()
    assert diploma["serial"] in page
    assert "Quyết định thu hồi" in page
    empty = await (await client.get("/thu-hoi/DHSPHN?lang=en")).text()
    assert "No revocation decisions." in empty
    await assert_problem(await client.get("/api/v1/issuers/NOPE/revocations"), 404, "not-found")


async def test_the_revoke_command(client: Any, db_url: str) -> None:
    # Real processes: the smoke test of a lifecycle command (the others run in-process).
    diploma = await _diploma(client)
    code, out, err = await run_vanbang_process(
        db_url,
        "revoke",
        diploma["id"],
        "--decision-number",
        "9/QĐ",
        "--decided-on",
        "01/10/2025",
        "--authority",
        "Sở GDĐT Hà Nội",
        "--ground",
        "issuer_error",
        "--reason",
        "Ghi sai năm tốt nghiệp",
    )
    assert code == 0, err
    assert '"decision_number": "9/QĐ"' in out
    code, _, err = await run_vanbang_process(
        db_url,
        "revoke",
        diploma["id"],
        "--decision-number",
        "10/QĐ",
        "--decided-on",
        "2025-10-02",
        "--authority",
        "x",
        "--ground",
        "lent",
        "--reason",
        "y",
    )
    assert code == 1
    assert "already revoked" in err
