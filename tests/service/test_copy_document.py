"""The certified copy as a document (Art. 27-32; docs/printing.md, "The certified copy"): a
page per copy with its number, the register's content when copied, the requester and the
signing officer, and a QR code of its own that verifies the copy and answers the diploma's
status now."""

from __future__ import annotations

import asyncio
import io
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pdfplumber
import pypdf

from service.db import lifecycle as lifecycle_db
from service.docsign.signers import load_certificates
from service.http.state import POOL, SETTINGS, SIGNING
from service.printing.copy_document import extract_statement_name
from service.qr.tokens import copy_fields
from tests.conftest import AUDITOR, CLERK, bearer
from tests.factories import (
    assert_problem,
    lifecycle_requests,
    qr_path,
    registered,
    revoke,
    step,
)
from tests.qr import decode_qr, rendered_page, zbar
from tests.service.test_console import _act, _confirm
from tests.service.test_copies import COPY as COPIES
from tests.signing_tools import DEMO_SIGNING, Pdfsig, changed_content, pyhanko_status
from tests.staff import CLERK_LOGIN, sign_in
from verifier.cose import sign1
from verifier.token import encode_token, token_url

DEMO_ROOT_PEM = (DEMO_SIGNING / "ca" / "root.pem").read_bytes()
DEMO_ROOT = load_certificates(DEMO_ROOT_PEM)[0]
# A deputy signs the copies on the head's behalf ("KT.").
COPY: dict[str, Any] = {
    **COPIES,
    "signer": {"name": "Lê Văn Thành", "title": "Phó Giám đốc", "on_behalf_of": "Giám đốc"},
}


def _correction(diploma_id: str) -> dict[str, Any]:
    """The name and date of birth corrected (tests/factories.py's lifecycle requests)."""
    return lifecycle_requests(diploma_id, diploma_id, diploma_id, diploma_id)[0][2]


async def _copied(client: Any, diploma_id: str) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/diplomas/{diploma_id}/copies", json=COPY, headers=bearer(CLERK)
    )
    assert response.status == 201, await response.text()
    answer: dict[str, Any] = await response.json()
    return answer


async def _pdf(client: Any, diploma_id: str, copy_id: str) -> bytes:
    path = f"/api/v1/diplomas/{diploma_id}/copies/{copy_id}.pdf"
    response = await client.get(path, headers=bearer(CLERK))
    assert response.status == 200, await response.text()
    assert response.content_type == "application/pdf"
    assert "ban-sao-1-2026-BS.pdf" in response.headers["Content-Disposition"]
    return bytes(await response.read())


def _pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() for page in pdf.pages]


async def _verify(client: Any, text: str) -> dict[str, Any]:
    response = await client.get("/api/v1/verify", params={"token": text})
    assert response.status == 200
    result: dict[str, Any] = await response.json()
    return result


async def test_a_copy_prints_as_issued_and_its_qr_verifies_it(client: Any) -> None:
    diploma = (await registered(client, 1))[0]
    corrected = await client.post(
        f"/api/v1/diplomas/{diploma['id']}/corrections",
        json=_correction(diploma["id"]),
        headers=bearer(CLERK),
    )
    assert corrected.status == 201
    copy = await _copied(client, diploma["id"])
    data = await _pdf(client, diploma["id"], copy["id"])
    pages = _pages(data)
    assert len(pages) == 2  # one page per copy issued, each the same
    assert pages[0] == pages[1]
    text = pages[0]
    for printed in (
        "BẢN SAO VĂN BẰNG, CHỨNG CHỈ TỪ SỔ GỐC",
        "Số: 1/2026/BS",
        "Trần Thị Bính",  # the register's content as it stood: the corrected name
        diploma["serial"],
        diploma["register_number"],
        "Bằng tốt nghiệp trung học phổ thông",
        "Cấp cho: Trần Văn An",
        "Số bản sao cấp: 2",
        "ngày 10 tháng 03 năm 2026",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Lê Văn Thành",
        "bản ghi lần 2",
    ):
        assert printed in text, printed
    assert "Trần Thị Bình" not in text
    assert "scan" not in text.lower()
    assert COPY["id_document_number"] not in text  # kept in the register, never printed

    # The copy's own QR code: both decoders read it from a 300 dpi rendering.
    image = rendered_page(data)
    qr = decode_qr(image)
    assert zbar(image) == qr
    assert qr_path(qr).startswith("/V/")
    result = await _verify(client, qr)
    assert result["verdict"] == "corrected"  # the diploma, corrected, is in force
    fields = result["fields"]
    assert fields["copy_number"] == "1/2026/BS"
    assert fields["copied_on"] == "2026-03-10"
    assert fields["holder_name"] == "Trần Thị Bính"
    assert fields["serial"] == diploma["serial"]
    assert step(result, "signature_valid")["outcome"] == "passed"
    present = step(result, "present_in_register")
    assert present["outcome"] == "passed"
    assert "sổ cấp bản sao" in present["message"]
    assert result["status"]["current"]["holder_name"] == "Trần Thị Bính"

    # The page the QR code opens says it is a copy, and which.
    page = await (await client.get(qr_path(qr))).text()
    assert "Số bản sao (sổ cấp bản sao)" in page
    assert "1/2026/BS" in page
    assert "10/03/2026" in page

    # Revoked later: the copy's QR code says so, and the copy prints again as it was issued.
    await revoke(client, diploma["id"])
    assert (await _verify(client, qr))["verdict"] == "revoked"
    again = await _pdf(client, diploma["id"], copy["id"])
    assert _pages(again) == pages
    assert decode_qr(rendered_page(again)) == qr  # the same token: Ed25519 is deterministic


