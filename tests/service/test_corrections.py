"""Corrections (chỉnh sửa, Art. 21-24): only civil status, only on the four grounds, each a
new signed version; the old QR then answers corrected with the current content."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import asyncpg
import pytest

from service.domain.lifecycle import CorrectionGround
from tests.conftest import AUDITOR, CLERK, ROOT, bearer
from tests.factories import assert_problem, qr_path, qr_text, registered, revoke, step
from verifier import TrustList, load_public_pem, verify_record
from verifier.cose import parse_sign1
from verifier.record import decode_record
from verifier.token import record_digest

DEMO_ROOT = load_public_pem((ROOT / "keys-example" / "root.pub.pem").read_bytes())
DECISION: dict[str, Any] = {
    "decision_number": "12/QĐ-SGDĐT",
    "decided_on": "2025-11-03",
    "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
    "ground": "civil_status_changed",
    "reason": "Cải chính họ tên theo trích lục cải chính hộ tịch số 45/2025",
    "changes": {"full_name": "Trần Thị Bính", "date_of_birth": "2007-05-02"},
}


async def _correct(client: Any, diploma_id: str, token: str = CLERK, **changes: Any) -> Any:
    return await client.post(
        f"/api/v1/diplomas/{diploma_id}/corrections",
        json={**DECISION, **changes},
        headers=bearer(token),
    )


async def test_the_old_qr_answers_corrected_with_the_current_content(client: Any) -> None:
    diploma = (await registered(client))[0]
    text = await qr_text(client, diploma["id"])

    response = await _correct(client, diploma["id"])
    assert response.status == 201, await response.text()
    answer = await response.json()
    assert answer["version"] == 2
    assert answer["changes"] == {
        "full_name": {"old": "Trần Thị Bình", "new": "Trần Thị Bính"},
        "date_of_birth": {"old": "2007-05-01", "new": "2007-05-02"},
    }

    result = await (await client.get("/api/v1/verify", params={"token": text, "lang": "en"})).json()
    assert result["verdict"] == "corrected"
    assert result["summary"] == "Genuine and valid, with a correction"
    assert step(result, "current_status") == {
        "code": "current_status",
        "outcome": "passed",
        "message": "In force, corrected by a decision",
    }
    assert result["status"] == {
        "state": "corrected",
        "decision_number": "12/QĐ-SGDĐT",
        "decided_on": "2025-11-03",
        "version": 2,
        "current": {
            "holder_name": "Trần Thị Bính",
            "date_of_birth": "2007-05-02",
            "place_of_birth": "Hà Nội",
        },
    }
    # What the paper says stays as signed; the current content is shown beside it.
    assert result["fields"]["holder_name"] == "Trần Thị Bình"

    page = await (await client.get(qr_path(text))).text()
    assert 'class="verdict corrected"' in page
    assert "Quyết định chỉnh sửa" in page
    assert "12/QĐ-SGDĐT" in page
    assert "Trần Thị Bính" in page
    assert "02/05/2007" in page

    # The paper's date of birth and the corrected one both find it; nothing else does.
    for born, verdict in (("2007-05-01", "corrected"), ("2007-05-02", "corrected")):
        looked_up = await client.post(
            "/api/v1/lookup", json={"serial": diploma["serial"], "date_of_birth": born}
        )
        assert (await looked_up.json())["verdict"] == verdict
    missed = await client.post(
        "/api/v1/lookup", json={"serial": diploma["serial"], "date_of_birth": "2007-05-03"}
    )
    assert (await missed.json())["verdict"] == "not_found"


async def test_the_new_version_is_signed_and_supersedes_the_old(client: Any) -> None:
    diploma = (await registered(client))[0]
    first = await (
        await client.get(f"/api/v1/diplomas/{diploma['id']}", headers=bearer(CLERK))
    ).json()
    registered_record = base64.b64decode(first["signature"]["cose_sign1"])
    one = await (await _correct(client, diploma["id"])).json()
    two = await (
        await _correct(
            client,
            diploma["id"],
            decision_number="13/QĐ-SGDĐT",
            ground="civil_status_supplemented",
            changes={"place_of_birth": "Hải Phòng"},
        )
    ).json()
    trust = TrustList.from_bytes(
        await (await client.get("/.well-known/vanbang/trust-list")).read(), root_key=DEMO_ROOT
    )
    v2, v3 = (base64.b64decode(x["record"]) for x in (one, two))
    for signed in (v2, v3):
        verify_record(signed, trust)  # raises unless genuine and trusted
    f2, f3 = (decode_record(parse_sign1(x).payload) for x in (v2, v3))
    assert (f2["version"], f2["supersedes"]) == (2, record_digest(registered_record))
    assert (f3["version"], f3["supersedes"]) == (3, record_digest(v2))
    assert f3["holder_name"] == "Trần Thị Bính"  # the first correction carries over
    assert f3["place_of_birth"] == "Hải Phòng"
    assert f3["correction_decision"] == "13/QĐ-SGDĐT"
    assert f3["serial"] == diploma["serial"]

    # The register appendix: every correction with old and new values, for staff.
    read = await (
        await client.get(f"/api/v1/diplomas/{diploma['id']}", headers=bearer(AUDITOR))
    ).json()
    appendix = read["lifecycle"]["corrections"]
    assert [c["version"] for c in appendix] == [2, 3]
    assert appendix[1]["changes"] == {"place_of_birth": {"old": "Hà Nội", "new": "Hải Phòng"}}
    assert read["lifecycle"]["state"] == "corrected"
    assert read["full_name"] == "Trần Thị Bình"  # the registered row itself never changes


@pytest.mark.parametrize("ground", [g.value for g in CorrectionGround])
async def test_every_legal_ground_is_accepted(client: Any, ground: str) -> None:
    diploma = (await registered(client))[0]
    assert (await _correct(client, diploma["id"], ground=ground)).status == 201


async def test_anything_else_is_refused_and_nothing_is_written(
    client: Any, db: asyncpg.Connection
) -> None:
    diploma = (await registered(client))[0]
    for changes, pointer, code in (
        ({"ground": "issuer_error"}, "#/ground", "enum"),
        ({"changes": {"major": "Toán"}}, "#/changes/major", "not_correctable"),
        ({"changes": {"serial": "X1"}}, "#/changes/serial", "not_correctable"),
        ({"changes": {"classification": "Giỏi"}}, "#/changes/classification", "not_correctable"),
        ({"changes": {}}, "#/changes", "no_change"),
        ({"changes": {"full_name": "Trần Thị Bình"}}, "#/changes", "no_change"),
        ({"changes": {"gender": "robot"}}, "#/changes/gender", "gender"),
        ({"decided_on": "2025-08-01"}, "#/decided_on", "before_issue"),
        ({"decided_on": "2099-01-01"}, "#/decided_on", "in_future"),
        ({"reason": ""}, "#/reason", "string_too_short"),
    ):
        problem = await assert_problem(
            await _correct(client, diploma["id"], **changes), 422, "validation-error"
        )
        assert (problem["errors"][0]["pointer"], problem["errors"][0]["code"]) == (pointer, code)
    assert await db.fetchval("SELECT count(*) FROM corrections") == 0


async def test_ethnicity_is_corrected_but_never_shown(client: Any, db: asyncpg.Connection) -> None:
    diploma = (await registered(client))[0]
    response = await _correct(
        client,
        diploma["id"],
        ground="ethnicity_or_sex_redetermined",
        changes={"ethnicity": "Mường"},
    )
    assert response.status == 201
    text = await qr_text(client, diploma["id"])
    result = await client.get("/api/v1/verify", params={"token": text})
    assert "Mường" not in await result.text()
    assert "Mường" not in await (await client.get(qr_path(text))).text()
    current = await db.fetchval("SELECT current ->> 'ethnicity' FROM corrections")
    assert current == "Mường"


async def test_concurrent_corrections_get_consecutive_versions(
    client: Any, db: asyncpg.Connection
) -> None:
    diploma = (await registered(client))[0]
    names = ["Trần Thị Bính", "Trần Thị Bịnh", "Trần Thị Bỉnh", "Trần Thị Binh"]
    responses = await asyncio.gather(
        *(
            _correct(client, diploma["id"], decision_number=f"{n}/QĐ", changes={"full_name": name})
            for n, name in enumerate(names)
        )
    )
    assert [r.status for r in responses] == [201] * 4
    versions = await db.fetch(
        "SELECT version FROM corrections WHERE diploma_id = $1 ORDER BY version",
        diploma["id"],
    )
    assert [v["version"] for v in versions] == [2, 3, 4, 5]


async def test_a_retry_with_the_same_key_records_once(client: Any, db: asyncpg.Connection) -> None:
    diploma = (await registered(client))[0]
    headers = {**bearer(CLERK), "Idempotency-Key": "correction-1"}
    url = f"/api/v1/diplomas/{diploma['id']}/corrections"
    first = await client.post(url, json=DECISION, headers=headers)
    again = await client.post(url, json=DECISION, headers=headers)
    assert (first.status, again.status) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await again.json() == await first.json()
    other = await client.post(url, json={**DECISION, "reason": "Khác"}, headers=headers)
    await assert_problem(other, 422, "idempotency-key-reused")
    assert await db.fetchval("SELECT count(*) FROM corrections") == 1


async def test_only_the_issuers_clerk_corrects_a_diploma_in_force(client: Any) -> None:
    diploma = (await registered(client))[0]
    await assert_problem(await _correct(client, diploma["id"], token=AUDITOR), 403, "forbidden")
    await revoke(client, diploma["id"])
    await assert_problem(await _correct(client, diploma["id"]), 409, "diploma-not-in-force")
