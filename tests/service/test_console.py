"""The clerk's console (docs/console.md): the home, registering a decision from an upload or
the typed form through its check, preview and confirmation, and the decision's and diploma's
pages, through real HTTP and the real register."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import aiohttp
import asyncpg
import openpyxl

from service.app import create_app
from service.settings import Settings
from tests.factories import example, register_counts, registered
from tests.staff import AUDITOR_LOGIN, CLERK_LOGIN, form_token, sign_in

REGISTER = "/quan-ly/dang-ky"
_STAGED = re.compile(r"/quan-ly/dang-ky/([0-9a-f-]{36})$")


def _upload(token: str, data: bytes, name: str = "danh-sach.csv") -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("form_token", token)
    form.add_field("file", data, filename=name, content_type="application/octet-stream")
    return form


async def _check(client: Any, data: bytes, name: str = "danh-sach.csv") -> Any:
    token = await sign_in(client, CLERK_LOGIN)
    return await client.post(REGISTER, data=_upload(token, data, name), allow_redirects=False)


async def test_an_upload_is_checked_previewed_and_registered_once(
    client: Any, db: asyncpg.Connection
) -> None:
    before = await register_counts(db)
    numbers = "SELECT coalesce(sum(last_seq), 0) FROM register_counters"
    taken = await db.fetchval(numbers)
    checked = await _check(client, example("csv"))
    assert checked.status == 303, await checked.text()
    staged = _STAGED.search(checked.headers["Location"])
    assert staged, checked.headers["Location"]
    # The check took nothing: no decision, no diploma, no number, no key.
    assert await register_counts(db) == before
    assert await db.fetchval(numbers) == taken
    preview = await client.get(checked.headers["Location"])
    page = await preview.text()
    assert preview.status == 200
    assert "2150/QĐ-SGDĐT" in page
    assert "Nguyễn Thị Ngọc Ánh" in page
    assert "14/07/2025" in page  # dates as dd/mm/yyyy
    assert "không thể xóa hay sửa" in page  # the confirmation says it cannot be undone
    confirm = f"{checked.headers['Location']}/xac-nhan"
    token = form_token(page)
    done = await client.post(confirm, data={"form_token": token}, allow_redirects=False)
    assert done.status == 303, await done.text()
    decision_path = done.headers["Location"]
    assert decision_path.startswith("/quan-ly/quyet-dinh/")
    decisions, diplomas, _ = await register_counts(db)
    rows = len(example("csv").decode().splitlines()) - 1
    assert (decisions, diplomas) == (before[0] + 1, before[1] + rows)
    # A second click (a reload of the form, a retry) registers nothing more, and leads to the
    # same decision.
    again = await client.post(confirm, data={"form_token": token}, allow_redirects=False)
    assert again.status == 303
    assert again.headers["Location"].split("?")[0] == decision_path.split("?")[0]
    assert (await register_counts(db))[:2] == (decisions, diplomas)
    shown = await client.get(decision_path)
    text = await shown.text()
    assert shown.status == 200
    assert "HN25-012301" in text
    assert "đã được ghi vào sổ gốc" in text
    diploma = re.search(r'href="(/quan-ly/van-bang/[0-9a-f-]{36})"', text)
    assert diploma
    one = await client.get(diploma[1])
    assert one.status == 200
    body = await one.text()
    assert "<svg" in body  # its QR code, inline
    assert "Đăng ký vào sổ gốc" in body
    home = await (await client.get("/quan-ly")).text()
    assert "2150/QĐ-SGDĐT" in home


async def test_a_list_with_errors_shows_each_by_row_and_column_and_keeps_nothing(
    client: Any, db: asyncpg.Connection
) -> None:
    rows = example("csv").decode().splitlines()
    header = rows[0].split(",")
    second = rows[2].split(",")
    second[header.index("date_of_birth")] = "31/02/2007"
    second[header.index("gender")] = "không rõ"
    rows[2] = ",".join(second)
    before = await register_counts(db)
    staged_before = await db.fetchval("SELECT count(*) FROM staged_decisions")
    answer = await _check(client, ("\n".join(rows) + "\n").encode())
    page = await answer.text()
    assert answer.status == 422
    assert "chưa có gì được ghi vào sổ" in page
    assert "Ngày sinh" in page or "date_of_birth" in page
    assert "31/02/2007" in page  # the value as the file had it
    assert "Nam hoặc Nữ" in page
    assert ">3<" in page  # the file's row
    assert await register_counts(db) == before
    assert await db.fetchval("SELECT count(*) FROM staged_decisions") == staged_before


async def test_a_file_that_is_not_a_list_says_what_it_is(client: Any) -> None:
    answer = await _check(client, b"%PDF-1.7\n...", name="quyet-dinh.pdf")
    page = await answer.text()
    assert answer.status == 422
    assert "CSV UTF-8" in page


async def test_no_file_chosen(client: Any) -> None:
    answer = await _check(client, b"", name="")
    assert answer.status == 422
    assert "Chưa chọn tệp" in await answer.text()


async def test_an_upload_without_the_form_token_is_refused(
    client: Any, db: asyncpg.Connection
) -> None:
    await sign_in(client, CLERK_LOGIN)
    form = aiohttp.FormData()
    form.add_field("file", example("csv"), filename="a.csv")
    answer = await client.post(REGISTER, data=form, allow_redirects=False)
    assert answer.status == 403
    assert await db.fetchval("SELECT count(*) FROM staged_decisions") == 0


async def test_the_typed_form_registers_a_few_graduates(
    client: Any, db: asyncpg.Connection
) -> None:
    token = await sign_in(client, CLERK_LOGIN)
    form = {
        "form_token": token,
        "rows": "5",
        "action": "check",
        "decision-number": "77/QĐ-SGDĐT",
        "decision-date": "14/07/2025",
        "decision-signer-name": "Nguyễn Văn Minh",
        "decision-signer-title": "Giám đốc",
        "diploma-kind": "thpt",
        "diploma-graduation_year": "2025",
        "diploma-issued_on": "15/08/2025",
        "diploma-place_of_issue": "Hà Nội",
        "diploma-signer-name": "Nguyễn Văn Minh",
        "diploma-signer-title": "Giám đốc",
        "g0-serial": "TY000001",
        "g0-full_name": "Lê Văn Tám",
        "g0-date_of_birth": "02/09/2007",
        "g0-gender": "Nam",
        "g0-place_of_birth": "Hà Nội",
        "g2-serial": "TY000002",
        "g2-full_name": "Phạm Thị Hoa",
        "g2-date_of_birth": "31/13/2007",
        "g2-gender": "Nữ",
        "g2-place_of_birth": "Nam Định",
    }
    wrong = await client.post(f"{REGISTER}/nhap-tay", data=form, allow_redirects=False)
    page = await wrong.text()
    assert wrong.status == 422
    # The error is beside the field of the form's third row.
    assert 'id="g2-date_of_birth-error"' in page
    assert 'value="Lê Văn Tám"' in page  # what was typed stays
    form["g2-date_of_birth"] = "31/12/2007"
    checked = await client.post(f"{REGISTER}/nhap-tay", data=form, allow_redirects=False)
    assert checked.status == 303, await checked.text()
    preview = await (await client.get(checked.headers["Location"])).text()
    assert "Phạm Thị Hoa" in preview
    assert "nhập trên biểu mẫu" in preview


async def test_an_auditor_may_not_register(client: Any) -> None:
    await sign_in(client, AUDITOR_LOGIN)
    answer = await client.get(REGISTER, allow_redirects=False)
    assert answer.status == 403


async def test_another_persons_checked_list_is_not_found(
    client: Any, aiohttp_client: Any, settings: Settings
) -> None:
    checked = await _check(client, example("csv"))
    assert checked.status == 303
    other = await aiohttp_client(create_app(settings))
    await sign_in(other, ("quantri.hn", "demo-quantri-vanbang"))
    answer = await other.get(checked.headers["Location"], allow_redirects=False)
    assert answer.status == 404


# The lifecycle forms --------------------------------------------------------------------

_KEY_FIELD = re.compile(r'name="key" value="([^"]+)"')


async def _act(
    client: Any, token: str, diploma_id: str, slug: str, values: dict[str, str]
) -> tuple[Any, str]:
    """Posts the form's check; answers the response and its page."""
    path = f"/quan-ly/van-bang/{diploma_id}/{slug}"
    response = await client.post(
        path, data={"form_token": token, "step": "check", **values}, allow_redirects=False
    )
    return response, await response.text()


