"""QR codes: the symbols match the qrcode library, every image decodes with a real decoder
to the exact token URL, and the token verifies against the served trust list."""

from __future__ import annotations

import base64
import dataclasses
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

from service.app import create_app
from service.qr.render import QUIET_ZONE, png, svg
from service.qr.symbol import Matrix, SymbolError, codewords, make_symbol, version_for
from service.qr.tokens import token_fields
from service.settings import Settings
from tests.conftest import ADMIN, AUDITOR, CLERK, ROOT, bearer
from tests.factories import assert_problem, decision_request
from tests.qr import budget_token, decode_qr, decode_qr_width, largest_token
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
    # By default 300 dpi and modules of VANBANG_QR_MODULE_MM (0.40 mm): 5 pixels each.
    assert _pixels_per_metre(data) == round(300 / 0.0254)
    assert image.size[0] == (make_symbol(text).size + 2 * QUIET_ZONE) * 5

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
        f"/api/v1/diplomas/{diploma_id}/qr.svg?module_mm=0.5", headers=bearer(AUDITOR)
    )
    assert response.status == 200
    assert response.content_type == "image/svg+xml"
    drawn = (await response.read()).decode()
    side = (make_symbol(png_text).size + 2 * QUIET_ZONE) * 0.5
    assert f'width="{side:g}mm" height="{side:g}mm"' in drawn
    rendered = resvg_py.svg_to_bytes(svg_string=drawn, dpi=300)
    image = Image.open(io.BytesIO(bytes(rendered)))
    assert image.size[0] == round(side / 25.4 * 300)
    assert _decode(image) == png_text


async def test_size_parameters_are_checked(client: Any) -> None:
    body = await _registered(client)
    path = f"/api/v1/diplomas/{body['diplomas'][0]['id']}/qr.png"
    big = await client.get(f"{path}?module_mm=0.6&dpi=600", headers=bearer(CLERK))
    data = await big.read()
    image = Image.open(io.BytesIO(data))
    assert _pixels_per_metre(data) == round(600 / 0.0254)
    modules = make_symbol(_decode(image)).size + 2 * QUIET_ZONE
    assert image.size[0] == modules * 15  # ceil(0.6 mm at 600 dpi = 14.2 pixels)
    for query in (
        "module_mm=0.2",
        "module_mm=2.5",
        "module_mm=abc",
        "module_mm=nan",
        "dpi=10000",
        "dpi=50",
    ):
        response = await client.get(f"{path}?{query}", headers=bearer(CLERK))
        problem = await assert_problem(response, 422, "validation-error")
        assert problem["errors"][0]["pointer"] == f"#/{query.split('=')[0]}"
        assert problem["errors"][0]["code"] == "out_of_range"
    # The old width parameter is refused, not ignored: the size follows the modules.
    response = await client.get(path.replace(".png", ".svg?size_mm=25"), headers=bearer(CLERK))
    problem = await assert_problem(response, 422, "validation-error")
    assert problem["errors"][0]["pointer"] == "#/size_mm"
    assert problem["errors"][0]["code"] == "replaced"
    assert "module_mm" in problem["errors"][0]["detail"]


async def test_the_setting_sizes_the_images_by_default(
    settings: Settings, aiohttp_client: Any
) -> None:
    client = await aiohttp_client(create_app(dataclasses.replace(settings, qr_module_mm=0.3)))
    body = await _registered(client)
    path = f"/api/v1/diplomas/{body['diplomas'][0]['id']}/qr"
    data = await (await client.get(f"{path}.png?dpi=200", headers=bearer(CLERK))).read()
    image = Image.open(io.BytesIO(data))
    symbol = make_symbol(_decode(image))
    assert image.size[0] == (symbol.size + 2 * QUIET_ZONE) * 3  # ceil(2.36)
    drawn = await (await client.get(f"{path}.svg", headers=bearer(CLERK))).text()
    side = (symbol.size + 2 * QUIET_ZONE) * 0.3
    assert f'width="{side:g}mm"' in drawn


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


async def test_the_printed_qr_has_modules_of_the_setting(
    settings: Settings, aiohttp_client: Any
) -> None:
    client = await aiohttp_client(create_app(dataclasses.replace(settings, qr_module_mm=0.33)))
    response = await client.post(URL, json=decision_request(2), headers=bearer(CLERK))
    body = await response.json()
    pdf = await client.get(f"{URL}/{body['id']}/print.pdf", headers=bearer(CLERK))
    page = pypdfium2.PdfDocument(await pdf.read())[1]
    text, width_px = decode_qr_width(page.render(scale=300 / 72).to_pil())
    assert width_px / make_symbol(text).size / 300 * 25.4 == pytest.approx(0.33, abs=0.01)


def test_size_budget_at_error_correction_m() -> None:
    thpt = make_symbol(largest_token("thpt"))
    master = make_symbol(largest_token("master"))
    print(f"\nQR versions at M: THPT {thpt.version}, master's {master.version}")
    assert thpt.version <= 15
    assert master.version <= 20


def _pixels_per_metre(data: bytes) -> int:
    """The PNG's pHYs chunk: pixels per metre, the same both ways, the unit the metre."""
    at = data.index(b"pHYs")
    x, y, unit = struct.unpack(">IIB", data[at + 4 : at + 13])
    assert (x, unit) == (y, 1)
    return int(x)


# The smallest token (a name of one letter, no major) and the largest the budget allows (a
# master's degree, test_size_budget_at_error_correction_m): versions 11 and 16.
_TOKENS = {
    "smallest": lambda: budget_token(holder_name="A", place_of_birth="Huế"),
    "largest": lambda: largest_token("master"),
}


@pytest.mark.parametrize("token", sorted(_TOKENS))
@pytest.mark.parametrize(
    ("module_mm", "dpi"), [(0.25, 300), (0.33, 150), (0.40, 300), (0.40, 203), (0.5, 1200)]
)
def test_png_is_at_its_dpi_with_whole_pixels_per_module(
    token: str, module_mm: float, dpi: int
) -> None:
    text = _TOKENS[token]()
    symbol = make_symbol(text)
    data = png(symbol, module_mm=module_mm, dpi=dpi)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert _pixels_per_metre(data) == round(dpi / 0.0254)  # exactly the dpi asked
    width, height = struct.unpack(">II", data[16:24])
    modules = symbol.size + 2 * QUIET_ZONE
    assert width == height
    assert width % modules == 0
    per_module = width // modules
    # The fewest whole pixels that print at least the module asked for.
    assert per_module * 25.4 / dpi >= module_mm
    assert (per_module - 1) * 25.4 / dpi < module_mm
    assert _decode(Image.open(io.BytesIO(data))) == text


def test_svg_is_sized_by_its_modules() -> None:
    symbol = make_symbol("HTTPS://VANBANG.EXAMPLE.VN/V/ABC")
    drawn = svg(symbol, module_mm=0.4).decode()
    assert symbol.size == 25
    assert 'width="13.2mm" height="13.2mm" viewBox="0 0 33 33"' in drawn  # (25 + 8) * 0.4
    assert "<path" in drawn


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
