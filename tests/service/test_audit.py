"""The auditors' views: the register with each entry's lifecycle, page by page and as
CSV/XLSX; the anomaly report; the event stream; all within the token's scope."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import asyncpg
import openpyxl
import openpyxl.cell.cell
import openpyxl.utils

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from service.domain.register_lines import signer_as_printed
from tests.conftest import ADMIN, AUDITOR, CLERK, bearer
from tests.factories import decision_request, delete_behind_the_back, registered, revoke, sequenced

BASE = "/api/v1/audit/issuers/SGDDT-HN"


async def _history(client: Any) -> list[dict[str, Any]]:
    """Three diplomas: one corrected and copied, one revoked, one re-issued."""
    first, second, third = await registered(client, 3)
    posts = (
        (f"/api/v1/diplomas/{first['id']}/corrections", {
            "decision_number": "12/QĐ", "decided_on": "2025-11-03",
            "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
            "ground": "civil_status_changed", "reason": "Cải chính họ tên",
            "changes": {"full_name": "Trần Thị Bính"},
        }),
        (f"/api/v1/diplomas/{first['id']}/copies", {
            "requester_name": "Trần Thị Bính", "relation": "holder",
            "id_document_type": "citizen_id", "id_document_number": "001085012345",
            "copies": 2, "issued_on": "2026-01-05",
            "signer": {"name": "Lê Văn Thành", "title": "Giám đốc"},
        }),
        (f"/api/v1/diplomas/{third['id']}/reissues", {
            "serial": "T900001", "issued_on": "2025-09-01", "reason": "In sai xếp loại",
        }),
    )  # fmt: skip
    for path, body in posts:
        response = await client.post(path, json=body, headers=bearer(CLERK))
        assert response.status == 201, await response.text()
    await revoke(client, second["id"])
    return [first, second, third]


async def test_the_register_page_by_page_with_its_lifecycle(client: Any) -> None:
    first, second, third = await _history(client)
    entries: list[dict[str, Any]] = []
    after = None
    pages = 0
    while True:
        params = {"limit": "2", **({"after": after} if after else {})}
        page = await (
            await client.get(f"{BASE}/register", params=params, headers=bearer(AUDITOR))
        ).json()
        entries += page["entries"]
        pages += 1
        after = page["next"]
        if after is None:
            break
    assert pages == 3  # 2 + 2 + 0: the last full page cannot know it was the last
    assert [e["register_number"] for e in entries] == [f"{n}/THPT-2025" for n in range(1, 5)]
    by_serial = {e["serial"]: e for e in entries}
    assert by_serial[first["serial"]]["corrections"][0]["changes"]["full_name"] == {
        "old": "Trần Thị Bình",
        "new": "Trần Thị Bính",
    }
    assert by_serial[first["serial"]]["copies"][0]["number"] == "1/2026/BS"
    assert by_serial[second["serial"]]["revocation"]["ground"] == "fraud"
    assert by_serial[third["serial"]]["replaced_by"] == "T900001"
    assert by_serial["T900001"]["replaces"] == third["serial"]
    bad = await client.get(f"{BASE}/register", params={"after": "!!"}, headers=bearer(AUDITOR))
    assert bad.status == 422


async def test_exports_open_in_excel(client: Any) -> None:
    await _history(client)
    response = await client.get(
        f"{BASE}/register.csv", params={"year": "2025"}, headers=bearer(AUDITOR)
    )
    assert response.status == 200
    assert response.content_type == "text/csv"
    body = await response.read()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:4] == ["STT", "Số vào sổ gốc", "Số hiệu văn bằng", "Họ và tên"]
    assert len(rows) == 5
    assert rows[1][1] == "1/THPT-2025"
    assert rows[1][4] == "01/05/2007"
    assert "Chỉnh sửa theo QĐ 12/QĐ ngày 03/11/2025" in rows[1][-1]
    assert "Bản sao số 1/2026/BS (2 bản)" in rows[1][-1]
    assert "Thu hồi theo QĐ 45/QĐ-SGDĐT" in rows[2][-1]

    response = await client.get(f"{BASE}/register.xlsx", headers=bearer(AUDITOR))
    assert response.status == 200
    sheet = openpyxl.load_workbook(io.BytesIO(await response.read())).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Sổ gốc cấp văn bằng, chứng chỉ: SGDDT-HN"  # a title, not a slug
    assert values[1][:3] == ("STT", "Số vào sổ gốc", "Số hiệu văn bằng")
    assert values[2][1] == "1/THPT-2025"
    assert len(values) == 6  # the title, the headings, four entries
    headings = list(values[1])
    first = dict(zip(headings, values[2], strict=True))
    # Cells of their own types: Excel sorts and filters them as dates and numbers.
    assert first["STT"] == 1
    assert first["Ngày sinh"] == datetime(2007, 5, 1)  # noqa: DTZ001 - a day, as Excel keeps it
    assert first["Ngày cấp"] == datetime(2025, 8, 15)  # noqa: DTZ001
    assert first["Năm tốt nghiệp"] == 2025
    birth = sheet.cell(row=3, column=headings.index("Ngày sinh") + 1)
    assert isinstance(birth, openpyxl.cell.cell.Cell)
    assert birth.is_date
    assert birth.number_format == "dd/mm/yyyy"
    # Notes in Vietnamese only, the column by its heading.
    notes = str(first["Ghi chú"])
    assert "Họ và tên: Trần Thị Bình → Trần Thị Bính" in notes
    assert "full_name" not in notes
    # The signer as the diploma prints it.
    assert first["Người ký"] == "GIÁM ĐỐC / Nguyễn Văn Minh"
    # The headings frozen, with an autofilter over every line; columns sized to their text.
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:{openpyxl.utils.get_column_letter(len(headings))}6"
    column = openpyxl.utils.get_column_letter(headings.index("Ghi chú") + 1)
    assert sheet.column_dimensions[column].width > sheet.column_dimensions["A"].width


async def test_cells_that_look_like_formulas_are_never_run(client: Any) -> None:
    """A value a spreadsheet would run (=, +, -, @ first) stays text: in CSV behind an
    apostrophe, in XLSX as a string cell."""
    request = decision_request(2)
    request["graduates"][0]["place_of_birth"] = '=HYPERLINK("http://x.example")'
    request["graduates"][1]["place_of_birth"] = "@SUM(1+1)"
    response = await client.post(
        "/api/v1/graduation-decisions", json=request, headers=bearer(CLERK)
    )
    assert response.status == 201, await response.text()
    body = await (await client.get(f"{BASE}/register.csv", headers=bearer(AUDITOR))).read()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    place = rows[0].index("Nơi sinh")
    assert [row[place] for row in rows[1:]] == ['\'=HYPERLINK("http://x.example")', "'@SUM(1+1)"]
    data = await (await client.get(f"{BASE}/register.xlsx", headers=bearer(AUDITOR))).read()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cells = [sheet.cell(row=row, column=place + 1) for row in (3, 4)]
    assert [c.data_type for c in cells] == ["s", "s"]  # strings, not formulas ("f")
    assert [c.value for c in cells] == ['=HYPERLINK("http://x.example")', "@SUM(1+1)"]


async def test_the_anomaly_report(client: Any, db: asyncpg.Connection) -> None:
    diplomas = await registered(client, 10)  # decided 2025-07-14, registered now: late
    university = decision_request(10, kind="bachelor", issuer="DHSPHN", serial_prefix="U")
    university["diploma"]["major"] = "Sư phạm Toán"
    assert (
        await client.post("/api/v1/graduation-decisions", json=university, headers=bearer(ADMIN))
    ).status == 201
    for diploma in diplomas[:3]:
        await revoke(client, diploma["id"])
    # Behind the database's back: a register row deleted, a key found compromised.
    await delete_behind_the_back(db, diplomas[5]["id"])
    await db.execute(
        "UPDATE issuer_keys SET compromised_since = '2020-01-01' WHERE issuer_code = 'DHSPHN'"
    )
    await db.execute("UPDATE issuers SET tracks_blanks = true WHERE code = 'SGDDT-HN'")

    report = await (
        await client.get("/api/v1/audit/issuers/BGDDT/anomalies", headers=bearer(AUDITOR))
    ).json()
    assert set(report["issuers"]) >= {"BGDDT", "SGDDT-HN", "DHSPHN", "PGDDT-CG", "THPT-CVA"}
    kinds: dict[str, list[dict[str, Any]]] = {}
    for anomaly in report["anomalies"]:
        kinds.setdefault(anomaly["type"], []).append(anomaly)
    assert kinds["register_gap"] == [
        {
            "type": "register_gap",
            "issuer": "SGDDT-HN",
            "kind": "thpt",
            "year": 2025,
            "missing": 1,
            "first_missing": [6],
        }
    ]
    assert {a["issuer"] for a in kinds["late_issuance"]} == {"SGDDT-HN", "DHSPHN"}
    assert kinds["late_issuance"][0]["deadline"] == "2025-09-27"
    revoked = kinds["revoked_rate"]
    assert [(a["issuer"], a["events"], a["peer_rate"]) for a in revoked] == [("SGDDT-HN", 3, 0.0)]
    assert len(kinds["signed_by_compromised_key"]) == 10
    assert {a["issuer"] for a in kinds["signed_by_compromised_key"]} == {"DHSPHN"}
    assert kinds["blanks_unaccounted"][0]["diplomas_without_blank"] == 9

    # The department sees only itself and what is under it.
    own = await (await client.get(f"{BASE}/anomalies", headers=bearer(CLERK))).json()
    assert {a["issuer"] for a in own["anomalies"]} == {"SGDDT-HN"}


async def test_the_event_stream_and_the_scope(client: Any, db: asyncpg.Connection) -> None:
    await _history(client)
    await sequenced(client)
    first = await (
        await client.get(f"{BASE}/events", params={"limit": "3"}, headers=bearer(AUDITOR))
    ).json()
    assert [e["index"] for e in first["events"]] == [0, 1, 2]
    rest = await (
        await client.get(
            f"{BASE}/events", params={"after": str(first["next"])}, headers=bearer(AUDITOR)
        )
    ).json()
    types = [e["type"] for e in first["events"] + rest["events"]]
    assert types.count("issue") == 4
    assert {"correction", "copy", "reissue", "revocation", "blanks_spoiled"} <= set(types)

    other = new_token()
    await add_token(db, other, Role.CLERK, "DHSPHN")
    for path in ("/register", "/register.csv", "/anomalies", "/events"):
        response = await client.get(f"{BASE}{path}", headers=bearer(other))
        assert response.status == 404, path
        response = await client.get(f"{BASE}{path}")
        assert response.status == 401, path


def test_the_signer_as_the_diploma_prints_it() -> None:
    assert signer_as_printed("Nguyễn Văn Minh", "Giám đốc", None) == "GIÁM ĐỐC / Nguyễn Văn Minh"
    deputy = signer_as_printed("Phạm Thị Thu Hằng", "Phó Giám đốc", "Giám đốc")
    assert deputy == "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Phạm Thị Thu Hằng"
