"""Digital diplomas end to end (docs/digital-diplomas.md): a TT10 decision's documents made by
a real worker in this process, each downloaded by staff and accepted by poppler's pdfsig and
pyHanko's validator against the demo root, PDF/A-3 with the signed record attached, the QR
code decoding to the diploma's token, the offline proof of its leaf in the issuance log
attached once logged; a corrected diploma gets a second version with its corrected record
and the proof of the correction's leaf beside; a TT21 decision has none; a job run again
makes nothing twice."""

from __future__ import annotations

import asyncio
import dataclasses
import io
from pathlib import Path
from typing import Any

import asyncpg
import pypdf
import pypdfium2
import pytest

from service.app import create_app
from service.db.accounts import add_token
from service.digital.document import corrected_name, proof_name, record_name
from service.docsign.signers import load_certificates
from service.domain.accounts import Role, new_token
from service.settings import Settings
from tests.conftest import ADMIN, CLERK, bearer
from tests.factories import assert_problem, decision_request, sequenced
from tests.pki import running_pki
from tests.qr import decode_qr
from tests.signing_tools import (
    DEMO_SIGNING,
    Pdfsig,
    changed_content,
    lta_validation,
    pyhanko_status,
    write_secret,
)
from tests.workers import run_queued
from verifier.proof import verify_proof
from verifier.proofcheck import decode_leaf

URL = "/api/v1/graduation-decisions"
DEMO_ROOT_PEM = (DEMO_SIGNING / "ca" / "root.pem").read_bytes()
DEMO_ROOT = load_certificates(DEMO_ROOT_PEM)[0]


@pytest.fixture
async def app_client(settings: Settings, aiohttp_client: Any) -> Any:
    return await aiohttp_client(create_app(dataclasses.replace(settings, job_workers=0)))


# A correction of the holder's name (a civil status changed), by the school's decision.
CORRECTION = {
    "decision_number": "12/QĐ-THPT-CVA",
    "decided_on": "2026-06-20",
    "signer": {"name": "Phạm Thu Hà", "title": "Hiệu trưởng"},
    "ground": "civil_status_changed",
    "reason": "Cải chính họ tên",
    "changes": {"full_name": "Trần Thị Bình An"},
}


def _tt10(graduates: int) -> dict[str, Any]:
    """A THPT decision of a school under Circular 10/2026, its graduates with their IDs."""
    data = decision_request(graduates, issuer="THPT-CVA", serial_prefix="D", issued_on="2026-06-05")
    data["issuer"] = "THPT-CVA"
    data["decision"]["number"] = "9/QĐ-THPT-CVA"
    data["decision"]["date"] = "2026-06-05"
    data["diploma"]["graduation_year"] = 2026
    del data["diploma"]["regulation"]
    data["diploma"]["signer"] = {"name": "Phạm Thu Hà", "title": "Hiệu trưởng"}
    for n, graduate in enumerate(data["graduates"], start=1):
        graduate["personal_id"] = f"001307{n:06d}"
    return data


async def _admin_token(db: asyncpg.Connection) -> str:
    """A personal token of the demo administrator: a job belongs to a person."""
    account = await db.fetchval("SELECT id FROM accounts WHERE role = 'admin' LIMIT 1")
    token = new_token()
    await add_token(db, token, Role.ADMIN, None, account_id=account)
    return token


