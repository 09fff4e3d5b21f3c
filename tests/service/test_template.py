"""The template workbook (GET /mau/danh-sach-tot-nghiep.xlsx, `vanbang template`): its sheets,
headers, lists and formats, and a round trip: downloaded, filled in as a clerk would with
openpyxl (values chosen from its lists), checked through the API and registered through the
console."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import openpyxl
import pytest

from service import texts
from service.cli import main
from service.domain.graduates import GraduateIn, GraduationDecisionIn
from service.domain.kinds import DiplomaKind
from service.formats import template
from service.formats.tabular import COLUMNS, REQUIRED_COLUMNS, rows_to_request
from service.formats.uploads import XLSX
from tests.conftest import CLERK, bearer
from tests.factories import register_counts
from tests.staff import CLERK_LOGIN, form_token, sign_in

PATH = "/mau/danh-sach-tot-nghiep.xlsx"


def _workbook(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def _validations(sheet: Any) -> dict[str, Any]:
    """The list sheet's validations by the header of the column they cover."""
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    found = {}
    for validation in sheet.data_validations.dataValidation:
        letter = re.match(r"[A-Z]+", str(validation.sqref)).group(0)  # type: ignore[union-attr]
        found[headers[letter]] = validation
    return found


def _choices(workbook: Any, validation: Any) -> list[str]:
    sheet_name, cells = validation.formula1.rsplit("!", 1)
    sheet = workbook[sheet_name.strip("'")]
    return [c[0].value for c in sheet[cells.replace("$", "")]]