async def _confirm(client: Any, token: str, diploma_id: str, slug: str, page: str) -> Any:
    return await _confirm_at(client, token, f"/quan-ly/van-bang/{diploma_id}/{slug}", page)


async def _confirm_at(client: Any, token: str, path: str, page: str) -> Any:
    """Posts a confirmation page's hidden values back with step=confirm."""
    assert _KEY_FIELD.search(page), "the confirmation carries its key"
    hidden = dict(re.findall(r'type="hidden" name="([a-z_-]+)" value="([^"]*)"', page))
    hidden.pop("form_token", None)
    hidden.pop("step", None)
    return await client.post(
        path, data={**hidden, "form_token": token, "step": "confirm"}, allow_redirects=False
    )


async def test_a_handover_is_checked_confirmed_and_recorded_once(
    client: Any, db: asyncpg.Connection
) -> None:
    diploma = (await registered(client, 1))[0]["id"]
    token = await sign_in(client, CLERK_LOGIN)
    form = await client.get(f"/quan-ly/van-bang/{diploma}/ban-giao")
    assert form.status == 200
    page = await form.text()
    assert "Cán bộ bàn giao" in page
    # A representative without an authorisation: the errors beside their fields, nothing kept.
    wrong, page = await _act(
        client,
        token,
        diploma,
        "ban-giao",
        {
            "recipient_name": "Trần Văn Bố",
            "relation": "representative",
            "handed_over_on": "01/09/2025",
            "handed_over_by": "Nguyễn Thị Lan",
        },
    )
    assert wrong.status == 422
    assert 'id="authorisation-error"' in page
    assert await db.fetchval("SELECT count(*) FROM handovers") == 0
    checked, page = await _act(
        client,
        token,
        diploma,
        "ban-giao",
        {
            "recipient_name": "Trần Thị Bình",
            "relation": "holder",
            "handed_over_on": "01/09/2025",
            "handed_over_by": "Nguyễn Thị Lan",
        },
    )
    assert checked.status == 200
    assert "Chính người được cấp văn bằng" in page  # a choice by its title
    assert "01/09/2025" in page
    assert "không thể xóa hay sửa" in page
    assert await db.fetchval("SELECT count(*) FROM handovers") == 0  # the check keeps nothing
    done = await _confirm(client, token, diploma, "ban-giao", page)
    assert done.status == 303, await done.text()
    again = await _confirm(client, token, diploma, "ban-giao", page)  # a second click
    assert again.status == 303
    assert await db.fetchval("SELECT count(*) FROM handovers") == 1
    shown = await (await client.get(done.headers["Location"])).text()
    assert "Đã ghi: Ghi nhận bàn giao văn bằng." in shown
    assert "Bàn giao cho Trần Thị Bình ngày 01/09/2025" in shown


