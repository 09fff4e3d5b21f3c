"""Every malformed, oversized or conflicting registration gets its own problem and writes
nothing."""

from __future__ import annotations

import datetime
import io
import json
import unicodedata
from typing import Any

import openpyxl
import pytest
import xlwt

from tests.conftest import ADMIN, CLERK, bearer
from tests.factories import assert_problem, decision_request, example, register_counts

URL = "/api/v1/graduation-decisions"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv(text: str) -> bytes:
    return text.encode()


CSV_HEADER = (
    "decision_number,decision_date,decision_signer_name,decision_signer_title,kind,"
    "graduation_year,place_of_issue,issued_on,signer_name,signer_title,serial,full_name,"
    "date_of_birth,place_of_birth,gender\n"
)
CSV_ROW = "1/QĐ,14/07/2025,Lê Văn Tám,Giám đốc,thpt,2025,Hà Nội,15/08/2025,Lê Văn Tám,Giám đốc,"


async def post(
    client: Any,
    data: Any,
    content_type: str = "application/json",
    token: str = CLERK,
    **headers: str,
) -> Any:
    if not isinstance(data, bytes):
        data = json.dumps(data).encode()
    return await client.post(
        URL,
        data=io.BytesIO(data),
        headers={**bearer(token), "Content-Type": content_type, **headers},
    )


async def test_malformed_json(client: Any, db: Any) -> None:
    body = await assert_problem(await post(client, b'{"decision": '), 400, "malformed-body")
    assert "JSON" in body["detail"]
    assert await register_counts(db) == (0, 0, 0)


async def test_empty_body(client: Any) -> None:
    await assert_problem(await post(client, b""), 400, "malformed-body")


async def test_wrong_media_type(client: Any, db: Any) -> None:
    response = await post(client, b"<xml/>", content_type="application/xml")
    body = await assert_problem(response, 415, "unsupported-media-type")
    assert "application/xml" in body["detail"]


async def test_body_over_the_limit(client: Any, db: Any) -> None:
    data = decision_request(1)
    data["decision"]["number"] = "x" * (3 * 1024 * 1024)
    await assert_problem(await post(client, data), 413, "payload-too-large")
    assert await register_counts(db) == (0, 0, 0)


async def test_body_over_the_limit_without_content_length(client: Any) -> None:
    async def chunks() -> Any:
        for _ in range(40):
            yield b" " * (64 * 1024)

    response = await client.post(
        URL, data=chunks(), headers={**bearer(CLERK), "Content-Type": "application/json"}
    )
    await assert_problem(response, 413, "payload-too-large")


async def test_too_many_graduates(client: Any, db: Any) -> None:
    response = await post(client, decision_request(1001))  # the test limit is 1,000
    body = await assert_problem(response, 413, "payload-too-large")
    assert "1000" in body["detail"]
    assert await register_counts(db) == (0, 0, 0)


async def test_unknown_and_missing_fields_are_named(client: Any, db: Any) -> None:
    data = decision_request(2)
    data["graduates"][1]["nickname"] = "Bé"
    del data["graduates"][0]["date_of_birth"]
    response = await post(client, data, **{"Accept-Language": "en"})
    body = await assert_problem(response, 422, "validation-error")
    found = {(e["pointer"], e["code"]) for e in body["errors"]}
    assert found == {
        ("#/graduates/1/nickname", "extra_forbidden"),
        ("#/graduates/0/date_of_birth", "missing"),
    }
    assert body["title"] == "Invalid data"
    assert await register_counts(db) == (0, 0, 0)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2007-02-30", "date_impossible"),
        ("31/04/2007", "date_impossible"),
        ("2007/01/01", "date_format"),
        (20070101, "date_format"),
    ],
)
async def test_impossible_dates(client: Any, db: Any, value: Any, code: str) -> None:
    data = decision_request(1)
    data["graduates"][0]["date_of_birth"] = value
    body = await assert_problem(await post(client, data), 422, "validation-error")
    assert [(e["pointer"], e["code"]) for e in body["errors"]] == [
        ("#/graduates/0/date_of_birth", code)
    ]
    assert await register_counts(db) == (0, 0, 0)


