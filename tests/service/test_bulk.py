"""The bulk check (docs/verification.md, "Kiểm tra hàng loạt"): an HR officer's file of QR
texts, as CSV or workbook, comes back as it was with each row's result beside it; a ZIP of
photos of QR codes comes back as a workbook, an image a row; files it cannot use are said so
beside the field, and nothing is kept."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from typing import Any

import aiohttp
import openpyxl
from PIL import Image

from service.domain.bulk import MAX_ROWS
from tests.conftest import ADMIN, CLERK, bearer
from tests.factories import qr_text, registered, revoke
from tests.staff import CLERK_LOGIN, form_token, journal_when, sign_in

HEADINGS = [
    "Kết quả kiểm tra",
    "Mã kết quả",
    "Họ và tên (theo mã QR)",
    "Số hiệu",
    "Loại văn bằng",
    "Đơn vị cấp",
    "Tình trạng hiện nay",
    "Thời điểm kiểm tra (giờ Việt Nam)",
]


async def _codes(client: Any) -> tuple[list[dict[str, Any]], list[str]]:
    diplomas = await registered(client, 3)
    await revoke(client, diplomas[1]["id"])
    texts = [await qr_text(client, d["id"]) for d in diplomas]
    return diplomas, texts


def _forged(text: str) -> str:
    return text[:-8] + ("A" if text[-8] != "A" else "B") + text[-7:]


async def _upload(client: Any, name: str, data: bytes, lang: str = "vi") -> Any:
    form = aiohttp.FormData()
    form.add_field("file", data, filename=name)
    return await client.post(f"/kiem-tra-hang-loat?lang={lang}", data=form)


async def test_a_csv_comes_back_as_it_was_with_each_rows_result(client: Any) -> None:
    diplomas, codes = await _codes(client)
    rows = [
        ["STT", "Họ tên ứng viên", "Mã QR trên bằng"],
        ["1", "Ứng viên một", codes[0]],
        ["2", "Ứng viên hai", codes[1]],
        ["3", "Ứng viên ba", ""],
        ["4", "Ứng viên bốn", _forged(codes[2])],
        ["5", "=CMD()", "không phải mã"],
    ]
    data = "\r\n".join(";".join(r) for r in rows).encode("utf-8")  # Excel's ; and no BOM
    response = await _upload(client, "ung-vien.csv", data)
    assert response.status == 200, await response.text()
    assert "ket-qua-ung-vien.csv" in response.headers["Content-Disposition"]
    assert response.headers["X-Checked"] == "4"
    body = await response.read()
    assert body.startswith(b"\xef\xbb\xbf")
    back = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert [r[:3] for r in back] == [r[:3] for r in rows[:-1]] + [["5", "=CMD()", "không phải mã"]]
    assert back[0][3:] == HEADINGS
    valid, revoked, empty, forged, other = (
        dict(zip(HEADINGS, r[3:], strict=True)) for r in back[1:]
    )
    assert valid["Mã kết quả"] == "valid"
    assert valid["Kết quả kiểm tra"] == "Văn bằng thật và còn hiệu lực"
    assert valid["Số hiệu"] == diplomas[0]["serial"]
    assert valid["Loại văn bằng"] == "Bằng tốt nghiệp trung học phổ thông"
    assert valid["Đơn vị cấp"] == "Sở Giáo dục và Đào tạo Hà Nội (SGDDT-HN)"
    assert valid["Tình trạng hiện nay"] == "Còn hiệu lực"
    assert revoked["Mã kết quả"] == "revoked"
    assert revoked["Tình trạng hiện nay"].startswith("Đã bị thu hồi theo quyết định 45/QĐ-SGDĐT")
    assert empty["Kết quả kiểm tra"] == "Dòng này không có mã QR"
    assert forged["Mã kết quả"] == "not_genuine"
    assert forged["Họ và tên (theo mã QR)"] == ""  # a false code's contents are not shown
    assert other["Mã kết quả"] == "not_genuine"


async def test_a_workbook_keeps_its_sheets_and_formats(client: Any) -> None:
    diplomas, codes = await _codes(client)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Ứng viên"
    sheet.append(["Họ tên", "Vị trí", "QR"])
    sheet["A1"].font = openpyxl.styles.Font(bold=True, color="FF0000")
    sheet.append(["An", "Kế toán", codes[0]])
    sheet.append(["Bình", "Thủ quỹ", codes[1]])
    other = book.create_sheet("Ghi chú")
    other["A1"] = "giữ nguyên"
    out = io.BytesIO()
    book.save(out)
    response = await _upload(client, "ds.xlsx", out.getvalue(), lang="en")
    assert response.status == 200, await response.text()
    back = openpyxl.load_workbook(io.BytesIO(await response.read()))
    assert back.sheetnames == ["Ứng viên", "Ghi chú"]
    assert back["Ghi chú"]["A1"].value == "giữ nguyên"
    first = back["Ứng viên"]
    assert first["A1"].font.color.rgb == "00FF0000"
    assert [c.value for c in first[1]][3:5] == ["Check result", "Result code"]
    assert first["E2"].value == "valid"
    assert first["G2"].value == diplomas[0]["serial"]
    assert first["E3"].value == "revoked"
    assert first["D2"].data_type == "s"


async def test_a_zip_of_photos_comes_back_as_a_workbook(client: Any) -> None:
    diplomas, _ = await _codes(client)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as photos:
        for n, diploma in enumerate(diplomas[:2]):
            png = await client.get(
                f"/api/v1/diplomas/{diploma['id']}/qr.png", headers=bearer(CLERK)
            )
            photos.writestr(f"anh/bang-{n + 1}.png", await png.read())
        blank = io.BytesIO()
        Image.new("RGB", (200, 200), "white").save(blank, "PNG")
        photos.writestr("anh/trang.png", blank.getvalue())
        photos.writestr("anh/ghi-chu.txt", "not an image")
    response = await _upload(client, "anh.zip", archive.getvalue())
    assert response.status == 200, await response.text()
    sheet = openpyxl.load_workbook(io.BytesIO(await response.read())).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][:3] == ["Tệp ảnh", "Mã QR", "Kết quả kiểm tra"]
    by_image = {r[0]: r for r in rows[1:]}
    assert set(by_image) == {"bang-1.png", "bang-2.png", "trang.png"}
    assert by_image["bang-1.png"][3] == "valid"
    assert by_image["bang-2.png"][3] == "revoked"
    assert str(by_image["trang.png"][2]).startswith("Không thấy mã QR trong ảnh")


async def test_files_it_cannot_use_are_said_beside_the_field(client: Any) -> None:
    _, codes = await _codes(client)
    too_many = "\r\n".join(["QR", *[codes[0]] * (MAX_ROWS + 1)]).encode()
    for name, data, status, said in (
        ("x.csv", b"", 422, "Hãy chọn một tệp CSV, Excel (.xlsx) hoặc ZIP"),
        ("x.csv", b"ten,tuoi\r\nAn,30\r\n", 422, "Không tìm thấy cột nào chứa mã QR"),
        ("x.csv", too_many, 422, f"Tệp có {MAX_ROWS + 1} mã QR; mỗi lần kiểm tra được tối đa"),
        ("x.zip", b"PK\x03\x04broken", 400, "Không đọc được tệp ZIP"),
        ("x.pdf", b"%PDF-1.7 ...", 400, "PDF"),
    ):
        response = await _upload(client, name, data)
        assert response.status == status, (name, await response.text())
        page = await response.text()
        assert response.content_type == "text/html"
        error = page.split('id="file-error" role="alert">', 1)[1].split("</p>", 1)[0]
        assert said in error, (said, error)
        assert 'aria-invalid="true"' in page


async def test_the_api_answers_the_same_file(client: Any) -> None:
    _, codes = await _codes(client)
    data = f"QR\r\n{codes[0]}\r\n".encode()
    response = await client.post(
        "/api/v1/bulk-verify?lang=en&name=batch.csv",
        data=data,
        headers={"Content-Type": "text/csv"},
    )
    assert response.status == 200
    back = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert back[0][1] == "Check result"
    assert back[1][2] == "valid"
    refused = await client.post("/api/v1/bulk-verify", data=b"a,b\r\n")
    assert refused.status == 422
    assert (await refused.json())["errors"][0]["pointer"] == "#/file"


async def _lookups(client: Any, data: bytes, name: str, purpose: str | None) -> Any:
    page = await (await client.get("/quan-ly/tra-cuu-hang-loat")).text()
    form = aiohttp.FormData()
    form.add_field("form_token", form_token(page))
    if purpose is not None:
        form.add_field("purpose", purpose)
    form.add_field("file", data, filename=name)
    return await client.post("/quan-ly/tra-cuu-hang-loat", data=form)


async def test_a_signed_in_bulk_lookup_states_its_purpose_and_is_journalled(client: Any) -> None:
    diplomas, _ = await _codes(client)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Họ tên", "Số hiệu *", "NGÀY SINH"])
    sheet.append(["Bình", diplomas[0]["serial"].lower(), datetime(2007, 5, 1)])  # noqa: DTZ001
    sheet.append(["Không có", "NOPE-1", "01/05/2007"])
    sheet.append(["Sai ngày", diplomas[2]["serial"], "31/02/2007"])
    out = io.BytesIO()
    book.save(out)
    await sign_in(client, CLERK_LOGIN)
    unstated = await _lookups(client, out.getvalue(), "ds.xlsx", "  ")
    assert unstated.status == 422
    page = await unstated.text()
    assert 'id="purpose-error">Hãy ghi rõ mục đích tra cứu' in page

    response = await _lookups(
        client, out.getvalue(), "ds.xlsx", "Xác minh hồ sơ tuyển dụng tháng 12"
    )
    assert response.status == 200, await response.text()
    back = openpyxl.load_workbook(io.BytesIO(await response.read())).active
    assert back is not None
    rows = [[c.value for c in row] for row in back.iter_rows()]
    assert rows[0][3:5] == ["Kết quả kiểm tra", "Mã kết quả"]
    assert rows[1][4] == "valid"
    assert rows[1][6] == diplomas[0]["serial"]
    assert rows[2][4] == "not_found"
    assert rows[3][3] == "Thiếu số hiệu, hoặc ngày sinh không đúng dạng ngày/tháng/năm"

    def bulk(page: dict[str, Any]) -> list[dict[str, Any]]:
        return [e for e in page["entries"] if e["action"] == "lookup.bulk"]

    found = await journal_when(client, bearer(ADMIN), lambda p: bool(bulk(p)))
    (entry,) = bulk(found)
    assert entry["username"] == CLERK_LOGIN[0]
    assert entry["detail"] == {
        "purpose": "Xác minh hồ sơ tuyển dụng tháng 12",
        "rows": 3,
        "found": 1,
        "file": "ds.xlsx",
    }


async def test_a_bulk_lookup_needs_a_signed_in_person_and_is_limited(client: Any) -> None:
    data = b"so hieu,ngay sinh\r\nA1,01/01/2007\r\n"
    anonymous = aiohttp.FormData()
    anonymous.add_field("file", data, filename="a.csv")
    refused = await client.post("/quan-ly/tra-cuu-hang-loat", data=anonymous, allow_redirects=False)
    assert refused.status in (303, 401, 403)
    await sign_in(client, CLERK_LOGIN)
    statuses = [
        (await _lookups(client, data, "a.csv", "Kiểm tra giới hạn")).status for _ in range(11)
    ]
    assert statuses == [200] * 10 + [429]