async def test_a_correction_shows_old_and_new_in_vietnamese(client: Any) -> None:
    diploma = (await registered(client, 1))[0]["id"]
    token = await sign_in(client, CLERK_LOGIN)
    values = {
        "decision_number": "15/QĐ-SGDĐT",
        "decided_on": "01/10/2025",
        "signer-name": "Nguyễn Văn Minh",
        "signer-title": "Giám đốc",
        "ground": "civil_status_changed",
        "reason": "Cải chính họ tên theo trích lục hộ tịch",
        "changes-full_name": "Trần Thị Bích",
    }
    checked, page = await _act(client, token, diploma, "chinh-sua", values)
    assert checked.status == 200, page
    assert "Trần Thị Bình" in page  # the old name
    assert "Trần Thị Bích" in page  # and the new
    assert "Họ và tên" in page
    assert "holder_name" not in page
    done = await _confirm(client, token, diploma, "chinh-sua", page)
    assert done.status == 303
    shown = await (await client.get(done.headers["Location"])).text()
    assert "Chỉnh sửa theo quyết định 15/QĐ-SGDĐT" in shown
    assert "Đã chỉnh sửa" in shown


async def test_a_revoked_diploma_offers_no_more_actions_and_refuses_them(client: Any) -> None:
    diploma = (await registered(client, 1))[0]["id"]
    token = await sign_in(client, CLERK_LOGIN)
    values = {
        "decision_number": "9/QĐ-SGDĐT",
        "decided_on": "01/10/2025",
        "authority": "Sở Giáo dục và Đào tạo Hà Nội",
        "ground": "fraud",
        "reason": "Gian lận trong thi cử",
    }
    checked, page = await _act(client, token, diploma, "thu-hoi", values)
    assert checked.status == 200, page
    assert "Gian lận" in page
    assert (await _confirm(client, token, diploma, "thu-hoi", page)).status == 303
    shown = await (await client.get(f"/quan-ly/van-bang/{diploma}")).text()
    assert "Đã thu hồi" in shown
    assert f"/quan-ly/van-bang/{diploma}/ban-giao" not in shown
    refused, page = await _act(
        client,
        token,
        diploma,
        "ban-giao",
        {
            "recipient_name": "Trần Thị Bình",
            "relation": "holder",
            "handed_over_on": "01/09/2025",
            "handed_over_by": "Nguyễn Thị Lan",
        },
    )
    assert refused.status == 409
    assert "thu hồi" in page