async def test_a_copy_token_the_copy_register_does_not_hold_is_not_found(client: Any) -> None:
    diploma = (await registered(client, 1))[0]
    copy = await _copied(client, diploma["id"])
    keystore = client.app[SIGNING].keystore
    async with client.app[POOL].acquire() as conn:
        entry = await lifecycle_db.copy_document(
            conn, uuid.UUID(diploma["id"]), uuid.UUID(copy["id"])
        )
    assert entry is not None
    url = client.app[SETTINGS].public_url
    # Signed by the issuer's own key, but naming an entry that is not in the copy register:
    # a copy number never issued, then the right number with another entry's digest.
    for changes in ({"number": "99/2026/BS"}, {"signed": entry["signed"] + b"x"}):
        forged = {**entry, **changes}
        key = keystore.issuer_key(bytes(entry["kid"]))
        token = sign1(encode_token(copy_fields(forged)), key.private_key, key.kid)
        result = await _verify(client, token_url(token, url))
        assert result["verdict"] == "not_found", changes
        failed = step(result, "present_in_register")
        assert failed["reason"] == "copy_not_in_register"
        assert step(result, "current_status")["outcome"] == "skipped"


async def test_copies_print_only_within_the_scope_and_old_entries_say_why_not(
    client: Any, db: asyncpg.Connection
) -> None:
    diploma = (await registered(client, 1))[0]
    copy = await _copied(client, diploma["id"])
    path = f"/api/v1/diplomas/{diploma['id']}/copies/{copy['id']}.pdf"
    assert (await client.get(path, headers=bearer(AUDITOR))).status == 200  # the ministry's
    other = (await registered(client, 1, serial_prefix="OT", number="101/QĐ-SGDĐT"))[0]
    wrong = f"/api/v1/diplomas/{other['id']}/copies/{copy['id']}.pdf"  # another diploma's
    await assert_problem(await client.get(wrong, headers=bearer(CLERK)), 404, "not-found")
    nothing = f"/api/v1/diplomas/{diploma['id']}/copies/not-an-id.pdf"
    await assert_problem(await client.get(nothing, headers=bearer(CLERK)), 404, "not-found")
    await assert_problem(await client.get(path), 401, "unauthenticated")
    # An entry recorded before the register kept a copy's content cannot be printed again.
    old = await db.fetchval(
        """INSERT INTO certified_copies (id, diploma_id, issuer_code, year, seq, number,
               requester_name, relation, id_document_type, id_document_number, copies,
               issued_on, kid, signed, recorded_at)
           SELECT gen_random_uuid(), diploma_id, issuer_code, year, 50, '50/2026/BS',
               requester_name, relation, id_document_type, id_document_number, copies,
               issued_on, kid, signed, recorded_at
           FROM certified_copies WHERE id = $1
           RETURNING id""",
        uuid.UUID(copy["id"]),
    )
    stale = f"/api/v1/diplomas/{diploma['id']}/copies/{old}.pdf"
    problem = await assert_problem(
        await client.get(stale, headers=bearer(CLERK)), 409, "copy-not-printable"
    )
    assert "bản sao mới" in problem["detail"]