async def test_dates_that_contradict_each_other(client: Any, db: Any) -> None:
    data = decision_request(2)
    data["graduates"][0]["date_of_birth"] = "2025-09-01"  # born after the decision
    data["graduates"][1]["date_of_birth"] = "2020-01-01"  # five at graduation
    data["diploma"]["issued_on"] = "2025-07-01"  # before the decision of 14/07
    body = await assert_problem(await post(client, data), 422, "validation-error")
    assert {(e["pointer"], e["code"]) for e in body["errors"]} == {
        ("#/graduates/0/date_of_birth", "born_after_decision"),
        ("#/graduates/1/date_of_birth", "too_young"),
        ("#/diploma/issued_on", "issued_before_decision"),
    }
    assert await register_counts(db) == (0, 0, 0)


async def test_a_field_the_kind_requires(client: Any, db: Any) -> None:
    data = decision_request(1)
    del data["graduates"][0]["place_of_birth"]  # THPT diplomas print the place of birth
    body = await assert_problem(await post(client, data), 422, "validation-error")
    assert [(e["pointer"], e["code"]) for e in body["errors"]] == [
        ("#/graduates/0/place_of_birth", "required_for_kind")
    ]


async def test_kind_the_issuer_may_not_issue(client: Any, db: Any) -> None:
    # A provincial department does not issue bachelor's degrees.
    data = decision_request(1, kind="bachelor")
    data["graduates"][0]["major"] = "Sư phạm Toán học"
    body = await assert_problem(await post(client, data), 422, "kind-not-permitted")
    assert "do cơ sở giáo dục đại học, trường sư phạm cấp" in body["detail"]
    assert "SGDDT-HN là Sở Giáo dục và Đào tạo" in body["detail"]
    assert "university" not in body["detail"]  # no English code reaches a clerk
    assert await register_counts(db) == (0, 0, 0)


async def test_kind_a_regulation_does_not_have(client: Any, db: Any) -> None:
    data = decision_request(1, kind="thcs", issued_on="2026-08-15")
    data["diploma"]["regulation"] = "TT10/2026"
    body = await assert_problem(
        await post(
            client,
            data,
            token=ADMIN,
        ),
        422,
        "validation-error",
    )
    assert body["errors"][0]["code"] == "missing"  # the admin named no issuer
    data["issuer"] = "PGDDT-CG"
    body = await assert_problem(await post(client, data, token=ADMIN), 422, "validation-error")
    assert [(e["pointer"], e["code"]) for e in body["errors"]] == [
        ("#/diploma/kind", "kind_not_in_regulation")
    ]


async def test_unknown_regulation_and_issuer(client: Any, db: Any) -> None:
    data = decision_request(1)
    data["diploma"]["regulation"] = "TT99/2099"
    body = await assert_problem(await post(client, data), 422, "validation-error")
    assert body["errors"][0]["pointer"] == "#/diploma/regulation"
    response = await post(client, decision_request(1, issuer="NOPE"), token=ADMIN)
    await assert_problem(response, 422, "unknown-issuer")
    assert await register_counts(db) == (0, 0, 0)


async def test_duplicate_serial_within_a_request(client: Any, db: Any) -> None:
    data = decision_request(3)
    data["graduates"][2]["serial"] = data["graduates"][0]["serial"].lower()
    body = await assert_problem(await post(client, data), 409, "duplicate-serial")
    assert [(e["pointer"], e["code"]) for e in body["errors"]] == [
        ("#/graduates/2/serial", "duplicate_serial")
    ]
    assert "1" in body["errors"][0]["detail"]  # names the graduate it repeats
    assert await register_counts(db) == (0, 0, 0)


