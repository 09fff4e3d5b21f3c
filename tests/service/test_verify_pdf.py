"""Checking a digital diploma (docs/digital-diplomas.md, "How an employer checks a document"):
documents made by a real worker, checked by `vanbang-verify pdf` as a process (offline,
against the trust list the service publishes and the demo CA root) and uploaded to
POST /api/v1/verify-pdf and the public page. A genuine one passes both, its QR code read from
the rendered page (pdftoppm, zbarimg); one byte changed fails both; a document signed with a
certificate the trust list does not publish fails; a non-PDF and an oversized upload get
their problems; a corrected diploma's first document answers corrected."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from service.app import create_app
from service.docsign.pades import async_sign_pdf, sign_pdf
from service.docsign.signers import from_pem
from service.settings import Settings
from tests.conftest import ADMIN, ROOT, bearer
from tests.factories import assert_problem
from tests.pki import running_pki
from tests.service.test_digital_diplomas import (
    CORRECTION,
    URL,
    _admin_token,
    _tt10,
)
from tests.signing_tools import DEMO_SIGNING, changed_content, need, own_certificate, small_pdf
from tests.workers import run_queued
from verifier.pdfcheck import check_pdf, load_roots
from verifier.trust_list import TrustList, encode_trust_list, sign_trust_list

DEMO_ROOT = DEMO_SIGNING / "ca" / "root.pem"
ROOT_KEY = ROOT / "keys-example" / "root.pub.pem"
API = "/api/v1/verify-pdf"
PAGE = "/kiem-tra-van-bang-so"


@pytest.fixture
async def app_client(settings: Settings, aiohttp_client: Any) -> Any:
    return await aiohttp_client(create_app(dataclasses.replace(settings, job_workers=0)))


def cli(pdf: bytes, tmp_path: Path, trust_list: bytes, *roots: Path) -> tuple[int, dict[str, Any]]:
    """`vanbang-verify pdf --json` as a process, offline; its exit code and result."""
    (tmp_path / "list.cose").write_bytes(trust_list)
    (tmp_path / "diploma.pdf").write_bytes(pdf)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "verifier",
            "pdf",
            str(tmp_path / "diploma.pdf"),
            "--root-key",
            str(ROOT_KEY),
            "--trust-list",
            str(tmp_path / "list.cose"),
            *(a for root in roots for a in ("--ca-root", str(root))),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def outcomes(result: dict[str, Any]) -> dict[str, str]:
    return {s["code"]: s.get("reason", s["outcome"]) for s in result["steps"]}


async def upload(client: Any, pdf: bytes, **params: str) -> dict[str, Any]:
    response = await client.post(
        API, data=pdf, headers={"Content-Type": "application/pdf"}, params=params
    )
    assert response.status == 200, await response.text()
    return dict(await response.json())


async def _diploma(client: Any, settings: Settings, db: asyncpg.Connection) -> tuple[Any, str]:
    """A TT10 diploma and its personal token holder's token, its digital diploma made."""
    registered = await client.post(URL, json=_tt10(1), headers=bearer(ADMIN))
    assert registered.status == 201, await registered.text()
    body = await registered.json()
    token = await _admin_token(db)
    queued = await client.post(f"{URL}/{body['id']}/digital-diplomas", headers=bearer(token))
    assert queued.status == 202
    await run_queued(settings)
    return body, token


async def _download(client: Any, diploma_id: str, token: str) -> bytes:
    response = await client.get(f"/api/v1/diplomas/{diploma_id}/digital.pdf", headers=bearer(token))
    assert response.status == 200
    return bytes(await response.read())