async def test_a_tt10_decision_gets_signed_digital_diplomas(
    app_client: Any, settings: Settings, db: asyncpg.Connection, tmp_path: Path
) -> None:
    registered = await app_client.post(URL, json=_tt10(3), headers=bearer(ADMIN))
    assert registered.status == 201, await registered.text()
    body = await registered.json()
    diploma = body["diplomas"][0]
    token = await _admin_token(db)
    path = f"{URL}/{body['id']}/digital-diplomas"
    # Not made yet: the download says so.
    missing = await app_client.get(
        f"/api/v1/diplomas/{diploma['id']}/digital.pdf", headers=bearer(token)
    )
    await assert_problem(missing, 404, "not-found")

    queued = await app_client.post(path, headers=bearer(token))
    assert queued.status == 202, await queued.text()
    job = await queued.json()
    again = await app_client.post(path, headers=bearer(token))
    assert (await again.json())["id"] == job["id"]  # asked twice: one job
    await assert_problem(
        await app_client.post(path, headers=bearer(ADMIN)), 403, "personal-token-required"
    )

    await sequenced(app_client)  # the leaves logged first: the documents carry their proofs
    await run_queued(settings)
    done = await (await app_client.get(f"/api/v1/jobs/{job['id']}", headers=bearer(token))).json()
    assert done["state"] == "done", done
    assert done["done_rows"] == done["total_rows"] == 3
    assert await db.fetchval("SELECT count(*) FROM digital_diplomas") == 3

    response = await app_client.get(
        f"/api/v1/diplomas/{diploma['id']}/digital.pdf", headers=bearer(token)
    )
    assert response.status == 200
    assert response.content_type == "application/pdf"
    assert response.headers["X-Signature-Level"] == "PAdES B-B"  # no TSA configured
    pdf = await response.read()
    pdfsig = Pdfsig.trusting(tmp_path / "nss", DEMO_ROOT_PEM)
    report = pdfsig.check(pdf, tmp_path / "digital.pdf")
    assert "Signature Validation: Signature is Valid." in report, report
    assert "Certificate Validation: Certificate is Trusted." in report, report
    # pyHanko's synchronous validator runs its own event loop: in a thread of its own.
    status = await asyncio.to_thread(pyhanko_status, pdf, DEMO_ROOT)
    assert status.bottom_line
    assert "Trường" in status.signing_cert.subject.human_friendly  # the school's certificate
    changed = changed_content(pdf)
    assert not (await asyncio.to_thread(pyhanko_status, changed, DEMO_ROOT)).bottom_line
    report = pdfsig.check(changed, tmp_path / "changed.pdf")
    assert "Signature Validation: Digest Mismatch." in report, report

    signed = await db.fetchval("SELECT signed FROM diplomas WHERE id = $1", diploma["id"])
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.attachments[record_name(diploma["serial"])] == [bytes(signed)]
    # The version's offline proof: its issue leaf, in a checkpoint the log's key signed.
    log_key = (await (await app_client.get("/log/key")).text()).strip()
    [proof] = reader.attachments[proof_name(diploma["serial"], 1)]
    proved = verify_proof(proof.decode(), log_key)
    leaf = decode_leaf(proved.entry)
    assert (leaf.type, str(leaf.diploma)) == ("issue", diploma["id"])
    # Still PDF/A-3B once signed: the signature is an incremental update over it.
    metadata = reader.xmp_metadata
    assert metadata is not None
    pdfa = "http://www.aiim.org/pdfa/ns/id/"
    assert metadata.get_element("", pdfa, "part")
    assert metadata.get_element("", pdfa, "conformance")
    qr = await app_client.get(f"/api/v1/diplomas/{diploma['id']}/qr.png", headers=bearer(token))
    from PIL import Image

    page = pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72).to_pil()
    assert decode_qr(page) == decode_qr(Image.open(io.BytesIO(await qr.read())))
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG" in text

    # Out of scope: not found.
    outsider = new_token()
    await add_token(db, outsider, Role.CLERK, "DHSPHN")
    await assert_problem(
        await app_client.get(
            f"/api/v1/diplomas/{diploma['id']}/digital.pdf", headers=bearer(outsider)
        ),
        404,
        "not-found",
    )

    # A correction makes a second version on the next run; the first stays as it was.
    corrected = await app_client.post(
        f"/api/v1/diplomas/{diploma['id']}/corrections",
        json=CORRECTION,
        headers=bearer(ADMIN) | {"Idempotency-Key": "digital-correction-1"},
    )
    assert corrected.status == 201, await corrected.text()
    await app_client.post(path, headers=bearer(token))
    await sequenced(app_client)
    await run_queued(settings)
    assert await db.fetchval("SELECT count(*) FROM digital_diplomas") == 4  # one new version
    second = await (
        await app_client.get(f"/api/v1/diplomas/{diploma['id']}/digital.pdf", headers=bearer(token))
    ).read()
    assert second != pdf
    names = pypdf.PdfReader(io.BytesIO(second)).attachments
    assert record_name(diploma["serial"]) in names
    assert corrected_name(diploma["serial"], 2) in names
    # Its proof is of the correction's leaf, the one that made version 2.
    corrected_leaf = decode_leaf(
        verify_proof(names[proof_name(diploma["serial"], 2)][0].decode(), log_key).entry
    )
    assert (corrected_leaf.type, str(corrected_leaf.diploma)) == ("correction", diploma["id"])
    assert "Trần Thị Bình An" in pypdfium2.PdfDocument(second)[0].get_textpage().get_text_range()
    first = await db.fetchval(
        "SELECT pdf FROM digital_diplomas WHERE diploma_id = $1 AND version = 1", diploma["id"]
    )
    assert bytes(first) == pdf
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await db.execute("DELETE FROM digital_diplomas")