async def test_duplicate_serial_across_requests(client: Any, db: Any) -> None:
    assert (await post(client, decision_request(3, number="1/QĐ"))).status == 201
    again = decision_request(3, number="2/QĐ", serial_prefix="X")
    again["graduates"][1]["serial"] = "T000002"
    body = await assert_problem(await post(client, again), 409, "duplicate-serial")
    assert [e["pointer"] for e in body["errors"]] == ["#/graduates/1/serial"]
    assert await register_counts(db) == (1, 3, 0)
    counter = await db.fetchval("SELECT last_seq FROM register_counters")
    assert counter == 3


async def test_the_same_serial_for_another_kind_is_another_blank(client: Any, db: Any) -> None:
    assert (await post(client, decision_request(1, number="1/QĐ"))).status == 201
    certificate = decision_request(1, number="2/QĐ", kind="certificate")
    assert (await post(client, certificate)).status == 201


async def test_duplicate_decision(client: Any, db: Any) -> None:
    assert (await post(client, decision_request(2))).status == 201
    again = decision_request(2, serial_prefix="Z")
    body = await assert_problem(await post(client, again), 409, "duplicate-decision")
    assert "100/QĐ-SGDĐT" in body["detail"]
    assert await register_counts(db) == (1, 2, 0)


async def test_csv_errors_name_row_column_and_cell(client: Any, db: Any) -> None:
    text = (
        CSV_HEADER
        + CSV_ROW
        + "S1,Nguyễn Văn An,01/02/2007,Hà Nội,Nam\n"
        + CSV_ROW
        + "S2,Lê Thị Bình,30/02/2007,Hà Nội,Nữ\n"
        + CSV_ROW
        + "S3,Phạm Chí,01/02/2007,Hà Nội,khác\n"
    )
    response = await post(client, _csv(text), "text/csv")
    body = await assert_problem(response, 422, "validation-error")
    located = {(e["row"], e["column"], e["cell"], e["code"]) for e in body["errors"]}
    assert located == {
        (3, "date_of_birth", "M3", "date_impossible"),
        (4, "gender", "O4", "gender"),
    }
    assert await register_counts(db) == (0, 0, 0)


async def test_csv_decision_column_differing_between_rows(client: Any) -> None:
    text = (
        CSV_HEADER
        + CSV_ROW
        + "S1,Nguyễn Văn An,01/02/2007,Hà Nội,Nam\n"
        + CSV_ROW.replace("1/QĐ", "2/QĐ")
        + "S2,Lê Thị Bình,01/02/2007,Hà Nội,Nữ\n"
    )
    body = await assert_problem(await post(client, _csv(text), "text/csv"), 422, "validation-error")
    assert [(e["row"], e["cell"], e["code"]) for e in body["errors"]] == [
        (3, "A3", "differs_between_rows")
    ]


async def test_csv_unknown_and_missing_columns(client: Any) -> None:
    text = CSV_HEADER.replace("gender", "biệt danh") + CSV_ROW + "S1,An,01/02/2007,HN,x\n"
    body = await assert_problem(await post(client, _csv(text), "text/csv"), 422, "validation-error")
    assert [(e["row"], e["column"], e.get("cell")) for e in body["errors"]] == [
        (1, "biệt danh", "O1"),
        (1, "Giới tính", None),  # and the column it stood for is missing
    ]
    # A required column missing: one error naming it, however many rows the list has.
    rows = "".join(CSV_ROW + f"S{n},Nguyễn An,01/02/2007,HN\n" for n in range(30))
    text = CSV_HEADER.replace(",gender", "") + rows
    body = await assert_problem(await post(client, _csv(text), "text/csv"), 422, "validation-error")
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (1, "Giới tính", "missing_column")
    ]
    assert "Thiếu cột 'Giới tính'" in body["errors"][0]["detail"]