def _updated(signed: bytes) -> bytes:
    """The signed document with an incremental update after it: the catalog's language."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    writer.root["/Lang"] = generic.TextStringObject("en-GB")
    writer.update_root()  # type: ignore[no-untyped-call]
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


def _unsigned(signed: bytes) -> bytes:
    """The document as it was before its signature (signing appends an incremental update)."""
    return signed[: signed.index(b"%%EOF") + len(b"%%EOF\n")]


async def test_a_digital_diploma_checked_offline_and_uploaded(
    app_client: Any, settings: Settings, db: asyncpg.Connection, tmp_path: Path
) -> None:
    need("pdftoppm")
    need("zbarimg")
    body, token = await _diploma(app_client, settings, db)
    diploma = body["diplomas"][0]
    pdf = await _download(app_client, diploma["id"], token)
    trust_list = await (await app_client.get("/.well-known/vanbang/trust-list")).read()

    # Offline: every step of the document passes, the register's are left to the service.
    code, offline = await asyncio.to_thread(cli, pdf, tmp_path, trust_list, DEMO_ROOT)
    assert code == 0, offline
    assert offline["verdict"] == "genuine"
    assert outcomes(offline) == {
        "pdf_signature_valid": "passed",
        "certificate_trusted": "passed",
        "certificate_listed": "passed",
        "record_valid": "passed",
        "qr_matches_record": "passed",
        "present_in_register": "skipped",
        "current_status": "skipped",
        "log_included": "skipped",
    }
    assert offline["fields"]["serial"] == diploma["serial"]
    assert offline["fields"]["issuer"] == "THPT-CVA"
    assert offline["summary"] == "Văn bằng thật (chưa kiểm tra tình trạng hiện tại)"

    # Without a CA root the chain is not checked, and the step says so.
    code, unrooted = await asyncio.to_thread(cli, pdf, tmp_path, trust_list)
    assert code == 1
    assert outcomes(unrooted)["certificate_trusted"] == "no_ca_root"
    assert outcomes(unrooted)["record_valid"] == "passed"  # the rest is still checked

    # Uploaded: the same steps, then the register's.
    online = await upload(app_client, pdf)
    assert online["verdict"] == "valid", online
    assert outcomes(online) == {
        **outcomes(offline),
        "present_in_register": "passed",
        "current_status": "passed",
        "log_included": outcomes(online)["log_included"],  # passed once the log has it
    }
    assert online["status"] == {"state": "in_force", "document_version": 1}
    english = await upload(app_client, pdf, lang="en")
    assert english["summary"] == "Genuine and valid"

    # One byte changed after signing: refused by both.
    changed = changed_content(pdf)
    code, refused = await asyncio.to_thread(cli, changed, tmp_path, trust_list, DEMO_ROOT)
    assert code == 1
    assert refused["verdict"] == "not_genuine"
    assert outcomes(refused)["pdf_signature_valid"] == "pdf_signature_invalid"
    uploaded = await upload(app_client, changed)
    assert uploaded["verdict"] == "not_genuine"
    assert outcomes(uploaded)["pdf_signature_valid"] == "pdf_signature_invalid"

    # An incremental update after the signature that is no DSS or timestamp: refused; and
    # bytes after the end of the file too.
    for appended in (_updated(pdf), pdf + b"1000 0 obj\n(added)\nendobj\n"):
        code, refused = await asyncio.to_thread(cli, appended, tmp_path, trust_list, DEMO_ROOT)
        assert code == 1
        assert outcomes(refused)["pdf_signature_valid"] == "pdf_changed"

    # The same document signed with a certificate the trust list does not publish.
    key_path, chain_path, _ = own_certificate(
        tmp_path / "own", "THPT-CVA", ec.generate_private_key(ec.SECP256R1())
    )
    stranger = from_pem("THPT-CVA", key_path.read_bytes(), chain_path.read_bytes(), None)
    resigned = (await asyncio.to_thread(sign_pdf, _unsigned(pdf), stranger)).pdf
    code, refused = await asyncio.to_thread(cli, resigned, tmp_path, trust_list, chain_path)
    assert code == 1
    assert outcomes(refused)["pdf_signature_valid"] == "passed"
    assert outcomes(refused)["certificate_trusted"] == "passed"  # its own root, given
    assert outcomes(refused)["certificate_listed"] == "certificate_not_listed"
    uploaded = await upload(app_client, resigned)
    assert uploaded["verdict"] == "not_genuine"
    assert outcomes(uploaded)["certificate_trusted"] == "certificate_untrusted"
    assert outcomes(uploaded)["certificate_listed"] == "certificate_not_listed"

    # The public page: the form, then the result page.
    form = await app_client.get(PAGE)
    assert form.status == 200
    assert "Kiểm tra văn bằng số" in await form.text()
    data = aiohttp.FormData()
    data.add_field("file", pdf, filename="van-bang.pdf", content_type="application/pdf")
    page = await app_client.post(PAGE, data=data)
    assert page.status == 200
    html = await page.text()
    assert "Văn bằng thật và còn hiệu lực" in html
    assert "Mã QR trên văn bằng khớp với bản ghi sổ gốc đính kèm" in html

    # Nothing of the uploads was kept.
    assert await db.fetchval("SELECT count(*) FROM digital_diplomas") == 1


async def test_a_non_pdf_and_an_oversized_upload_get_their_problems(
    settings: Settings, aiohttp_client: Any
) -> None:
    small = dataclasses.replace(settings, job_workers=0, max_pdf_bytes=1 << 20)
    client = await aiohttp_client(create_app(small))
    refused = await client.post(API, data=b"PK\x03\x04 a zip", headers={"Content-Type": "a/b"})
    problem = await assert_problem(refused, 422, "not-a-pdf")
    assert "không phải là PDF" in problem["detail"]
    large = b"%PDF-1.7\n" + bytes(1 << 20)
    too_large = await client.post(
        API, data=io.BytesIO(large), headers={"Content-Type": "application/pdf"}
    )
    problem = await assert_problem(too_large, 413, "payload-too-large")
    assert "tối đa 1 MB" in problem["detail"]
    # The page says the same beside its field.
    data = aiohttp.FormData()
    data.add_field("file", b"hello", filename="x.txt", content_type="text/plain")
    page = await client.post(PAGE, data=data)
    assert page.status == 422
    assert "Tệp gửi lên không phải là PDF" in await page.text()
    data = aiohttp.FormData()
    data.add_field("file", io.BytesIO(large), filename="x.pdf", content_type="application/pdf")
    page = await client.post(PAGE, data=data)
    assert page.status == 413
    assert "Tệp quá lớn" in await page.text()


async def test_a_corrected_diplomas_first_document_answers_corrected(
    app_client: Any, settings: Settings, db: asyncpg.Connection
) -> None:
    body, token = await _diploma(app_client, settings, db)
    diploma = body["diplomas"][0]
    first = await _download(app_client, diploma["id"], token)
    corrected = await app_client.post(
        f"/api/v1/diplomas/{diploma['id']}/corrections",
        json=CORRECTION,
        headers=bearer(ADMIN) | {"Idempotency-Key": "verify-pdf-correction-1"},
    )
    assert corrected.status == 201, await corrected.text()
    await app_client.post(f"{URL}/{body['id']}/digital-diplomas", headers=bearer(token))
    await run_queued(settings)
    second = await _download(app_client, diploma["id"], token)

    old = await upload(app_client, first)
    assert old["verdict"] == "corrected", old
    assert old["status"]["state"] == "corrected"
    assert old["status"]["document_version"] == 1
    assert old["status"]["current"]["holder_name"] == "Trần Thị Bình An"
    assert old["fields"]["holder_name"] != "Trần Thị Bình An"  # what the old document says
    new = await upload(app_client, second)
    assert new["verdict"] == "corrected"
    assert new["status"]["document_version"] == 2
    assert new["fields"]["holder_name"] == "Trần Thị Bình An"
    assert new["fields"]["version"] == 2


async def test_a_b_lta_signature_is_judged_at_its_timestamp(tmp_path: Path) -> None:
    """With a timestamp authority and CRL/OCSP served on loopback (certomancer), the signature
    reaches B-LTA: its DSS and document timestamp after it are long-term-validation updates,
    not changes, and the chain is judged at the signature timestamp's time, from what the
    file embeds once the server is gone."""
    async with running_pki(tmp_path) as pki:
        signer = from_pem("SGDDT-HN", pki.signer_key_pem(), pki.chain_pem(), None)
        signed = await async_sign_pdf(small_pdf(), signer, tsa_url=pki.tsa_url)
    assert signed.level.level == "B-LTA"
    root_key = Ed25519PrivateKey.generate()
    trust = TrustList.from_bytes(
        sign_trust_list(encode_trust_list([], [], updated_at=datetime.now(UTC)), root_key),
        root_key=root_key.public_key(),
    )
    roots = load_roots(pki.cert_der("root"))
    checked = await asyncio.to_thread(check_pdf, signed.pdf, trust, roots)
    steps = {s.step.value: s for s in checked.result.steps}
    assert steps["pdf_signature_valid"].outcome == "passed"
    assert steps["certificate_trusted"].outcome == "passed"
    assert "the signature timestamp" in steps["certificate_trusted"].detail
    assert steps["certificate_listed"].code == "certificate_not_listed"  # no issuer's
    assert checked.result.verdict == "not_genuine"