def test_the_template_has_the_importers_headers_and_its_choices() -> None:
    workbook = _workbook(template.build_template(max_rows=100))
    assert workbook.sheetnames[:2] == ["Danh sách", "Hướng dẫn"]
    sheet = workbook["Danh sách"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [template.header(name) for name in COLUMNS]
    assert "Họ và tên *" in headers  # required ones marked
    assert "Nơi sinh" in headers
    assert sum(h.endswith(" *") for h in headers) == len(REQUIRED_COLUMNS)
    assert sheet.max_row == 1 or all(c.value is None for row in sheet.iter_rows(2) for c in row)
    assert sheet.freeze_panes == "A2"
    assert workbook["Danh mục"].sheet_state == "hidden"
    validations = _validations(sheet)
    kinds = _choices(workbook, validations["Loại văn bằng *"])
    assert kinds == [texts.KINDS[k.value].vi for k in DiplomaKind]
    assert _choices(workbook, validations["Giới tính *"]) == ["Nam", "Nữ"]
    assert "Giỏi" in _choices(workbook, validations["Xếp loại"])
    assert validations["Xếp loại"].errorStyle == "warning"  # others are accepted
    assert validations["Loại văn bằng *"].errorStyle == "stop"
    for header in ("Ngày sinh *", "Ngày cấp *", "Ngày quyết định *"):
        assert validations[header].type == "date"
        letter = re.match(r"[A-Z]+", str(validations[header].sqref)).group(0)  # type: ignore[union-attr]
        assert sheet[f"{letter}2"].number_format == "DD/MM/YYYY"
        assert str(validations[header].sqref).endswith("101")
    assert validations["Năm tốt nghiệp *"].type == "whole"
    help_text = " ".join(
        str(c.value) for row in workbook["Hướng dẫn"].iter_rows() for c in row if c.value
    )
    assert "Cột có dấu * là bắt buộc." in help_text
    assert "Columns marked * are required." in help_text
    assert texts.TEMPLATE_EXAMPLE["serial"] in help_text  # the example is there, not on sheet 1


def test_every_choice_of_the_template_is_accepted_by_the_importer() -> None:
    """One source of truth: each strict list's values parse, and mean what they say."""
    lists = template.choices()
    for value, kind in zip(lists["kind"][0], DiplomaKind, strict=True):
        assert GraduationDecisionIn.model_validate(_decision(kind=value)).diploma.kind == kind
    genders = [GraduateIn.model_validate(_graduate(gender=g)).gender for g in lists["gender"][0]]
    assert [g.value for g in genders] == ["male", "female"]
    published = [GraduateIn.model_validate(_graduate(published=v)) for v in lists["published"][0]]
    assert [g.published for g in published] == [True, False]
    for regulation in lists["regulation"][0]:
        GraduationDecisionIn.model_validate(_decision(regulation=regulation))


def test_a_header_marked_required_is_read_as_its_column() -> None:
    rows: list[tuple[int, list[Any]]] = [
        (1, ["Số hiệu *", "Họ và tên*", "Ngày sinh *", "Giới tính"]),
        (2, ["A1", "Trần Văn An", "01/02/2007", "Nam"]),
    ]
    request, locator = rows_to_request(rows, max_rows=10)
    assert request["graduates"] == [
        {"serial": "A1", "full_name": "Trần Văn An", "date_of_birth": "01/02/2007", "gender": "Nam"}
    ]
    assert locator.headers["full_name"] == (1, "Họ và tên*")


def _graduate(**changes: Any) -> dict[str, Any]:
    return {
        "serial": "A1",
        "full_name": "Trần Văn An",
        "date_of_birth": "2007-01-02",
        "gender": "Nam",
        **changes,
    }


def _decision(**diploma: Any) -> dict[str, Any]:
    signer = {"name": "Nguyễn Văn Minh", "title": "Giám đốc"}
    return {
        "decision": {"number": "1/QĐ", "date": "2025-07-14", "signer": signer},
        "diploma": {
            "kind": "thpt",
            "graduation_year": 2025,
            "place_of_issue": "Hà Nội",
            "issued_on": "2025-08-15",
            "signer": signer,
            **diploma,
        },
        "graduates": [_graduate()],
    }


def _fill(data: bytes, *, prefix: str) -> bytes:
    """The template filled in as a clerk fills it: the decision's columns on the first row
    only, values picked from the lists, dates as date cells, one column left blank."""
    workbook = _workbook(data)
    sheet = workbook["Danh sách"]
    column = {template.header(name): index + 1 for index, name in enumerate(COLUMNS)}
    lists = template.choices()
    first = {
        "Số quyết định *": f"{prefix}/QĐ-SGDĐT",
        "Ngày quyết định *": date(2025, 7, 14),
        "Người ký quyết định *": "Nguyễn Văn Minh",
        "Chức vụ người ký quyết định *": "Giám đốc",
        "Loại văn bằng *": lists["kind"][0][1],  # Bằng tốt nghiệp trung học phổ thông
        "Năm tốt nghiệp *": 2025,
        "Nơi cấp *": "Hà Nội",
        "Ngày cấp *": date(2025, 8, 15),
        "Người ký *": "Nguyễn Văn Minh",
        "Chức vụ người ký *": "Giám đốc",
    }
    people = [
        ("Lê Thị Hoa", date(2007, 3, 4), lists["gender"][0][1], "Giỏi"),
        ("Phạm Văn Nam", date(2007, 11, 30), lists["gender"][0][0], "Khá"),
        ("Đỗ Minh Anh", date(2006, 12, 1), lists["gender"][0][1], None),
    ]
    for offset, (name, born, gender, classification) in enumerate(people):
        row = 2 + offset
        values = {
            "Số hiệu *": f"{prefix}-{offset + 1:04d}",
            "Họ và tên *": name,
            "Ngày sinh *": born,
            "Nơi sinh": "Hà Nội",
            "Giới tính *": gender,
            "Dân tộc": "Kinh",
            "Xếp loại": classification,
            "Công bố": lists["published"][0][0],
            **(first if offset == 0 else {}),
        }
        for header, value in values.items():
            sheet.cell(row=row, column=column[header], value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def test_the_template_filled_in_registers_cleanly(
    client: Any, db: asyncpg.Connection
) -> None:
    token = await sign_in(client, CLERK_LOGIN)
    page = await (await client.get("/quan-ly/dang-ky")).text()
    assert f'href="{PATH}"' in page
    assert "Tải tệp mẫu Excel" in page
    downloaded = await client.get(PATH)
    assert downloaded.status == 200
    assert downloaded.content_type == XLSX
    assert "attachment" in downloaded.headers["Content-Disposition"]
    data = await downloaded.read()

    checked = await client.post(
        "/api/v1/graduation-decisions?validate_only=true",
        data=_fill(data, prefix="TPL1"),
        headers={**bearer(CLERK), "Content-Type": XLSX},
    )
    assert checked.status == 200, await checked.text()
    answer = await checked.json()
    assert [d["full_name"] for d in answer["diplomas"]] == [
        "Lê Thị Hoa",
        "Phạm Văn Nam",
        "Đỗ Minh Anh",
    ]
    assert answer["kind"] == "thpt"
    assert answer["warnings"] == []
    # A check registers nothing, so it has no QR code to give.
    assert {(d["qr_url"], d["qr_png"]) for d in answer["diplomas"]} == {(None, None)}

    before = await register_counts(db)
    form = aiohttp.FormData()
    form.add_field("form_token", token)
    form.add_field("file", _fill(data, prefix="TPL2"), filename="danh-sach.xlsx")
    staged = await client.post("/quan-ly/dang-ky", data=form, allow_redirects=False)
    assert staged.status == 303, await staged.text()
    preview = await client.get(staged.headers["Location"])
    text = await preview.text()
    assert "TPL2/QĐ-SGDĐT" in text
    assert "Phạm Văn Nam" in text
    done = await client.post(
        f"{staged.headers['Location']}/xac-nhan",
        data={"form_token": form_token(text)},
        allow_redirects=False,
    )
    assert done.status == 303, await done.text()
    assert (await register_counts(db))[:2] == (before[0] + 1, before[1] + 3)
    stored = await db.fetch(
        "SELECT gender, classification, date_of_birth FROM diplomas WHERE serial LIKE 'TPL2-%'"
        " ORDER BY serial"
    )
    assert [r["gender"] for r in stored] == ["female", "male", "female"]
    assert [r["classification"] for r in stored] == ["Giỏi", "Khá", None]
    assert str(stored[1]["date_of_birth"]) == "2007-11-30"


async def test_the_template_is_for_signed_in_staff(client: Any) -> None:
    answer = await client.get(PATH, allow_redirects=False)
    assert answer.status == 303
    assert answer.headers["Location"].startswith("/dang-nhap")


def test_the_command_writes_the_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "mau.xlsx"
    assert main(["template", str(target)], environ={}) == 0
    workbook = openpyxl.load_workbook(target, read_only=True)
    assert workbook.sheetnames[0] == "Danh sách"


def test_the_instructions_example_row_is_a_valid_list_row() -> None:
    """The example says what a filled row looks like: copied to a list, it reads."""
    names = list(texts.TEMPLATE_EXAMPLE)
    rows: list[tuple[int, list[Any]]] = [
        (1, [template.header(n) for n in names]),
        (2, list(texts.TEMPLATE_EXAMPLE.values())),
    ]
    request, _ = rows_to_request(rows, max_rows=10)
    parsed = GraduationDecisionIn.model_validate(request)
    assert parsed.diploma.kind == DiplomaKind.THPT
    assert parsed.graduates[0].full_name == "Nguyễn Thị Lan"