def _cp1258(text: str) -> bytes:
    """Text as older Vietnamese Windows saves it: base letters (â, ê, ơ, đ...) as bytes of
    their own, tones as combining marks after them."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tone = next(c for c in decomposed if c in tones)
            base = unicodedata.normalize("NFC", decomposed.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


ROWS = CSV_ROW + "S1,Nguyễn Văn An,01/02/2007,Hà Nội,Nam\n"


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(lambda t: t.encode(), id="utf-8"),
        pytest.param(lambda t: t.encode("utf-8-sig"), id="utf-8 with BOM"),
        pytest.param(lambda t: t.replace(",", "\t").encode("utf-16"), id="Unicode Text (UTF-16)"),
        pytest.param(_cp1258, id="Windows-1258"),
    ],
)
async def test_csv_as_clerks_save_it(client: Any, db: Any, encoded: Any) -> None:
    response = await post(client, encoded(CSV_HEADER + ROWS), "text/csv")
    assert response.status == 201, await response.text()
    name = await db.fetchval("SELECT holder_name FROM diplomas")
    assert name == "Nguyễn Văn An"
    assert unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b"PK\x03\x04" + b"\x00" * 40, "tệp Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "Excel đời cũ (.xls)"),
        (b"%PDF-1.7\n", "tệp PDF"),
        (b"\xff\xfeA\x00\x00\xd8", "bị hỏng"),  # a UTF-16 BOM, then half a surrogate pair
        (b"decision\x00number\x01\x02", "không phải văn bản"),
    ],
)
async def test_a_file_that_is_no_csv_says_what_it_is_and_how_to_save_one(
    client: Any, db: Any, data: bytes, found: str
) -> None:
    body = await assert_problem(await post(client, data, "text/csv"), 400, "malformed-body")
    assert found in body["detail"]
    assert "CSV UTF-8" in body["detail"]
    assert "position" not in body["detail"]
    assert "vị trí" not in body["detail"]
    assert await register_counts(db) == (0, 0, 0)


async def test_kinds_and_genders_as_clerks_write_them(client: Any, db: Any) -> None:
    written = CSV_ROW.replace(",thpt,", ",Bằng tốt nghiệp THPT,")
    text = CSV_HEADER + written + "S1,Nguyễn Văn An,01/02/2007,Hà Nội,NỮ\n"
    response = await post(client, _csv(text), "text/csv")
    assert response.status == 201, await response.text()
    assert await db.fetchval("SELECT kind || '/' || gender FROM diplomas") == "thpt/female"
    wrong = CSV_HEADER + CSV_ROW.replace(",thpt,", ",Bằng khen,") + "S2,Lê Bình,01/02/2007,HN,x\n"
    body = await assert_problem(
        await post(client, _csv(wrong), "text/csv"), 422, "validation-error"
    )
    details = {e["code"]: e["detail"] for e in body["errors"]}
    assert "Bằng tốt nghiệp trung học phổ thông (thpt)" in details["kind"]
    assert details["gender"] == "Giới tính ghi là Nam hoặc Nữ"


async def test_xlsx_errors_name_the_cell(client: Any, db: Any) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(example("xlsx")))
    sheet = workbook.worksheets[0]
    sheet["O5"] = "31/02/2007"  # Ngày sinh of the fourth graduate
    out = io.BytesIO()
    workbook.save(out)
    body = await assert_problem(await post(client, out.getvalue(), XLSX), 422, "validation-error")
    assert [(e["row"], e["column"], e["cell"]) for e in body["errors"]] == [(5, "Ngày sinh", "O5")]
    assert await register_counts(db) == (0, 0, 0)


async def test_xlsx_that_is_not_a_workbook(client: Any) -> None:
    await assert_problem(await post(client, b"PK\x03\x04broken", XLSX), 400, "malformed-body")
    await assert_problem(await post(client, example("csv"), XLSX), 400, "malformed-body")


async def test_unknown_route_and_wrong_method(client: Any) -> None:
    await assert_problem(await client.get("/api/v1/nothing"), 404, "not-found")
    response = await client.delete(URL, headers=bearer(CLERK))
    await assert_problem(response, 405, "method-not-allowed")
    assert "POST" in response.headers["Allow"]


async def test_problem_titles_follow_accept_language(client: Any) -> None:
    vi = await client.get("/nothing")
    en = await client.get("/nothing", headers={"Accept-Language": "en-GB,en;q=0.9,vi;q=0.5"})
    assert (await vi.json(content_type=None))["title"] == "Không tìm thấy"
    assert vi.headers["Content-Language"] == "vi"
    assert (await en.json(content_type=None))["title"] == "Not found"
    assert en.headers["Content-Language"] == "en"


async def test_problem_types_are_documented_at_their_uri(client: Any) -> None:
    body = await (await client.get("/problems/duplicate-serial")).json()
    assert body["status"] == 409
    assert body["title"]["vi"] == "Số hiệu văn bằng bị trùng"


def _xls(rows: list[list[Any]]) -> bytes:
    """A workbook as Excel 97-2003 saves it, dates as date cells."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Danh sách")
    dated = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, dated)
            else:
                sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xls_rows(birth: Any) -> list[list[Any]]:
    header = CSV_HEADER.strip().split(",")
    decision = CSV_ROW.rstrip(",").split(",")
    return [header, [*decision, "S1", "Nguyễn Văn An", birth, "Hà Nội", "Nam"]]


