"""The digital diploma's document before its signature (docs/digital-diplomas.md): PDF/A-3B
by its metadata, the signed register record attached as an associated file (AFRelationship
Source, named in the catalog's /AF), the same bytes for the same diploma version, the layout's
preview with the QR code that decodes. veraPDF is not packaged here: the PDF/A-3 parts that
matter are checked one by one, with pypdf reading the objects."""

from __future__ import annotations

import io
import re
import time
from datetime import UTC, date, datetime
from typing import Any

import pdfplumber
import pypdf
import pypdfium2

from service.digital.document import diploma_document, record_name
from service.printing.layout import shipped_layouts
from service.printing.vector import MODULE_MM
from tests.qr import decode_qr, largest_token

ROW = {
    "kind": "bachelor",
    "issuer_code": "DHSPHN",
    "holder_name": "Tôn Nữ Hoàng Phương Thảo",
    "date_of_birth": date(2004, 3, 5),
    "place_of_birth": "Hà Nội",
    "gender": "female",
    "major": "Sư phạm Toán học",
    "classification": "Giỏi",
    "mode_of_study": "Chính quy",
    "graduation_year": 2026,
    "place_of_issue": "Hà Nội",
    "issued_on": date(2026, 6, 5),
    "signer_name": "Nguyễn Văn An",
    "signer_title": "Hiệu trưởng",
    "signer_on_behalf_of": None,
    "serial": "SPHN-CN-000123",
    "register_number": "123/CN-2026",
}
RECORD = b"\xd2\x84\x43\xa1\x01\x27\xa0" + bytes(range(64))
ISSUED_AT = datetime(2026, 6, 5, 3, 0, tzinfo=UTC)


def _document(text: str) -> bytes:
    return diploma_document(
        ROW,
        text,
        RECORD,
        layout=shipped_layouts(MODULE_MM)["dai-hoc"],
        issuer_name="Trường Đại học Sư phạm Hà Nội",
        module_mm=MODULE_MM,
        issued_at=ISSUED_AT,
    )


def test_the_document_is_pdf_a_3b_with_the_record_attached() -> None:
    text = largest_token("bachelor")
    data = _document(text)
    reader = pypdf.PdfReader(io.BytesIO(data))
    catalog: Any = reader.trailer["/Root"]  # pypdf's dictionaries, read as JSON would be
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]{1,3}3", xmp)
    assert re.search(r"pdfaid:conformance[^A-Z]{1,3}B", xmp)
    intents = catalog["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intents[0].get_object()
    associated = [spec.get_object() for spec in catalog["/AF"]]
    assert len(associated) == 1
    spec = associated[0]
    assert spec["/AFRelationship"] == "/Source"
    assert spec["/F"] == record_name("SPHN-CN-000123")
    stream = spec["/EF"]["/F"].get_object()
    assert stream.get_data() == RECORD
    assert stream["/Subtype"] == "/application/cose"  # pypdf decodes the name's #2F
    assert reader.attachments[record_name("SPHN-CN-000123")] == [RECORD]


def test_the_same_version_renders_to_the_same_bytes() -> None:
    text = largest_token("bachelor")
    first = _document(text)
    time.sleep(1.1)  # fpdf2 stamps PDF/A metadata with the second it draws: not ours
    assert _document(text) == first
    assert _document(text) != _document(largest_token("bachelor"))  # another token


def test_the_document_shows_the_diploma_and_its_qr_decodes() -> None:
    text = largest_token("bachelor")
    data = _document(text)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        shown = pdf.pages[0].extract_text()
    for printed in ("BẰNG CỬ NHÂN", "Tôn Nữ Hoàng Phương Thảo", "SPHN-CN-000123", "chữ ký số"):
        assert printed in shown
    image = pypdfium2.PdfDocument(data)[0].render(scale=300 / 72).to_pil()
    assert decode_qr(image) == text
