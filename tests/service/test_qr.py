"""QR codes: the symbols match the qrcode library, every image decodes with a real decoder
to the exact token URL, and the token verifies against the served trust list."""

from __future__ import annotations

import base64
import io
import random
import struct
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import numpy as np
import pypdfium2
import pytest
import qrcode
import resvg_py
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_ALPHA_NUM, QRData, create_data

from service.qr.render import QUIET_ZONE, png, svg
from service.qr.symbol import Matrix, SymbolError, codewords, make_symbol, version_for
from service.qr.tokens import token_fields
from tests.conftest import ADMIN, AUDITOR, CLERK, ROOT, bearer
from tests.factories import assert_problem, decision_request
from tests.qr import decode_qr, largest_token
from verifier import TrustList, load_public_pem
from verifier.token import encode_token, record_digest, token_from_text, verify_token

URL = "/api/v1/graduation-decisions"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
DEMO_ROOT = load_public_pem((ROOT / "keys-example" / "root.pub.pem").read_bytes())


def _reference(text: str) -> tuple[int, Matrix]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(QRData(text, mode=MODE_ALPHA_NUM))
    code.make(fit=True)
    return code.version, np.array(code.get_matrix(), dtype=bool)


@pytest.mark.parametrize("seed", range(12))
def test_symbols_are_the_ones_qrcode_makes(seed: int) -> None:
    rng = random.Random(seed)
    length = rng.choice([1, 7, 25, 77, 150, 300, 441, 560, 561, 661, 857, 1200])
    text = "".join(rng.choice(ALPHABET) for _ in range(length))
    symbol = make_symbol(text)
    version, matrix = _reference(text)
    assert symbol.version == version
    assert (symbol.modules == matrix).all()


def test_codewords_are_the_ones_qrcode_computes() -> None:
    rng = random.Random(3)
    for length in [*range(1, 80), 300, 560, 561, 1000, 2000, 3000]:
        text = "".join(rng.choice(ALPHABET) for _ in range(length))
        version = version_for(length)
        expected = create_data(version, ERROR_CORRECT_M, [QRData(text, mode=MODE_ALPHA_NUM)])
        assert list(codewords(text, version)) == expected, length


def test_versions_come_from_the_capacity_table() -> None:
    # Capacities at level M in alphanumeric mode (ISO/IEC 18004 table 7).
    assert [version_for(n) for n in (20, 21, 311, 312, 600, 601, 970, 971)] == [
        1,
        2,
        10,
        11,
        15,
        16,
        20,
        21,
    ]
    with pytest.raises(SymbolError):
        make_symbol("lower case")
    with pytest.raises(SymbolError):
        version_for(5000)


def _decode(image: Image.Image) -> str:
    return decode_qr(image)


async def _registered(client: Any) -> dict[str, Any]:
    response = await client.post(URL, json=decision_request(3), headers=bearer(CLERK))
    assert response.status == 201
    body: dict[str, Any] = await response.json()
    return body


async def test_png_decodes_to_a_token_that_verifies(client: Any, db: asyncpg.Connection) -> None:
    body = await _registered(client)
    diploma_id = body["diplomas"][1]["id"]
    response = await client.get(f"/api/v1/diplomas/{diploma_id}/qr.png", headers=bearer(CLERK))
    assert response.status == 200
    assert response.content_type == "image/png"
    data = await response.read()
    image = Image.open(io.BytesIO(data))
    text = _decode(image)
    assert text.startswith("HTTP://127.0.0.1:8080/V/")
    assert set(text) <= set(ALPHABET)
    # 25 mm at 300 dpi by default: the recorded resolution makes it print that wide.
    width_mm = image.size[0] / image.info["dpi"][0] * 25.4
    assert width_mm == pytest.approx(25, abs=0.01)
    assert image.size[0] <= 300

    trust = TrustList.from_bytes(
        await (await client.get("/.well-known/vanbang/trust-list")).read(), root_key=DEMO_ROOT
    )
    token = verify_token(token_from_text(text), trust)
    row = await db.fetchrow("SELECT * FROM diplomas WHERE id = $1", diploma_id)
    assert row is not None
    assert token.fields["serial"] == row["serial"]
    assert token.fields["holder_name"] == row["holder_name"]
    assert token.fields["register_number"] == row["register_number"]
    assert token.fields["record_digest"] == record_digest(bytes(row["signed"]))
    assert token.issued_at == row["issued_at"]
    assert "ethnicity" not in token.fields
    # Deterministic: the same diploma gives the same QR every time.
    again = await client.get(f"/api/v1/diplomas/{diploma_id}/qr.png", headers=bearer(CLERK))
    assert await again.read() == data