async def test_an_unknown_action_is_not_found(client: Any) -> None:
    diploma = (await registered(client, 1))[0]["id"]
    await sign_in(client, CLERK_LOGIN)
    answer = await client.get(f"/quan-ly/van-bang/{diploma}/xoa", allow_redirects=False)
    assert answer.status == 404


async def test_a_form_fills_in_only_the_day_of_the_act(client: Any) -> None:
    diploma = (await registered(client, 1))[0]["id"]
    await sign_in(client, CLERK_LOGIN)
    page = await (await client.get(f"/quan-ly/van-bang/{diploma}/chinh-sua")).text()
    # Neither the decision's date nor a date of birth to correct is guessed.
    assert re.search(r'id="changes-date_of_birth"[^>]*value=""', page)
    assert re.search(r'id="decided_on"[^>]*value=""', page)
    handover = await (await client.get(f"/quan-ly/van-bang/{diploma}/ban-giao")).text()
    assert not re.search(r'id="handed_over_on"[^>]*value=""', handover)


async def _blanks(client: Any, token: str, slug: str, values: dict[str, str]) -> tuple[Any, str]:
    response = await client.post(
        f"/quan-ly/phoi/{slug}",
        data={"form_token": token, "step": "check", **values},
        allow_redirects=False,
    )
    return response, await response.text()


async def _confirm_blanks(client: Any, token: str, slug: str, page: str) -> Any:
    return await _confirm_at(client, token, f"/quan-ly/phoi/{slug}", page)


async def test_blanks_are_received_spoiled_and_destroyed_through_the_forms(
    client: Any, db: asyncpg.Connection
) -> None:
    token = await sign_in(client, CLERK_LOGIN)
    home = await (await client.get("/quan-ly/phoi")).text()
    assert "Chưa có phôi nào trong năm." in home
    assert "/quan-ly/phoi/nhan-phoi" in home
    receipt = {
        "kind": "thpt",
        "first_serial": "T000001",
        "last_serial": "T000100",
        "received_on": "01/06/2025",
        "reference": "Phiếu giao phôi 12/PGP",
    }
    # The last serial before the first: the error beside the field, nothing kept.
    wrong, page = await _blanks(client, token, "nhan-phoi", {**receipt, "last_serial": "S000001"})
    assert wrong.status == 422, page
    assert 'class="error"' in page
    assert await db.fetchval("SELECT count(*) FROM blank_receipts") == 0
    checked, page = await _blanks(client, token, "nhan-phoi", receipt)
    assert checked.status == 200, page
    assert "T000001" in page
    assert "01/06/2025" in page
    assert "Bằng tốt nghiệp trung học phổ thông" in page  # the kind by its title
    assert await db.fetchval("SELECT count(*) FROM blank_receipts") == 0
    done = await _confirm_blanks(client, token, "nhan-phoi", page)
    assert done.status == 303, await done.text()
    assert (await _confirm_blanks(client, token, "nhan-phoi", page)).status == 303  # twice
    assert await db.fetchval("SELECT count(*) FROM blank_receipts") == 1
    assert done.headers["Location"].startswith("/quan-ly/phoi?da-ghi=nhan-phoi")

    # Spoiled and destroyed serials typed one per line, as a list from Excel is pasted.
    spoil = {
        "kind": "thpt",
        "serials": "T000010\r\nT000011\n\n",
        "occurred_on": "02/06/2025",
        "reason": "In lệch",
    }
    checked, page = await _blanks(client, token, "phoi-hong", spoil)
    assert checked.status == 200, page
    assert (await _confirm_blanks(client, token, "phoi-hong", page)).status == 303
    again, page = await _blanks(client, token, "phoi-hong", {**spoil, "serials": "T000010"})
    assert again.status == 422
    assert 'id="serials-error"' in page  # already spoiled: said beside the list
    destroy = {
        "kind": "thpt",
        "serials": "T000010\nT000011",
        "minutes_number": "01/BB-HP",
        "council": "Nguyễn Văn A\nTrần Thị B",
        "method": "Cắt hủy bằng máy",
        "destroyed_on": "01/12/2025",
        "reason": "Phôi hỏng",
    }
    checked, page = await _blanks(client, token, "huy-phoi", destroy)
    assert checked.status == 200, page
    assert "Trần Thị B" in page
    assert (await _confirm_blanks(client, token, "huy-phoi", page)).status == 303

    report = await (await client.get("/quan-ly/phoi?nam=2025")).text()
    row = re.search(
        r"<tr>\s*<td[^>]*>Bằng tốt nghiệp trung học phổ thông</td>(.*?)</tr>", report, re.S
    )
    assert row, report
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))
    assert cells == ["0", "100", "0", "2", "2", "98", "0"]


