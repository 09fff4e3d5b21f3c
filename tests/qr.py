"""Decoding QR codes in the tests with a real decoder (zxing-cpp)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pypdfium2
import zxingcpp


def rendered_page(data: bytes, page: int = 0) -> Any:
    """A PDF's page at 300 dpi, as a scanner or a phone at arm's length sees it."""
    return pypdfium2.PdfDocument(data)[page].render(scale=300 / 72).to_pil()


def zbar(image: Any) -> str:
    """The text of the QR code in `image` as zbar (Debian's zbar-tools) reads it."""
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg (Debian zbar-tools) is needed: scripts/_browser.sh installs it"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        done = subprocess.run(
            [zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
    return done.stdout.strip()


def decode_qr(image: Any) -> str:
    """The text of the one QR code in `image`. Only QR codes are asked for: scanning for every
    format, zxing-cpp may also report a spurious barcode inside a QR code's modules."""
    return str(_read(image).text)


def decode_qr_width(image: Any) -> tuple[str, float]:
    """The text of the one QR code in `image` and the width in pixels of the symbol without
    its quiet zone, between the corners the decoder found."""
    found = _read(image)
    return str(found.text), float(found.position.top_right.x - found.position.top_left.x)


def _read(image: Any) -> Any:
    found = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    assert len(found) == 1, [f.format for f in found]
    return found[0]


def budget_token(**fields: Any) -> str:
    """A token URL signed by a fresh key, with a THPT diploma's fields unless given."""
    from datetime import UTC, datetime

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from verifier.cose import sign1
    from verifier.keys import kid_for
    from verifier.token import encode_token, token_url

    key = Ed25519PrivateKey.generate()
    values = {
        "v": 1,
        "issuer": "SGDDT-HN",
        "kind": "thpt",
        "serial": "HN25-012301",
        "register_number": "12345/THPT-2025",
        "holder_name": "Lê An",
        "date_of_birth": "2007-03-12",
        "graduation_year": 2025,
        "issued_at": int(datetime(2025, 8, 15, tzinfo=UTC).timestamp()),
        "issued_on": "2025-08-15",
        "record_digest": bytes(16),
        **fields,
    }
    token = sign1(encode_token(values), key, kid_for(key.public_key()))
    return token_url(token, "https://vanbang.example.vn")


# The size budget (docs/qr-format.md): the longest name and place of birth a THPT token
# holds within version 15, and a master's with the longest major within version 20.
NAME35 = "Tôn Nữ Hoàng Phương Thảo Nguyên Anh"
PLACE30 = "Thị trấn Phùng, huyện Đan Phượng, Hà Nội"[:30]
MAJOR60 = "Quản lý giáo dục và phát triển chương trình đào tạo nghề nghiệp"[:60]


def largest_token(kind: str) -> str:
    """The largest token the budget allows: a school diploma's, or a degree's with a major."""
    if kind in ("thcs", "thpt"):
        return budget_token(kind=kind, holder_name=NAME35, place_of_birth=PLACE30)
    return budget_token(
        kind=kind,
        holder_name=NAME35,
        place_of_birth=PLACE30,
        major=MAJOR60,
        classification="Xuất sắc",
        register_number="123/THS-2026",
        serial="SPHN-THS-000123",
    )