async def test_a_legacy_xls_workbook_registers(client: Any, db: Any) -> None:
    data = _xls(_xls_rows(datetime.date(2007, 2, 1)))
    response = await post(client, data, "application/vnd.ms-excel")
    assert response.status == 201, await response.text()
    row = await db.fetchrow("SELECT holder_name, date_of_birth FROM diplomas")
    assert (row["holder_name"], row["date_of_birth"]) == (
        "Nguyễn Văn An",
        datetime.date(2007, 2, 1),
    )


async def test_a_legacy_xls_names_the_cell_of_an_error_and_a_broken_one_is_refused(
    client: Any, db: Any
) -> None:
    data = _xls(_xls_rows("31/02/2007"))
    body = await assert_problem(
        await post(client, data, "application/vnd.ms-excel"), 422, "validation-error"
    )
    assert [(e["row"], e["column"], e["cell"]) for e in body["errors"]] == [
        (2, "date_of_birth", "M2")
    ]
    broken = await post(client, b"\xd0\xcf\x11\xe0not really", "application/vnd.ms-excel")
    body = await assert_problem(broken, 400, "malformed-body")
    assert ".xlsx" in body["detail"]
    assert await register_counts(db) == (0, 0, 0)


async def test_validate_only_answers_what_would_be_registered_and_takes_nothing(
    client: Any, db: Any
) -> None:
    url = "/api/v1/graduation-decisions"
    before = await db.fetch("SELECT * FROM register_counters ORDER BY 1, 2, 3")
    checked = await client.post(
        url, params={"validate_only": "true"}, json=decision_request(3), headers=bearer(CLERK)
    )
    assert checked.status == 200, await checked.text()
    assert "Location" not in checked.headers
    preview = await checked.json()
    assert [d["serial"] for d in preview["diplomas"]] == ["T000001", "T000002", "T000003"]
    assert await register_counts(db) == (0, 0, 0)
    assert await db.fetch("SELECT * FROM register_counters ORDER BY 1, 2, 3") == before
    assert await db.fetchval("SELECT count(*) FROM staff_journal") == 0
    assert await db.fetchval("SELECT count(*) FROM idempotency_keys") == 0
    assert await db.fetchval("SELECT count(*) FROM log_queue") == 0
    # Registering next takes exactly the numbers the check showed: none was used up.
    registered = await client.post(url, json=decision_request(3), headers=bearer(CLERK))
    assert registered.status == 201
    numbers = [d["register_number"] for d in (await registered.json())["diplomas"]]
    assert numbers == [d["register_number"] for d in preview["diplomas"]]
    # The same problems as registering: now every serial is taken.
    again = await client.post(
        url,
        params={"validate_only": "1"},
        json=decision_request(3, number="2/QĐ"),
        headers=bearer(CLERK),
    )
    await assert_problem(again, 409, "duplicate-serial")
    bad = await client.post(
        url, params={"validate_only": "maybe"}, json=decision_request(1), headers=bearer(CLERK)
    )
    await assert_problem(bad, 422, "validation-error")
    assert await register_counts(db) == (1, 3, 0)  # the checks left nothing behind