async def test_blanks_forms_are_for_writers_and_known_actions_only(client: Any) -> None:
    await sign_in(client, AUDITOR_LOGIN)
    report = await client.get("/quan-ly/phoi")  # their own issuer's report, to read only
    assert report.status == 200
    assert "/quan-ly/phoi/nhan-phoi" not in await report.text()
    assert (await client.get("/quan-ly/phoi/nhan-phoi", allow_redirects=False)).status == 403
    client.session.cookie_jar.clear()
    await sign_in(client, CLERK_LOGIN)
    assert (await client.get("/quan-ly/phoi/xoa", allow_redirects=False)).status == 404
    # A diploma's action is not a blanks action.
    assert (await client.get("/quan-ly/phoi/ban-giao", allow_redirects=False)).status == 404


async def test_a_decisions_register_downloads_as_a_workbook_and_is_journalled(
    client: Any, db: asyncpg.Connection
) -> None:
    mine = (await registered(client, 3))[0]
    other = (await registered(client, 2, number="99/QĐ-SGDĐT", serial_prefix="U"))[0]
    decision = await db.fetchval("SELECT decision_id FROM diplomas WHERE id = $1", mine["id"])
    await sign_in(client, CLERK_LOGIN)
    page = await (await client.get(f"/quan-ly/quyet-dinh/{decision}")).text()
    assert f"/quan-ly/quyet-dinh/{decision}/so-goc.xlsx" in page
    answer = await client.get(f"/quan-ly/quyet-dinh/{decision}/so-goc.xlsx")
    assert answer.status == 200
    assert answer.headers["Content-Disposition"].startswith("attachment; filename*=UTF-8''so-goc-")
    book = openpyxl.load_workbook(io.BytesIO(await answer.read()))
    sheet = book.worksheets[0]
    title, *lines = list(sheet.iter_rows(values_only=True))
    assert title[0] == "Sổ gốc cấp văn bằng: quyết định số 100/QĐ-SGDĐT ngày 14/07/2025, SGDDT-HN"
    headings = lines[0]
    assert "Số vào sổ gốc" in headings
    serials = [line[headings.index("Số hiệu văn bằng")] for line in lines[1:]]
    in_order = "SELECT serial FROM diplomas WHERE decision_id = $1 ORDER BY register_seq"
    assert serials == [row["serial"] for row in await db.fetch(in_order, decision)]
    assert len(serials) == 3
    assert other["serial"] not in serials  # the decision's entries only
    journalled = await db.fetchval(
        "SELECT count(*) FROM staff_journal WHERE action = 'export.register' AND record_id = $1",
        str(decision),
    )
    assert journalled == 1
    missing = await client.get(f"/quan-ly/quyet-dinh/{uuid.uuid4()}/so-goc.xlsx")
    assert missing.status == 404