async def test_a_tt21_decision_has_no_digital_diplomas(
    app_client: Any, db: asyncpg.Connection
) -> None:
    registered = await app_client.post(URL, json=decision_request(1), headers=bearer(CLERK))
    assert registered.status == 201
    token = await _admin_token(db)
    refused = await app_client.post(
        f"{URL}/{(await registered.json())['id']}/digital-diplomas", headers=bearer(token)
    )
    problem = await assert_problem(refused, 422, "no-digital-diplomas")
    assert "TT21/2019" in problem["detail"]
    assert await db.fetchval("SELECT count(*) FROM jobs") == 0


async def test_with_a_timestamp_authority_the_job_signs_b_lta(
    settings: Settings, aiohttp_client: Any, db: asyncpg.Connection, tmp_path: Path
) -> None:
    """VANBANG_TSA_URL reaches the job: each document gets a signature timestamp, the
    certificates' revocation data in its DSS and a document timestamp after it (B-LTA),
    against a timestamp authority, CRLs and OCSP served on loopback (certomancer), and
    validates from the file alone once they are gone."""
    async with running_pki(tmp_path) as pki:
        # The school's organisation certificate from the test PKI, where the service finds
        # an issuer's own (VANBANG_DOC_SIGNING_DIR/CODE.key.pem and CODE.chain.pem).
        signing_dir = tmp_path / "doc-signing"
        signing_dir.mkdir()
        write_secret(signing_dir / "THPT-CVA.key.pem", pki.signer_key_pem())
        (signing_dir / "THPT-CVA.chain.pem").write_bytes(pki.chain_pem())
        stamped = dataclasses.replace(
            settings, job_workers=0, tsa_url=pki.tsa_url, doc_signing_dir=signing_dir
        )
        client = await aiohttp_client(create_app(stamped))
        registered = await client.post(URL, json=_tt10(1), headers=bearer(ADMIN))
        assert registered.status == 201, await registered.text()
        body = await registered.json()
        token = await _admin_token(db)
        queued = await client.post(f"{URL}/{body['id']}/digital-diplomas", headers=bearer(token))
        assert queued.status == 202, await queued.text()
        await run_queued(stamped)
        response = await client.get(
            f"/api/v1/diplomas/{body['diplomas'][0]['id']}/digital.pdf", headers=bearer(token)
        )
        assert response.status == 200
        assert response.headers["X-Signature-Level"] == "PAdES B-LTA"
        pdf = await response.read()
    # The servers are gone: validated from what the file embeds.
    result = await lta_validation(pdf, load_certificates(pki.cert_der("root"))[0])
    assert result.ades_subindic.status.name == "PASSED", result.failure_msg
    assert result.signature_timestamp_status is not None
    assert result.oldest_evidence_record_timestamp is not None  # the document timestamp


async def test_a_person_registering_a_tt10_decision_queues_its_digital_diplomas(
    app_client: Any, settings: Settings, db: asyncpg.Connection
) -> None:
    token = await _admin_token(db)
    checked = await app_client.post(
        URL, params={"validate_only": "true"}, json=_tt10(2), headers=bearer(token)
    )
    assert checked.status == 200
    assert (await checked.json()).get("digital_job") is None  # nothing kept, nothing queued
    assert await db.fetchval("SELECT count(*) FROM jobs") == 0
    registered = await app_client.post(URL, json=_tt10(2), headers=bearer(token))
    assert registered.status == 201, await registered.text()
    job = (await registered.json())["digital_job"]
    assert job is not None
    row = await db.fetchrow("SELECT kind, state, total_rows FROM jobs WHERE id = $1", job)
    assert row is not None
    assert dict(row) == {"kind": "digital_diplomas", "state": "queued", "total_rows": 2}
    await run_queued(settings)
    assert await db.fetchval("SELECT count(*) FROM digital_diplomas") == 2
    # Under Circular 21/2019, or by an operator's token (no person to own the job): none.
    tt21 = await app_client.post(URL, json=decision_request(1), headers=bearer(token))
    assert (await tt21.json()).get("digital_job") is None
    by_operator = _tt10(1)
    by_operator["decision"]["number"] = "10/QĐ-THPT-CVA"
    by_operator["graduates"][0]["serial"] = "E000001"
    operator = await app_client.post(URL, json=by_operator, headers=bearer(ADMIN))
    assert operator.status == 201, await operator.text()
    assert (await operator.json()).get("digital_job") is None
    assert await db.fetchval("SELECT count(*) FROM jobs") == 1
