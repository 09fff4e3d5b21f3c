"""An auditor reading the registers they supervise (docs/audit.md): one issuer's register in
register order, a page at a time, read-only, with its lifecycle in words; its downloads; the
issuers to choose from and those refused; the console's searches narrowed to one issuer."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

import openpyxl

from service.usecases import registers
from tests.conftest import ADMIN, AUDITOR, bearer
from tests.factories import decision_request, registered, revoke
from tests.staff import ADMIN_LOGIN, AUDITOR_LOGIN, CLERK_LOGIN, journal_when, sign_in

_ROW = re.compile(r"<tr>\s*<td data-label=\"Số vào sổ\">([^<]*)</td>(.*?)</tr>", re.S)


def _rows(page: str) -> list[tuple[str, str]]:
    """(register number, the rest of the row) of each entry on the page."""
    return [(number, rest) for number, rest in _ROW.findall(page)]


async def test_an_auditor_reads_a_register_a_page_at_a_time(client: Any) -> None:
    diplomas = await registered(client, registers.PAGE + 1)
    await revoke(client, diplomas[1]["id"])
    await sign_in(client, AUDITOR_LOGIN)

    own = await client.get("/giam-sat/so-goc")  # the auditor's own issuer: nothing issued
    assert own.status == 200
    page = await own.text()
    assert '<option value="BGDDT" selected>' in page
    assert "Sổ gốc chưa có dòng nào khớp" in page
    for code in ("SGDDT-HN", "PGDDT-CG", "THPT-CVA", "DHSPHN"):  # every issuer under it
        assert f'<option value="{code}">' in page

    first = await client.get("/giam-sat/so-goc", params={"issuer": "sgddt-hn", "kind": "thpt"})
    assert first.status == 200
    page = await first.text()
    rows = _rows(page)
    assert len(rows) == registers.PAGE
    expected = sorted(diplomas, key=lambda d: int(d["register_number"].split("/")[0]))
    assert [n for n, _ in rows] == [d["register_number"] for d in expected[: registers.PAGE]]
    revoked = next(rest for n, rest in rows if n == diplomas[1]["register_number"])
    assert "Thu hồi theo QĐ 45/QĐ-SGDĐT ngày 01/10/2025" in revoked
    assert f'href="/quan-ly/van-bang/{diplomas[1]["id"]}"' in revoked
    assert "15/08/2025" in revoked  # the issue date, dd/mm/yyyy
    assert "revocation" not in page  # no codes shown
    assert "thpt</td>" not in page
    assert '<form method="post"' not in page.split("<main", 1)[1]  # nothing to change

    more = re.search(r'<a href="([^"]+)" rel="next">', page)
    assert more
    second = await (await client.get(more[1].replace("&amp;", "&"))).text()
    assert [n for n, _ in _rows(second)] == [expected[-1]["register_number"]]
    assert 'rel="next"' not in second
    assert '<a href="/giam-sat/so-goc?issuer=SGDDT-HN&amp;kind=thpt">Về trang đầu</a>' in second

    # Downloads keep the choice, and say nothing is wrong.
    assert 'href="/giam-sat/so-goc.xlsx?issuer=SGDDT-HN&amp;kind=thpt"' in page
    assert 'href="/quan-ly/van-bang?issuer=SGDDT-HN&amp;kind=thpt"' in page


async def test_a_bad_choice_is_said_beside_its_field(client: Any) -> None:
    await sign_in(client, AUDITOR_LOGIN)
    for params, field, message in (
        ({"issuer": "NOPE"}, "issuer", "Không có đơn vị mang mã này"),
        ({"issuer": "SGDDT-HN", "kind": "x"}, "kind", "Loại văn bằng không hợp lệ"),
        ({"issuer": "SGDDT-HN", "year": "20x5"}, "year", "Phải là số từ 1900 đến 2100"),
    ):
        response = await client.get("/giam-sat/so-goc", params=params)
        assert response.status == 400
        page = await response.text()
        assert f'<p class="error" id="{field}-error">{message}' in page
        assert "so-goc.xlsx" not in page  # no download of a register not chosen
        download = await client.get("/giam-sat/so-goc.xlsx", params=params)
        assert download.status == 400
    stale = await client.get("/giam-sat/so-goc", params={"issuer": "SGDDT-HN", "cursor": "!!"})
    assert stale.status == 400
    assert "xem lại từ trang đầu" in await stale.text()


async def test_the_register_downloads_open_in_excel_and_are_journalled(client: Any) -> None:
    diplomas = await registered(client, 3)
    await sign_in(client, AUDITOR_LOGIN)
    response = await client.get("/giam-sat/so-goc.xlsx", params={"issuer": "SGDDT-HN"})
    assert response.status == 200
    assert "so-goc-SGDDT-HN.xlsx" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(await response.read())).active
    assert sheet is not None
    assert str(sheet["A1"].value).startswith("Sổ gốc cấp văn bằng, chứng chỉ: SGDDT-HN")
    assert sheet["A2"].value == "STT"
    assert sheet.freeze_panes == "A3"
    numbers = sorted((d["register_number"] for d in diplomas), key=lambda n: int(n.split("/")[0]))
    assert [sheet.cell(row, 2).value for row in range(3, 6)] == numbers
    assert sheet["A3"].value == 1
    born = [c for c in sheet[3] if isinstance(c.value, datetime | date)]
    assert born
    assert all(c.number_format == "dd/mm/yyyy" for c in born)

    csv = await client.get("/giam-sat/so-goc.csv", params={"issuer": "SGDDT-HN", "year": "2025"})
    assert csv.status == 200
    body = await csv.read()
    assert body.startswith(b"\xef\xbb\xbfSTT,")
    assert body.count(b"\r\n") == 4  # the headings and the three entries

    def exported(page: dict[str, Any]) -> list[dict[str, Any]]:
        return [e for e in page["entries"] if e["action"] == "export.register"]

    found = await journal_when(
        client, bearer(AUDITOR), lambda p: len(exported(p)) >= 2, {"issuer": "SGDDT-HN"}
    )
    assert {e["detail"]["format"] for e in exported(found)} == {"xlsx", "csv"}


async def test_outside_the_scope_nothing_is_shown(client: Any) -> None:
    await sign_in(client, CLERK_LOGIN)
    for path in ("/giam-sat/so-goc", "/giam-sat/so-goc.xlsx", "/giam-sat/so-goc.csv"):
        assert (await client.get(path, params={"issuer": "SGDDT-HN"})).status == 403
    search = await (await client.get("/quan-ly/van-bang", params={"q": "a"})).text()
    assert 'id="issuer"' not in search  # a clerk reads their own issuer only
    client.session.cookie_jar.clear()

    await sign_in(client, ADMIN_LOGIN)  # an admin of SGDDT-HN: the department and below
    page = await (await client.get("/giam-sat/so-goc")).text()
    assert '<option value="SGDDT-HN" selected>' in page
    assert 'value="BGDDT"' not in page
    assert 'value="DHSPHN"' not in page
    above = await client.get("/giam-sat/so-goc.csv", params={"issuer": "BGDDT"})
    assert above.status == 400


async def test_the_searches_narrow_to_one_issuer(client: Any) -> None:
    await registered(client, 2)
    university = decision_request(2, kind="bachelor", issuer="DHSPHN", serial_prefix="U")
    university["diploma"]["major"] = "Sư phạm Toán"
    made = await client.post("/api/v1/graduation-decisions", json=university, headers=bearer(ADMIN))
    assert made.status == 201, await made.text()
    await sign_in(client, AUDITOR_LOGIN)
    every = await (await client.get("/quan-ly/van-bang", params={"q": ""})).text()
    assert '<select id="issuer" name="issuer">' in every
    assert every.count('data-label="Đơn vị">DHSPHN<') == 2
    assert every.count('data-label="Đơn vị">SGDDT-HN<') == 2
    one = await (await client.get("/quan-ly/van-bang", params={"issuer": "DHSPHN"})).text()
    assert '<option value="DHSPHN" selected>' in one
    assert one.count('data-label="Đơn vị">DHSPHN<') == 2
    assert 'data-label="Đơn vị">SGDDT-HN<' not in one
    decisions = await (await client.get("/quan-ly/quyet-dinh", params={"issuer": "DHSPHN"})).text()
    assert "SGDDT-HN" not in decisions.split('id="found"', 1)[1]
