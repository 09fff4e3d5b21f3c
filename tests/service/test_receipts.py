"""Verification receipts (docs/verification.md, "Biên nhận kiểm tra"): made from the QR result
page's button or the API, read back with the answer then and the answer now, printed as a PDF
whose QR code opens the receipt again; codes typed in any way; unknown and expired receipts;
nothing but public fields kept; and the table refuses to change."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import asyncpg
import pypdfium2 as pdfium
import pytest
from aiohttp.test_utils import TestClient
from PIL import Image

from service.app import create_app
from service.db.receipts import add_receipt, get_receipt
from service.domain import receipts as rules
from service.qr.symbol import make_symbol
from service.settings import Settings
from tests.browsing import DESKTOP, launched, path_of, screen
from tests.conftest import CLERK, bearer
from tests.factories import decision_request, qr_path, qr_text, registered, revoke
from tests.qr import decode_qr, decode_qr_width
from tests.running import running_service
from verifier.display import VIETNAM

CODE = re.compile(
    r"^/bien-nhan/([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})$"
)
NEVER = ("ethnicity", "student_id", "nationality", "id_document", "gender", "female")


def _forged(text: str) -> str:
    return text[:-8] + ("A" if text[-8] != "A" else "B") + text[-7:]


async def _made(client: Any, token: str, **request: Any) -> Any:
    return await client.post("/api/v1/receipts", json={"token": token}, **request)


async def _one(client: Any) -> tuple[dict[str, Any], str]:
    diploma = (await registered(client, 1))[0]
    return diploma, await qr_text(client, diploma["id"])


async def test_a_receipt_is_made_from_the_qr_page(client: Any, db: asyncpg.Connection) -> None:
    diploma, text = await _one(client)
    path = qr_path(text)
    result = await (await client.get(path)).text()
    # The result page's form posts the token checked back, to be checked again.
    assert 'action="/bien-nhan?lang=vi"' in result
    assert "Tạo biên nhận kiểm tra" in result
    token = path.removeprefix("/V/")
    assert f'name="token" value="{token}"' in result
    made = await client.post(
        "/bien-nhan?lang=vi",
        data={"token": token},
        headers={"Sec-Fetch-Site": "same-origin", "Origin": "null"},
        allow_redirects=False,
    )
    assert made.status == 303, await made.text()
    location = made.headers["Location"]
    found = CODE.match(location)
    assert found, location
    page = await client.get(location)
    assert page.status == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = await page.text()
    assert found[1] in html
    assert "Biên nhận kiểm tra văn bằng" in html
    assert "giờ Việt Nam" in html
    assert "Kết quả lúc kiểm tra" in html
    assert "Kết quả hiện nay" in html
    assert html.count("Văn bằng thật và còn hiệu lực") == 2  # then and now
    assert "Kết quả hiện nay giống kết quả lúc kiểm tra." in html
    assert "Trần Thị Bình" in html
    assert diploma["serial"] in html
    assert "Sở Giáo dục và Đào tạo Hà Nội (SGDDT-HN)" in html
    assert f'href="/bien-nhan/{found[1]}.pdf"' in html
    row = await db.fetchrow("SELECT * FROM verification_receipts")
    assert row is not None
    assert row["code"] == found[1].replace("-", "")
    assert row["verdict"] == "valid"
    assert str(row["diploma_id"]) == diploma["id"]
    assert row["valid_until"] - row["created_at"] == timedelta(days=90)
    # In English: the same receipt, the times still said to be Vietnam's.
    english = await (await client.get(location + "?lang=en")).text()
    assert "Diploma verification receipt" in english
    assert "Vietnam time" in english
    assert "The result now is the same as when it was checked." in english
    # The lookup by serial gives no receipt button: receipts are of QR checks.
    looked = await client.post(
        "/tra-cuu", data={"serial": diploma["serial"], "date_of_birth": "01/05/2007"}
    )
    assert "Tạo biên nhận kiểm tra" not in await looked.text()


async def test_the_api_makes_and_reads_a_receipt(client: Any) -> None:
    _, text = await _one(client)
    made = await _made(client, text)
    assert made.status == 201, await made.text()
    assert made.headers["Cache-Control"] == "no-store"
    body = await made.json()
    assert CODE.match("/bien-nhan/" + body["code"])
    assert made.headers["Location"] == f"/bien-nhan/{body['code']}"
    assert body["url"] == f"http://127.0.0.1:8080/bien-nhan/{body['code']}"
    assert body["result"]["verdict"] == "valid"
    created = datetime.fromisoformat(body["created_at"])
    assert datetime.fromisoformat(body["valid_until"]) - created == timedelta(days=90)
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=1)
    read = await client.get(f"/api/v1/receipts/{body['code']}")
    assert read.status == 200
    receipt = await read.json()
    assert receipt["then"] == body["result"]
    assert receipt["now"]["verdict"] == "valid"
    assert receipt["changed"] is False
    # The answer now was read from the register again, after the receipt was made.
    assert receipt["now"]["status_checked_at"] > receipt["then"]["status_checked_at"]


async def test_a_diploma_revoked_since_shows_then_valid_now_revoked(client: Any) -> None:
    diploma, text = await _one(client)
    code = (await (await _made(client, text)).json())["code"]
    await revoke(client, diploma["id"])
    html = await (await client.get(f"/bien-nhan/{code}")).text()
    then_at, now_at = html.index("Kết quả lúc kiểm tra"), html.index("Kết quả hiện nay")
    assert then_at < html.index("Văn bằng thật và còn hiệu lực") < now_at
    assert now_at < html.index("Văn bằng đã bị thu hồi")
    assert 'class="verdict revoked"' in html
    assert (
        "Kết quả đã thay đổi kể từ lúc kiểm tra: khi đó «Văn bằng thật và còn hiệu lực», "
        "nay «Văn bằng đã bị thu hồi»." in html
    )
    assert "45/QĐ-SGDĐT" in html  # the decision that revoked it
    receipt = await (await client.get(f"/api/v1/receipts/{code}")).json()
    assert (receipt["then"]["verdict"], receipt["now"]["verdict"]) == ("valid", "revoked")
    assert receipt["changed"] is True


def _pdf_text_and_qr(data: bytes) -> tuple[str, str]:
    document = pdfium.PdfDocument(data)
    assert len(document) == 1
    page = document[0]
    assert round(page.get_width() / 72 * 25.4) == 210  # A4
    assert round(page.get_height() / 72 * 25.4) == 297
    text = page.get_textpage().get_text_range()
    return text, decode_qr(page.render(scale=4).to_pil())  # 288 dpi, as a scanner


async def test_the_pdf_holds_the_code_the_verdicts_and_a_qr_code_of_the_receipt(
    client: Any,
) -> None:
    diploma, text = await _one(client)
    code = (await (await _made(client, text)).json())["code"]
    await revoke(client, diploma["id"])
    pdf = await client.get(f"/bien-nhan/{code}.pdf")
    assert pdf.status == 200
    assert pdf.content_type == "application/pdf"
    assert pdf.headers["Cache-Control"] == "no-store"
    data = await pdf.read()
    assert data.startswith(b"%PDF-")
    printed, scanned = _pdf_text_and_qr(data)
    assert code in printed
    assert "BIÊN NHẬN KIỂM TRA VĂN BẰNG" in printed
    assert "Văn bằng thật và còn hiệu lực" in printed  # then
    assert "Văn bằng đã bị thu hồi" in printed  # now, at the time of printing
    assert "Trần Thị Bình" in printed
    assert diploma["serial"] in printed
    assert scanned == f"HTTP://127.0.0.1:8080/BIEN-NHAN/{code}"
    # The QR code is drawn as vector paths (no image on the page), about 38 mm wide with its
    # quiet zone: modules wider than VANBANG_QR_MODULE_MM (0.40 mm).
    page = pdfium.PdfDocument(data)[0]
    assert not list(page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))
    _, width_px = decode_qr_width(page.render(scale=4).to_pil())
    size = make_symbol(scanned).size
    module_mm = width_px / size / 288 * 25.4
    assert module_mm >= 0.40
    assert module_mm * (size + 8) == pytest.approx(38, abs=0.5)
    # What a phone opens from that QR code is the receipt.
    opened = await client.get(scanned.removeprefix("HTTP://127.0.0.1:8080"))
    assert opened.status == 200
    assert code in await opened.text()


async def test_a_code_is_taken_as_people_type_it(client: Any, db: asyncpg.Connection) -> None:
    _, text = await _one(client)
    code = (await (await _made(client, text)).json())["code"]
    for typed in (code.lower(), code.replace("-", ""), code.replace("-", " ").lower()):
        assert (await client.get(f"/api/v1/receipts/{typed}")).status == 200, typed
    # A code with 0 and 1 in it, kept through the same SQL as every receipt: read as O and I/L.
    kept = await get_receipt(db, code.replace("-", ""))
    assert kept is not None
    fields = {f.name: getattr(kept, f.name) for f in dataclasses.fields(kept)}
    await add_receipt(db, **(fields | {"code": "01AB0CDE1FGH"}))
    for typed in ("oiab-ocde-lfgh", "OLAB-0CDE-IFGH", "01ab0cde1fgh"):
        page = await client.get(f"/bien-nhan/{typed}")
        assert page.status == 200, typed
        assert "01AB-0CDE-1FGH" in await page.text()
    assert rules.normalised("01AB-0CDE-1FGU") is None  # no U in the alphabet
    assert rules.normalised("01AB-0CDE-1FG") is None
    assert rules.grouped(rules.new_code()).count("-") == 2


async def test_an_unknown_receipt_is_a_404_in_vietnamese(client: Any) -> None:
    for path in ("/bien-nhan/ABCD-EFGH-JKMN", "/bien-nhan/khong-co"):
        page = await client.get(path)
        assert page.status == 404
        assert page.content_type == "text/html"
        assert "Biên nhận không tồn tại hoặc đã hết hạn" in await page.text()
    english = await client.get("/bien-nhan/ABCD-EFGH-JKMN?lang=en")
    assert "There is no such receipt, or it has expired" in await english.text()
    problem = await client.get("/api/v1/receipts/ABCD-EFGH-JKMN")
    assert problem.status == 404
    assert problem.content_type == "application/problem+json"
    assert (await problem.json())["detail"] == "Biên nhận không tồn tại hoặc đã hết hạn"
    assert (await client.get("/bien-nhan/ABCD-EFGH-JKMN.pdf")).status == 404


async def test_an_expired_receipt_says_since_when_and_nothing_else(
    client: Any, db: asyncpg.Connection
) -> None:
    diploma, text = await _one(client)
    code = (await (await _made(client, text)).json())["code"]
    kept = await get_receipt(db, code.replace("-", ""))
    assert kept is not None
    # A receipt made 100 days ago with 90 days' validity, through the same SQL.
    made = datetime.now(UTC) - timedelta(days=100)
    until = rules.valid_until(made, 90)
    fields = {f.name: getattr(kept, f.name) for f in dataclasses.fields(kept)}
    await add_receipt(
        db, **(fields | {"code": "EXP1REDC0DE1", "created_at": made, "valid_until": until})
    )
    day = f"{until.astimezone(VIETNAM):%d/%m/%Y}"
    page = await client.get("/bien-nhan/EXP1-REDC-0DE1")
    assert page.status == 404
    html = await page.text()
    assert f"Biên nhận này đã hết hạn ngày {day}" in html
    assert "Trần Thị Bình" not in html
    assert diploma["serial"] not in html
    assert "Văn bằng thật" not in html
    problem = await (await client.get("/api/v1/receipts/exp1redc0de1")).json()
    assert problem["detail"] == f"Biên nhận này đã hết hạn ngày {day}"
    assert (await client.get("/bien-nhan/EXP1-REDC-0DE1.pdf")).status == 404
    # The one made just now is still good.
    assert (await client.get(f"/bien-nhan/{code}")).status == 200


async def test_a_receipt_keeps_only_public_fields(client: Any, db: asyncpg.Connection) -> None:
    data = decision_request(1)
    data["graduates"][0].update(ethnicity="Tày", student_id="SV20250777")
    response = await client.post("/api/v1/graduation-decisions", json=data, headers=bearer(CLERK))
    assert response.status == 201, await response.text()
    diploma = (await response.json())["diplomas"][0]
    text = await qr_text(client, diploma["id"])
    # Ethnicity re-determined (a correction whose ground could reveal it), a certified copy
    # with an identity number: none of it may reach a receipt.
    corrected = await client.post(
        f"/api/v1/diplomas/{diploma['id']}/corrections",
        json={
            "decision_number": "12/QĐ",
            "decided_on": "2025-11-03",
            "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
            "ground": "ethnicity_or_sex_redetermined",
            "reason": "Xác định lại dân tộc",
            "changes": {"ethnicity": "Nùng", "full_name": "Trần Thị Bính"},
        },
        headers=bearer(CLERK),
    )
    assert corrected.status == 201, await corrected.text()
    copied = await client.post(
        f"/api/v1/diplomas/{diploma['id']}/copies",
        json={
            "requester_name": "Trần Thị Bính",
            "relation": "holder",
            "id_document_type": "citizen_id",
            "id_document_number": "001085012345",
            "copies": 1,
            "issued_on": "2026-01-05",
            "signer": {"name": "Lê Văn Thành", "title": "Giám đốc"},
        },
        headers=bearer(CLERK),
    )
    assert copied.status == 201, await copied.text()
    made = await _made(client, text)
    assert (await made.json())["result"]["verdict"] == "corrected"
    code = (await made.json())["code"]
    register = await db.fetchrow(
        "SELECT ethnicity, student_id, nationality FROM diplomas WHERE id = $1",
        diploma["id"],
    )
    assert register is not None
    secret = [register["ethnicity"], register["student_id"], "Nùng", "001085012345"]
    secret.append("ethnicity_or_sex_redetermined")
    stored = await db.fetchval("SELECT result::text FROM verification_receipts")
    shown = [
        stored,
        await (await client.get(f"/api/v1/receipts/{code}")).text(),
        await (await client.get(f"/bien-nhan/{code}")).text(),
    ]
    for what in shown:
        assert "Trần Thị Bính" in what  # the current name, as the public page shows it
        for value in [*secret, *NEVER]:
            assert value not in what, value


async def test_a_forged_code_gets_a_receipt_that_says_so(
    client: Any, db: asyncpg.Connection
) -> None:
    _, text = await _one(client)
    made = await _made(client, _forged(text))
    assert made.status == 201
    body = await made.json()
    assert body["result"]["verdict"] == "not_genuine"
    assert body["result"]["fields"] == {}
    row = await db.fetchrow("SELECT diploma_id, verdict, result FROM verification_receipts")
    assert row is not None
    assert (row["diploma_id"], row["verdict"]) == (None, "not_genuine")
    html = await (await client.get(f"/bien-nhan/{body['code']}")).text()
    assert "Không phải văn bằng thật" in html
    assert "biên nhận không ghi nội dung nào của nó" in html
    assert "Trần Thị Bình" not in html


async def test_nothing_is_kept_from_another_sites_page_or_an_empty_form(
    client: Any, db: asyncpg.Connection
) -> None:
    _, text = await _one(client)
    token = qr_path(text).removeprefix("/V/")
    for headers in (
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://ke-gian.example"},
    ):
        refused = await client.post(
            "/bien-nhan", data={"token": token}, headers=headers, allow_redirects=False
        )
        assert refused.status == 403, headers
        assert (await _made(client, text, headers=headers)).status == 403
    assert (await client.post("/bien-nhan", data={}, allow_redirects=False)).status == 422
    assert (await _made(client, "")).status == 422
    assert (await _made(client, "A" * 5000)).status == 422
    assert await db.fetchval("SELECT count(*) FROM verification_receipts") == 0


async def test_the_receipts_table_is_append_only(client: Any, db: asyncpg.Connection) -> None:
    _, text = await _one(client)
    await _made(client, text)
    for statement in (
        "UPDATE verification_receipts SET verdict = 'revoked'",
        "UPDATE verification_receipts SET valid_until = valid_until + interval '1 year'",
        "DELETE FROM verification_receipts",
        "TRUNCATE verification_receipts",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await db.execute(statement)
    assert await db.fetchval("SELECT verdict FROM verification_receipts") == "valid"


async def test_receipts_spend_the_qr_checks_budget_and_take_their_days(
    client: Any, settings: Settings, aiohttp_client: Any
) -> None:
    _, text = await _one(client)
    limited = dataclasses.replace(settings, rate_burst=8, receipt_days=30)
    app: TestClient[Any, Any] = await aiohttp_client(create_app(limited))
    made = await (await _made(app, text)).json()
    valid = datetime.fromisoformat(made["valid_until"]) - datetime.fromisoformat(made["created_at"])
    assert valid == timedelta(days=30)
    statuses = [(await app.get(f"/bien-nhan/{made['code']}")).status for _ in range(8)]
    assert statuses[:7] == [200] * 7
    assert statuses[7] == 429


async def test_a_browser_makes_a_receipt_from_the_result_page(db_url: str) -> None:
    """A real browser (no script) presses the button: its own form passes the same-site
    check; the receipt page is in Vietnamese, fits a phone and passes axe-core."""
    async with (
        running_service(db_url, VANBANG_DEMO="1", VANBANG_LOG_LEVEL="warning") as server,
        aiohttp.ClientSession() as session,
    ):
        async with session.post(
            f"{server.base}/api/v1/graduation-decisions",
            json=decision_request(1),
            headers=bearer(CLERK),
        ) as response:
            diploma = (await response.json())["diplomas"][0]
        async with session.get(
            f"{server.base}/api/v1/diplomas/{diploma['id']}/qr.png", headers=bearer(CLERK)
        ) as response:
            text = decode_qr(Image.open(io.BytesIO(await response.read())))
        async with launched() as browser:
            context = await browser.new_context(
                locale="vi-VN", viewport=DESKTOP, java_script_enabled=False
            )
            page = await context.new_page()
            await page.goto(server.base + qr_path(text))
            await page.click("text=Tạo biên nhận kiểm tra")
            assert CODE.match(path_of(page)), page.url
            html = await page.content()
            assert "Kết quả hiện nay giống kết quả lúc kiểm tra." in html
            await screen(page, "receipt")
            await context.close()