async def test_svg_renders_and_decodes_at_its_size(client: Any) -> None:
    body = await _registered(client)
    diploma_id = body["diplomas"][0]["id"]
    png_text = _decode(
        Image.open(
            io.BytesIO(
                await (
                    await client.get(f"/api/v1/diplomas/{diploma_id}/qr.png", headers=bearer(CLERK))
                ).read()
            )
        )
    )
    response = await client.get(
        f"/api/v1/diplomas/{diploma_id}/qr.svg?size_mm=30", headers=bearer(AUDITOR)
    )
    assert response.status == 200
    assert response.content_type == "image/svg+xml"
    rendered = resvg_py.svg_to_bytes(svg_string=(await response.read()).decode(), dpi=300)
    image = Image.open(io.BytesIO(bytes(rendered)))
    assert image.size[0] == round(30 / 25.4 * 300)
    assert _decode(image) == png_text


async def test_size_parameters_are_checked(client: Any) -> None:
    body = await _registered(client)
    path = f"/api/v1/diplomas/{body['diplomas'][0]['id']}/qr.png"
    big = await client.get(f"{path}?size_mm=50&dpi=600", headers=bearer(CLERK))
    image = Image.open(io.BytesIO(await big.read()))
    assert image.size[0] / image.info["dpi"][0] * 25.4 == pytest.approx(50, abs=0.01)
    for query in ("size_mm=5", "size_mm=abc", "dpi=10000", "size_mm=nan"):
        response = await client.get(f"{path}?{query}", headers=bearer(CLERK))
        problem = await assert_problem(response, 422, "validation-error")
        assert problem["errors"][0]["pointer"] == f"#/{query.split('=')[0]}"


async def test_qr_and_sheets_keep_to_the_read_scope(client: Any, db: asyncpg.Connection) -> None:
    body = await _registered(client)
    from service.db.accounts import add_token
    from service.domain.accounts import Role, new_token

    outsider = new_token()
    await add_token(db, outsider, Role.CLERK, "DHSPHN")
    for path in (
        f"/api/v1/diplomas/{body['diplomas'][0]['id']}/qr.png",
        f"/api/v1/diplomas/{body['diplomas'][0]['id']}/qr.svg",
        f"{URL}/{body['id']}/print.pdf",
    ):
        await assert_problem(await client.get(path), 401, "unauthenticated")
        await assert_problem(await client.get(path, headers=bearer(outsider)), 404, "not-found")
        assert (await client.get(path, headers=bearer(ADMIN))).status == 200


async def test_the_printed_sheet_has_a_page_and_a_readable_qr_per_diploma(client: Any) -> None:
    response = await client.post(URL, json=decision_request(4), headers=bearer(CLERK))
    body = await response.json()
    pdf = await client.get(f"{URL}/{body['id']}/print.pdf", headers=bearer(CLERK))
    assert pdf.status == 200
    assert pdf.content_type == "application/pdf"
    data = await pdf.read()
    assert b"BeVietnamPro" in data  # the font is embedded
    document = pypdfium2.PdfDocument(data)
    assert len(document) == 4
    texts = []
    for index, diploma in enumerate(body["diplomas"]):
        page = document[index]
        text = page.get_textpage().get_text_range()
        assert "BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG" in text
        assert "Trần Thị Bình" in text
        assert diploma["serial"] in text
        assert diploma["register_number"] in text
        texts.append(_decode(page.render(scale=4).to_pil()))  # 288 dpi, as a scanner
        qr = await client.get(f"/api/v1/diplomas/{diploma['id']}/qr.png", headers=bearer(CLERK))
        assert texts[-1] == _decode(Image.open(io.BytesIO(await qr.read())))
    assert len(set(texts)) == 4


def test_size_budget_at_error_correction_m() -> None:
    thpt = make_symbol(largest_token("thpt"))
    master = make_symbol(largest_token("master"))
    print(f"\nQR versions at M: THPT {thpt.version}, master's {master.version}")
    assert thpt.version <= 15
    assert master.version <= 20


def test_png_is_well_formed() -> None:
    symbol = make_symbol("HTTPS://VANBANG.EXAMPLE.VN/V/ABC")
    data = png(symbol, size_mm=25, dpi=300)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    modules = symbol.size + 2 * QUIET_ZONE
    assert width == height
    assert width % modules == 0
    assert width <= round(25 / 25.4 * 300)
    image = Image.open(io.BytesIO(data))
    assert _decode(image) == "HTTPS://VANBANG.EXAMPLE.VN/V/ABC"
    assert b"<path" in svg(symbol)


def test_token_fields_come_from_the_register_row() -> None:
    row = {
        "issuer_code": "SGDDT-HN",
        "kind": "thpt",
        "serial": "S1",
        "register_number": "1/2025",
        "holder_name": "Lê An",
        "date_of_birth": date(2007, 1, 2),
        "graduation_year": 2025,
        "major": None,
        "classification": None,
        "place_of_birth": "Hà Nội",
        "issued_at": datetime(2025, 8, 15, 1, 2, 3, tzinfo=UTC),
        "issued_on": date(2025, 8, 15),
        "signed": b"record",
    }
    fields = token_fields(row)
    assert fields["date_of_birth"] == "2007-01-02"
    assert fields["record_digest"] == record_digest(b"record")
    encoded = base64.b32encode(encode_token(fields))
    assert encoded