async def test_the_console_records_a_copy_and_prints_it(client: Any) -> None:
    diploma = (await registered(client, 1))[0]["id"]
    token = await sign_in(client, CLERK_LOGIN)
    form = await (await client.get(f"/quan-ly/van-bang/{diploma}/ban-sao")).text()
    assert "Người ký bản sao" in form
    values = {
        "requester_name": "Trần Thị Bình",
        "relation": "holder",
        "id_document_type": "citizen_id",
        "id_document_number": "001085012345",
        "copies": "1",
        "issued_on": "10/03/2026",
        "signer-name": "Lê Văn Thành",
        "signer-title": "Giám đốc",
    }
    missing, page = await _act(client, token, diploma, "ban-sao", {**values, "signer-name": ""})
    assert missing.status == 422
    assert 'id="signer-name-error"' in page
    checked, page = await _act(client, token, diploma, "ban-sao", values)
    assert checked.status == 200, page
    done = await _confirm(client, token, diploma, "ban-sao", page)
    assert done.status == 303, await done.text()
    shown = await (await client.get(done.headers["Location"])).text()
    assert "In bản sao (PDF)" in shown
    href = shown.split("/ban-sao/")[1].split('"')[0]
    printed = await client.get(f"/quan-ly/van-bang/{diploma}/ban-sao/{href}")
    assert printed.status == 200
    assert printed.content_type == "application/pdf"
    text = _pages(await printed.read())[0]
    assert "Số: 1/2026/BS" in text
    assert "GIÁM ĐỐC" in text


# The electronic extract (trích lục, Circular 10/2026) ---------------------------------------

EXTRACT = {**COPY, "form": "extract", "copies": 1, "issued_on": "2026-06-10"}


async def test_an_electronic_extract_is_a_signed_pdf_a_kept_once(
    client: Any, db: asyncpg.Connection, tmp_path: Path
) -> None:
    diploma = (await registered(client, 1))[0]
    path = f"/api/v1/diplomas/{diploma['id']}/copies"
    # One file per request, and none before Circular 10/2026: refused, no number taken.
    for changes, pointer in (({"copies": 2}, "copies"), ({"issued_on": "2026-03-10"}, "form")):
        refused = await client.post(path, json={**EXTRACT, **changes}, headers=bearer(CLERK))
        problem = await assert_problem(refused, 422, "validation-error")
        assert problem["errors"][0]["pointer"] == f"#/{pointer}", problem
    assert await db.fetchval("SELECT count(*) FROM certified_copies") == 0
    made = await client.post(path, json=EXTRACT, headers=bearer(CLERK))
    assert made.status == 201, await made.text()
    copy = await made.json()
    assert copy["form"] == "extract"
    assert copy["number"] == "1/2026/BS"  # the copy register's numbering

    url = f"{path}/{copy['id']}.pdf"
    response = await client.get(url, headers=bearer(CLERK))
    assert response.status == 200, await response.text()
    assert response.headers["X-Signature-Level"] == "PAdES B-B"  # no TSA configured
    assert "trich-luc-1-2026-BS.pdf" in response.headers["Content-Disposition"]
    pdf = await response.read()
    again = await (await client.get(url, headers=bearer(AUDITOR))).read()
    assert again == pdf  # made once, kept: the file the requester received
    assert await db.fetchval("SELECT count(*) FROM copy_extracts") == 1

    report = Pdfsig.trusting(tmp_path / "nss", DEMO_ROOT_PEM).check(pdf, tmp_path / "x.pdf")
    assert "Signature Validation: Signature is Valid." in report, report
    assert "Certificate Validation: Certificate is Trusted." in report, report
    status = await asyncio.to_thread(pyhanko_status, pdf, DEMO_ROOT)
    assert status.bottom_line
    assert not (
        await asyncio.to_thread(pyhanko_status, changed_content(pdf), DEMO_ROOT)
    ).bottom_line

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "TRÍCH LỤC SỔ GỐC VĂN BẰNG, CHỨNG CHỈ" in text
    assert "Số: 1/2026/BS" in text
    assert "(Đã ký số)" in text
    # PDF/A-3B, the signed entry attached as its source.
    metadata = reader.xmp_metadata
    assert metadata is not None
    assert metadata.get_element("", "http://www.aiim.org/pdfa/ns/id/", "part")
    signed = await db.fetchval("SELECT signed FROM certified_copies WHERE id = $1", copy["id"])
    name = extract_statement_name(copy["number"])
    assert reader.attachments[name] == [bytes(signed)]
    root: Any = reader.trailer["/Root"]
    associated = root["/AF"]
    relationship = associated[0].get_object()["/AFRelationship"]
    assert relationship == "/Source"

    qr = decode_qr(rendered_page(pdf))
    result = await _verify(client, qr)
    assert result["verdict"] == "valid"
    assert result["fields"]["copy_number"] == "1/2026/BS"

    shown = await client.get(f"/api/v1/diplomas/{diploma['id']}", headers=bearer(CLERK))
    assert (await shown.json())["lifecycle"]["copies"][0]["form"] == "extract"
