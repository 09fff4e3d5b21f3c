"""The auditor's supervision overview (docs/audit.md): each issuer's year in figures, the
charts drawn on the server, each with its table, within the auditor's scope only."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from typing import Any

import asyncpg
import pytest

from service.domain.anomaly_keys import anomaly_key
from service.domain.audit_views import RegisterGap
from service.domain.clock import VIETNAM
from service.web import charts
from tests.conftest import ADMIN, bearer
from tests.factories import decision_request, registered, revoke
from tests.staff import ADMIN_LOGIN, AUDITOR_LOGIN, CLERK_LOGIN, DEMO, sign_in

HANOI = "Sở Giáo dục và Đào tạo Hà Nội (SGDDT-HN)"


def _open_count(page: str) -> int:
    """The anomalies page's count of those not yet reviewed."""
    found = re.search(r"<strong>(\d+) chưa xem xét</strong>", page)
    assert found, page
    return int(found[1])


def _row(page: str, name: str) -> list[str]:
    """The cells of the issuers table's row headed `name`."""
    found = re.search(rf"<th scope=\"row\"[^>]*>{re.escape(name)}</th>(.*?)</tr>", page, re.S)
    assert found, name
    return [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", found[1], re.S)]


async def test_the_year_of_every_issuer_under_the_auditor(client: Any) -> None:
    diplomas = await registered(client, 10)  # decided in 2025, registered now: late
    university = decision_request(4, kind="bachelor", issuer="DHSPHN", serial_prefix="U")
    university["diploma"]["major"] = "Sư phạm Toán"
    answer = await client.post(
        "/api/v1/graduation-decisions", json=university, headers=bearer(ADMIN)
    )
    assert answer.status == 201, await answer.text()
    for diploma in diplomas[:2]:
        await revoke(client, diploma["id"])
    await sign_in(client, AUDITOR_LOGIN)
    response = await client.get("/giam-sat")
    assert response.status == 200
    page = await response.text()
    year = datetime.now(VIETNAM).year
    assert f"Số liệu năm {year} của BGDDT" in page
    hanoi = _row(page, "Sở Giáo dục và Đào tạo Hà Nội (SGDDT-HN)")
    # diplomas, by kind, decisions, late, corrections, revocations, blanks, anomalies
    assert hanoi[0] == "10"
    assert "Bằng tốt nghiệp trung học phổ thông: 10" in hanoi[1]
    assert hanoi[2:6] == ["1", "1", "0", "2"]
    assert hanoi[6] == "không quản lý"
    assert int(hanoi[7]) >= 1  # the late decision is an anomaly
    university_row = next(
        _row(page, name)
        for name in re.findall(r'<th scope="row"[^>]*>([^<]*\(DHSPHN\))</th>', page)
    )
    assert university_row[0] == "4"
    # The charts, drawn here, each an image with its title and its table beneath.
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
    assert f'aria-label="Văn bằng đăng ký theo tháng, năm {year}"' in page
    month = datetime.now(VIETNAM).month
    totals = re.search(r"<tfoot><tr><th scope=\"row\">Tổng cộng</th>(.*?)</tr></tfoot>", page)
    assert totals
    cells = re.findall(r"<td>(\d+)</td>", totals[1])
    assert cells[month - 1] == "14"
    assert cells[-1] == "14"
    assert "src=" not in page.split("<main", 1)[1]  # nothing loaded from elsewhere

    before = await (await client.get(f"/giam-sat?nam={year - 1}")).text()
    assert "Chưa có văn bằng nào được đăng ký trong năm." in before
    # The year's charts are gone; the rates, of the whole register to date, stay.
    assert before.count("<svg") == 1
    assert "(cả sổ gốc đến nay)" in before


async def test_a_clerk_is_refused_and_an_admin_sees_their_subtree(client: Any) -> None:
    await registered(client, 3)
    await sign_in(client, CLERK_LOGIN)
    refused = await client.get("/giam-sat")
    assert refused.status == 403
    assert "Chỉ cán bộ thanh tra" in await refused.text()
    client.session.cookie_jar.clear()
    await sign_in(client, ADMIN_LOGIN)
    page = await (await client.get("/giam-sat")).text()
    assert "SGDDT-HN" in page
    assert "(BGDDT)" not in page  # above the admin's department: not theirs to supervise


def test_a_charts_axis_steps_in_whole_numbers() -> None:
    for top, ticks in ((1, ["0", "1"]), (30, ["0", "10", "20", "30", "40", "50"])):
        svg = charts.stacked_bars("t", ["1"], [("a", [top])])
        shown = re.findall(r'text-anchor="end" font-size="11" fill="[^"]+">(\d+)</text>', svg)
        assert shown == ticks
    svg = charts.stacked_bars("<b>", ["<i>"], [("<s>", [1])])
    assert "<b>" not in svg
    assert "&lt;i&gt;" in svg  # every text escaped


async def test_the_anomalies_explained_and_linked_to_their_records(
    client: Any, db: asyncpg.Connection
) -> None:
    diplomas = await registered(client, 3)  # decided in 2025, registered now: late
    await db.execute(
        "UPDATE issuer_keys SET compromised_since = '2020-01-01' WHERE issuer_code = 'SGDDT-HN'"
    )
    await sign_in(client, AUDITOR_LOGIN)
    page = await (await client.get("/giam-sat/bat-thuong")).text()
    assert "Đăng ký quá thời hạn (1)" in page
    assert "Điều 17" in page  # where it comes from
    assert "Ký bằng khóa đã bị lộ (3)" in page
    shown = re.sub(r"<[^>]+>", " ", page)
    assert "late_issuance" not in shown  # no code a person would have to look up
    decision = await db.fetchval(
        "SELECT decision_id FROM diplomas WHERE id = $1", diplomas[0]["id"]
    )
    assert f'href="/quan-ly/quyet-dinh/{decision}"' in page
    assert f'href="/quan-ly/van-bang/{diplomas[0]["id"]}"' in page
    # The record opens, read-only: the auditor sees no lifecycle form.
    record = await client.get(f"/quan-ly/van-bang/{diplomas[0]['id']}")
    assert record.status == 200
    assert "/ban-giao" not in await record.text()
    overview = await (await client.get("/giam-sat")).text()
    assert 'href="/giam-sat/bat-thuong"' in overview


async def test_an_anomaly_marked_reviewed_stays_shown_as_reviewed_and_is_journalled(
    client: Any, db: asyncpg.Connection
) -> None:
    await registered(client, 2)  # one late decision (and, run at night, one out of hours)
    token = await sign_in(client, AUDITOR_LOGIN)
    page = await (await client.get("/giam-sat/bat-thuong")).text()
    open_before = _open_count(page)
    assert open_before >= 1
    hanoi_before = int(_row(await (await client.get("/giam-sat")).text(), HANOI)[7])
    key = re.search(r'name="key" value="(late_issuance:[^"]+)"', page)
    assert key, page
    # An empty note: said beside the field, nothing kept.
    empty = await client.post(
        "/giam-sat/bat-thuong", data={"form_token": token, "key": key[1], "note": "  "}
    )
    assert empty.status == 422
    text = await empty.text()
    assert "Ghi vài dòng về việc đã xem xét" in text
    assert 'aria-invalid="true"' in text
    assert await db.fetchval("SELECT count(*) FROM anomaly_reviews") == 0
    # An anomaly that is not one (or not the auditor's): not found.
    unknown = await client.post(
        "/giam-sat/bat-thuong",
        data={"form_token": token, "key": "late_issuance:nothing", "note": "x"},
        allow_redirects=False,
    )
    assert unknown.status == 404
    note = "Đã liên hệ Sở: danh sách nộp muộn do thiếu hồ sơ"
    done = await client.post(
        "/giam-sat/bat-thuong",
        data={"form_token": token, "key": key[1], "note": note},
        allow_redirects=False,
    )
    assert done.status == 303
    shown = await (await client.get(done.headers["Location"])).text()
    assert "Đã ghi nhận việc xem xét." in shown
    assert f"Đã xem xét: {DEMO['auditor']['display_name']}" in shown
    assert note in shown
    assert _open_count(shown) == open_before - 1
    assert "Đăng ký quá thời hạn (1)" in shown  # still listed, as reviewed
    journalled = await db.fetchrow(
        "SELECT action, record_type, detail FROM staff_journal WHERE action = 'anomaly.reviewed'"
    )
    assert journalled is not None
    assert journalled["record_type"] == "anomaly"
    overview = await (await client.get("/giam-sat")).text()
    hanoi = _row(overview, HANOI)
    assert int(hanoi[7]) == hanoi_before - 1  # one open anomaly fewer there
    with pytest.raises(asyncpg.InsufficientPrivilegeError):  # append-only
        await db.execute("DELETE FROM anomaly_reviews")


async def _journal_shows(client: Any, path: str, wanted: str) -> str:
    """The page once `wanted` is in it: an entry is readable when every older transaction of
    the database cluster has ended (docs/accounts.md), and the tests' own database maker
    runs beside them. Waits 10 s at most."""
    for _ in range(100):
        text: str = await (await client.get(path)).text()
        if wanted in text:
            return text
        await asyncio.sleep(0.1)
    raise AssertionError(f"{path} never showed {wanted!r}")


async def test_the_journal_in_words_filtered_and_downloaded(client: Any) -> None:
    await registered(client, 2)
    await sign_in(client, AUDITOR_LOGIN)
    decision_cell = '<td data-label="Thao tác">Đăng ký quyết định</td>'
    # The auditor's own sign-in, the last entry: once it shows, every earlier one does.
    signed_in = f'<td data-label="Người thực hiện (tên đăng nhập)">{AUDITOR_LOGIN[0]}</td>'
    text = await _journal_shows(client, "/giam-sat/nhat-ky", signed_in)
    assert decision_cell in text
    shown = re.sub(r"<[^>]+>", " ", text)
    assert "register.decision" not in shown  # the action in words, never its code
    assert "graduation_decision" not in shown
    only = await (await client.get("/giam-sat/nhat-ky?action=register.decision")).text()
    assert decision_cell in only
    assert '<td data-label="Thao tác">Đăng nhập</td>' not in only
    bad = await client.get("/giam-sat/nhat-ky?tu=31/02/2026")
    assert bad.status == 422
    assert 'id="tu-error"' in await bad.text()
    elsewhere = await client.get("/giam-sat/nhat-ky?issuer=KHONG-CO")
    assert elsewhere.status == 422
    assert "Không có đơn vị mang mã này" in await elsewhere.text()
    csv_file = await client.get("/giam-sat/nhat-ky.csv?action=register.decision")
    assert csv_file.status == 200
    assert csv_file.content_type == "text/csv"
    rows = (await csv_file.read()).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("STT,Thời điểm,Người thực hiện,Thao tác")
    assert len(rows) == 2
    assert "Đăng ký quyết định" in rows[1]


def test_an_anomaly_that_grows_after_its_review_is_open_again() -> None:
    gap = RegisterGap(issuer="SGDDT-HN", kind="thpt", year=2025, missing=1, first_missing=[5])
    grown = RegisterGap(issuer="SGDDT-HN", kind="thpt", year=2025, missing=2, first_missing=[5, 9])
    assert anomaly_key(gap) != anomaly_key(grown)
    assert anomaly_key(gap) == anomaly_key(gap.model_copy())  # the same one, found again
