"""Printing onto the blank forms (docs/printing.md): every field lands in its layout's box,
read back from the PDF's text coordinates (pdfplumber); the QR code is vector paths of the
module size asked for and decodes with zbar and zxing-cpp from a 300 dpi rendering, for the
smallest and the largest token the budget allows; a calibration moves everything by exactly
its offset; a value too long for its box is refused, not clipped."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import asyncpg
import pdfplumber
import pytest

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from service.domain.kinds import DiplomaKind
from service.printing.blank import BlankPrint, PrintError, layout_chooser
from service.printing.calibration import Calibration
from service.printing.calibration_page import calibration_page, crosshairs
from service.printing.layout import (
    Box,
    FieldSpec,
    Layout,
    LayoutError,
    parse_layout,
    shipped_layouts,
)
from service.printing.values import field_value
from service.printing.vector import MODULE_MM
from service.qr.symbol import make_symbol
from tests.conftest import AUDITOR, CLERK, bearer
from tests.factories import assert_problem, decision_request
from tests.qr import budget_token, decode_qr, largest_token, rendered_page, zbar

MM = 72 / 25.4  # points in a millimetre
LAYOUTS = shipped_layouts(MODULE_MM)
# Glyphs carry a little side bearing and ascender room: what "in its box" allows.
TOLERANCE_MM = 0.6


def _row(kind: str, **changes: Any) -> dict[str, Any]:
    row = {
        "kind": kind,
        "issuer_code": "SGDDT-HN",
        "holder_name": "Trần Thị Bình",
        "date_of_birth": date(2007, 3, 5),
        "place_of_birth": "Xã Phù Đổng, huyện Gia Lâm, Hà Nội",
        "gender": "female",
        "major": "Sư phạm Toán học",
        "classification": "Giỏi",
        "mode_of_study": "Chính quy",
        "graduation_year": 2024,
        "place_of_issue": "Hà Nội",
        "issued_on": date(2025, 8, 15),
        "signer_name": "Nguyễn Văn Minh",
        "signer_title": "Phó Giám đốc",
        "signer_on_behalf_of": "Giám đốc",
        "serial": "HN25-012301",
        "register_number": "123/THPT-2025",
    }
    row.update(changes)
    return row


def _print(
    layout: Layout, rows: list[dict[str, Any]], texts: list[str], cal: Calibration | None = None
) -> bytes:
    document = BlankPrint(
        layout_chooser(LAYOUTS, layout.name),
        issuer_names={"SGDDT-HN": "Sở Giáo dục và Đào tạo Hà Nội"},
        calibration=cal or Calibration(),
    )
    for row, text in zip(rows, texts, strict=True):
        document.add(row, text)
    return document.output()


def _found(page: Any, spec: FieldSpec, text: str) -> dict[str, float]:
    """The printed text of a field, in mm: of its matches, the one nearest its box."""
    matches = page.search(text, regex=False)
    assert matches, (spec.name, text)
    best = min(
        matches, key=lambda m: abs(m["top"] / MM - spec.box.y) + abs(m["x0"] / MM - spec.box.x)
    )
    return {key: best[key] / MM for key in ("x0", "x1", "top", "bottom")}


def _check_in_box(spec: FieldSpec, found: dict[str, float]) -> None:
    box, tol = spec.box, TOLERANCE_MM
    assert box.x - tol <= found["x0"], spec.name
    assert found["x1"] <= box.x + box.w + tol, spec.name
    assert box.y - tol <= found["top"], spec.name
    assert found["bottom"] <= box.y + box.h + tol, spec.name
    if spec.align == "L":
        assert found["x0"] == pytest.approx(box.x, abs=tol), spec.name
    elif spec.align == "R":
        assert found["x1"] == pytest.approx(box.x + box.w, abs=tol), spec.name
    else:
        middle = (found["x0"] + found["x1"]) / 2
        assert middle == pytest.approx(box.x + box.w / 2, abs=tol), spec.name


def _layout_kinds() -> Iterator[tuple[str, str]]:
    for name, layout in LAYOUTS.items():
        for kind in layout.kinds:
            yield name, kind.value


def test_a_layout_for_every_kind_and_each_says_what_is_confirmed() -> None:
    covered = {kind for layout in LAYOUTS.values() for kind in layout.kinds}
    assert covered == set(DiplomaKind)
    for layout in LAYOUTS.values():
        assert layout.source
        # None of the shipped positions has been checked against a real blank yet: they say so.
        assert not layout.confirmed
        assert layout.languages[0] == "vi"
    assert any(layout.bilingual for layout in LAYOUTS.values())


@pytest.mark.parametrize(("name", "kind"), list(_layout_kinds()))
def test_every_field_is_printed_in_its_box(name: str, kind: str) -> None:
    layout = LAYOUTS[name]
    row = _row(kind)
    data = _print(layout, [row], [largest_token(kind)])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        assert page.width / MM == pytest.approx(layout.width, abs=0.01)
        assert page.height / MM == pytest.approx(layout.height, abs=0.01)
        printed = 0
        for spec in layout.fields:
            text = field_value(spec.name, row, spec.lang, "Sở Giáo dục và Đào tạo Hà Nội")
            if not text:
                continue
            _check_in_box(spec, _found(page, spec, text.upper() if spec.upper else text))
            printed += 1
        assert printed >= 8
        # Only the data: none of the blank's own labels.
        words = page.extract_text()
        for label in ("Họ và tên", "Ngày sinh", "Số hiệu", "Quét mã"):
            assert label not in words


def test_the_vietnamese_date_of_issue_keeps_decree_30s_leading_zeros() -> None:
    row = _row("bachelor", issued_on=date(2026, 2, 5))
    assert field_value("place_and_date_of_issue", row, "vi", "") == (
        "Hà Nội, ngày 05 tháng 02 năm 2026"
    )
    row = _row("bachelor", issued_on=date(2026, 11, 20))
    assert field_value("place_and_date_of_issue", row, "vi", "") == (
        "Hà Nội, ngày 20 tháng 11 năm 2026"
    )
    assert field_value("place_and_date_of_issue", row, "en", "") == "Hà Nội, 20 November 2026"
    assert field_value("issue_month", _row("thpt", issued_on=date(2025, 8, 15)), "vi", "") == "8"
    assert field_value("signer_title", _row("thpt"), "vi", "") == "KT. GIÁM ĐỐC"
    assert field_value("signer_deputy_title", _row("thpt"), "vi", "") == "PHÓ GIÁM ĐỐC"
    head = _row("thpt", signer_on_behalf_of=None, signer_title="Giám đốc")
    assert field_value("signer_deputy_title", head, "vi", "") == ""


def test_the_bilingual_layout_prints_the_english_side() -> None:
    layout = LAYOUTS["dai-hoc-song-ngu"]
    data = _print(layout, [_row("master", classification="Xuất sắc")], [largest_token("master")])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = pdf.pages[0].extract_text()
    for printed in ("5 March 2007", "05/03/2007", "Excellent", "Xuất sắc"):
        assert printed in text
    assert "Full-time" in text


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_the_smallest_and_largest_qr_decode_with_zbar_and_zxing(name: str) -> None:
    layout = LAYOUTS[name]
    kind = layout.kinds[-1].value
    texts = [budget_token(kind=kind, holder_name="Lê An"), largest_token(kind)]
    data = _print(layout, [_row(kind), _row(kind)], texts)
    for index, text in enumerate(texts):
        image = rendered_page(data, index)
        assert decode_qr(image) == text
        assert zbar(image) == text


def test_the_qr_is_vector_paths_of_the_module_size() -> None:
    layout = LAYOUTS["sau-dai-hoc"]
    text = largest_token("master")
    symbol = make_symbol(text)
    data = _print(layout, [_row("master")], [text])
    assert b"/Subtype /Image" not in data  # no raster anywhere
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        rects = pdf.pages[0].rects
    heights = {round(r["height"] / MM, 3) for r in rects}
    assert heights == {MODULE_MM}
    widths = [r["width"] / MM / MODULE_MM for r in rects]
    assert all(abs(w - round(w)) < 1e-3 for w in widths)  # whole modules
    # The symbol (without its quiet zone) spans exactly size x module, inside the QR box.
    left = min(r["x0"] for r in rects) / MM
    right = max(r["x1"] for r in rects) / MM
    top = min(r["top"] for r in rects) / MM
    assert right - left == pytest.approx(symbol.size * MODULE_MM, abs=0.01)
    assert layout.qr.x + 4 * MODULE_MM - 0.01 <= left
    assert right <= layout.qr.x + layout.qr.side - 4 * MODULE_MM + 0.01
    assert top >= layout.qr.y + 4 * MODULE_MM - 0.01


def test_a_calibration_moves_every_field_and_the_qr_by_exactly_its_offset() -> None:
    layout = LAYOUTS["pho-thong"]
    row = _row("thpt")
    text = largest_token("thpt")
    plain = _print(layout, [row], [text])
    moved = _print(layout, [row], [text], Calibration(3.5, -2.25, 1.0))
    with pdfplumber.open(io.BytesIO(plain)) as a, pdfplumber.open(io.BytesIO(moved)) as b:
        chars_a, chars_b = a.pages[0].chars, b.pages[0].chars
        rects_a, rects_b = a.pages[0].rects, b.pages[0].rects
    assert len(chars_a) == len(chars_b) > 100
    for ca, cb in zip(chars_a, chars_b, strict=True):
        assert ca["text"] == cb["text"]
        assert (cb["x0"] - ca["x0"]) / MM == pytest.approx(3.5, abs=0.005)
        assert (cb["top"] - ca["top"]) / MM == pytest.approx(-2.25, abs=0.005)
    assert len(rects_a) == len(rects_b) > 100
    for ra, rb in zip(rects_a, rects_b, strict=True):
        assert (rb["x0"] - ra["x0"]) / MM == pytest.approx(3.5, abs=0.005)
        assert (rb["top"] - ra["top"]) / MM == pytest.approx(-2.25, abs=0.005)


def test_a_scale_scales_positions_type_and_modules_together() -> None:
    layout = LAYOUTS["pho-thong"]
    row = _row("thpt")
    text = largest_token("thpt")
    plain = _print(layout, [row], [text])
    scaled = _print(layout, [row], [text], Calibration(0, 0, 1.02))
    with pdfplumber.open(io.BytesIO(plain)) as a, pdfplumber.open(io.BytesIO(scaled)) as b:
        for ca, cb in zip(a.pages[0].chars, b.pages[0].chars, strict=True):
            assert cb["x0"] == pytest.approx(ca["x0"] * 1.02, abs=0.05)
            assert cb["size"] == pytest.approx(ca["size"] * 1.02, abs=0.01)
        heights = [r["height"] / MM for r in b.pages[0].rects]
    assert all(h == pytest.approx(MODULE_MM * 1.02, abs=0.001) for h in heights)
    assert decode_qr(rendered_page(scaled)) == text


def test_a_long_name_shrinks_into_its_box_and_one_too_long_is_refused() -> None:
    layout = LAYOUTS["pho-thong"]
    spec = next(f for f in layout.fields if f.name == "holder_name")
    long_name = "Công Tằng Tôn Nữ Hoàng Phương Thảo Nguyên Anh Thư"
    data = _print(layout, [_row("thpt", holder_name=long_name)], [largest_token("thpt")])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        found = _found(page, spec, long_name)
        sizes = {
            round(c["size"], 1)
            for c in page.chars
            if c["top"] / MM < spec.box.y + spec.box.h and c["top"] / MM > spec.box.y - 1
        }
    _check_in_box(spec, found)
    assert max(sizes) < spec.size  # set smaller than the layout's size
    assert min(sizes) >= spec.min_size - 0.01
    with pytest.raises(PrintError) as refused:
        _print(layout, [_row("thpt", holder_name=long_name * 3)], [largest_token("thpt")])
    assert "HN25-012301" in refused.value.vi
    assert "họ và tên" in refused.value.vi


def test_a_qr_larger_than_the_box_is_refused_and_a_layout_for_another_kind_too() -> None:
    layout = LAYOUTS["pho-thong"]
    huge = "HTTPS://VANBANG.EXAMPLE.VN/V/" + "A" * 1500
    with pytest.raises(PrintError) as refused:
        _print(layout, [_row("thpt")], [huge])
    assert "mã QR" in refused.value.vi
    with pytest.raises(PrintError):
        _print(layout, [_row("master")], [largest_token("master")])


def test_a_layout_that_does_not_hold_its_qr_or_overflows_the_page_is_refused() -> None:
    raw = {
        "title": "t",
        "source": "s",
        "kinds": ["thpt"],
        "page": {"width": 297, "height": 210},
        "qr": {"x": 10, "y": 10, "side": 30, "max_version": 15},
        "fields": [],
    }
    with pytest.raises(LayoutError, match="does not fit"):
        parse_layout("x", raw, module_mm=0.4)  # version 15 needs 34 mm
    parse_layout("x", raw, module_mm=0.3)
    bad = dict(
        raw, fields=[{"name": "holder_name", "x": 290, "y": 10, "w": 20, "h": 5, "size": 12}]
    )
    with pytest.raises(LayoutError, match="not inside"):
        parse_layout("x", bad, module_mm=0.3)
    with pytest.raises(LayoutError, match="unknown field"):
        parse_layout(
            "x",
            dict(raw, fields=[{"name": "ethnicity", "x": 1, "y": 1, "w": 1, "h": 1, "size": 9}]),
            module_mm=0.3,
        )
    with pytest.raises(LayoutError, match="unknown keys"):
        parse_layout("x", dict(raw, colour="red"), module_mm=0.3)


def test_the_calibration_page_puts_its_crosshairs_where_it_says() -> None:
    layout = LAYOUTS["pho-thong"]
    cal = Calibration(1.5, -1.0, 1.0)
    data = calibration_page(layout, cal)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        lines = page.lines
        text = page.extract_text()
    for x, y in crosshairs(layout):
        # A horizontal and a vertical arm crossing at the calibrated point.
        horizontal = [
            ln
            for ln in lines
            if abs(ln["top"] - ln["bottom"]) < 0.01
            and abs(ln["top"] / MM - cal.y(y)) < 0.01
            and ln["x0"] / MM < cal.x(x) < ln["x1"] / MM
        ]
        vertical = [
            ln
            for ln in lines
            if abs(ln["x0"] - ln["x1"]) < 0.01
            and abs(ln["x0"] / MM - cal.x(x)) < 0.01
            and ln["top"] / MM < cal.y(y) < ln["bottom"] / MM
        ]
        assert horizontal, (x, y)
        assert vertical, (x, y)
    assert "Trang căn chỉnh máy in" in text
    assert "lệch ngang 1,5 mm" in text
    # Every field's box is named on the page.
    assert "Họ và tên" in text
    assert "Mã QR" in text


# Through the API: one diploma's page, the layouts, the calibration and its page -----------

URL = "/api/v1/graduation-decisions"


async def _registered(client: Any) -> dict[str, Any]:
    response = await client.post(URL, json=decision_request(2), headers=bearer(CLERK))
    assert response.status == 201, await response.text()
    body: dict[str, Any] = await response.json()
    return body


async def test_one_diploma_prints_on_its_blank_and_as_its_check_sheet(client: Any) -> None:
    body = await _registered(client)
    diploma = body["diplomas"][1]
    path = f"/api/v1/diplomas/{diploma['id']}/print.pdf"
    response = await client.get(f"{path}?document=blank", headers=bearer(CLERK))
    assert response.status == 200
    assert response.content_type == "application/pdf"
    data = await response.read()
    layout = LAYOUTS["pho-thong"]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        spec = next(f for f in layout.fields if f.name == "register_number")
        _check_in_box(spec, _found(page, spec, diploma["register_number"]))
        text = page.extract_text()
    assert "Trần Thị Bình" in text
    assert diploma["serial"] not in text  # printed on the blank already
    qr = await client.get(f"/api/v1/diplomas/{diploma['id']}/qr.png", headers=bearer(CLERK))
    from PIL import Image

    assert decode_qr(rendered_page(data)) == decode_qr(Image.open(io.BytesIO(await qr.read())))

    check = await client.get(path, headers=bearer(CLERK))  # the check sheet by default
    assert check.status == 200
    with pdfplumber.open(io.BytesIO(await check.read())) as pdf:
        text = pdf.pages[0].extract_text()
    assert diploma["serial"] in text
    assert "Họ và tên" in text  # the check sheet has labels
    assert "scan" not in text.lower()

    preview = await client.get(f"{path}?document=preview", headers=bearer(CLERK))
    assert preview.status == 200
    with pdfplumber.open(io.BytesIO(await preview.read())) as pdf:
        text = pdf.pages[0].extract_text()
    assert "BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG" in text
    assert diploma["serial"] in text

    bilingual = await client.get(
        f"{path}?document=blank&layout=dai-hoc-song-ngu", headers=bearer(CLERK)
    )
    await assert_problem(bilingual, 422, "cannot-print")  # a THPT diploma on a degree's blank
    for query, pointer in (("document=poster", "document"), ("layout=nope", "layout")):
        problem = await assert_problem(
            await client.get(f"{path}?{query}", headers=bearer(CLERK)), 400, "invalid-parameter"
        )
        assert problem["errors"][0]["pointer"] == f"#/{pointer}"


async def test_printing_keeps_to_the_read_scope(client: Any, db: asyncpg.Connection) -> None:
    body = await _registered(client)
    outsider = new_token()
    await add_token(db, outsider, Role.CLERK, "DHSPHN")
    for path in (
        f"/api/v1/diplomas/{body['diplomas'][0]['id']}/print.pdf",
        "/api/v1/issuers/SGDDT-HN/printer-calibration",
        "/api/v1/issuers/SGDDT-HN/calibration.pdf?layout=pho-thong",
    ):
        await assert_problem(await client.get(path), 401, "unauthenticated")
        await assert_problem(await client.get(path, headers=bearer(outsider)), 404, "not-found")
        assert (await client.get(path, headers=bearer(AUDITOR))).status == 200


async def test_the_layouts_are_listed_with_what_is_confirmed(client: Any) -> None:
    response = await client.get("/api/v1/print-layouts", headers=bearer(CLERK))
    assert response.status == 200
    layouts = {layout["name"]: layout for layout in (await response.json())["layouts"]}
    assert set(layouts) == set(LAYOUTS)
    assert layouts["pho-thong"]["kinds"] == ["thcs", "thpt"]
    assert layouts["dai-hoc-song-ngu"]["languages"] == ["vi", "en"]
    assert not any(layout["confirmed"] for layout in layouts.values())


async def test_a_clerk_sets_the_calibration_and_the_next_print_follows_it(
    client: Any, db: asyncpg.Connection
) -> None:
    body = await _registered(client)
    path = "/api/v1/issuers/SGDDT-HN/printer-calibration"
    before = await (await client.get(path, headers=bearer(CLERK))).json()
    assert before == {
        "issuer": "SGDDT-HN",
        "offset_x_mm": 0,
        "offset_y_mm": 0,
        "scale": 1,
        "updated_at": None,
    }
    pdf_path = f"/api/v1/diplomas/{body['diplomas'][0]['id']}/print.pdf?document=blank"
    plain = await (await client.get(pdf_path, headers=bearer(CLERK))).read()

    saved = await client.put(
        path, json={"offset_x_mm": 2.5, "offset_y_mm": -1.25, "scale": 1}, headers=bearer(CLERK)
    )
    assert saved.status == 200
    assert (await saved.json())["offset_x_mm"] == 2.5
    moved = await (await client.get(pdf_path, headers=bearer(CLERK))).read()
    with pdfplumber.open(io.BytesIO(plain)) as a, pdfplumber.open(io.BytesIO(moved)) as b:
        pairs = list(zip(a.pages[0].chars, b.pages[0].chars, strict=True))
    assert pairs
    for ca, cb in pairs:
        assert (cb["x0"] - ca["x0"]) / MM == pytest.approx(2.5, abs=0.005)
        assert (cb["top"] - ca["top"]) / MM == pytest.approx(-1.25, abs=0.005)

    page = await client.get(
        "/api/v1/issuers/SGDDT-HN/calibration.pdf?layout=pho-thong", headers=bearer(CLERK)
    )
    assert page.status == 200
    with pdfplumber.open(io.BytesIO(await page.read())) as pdf:
        assert "lệch ngang 2,5 mm" in pdf.pages[0].extract_text()
    journal = await db.fetch("SELECT detail FROM staff_journal WHERE action = 'printer.calibrated'")
    assert len(journal) == 1
    assert "2.5" in journal[0]["detail"]
    assert "-1.25" in journal[0]["detail"]


async def test_bad_calibrations_are_refused_and_write_nothing(
    client: Any, db: asyncpg.Connection
) -> None:
    path = "/api/v1/issuers/SGDDT-HN/printer-calibration"
    for bad in (
        {"offset_x_mm": 25, "offset_y_mm": 0},
        {"offset_x_mm": 0, "offset_y_mm": 0, "scale": 1.2},
        {"offset_x_mm": "left", "offset_y_mm": 0},
        {"offset_x_mm": 0},
        {"offset_x_mm": 0, "offset_y_mm": 0, "colour": "red"},
    ):
        response = await client.put(path, json=bad, headers=bearer(CLERK))
        await assert_problem(response, 422, "validation-error")
    await assert_problem(
        await client.put(path, json={"offset_x_mm": 1, "offset_y_mm": 1}, headers=bearer(AUDITOR)),
        403,
        "forbidden",
    )
    await assert_problem(
        await client.put(
            "/api/v1/issuers/DHSPHN/printer-calibration",
            json={"offset_x_mm": 1, "offset_y_mm": 1},
            headers=bearer(CLERK),
        ),
        404,
        "not-found",
    )
    assert await db.fetchval("SELECT count(*) FROM printer_calibrations") == 0
    missing = await client.get("/api/v1/issuers/SGDDT-HN/calibration.pdf", headers=bearer(CLERK))
    await assert_problem(missing, 400, "invalid-parameter")


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_the_preview_draws_what_the_blank_carries_and_the_print_does_not(name: str) -> None:
    layout = LAYOUTS[name]
    kind = layout.kinds[0].value
    row = _row(kind)
    document = BlankPrint(
        layout_chooser(LAYOUTS, name),
        issuer_names={"SGDDT-HN": "Sở Giáo dục và Đào tạo Hà Nội"},
        draw_blank=True,
    )
    document.add(row, largest_token(kind))
    preview = document.output()
    printed = _print(layout, [row], [largest_token(kind)])
    with pdfplumber.open(io.BytesIO(preview)) as a, pdfplumber.open(io.BytesIO(printed)) as b:
        shown, bare = a.pages[0].extract_text(), b.pages[0].extract_text()
        # The data sits where the print puts it: the preview only adds to the page.
        for spec in layout.fields:
            text = field_value(spec.name, row, spec.lang, "Sở Giáo dục và Đào tạo Hà Nội")
            if text:
                _check_in_box(spec, _found(a.pages[0], spec, text))
    title = DiplomaKind(kind).title_vi.upper()
    assert title in shown.replace("\n", " ")
    assert title not in bare
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in shown
    assert "CỘNG HÒA" not in bare
    assert row["serial"] in shown  # the blank's own serial
    labels = [spec.label for spec in layout.fields if spec.label]
    assert labels
    for label in labels:
        assert label in shown
        assert label not in bare


def test_a_blank_text_names_only_known_placeholders() -> None:
    raw = {
        "title": "t",
        "source": "s",
        "kinds": ["thpt"],
        "page": {"width": 297, "height": 210},
        "qr": {"x": 10, "y": 10, "side": 40, "max_version": 15},
        "blank": [{"text": "{holder}", "x": 1, "y": 1, "w": 50, "h": 5, "size": 9}],
    }
    with pytest.raises(LayoutError, match="may name only"):
        parse_layout("x", raw, module_mm=0.4)
    raw["blank"] = [{"text": "{kind_title}", "x": 1, "y": 1, "w": 50, "h": 5, "size": 9}]
    assert parse_layout("x", raw, module_mm=0.4).blank[0].text == "{kind_title}"


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_no_two_boxes_of_a_layout_overlap(name: str) -> None:
    layout = LAYOUTS[name]
    boxes = [(f"field {f.name} ({f.lang})", f.box) for f in layout.fields]
    boxes += [(f"label of {f.name} ({f.lang})", f.label_box) for f in layout.fields if f.label_box]
    boxes += [(f"blank text {p.text!r}", p.box) for p in layout.blank]
    qr = layout.qr
    boxes.append(("qr", Box(qr.x, qr.y, qr.side, qr.side)))
    assert layout.note is not None
    boxes.append(("note", layout.note))
    for i, (first, a) in enumerate(boxes):
        for second, b in boxes[i + 1 :]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart, f"{name}: {first} overlaps {second}"


async def test_a_decision_prints_onto_its_blanks_and_a_value_too_long_prints_nothing(
    client: Any, db: asyncpg.Connection
) -> None:
    body = await _registered(client)
    path = f"{URL}/{body['id']}/print.pdf?document=blank"
    response = await client.get(path, headers=bearer(CLERK))
    assert response.status == 200
    data = await response.read()
    layout = LAYOUTS["pho-thong"]
    spec = next(f for f in layout.fields if f.name == "register_number")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2
        for page, diploma in zip(pdf.pages, body["diplomas"], strict=True):
            _check_in_box(spec, _found(page, spec, diploma["register_number"]))
    for index, diploma in enumerate(body["diplomas"]):
        qr = await client.get(f"/api/v1/diplomas/{diploma['id']}/qr.png", headers=bearer(CLERK))
        from PIL import Image

        assert decode_qr(rendered_page(data, index)) == decode_qr(
            Image.open(io.BytesIO(await qr.read()))
        )

    # A place of issue no box holds: refused with the diploma named, nothing printed.
    long = decision_request(1, serial_prefix="L", number="7/QĐ-SGDĐT")
    long["diploma"]["place_of_issue"] = "Thành phố Hà Nội, " * 6
    registered = await client.post(URL, json=long, headers=bearer(CLERK))
    assert registered.status == 201, await registered.text()
    decision = (await registered.json())["id"]
    refused = await client.get(f"{URL}/{decision}/print.pdf?document=blank", headers=bearer(CLERK))
    problem = await assert_problem(refused, 422, "cannot-print")
    assert "L000001" in problem["detail"]
