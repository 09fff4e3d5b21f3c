"""The yearly report (docs/audit.md, "Báo cáo năm"): two years of a parent and a child issuer
seeded through the API, the figures counted again here from the register's rows (never by
the report's own queries), and every cell of the JSON and the workbook checked against them;
the PDF's text, the page, the subtotals, and who may read it."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import openpyxl
import pypdfium2

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from service.domain.kinds import DiplomaKind
from service.settings import Settings
from service.texts import KINDS
from tests.conftest import ADMIN, AUDITOR, CLERK, bearer
from tests.factories import assert_problem, decision_request, with_personal_ids
from tests.running import run_vanbang
from tests.staff import AUDITOR_LOGIN, CLERK_LOGIN, sign_in

HN, CG = "SGDDT-HN", "PGDDT-CG"
# A college of the department, added by the seed; it does not track its blanks.
COLLEGE, COLLEGE_NAME = "CDSP-HN", "Trường Cao đẳng Sư phạm Hà Nội"
COUNTS = (
    "corrections",
    "reissues",
    "revocations",
    "copy_requests",
    "copies",
)
BLANKS = (
    "on_hand_at_start",
    "received",
    "used",
    "spoiled",
    "destroyed",
    "on_hand_at_end",
    "awaiting_destruction",
)
LATE = ("registrations", "late_registrations", "late_diplomas")
NOT_TRACKED = "không quản lý phôi trên hệ thống"
CERT = "certificate"


async def _post(client: Any, path: str, body: dict[str, Any], token: str = CLERK) -> Any:
    response = await client.post(path, json=body, headers=bearer(token))
    assert response.status == 201, (path, await response.text())
    return await response.json()


async def _register(
    client: Any,
    serials: list[str],
    *,
    number: str,
    decided: date,
    issued: date,
    kind: str = "certificate",
    issuer: str | None = None,
) -> list[dict[str, Any]]:
    """A decision under the regulation in force on `issued` (its dates move with today's,
    so on either side of Circular 10/2026's 15/04/2026: its kinds, issuers and fields are
    ones both circulars accept)."""
    request = with_personal_ids(decision_request(len(serials), number=number, kind=kind))
    if issuer is not None:
        request["issuer"] = issuer
    if kind == "teacher_college":  # the college's: its principal signs, a major is required
        request["diploma"]["signer"]["title"] = "Hiệu trưởng"
        request["diploma"]["major"] = "Sư phạm Tiểu học"
    del request["diploma"]["regulation"]
    request["decision"]["date"] = decided.isoformat()
    request["diploma"]["issued_on"] = issued.isoformat()
    request["diploma"]["graduation_year"] = decided.year
    for graduate, serial in zip(request["graduates"], serials, strict=True):
        graduate["serial"] = serial
    token = CLERK if issuer is None else ADMIN
    answer = await _post(client, "/api/v1/graduation-decisions", request, token)
    diplomas: list[dict[str, Any]] = answer["diplomas"]
    return diplomas


def _receipt(kind: str, first: str, last: str, on: date) -> dict[str, Any]:
    return {
        "kind": kind,
        "first_serial": first,
        "last_serial": last,
        "received_on": on.isoformat(),
        "reference": "Phiếu xuất kho",
    }


def _correction(on: date) -> dict[str, Any]:
    return {
        "decision_number": "12/QĐ",
        "decided_on": on.isoformat(),
        "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
        "ground": "civil_status_changed",
        "reason": "Cải chính họ tên",
        "changes": {"full_name": "Trần Thị Bính"},
    }


def _revocation(on: date) -> dict[str, Any]:
    return {
        "decision_number": "45/QĐ",
        "decided_on": on.isoformat(),
        "authority": "Sở Giáo dục và Đào tạo Hà Nội",
        "ground": "fraud",
        "reason": "Sử dụng hồ sơ giả",
    }


def _copy(on: date, copies: int) -> dict[str, Any]:
    return {
        "requester_name": "Trần Thị Bình",
        "relation": "holder",
        "id_document_type": "citizen_id",
        "id_document_number": "001085012345",
        "copies": copies,
        "issued_on": on.isoformat(),
        "signer": {"name": "Lê Văn Thành", "title": "Giám đốc"},
    }


async def _add_college(settings: Settings) -> None:
    """The department's teacher-training college, with its signing key, as an operator adds
    one (the command line)."""
    env = {"VANBANG_KEYS_DIR": str(settings.keys_dir)}
    assert settings.database_url is not None
    for args in (
        ("issuer", "add", COLLEGE, "--name", COLLEGE_NAME, "--kind", "university",
         "--parent", HN),
        ("key", "generate", "--issuer", COLLEGE),
    ):  # fmt: skip
        status, _, err = await run_vanbang(settings.database_url, *args, **env)
        assert status == 0, err


async def _seed(client: Any, db: asyncpg.Connection, settings: Settings) -> tuple[int, int]:
    """Two years of the demo department (which tracks its blanks) and of a college under it
    (which does not): (this year, last year). The years are today's and the one before, so
    the dates fall under Circular 21/2019 or Circular 10/2026 as the day the suite runs
    decides: the department issues certificates and the college teacher-training diplomas,
    which both circulars give them, to graduates with personal identification numbers."""
    today = datetime.now(UTC).date()  # the date the service checks dates against
    year, last = today.year, today.year - 1
    jan1 = date(year, 1, 1)
    blanks = f"/api/v1/issuers/{HN}/blanks"
    last_june = date(last, 6, 1)
    await _post(client, f"{blanks}/receipts", _receipt(CERT, "C000001", "C000100", last_june))
    await _post(client, f"{blanks}/receipts", _receipt(CERT, "C000101", "C000150", jan1))
    await _post(client, f"{blanks}/receipts", _receipt(CERT, "C000151", "C000160", jan1))
    await db.execute("UPDATE issuers SET tracks_blanks = true WHERE code = $1", HN)
    await _add_college(settings)

    # Last year's decision (registered now: late), this year's late one, an on-time one.
    old = await _register(
        client, ["C000001", "C000002", "C000003"], number="1/QĐ",
        decided=date(last, 7, 14), issued=date(last, 8, 15),
    )  # fmt: skip
    new = await _register(
        client, ["C000101", "C000102", "C000103", "C000104"], number="2/QĐ",
        decided=date(last, 9, 1), issued=jan1,
    )  # fmt: skip
    await _register(
        client, ["C000151", "C000152"], number="3/QĐ", decided=today, issued=today
    )  # fmt: skip
    # The child: one decision of each year, as the admin (the department's clerk writes for
    # the department only).
    child_old = await _register(
        client, ["D000001", "D000002"], number="7/QĐ-CĐSP", decided=date(last, 6, 1),
        issued=date(last, 7, 1), kind="teacher_college", issuer=COLLEGE,
    )  # fmt: skip
    child_new = await _register(
        client, ["D000101", "D000102", "D000103"], number="8/QĐ-CĐSP", decided=date(last, 6, 2),
        issued=jan1, kind="teacher_college", issuer=COLLEGE,
    )  # fmt: skip

    diploma = "/api/v1/diplomas/{}/{}"
    await _post(client, diploma.format(old[0]["id"], "corrections"), _correction(date(last, 11, 3)))
    await _post(client, diploma.format(new[0]["id"], "corrections"), _correction(today))
    await _post(client, diploma.format(new[1]["id"], "corrections"), _correction(today))
    reissue = {"serial": "C000105", "issued_on": today.isoformat(), "reason": "In sai xếp loại"}
    await _post(client, diploma.format(new[2]["id"], "reissues"), reissue)
    await _post(client, diploma.format(old[1]["id"], "revocations"), _revocation(date(last, 10, 1)))
    await _post(client, diploma.format(new[3]["id"], "revocations"), _revocation(today))
    await _post(
        client, diploma.format(child_new[0]["id"], "revocations"), _revocation(today), ADMIN
    )
    await _post(client, diploma.format(old[2]["id"], "copies"), _copy(date(last, 12, 20), 2))
    await _post(client, diploma.format(new[0]["id"], "copies"), _copy(today, 3))
    await _post(client, diploma.format(new[1]["id"], "copies"), _copy(today, 1))
    await _post(client, diploma.format(child_old[0]["id"], "copies"), _copy(today, 4), ADMIN)

    spoil = {"kind": CERT, "reason": "In lệch khi in thử"}
    await _post(
        client,
        f"{blanks}/spoiled",
        {**spoil, "serials": ["C000090"], "occurred_on": date(last, 9, 1).isoformat()},
    )
    await _post(
        client,
        f"{blanks}/spoiled",
        {**spoil, "serials": ["C000110", "C000111"], "occurred_on": today.isoformat()},
    )
    destruction = {
        "kind": CERT,
        "serials": ["C000110", "C000120"],
        "minutes_number": "03/BB-HĐHP",
        "council": ["Nguyễn Văn Minh", "Lê Thị Hoa"],
        "reason": "Phôi hỏng và phôi mẫu cũ",
        "method": "Cắt hủy bằng máy",
        "destroyed_on": today.isoformat(),
    }
    await _post(client, f"{blanks}/destructions", destruction)
    return year, last


# The figures counted again from the register's rows, each its own way ---------------------


async def _by_issuer(db: asyncpg.Connection, sql: str, *args: Any) -> dict[str, Any]:
    return {r[0]: r[1:] for r in await db.fetch(sql, *args)}


async def _expected_blanks(db: asyncpg.Connection, code: str, year: int) -> dict[str, int]:
    """Blank by blank: when it came, and when it left the stock (printed on, or spoiled or
    destroyed before it was used or spoiled)."""
    start, stop = date(year, 1, 1), date(year + 1, 1, 1)
    came: dict[str, date] = {}
    for r in await db.fetch(
        "SELECT prefix, digits, first_number, last_number, received_on FROM blank_receipts"
        " WHERE issuer_code = $1",
        code,
    ):
        for n in range(r["first_number"], r["last_number"] + 1):
            came[f"{r['prefix']}{n:0{r['digits']}d}"] = r["received_on"]
    left: dict[str, date] = {}
    used = 0
    for r in await db.fetch(
        "SELECT u.serial, d.issued_on FROM blank_uses u, diplomas d"
        " WHERE d.id = u.diploma_id AND u.issuer_code = $1",
        code,
    ):
        left[r["serial"]] = r["issued_on"]
        used += start <= r["issued_on"] < stop
    events = await db.fetch(
        "SELECT serial, event, occurred_on FROM blank_events WHERE issuer_code = $1"
        " ORDER BY occurred_on, event DESC",
        code,
    )
    spoiled_on: dict[str, date] = {}
    destroyed_on: dict[str, date] = {}
    for e in events:
        serial, day = e["serial"], e["occurred_on"]
        if serial not in left and serial not in spoiled_on:
            left[serial] = day  # spoiled, or destroyed, while unused
        (spoiled_on if e["event"] == "spoiled" else destroyed_on)[serial] = day

    def on_hand(at: date) -> int:
        return sum(1 for s, d in came.items() if d < at and not (s in left and left[s] < at))

    return {
        "on_hand_at_start": on_hand(start),
        "received": sum(1 for d in came.values() if start <= d < stop),
        "used": used,
        "spoiled": sum(1 for d in spoiled_on.values() if start <= d < stop),
        "destroyed": sum(1 for d in destroyed_on.values() if start <= d < stop),
        "on_hand_at_end": on_hand(stop),
        "awaiting_destruction": sum(
            1
            for s, d in spoiled_on.items()
            if d < stop and not (s in destroyed_on and destroyed_on[s] < stop)
        ),
    }


async def _expected(db: asyncpg.Connection, year: int) -> dict[str, dict[str, Any]]:
    """Each issuer's own figures for the year, from the register's tables."""
    issued: dict[str, dict[str, int]] = {}
    for r in await db.fetch(
        "SELECT issuer_code, kind, count(*) FROM diplomas"
        " WHERE extract(year FROM issued_on) = $1 GROUP BY 1, 2",
        year,
    ):
        issued.setdefault(r[0], {})[r[1]] = r[2]
    counted = {
        "corrections": await _by_issuer(
            db,
            "SELECT issuer_code, count(*) FROM corrections"
            " WHERE extract(year FROM decided_on) = $1 GROUP BY 1",
            year,
        ),
        "reissues": await _by_issuer(
            db,
            "SELECT r.issuer_code, count(*) FROM reissues r, diplomas n"
            " WHERE n.id = r.new_diploma_id AND extract(year FROM n.issued_on) = $1 GROUP BY 1",
            year,
        ),
        "revocations": await _by_issuer(
            db,
            "SELECT issuer_code, count(*) FROM revocations"
            " WHERE extract(year FROM decided_on) = $1 GROUP BY 1",
            year,
        ),
    }
    copies = await _by_issuer(
        db,
        "SELECT issuer_code, count(*), sum(copies) FROM certified_copies"
        " WHERE extract(year FROM issued_on) = $1 GROUP BY 1",
        year,
    )
    late = await _by_issuer(
        db,
        "SELECT g.issuer_code, count(*), count(*) FILTER (WHERE p.late),"
        " coalesce(sum(p.graduate_count) FILTER (WHERE p.late), 0)"
        " FROM decision_parts p, graduation_decisions g WHERE g.id = p.decision_id"
        " AND extract(year FROM p.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh') = $1 GROUP BY 1",
        year,
    )
    found: dict[str, dict[str, Any]] = {}
    for r in await db.fetch("SELECT code, tracks_blanks FROM issuers"):
        code = r["code"]
        row: dict[str, Any] = {"issued": issued.get(code, {})}
        for name, table in counted.items():
            row[name] = table.get(code, (0,))[0]
        row["copy_requests"], row["copies"] = copies.get(code, (0, 0))
        row.update(zip(LATE, late.get(code, (0, 0, 0)), strict=True))
        row["blanks"] = await _expected_blanks(db, code, year) if r["tracks_blanks"] else None
        found[code] = row
    return found


async def _tree(db: asyncpg.Connection) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for r in await db.fetch("SELECT code, parent_code FROM issuers ORDER BY code"):
        if r["parent_code"]:
            children.setdefault(r["parent_code"], []).append(r["code"])
    return children


def _summed(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    rows = list(rows)
    total: dict[str, Any] = {"issued": {}}
    for r in rows:
        for kind, n in r["issued"].items():
            total["issued"][kind] = total["issued"].get(kind, 0) + n
    for name in (*COUNTS, *LATE):
        total[name] = sum(r[name] for r in rows)
    tracked = [r["blanks"] for r in rows if r["blanks"] is not None]
    total["blanks"] = {k: sum(b[k] for b in tracked) for k in BLANKS} if tracked else None
    return total


def _expected_rows(
    root: str, own: dict[str, dict[str, Any]], children: dict[str, list[str]]
) -> list[tuple[str, str, dict[str, Any]]]:
    """(type, code, figures) in the report's order, sums made here."""
    rows: list[tuple[str, str, dict[str, Any]]] = []

    def subtree(code: str) -> list[str]:
        return [code] + [c for child in children.get(code, []) for c in subtree(child)]

    def visit(code: str) -> None:
        rows.append(("issuer", code, own[code]))
        for child in children.get(code, []):
            visit(child)
        if code == root:
            rows.append(("total", code, _summed(own[c] for c in subtree(code))))
        elif children.get(code):
            rows.append(("subtotal", code, _summed(own[c] for c in subtree(code))))

    visit(root)
    return rows


def _cells(figures: dict[str, Any], kinds: list[str]) -> list[Any]:
    """A row's figures in the report's column order; None for untracked blanks."""
    issued = [figures["issued"].get(k, 0) for k in kinds]
    blanks = [None] * len(BLANKS) if figures["blanks"] is None else [
        figures["blanks"][k] for k in BLANKS
    ]  # fmt: skip
    return [
        *issued,
        sum(figures["issued"].values()),
        *(figures[k] for k in COUNTS),
        *blanks,
        *(figures[k] for k in LATE),
    ]


def _json_cells(row: dict[str, Any], kinds: list[str]) -> list[Any]:
    f = row["figures"]
    blanks = [None] * len(BLANKS) if f["blanks"] is None else [f["blanks"][k] for k in BLANKS]
    return [
        *(f["issued"][k] for k in kinds),
        sum(f["issued"].values()),
        *(f[k] for k in COUNTS),
        *blanks,
        *(f[k] for k in LATE),
    ]


async def _report(client: Any, code: str, year: int, token: str = AUDITOR) -> Any:
    return await client.get(f"/api/v1/audit/issuers/{code}/reports/{year}", headers=bearer(token))


async def test_every_figure_is_the_registers(
    client: Any, db: asyncpg.Connection, settings: Settings
) -> None:
    year, last = await _seed(client, db, settings)
    children = await _tree(db)
    for y in (year, last):
        own = await _expected(db, y)
        expected = _expected_rows("BGDDT", own, children)
        kinds = [k.value for k in DiplomaKind if any(own[c]["issued"].get(k.value) for c in own)]
        answer = await _report(client, "BGDDT", y)
        assert answer.status == 200, await answer.text()
        report = await answer.json()
        assert (report["issuer"], report["year"], report["kinds"]) == ("BGDDT", y, kinds)
        got = [(r["type"], r["issuer"]) for r in report["rows"]]
        assert got == [(t, c) for t, c, _ in expected]
        for row, (_, code, figures) in zip(report["rows"], expected, strict=True):
            assert _json_cells(row, kinds) == _cells(figures, kinds), (y, code)
    # The year boundary: last year's decisions and events are last year's.
    this_year = (await (await _report(client, "BGDDT", year)).json())["rows"]
    last_year = (await (await _report(client, "BGDDT", last)).json())["rows"]
    hn_now = next(r for r in this_year if r["issuer"] == HN)["figures"]
    hn_then = next(r for r in last_year if r["issuer"] == HN)["figures"]
    assert hn_then["issued"][CERT] == sum(hn_then["issued"].values()) == 3
    # This year's: four of last year's decision, the re-issue, and today's two.
    assert hn_now["issued"][CERT] == sum(hn_now["issued"].values()) == 7
    assert (hn_then["corrections"], hn_now["corrections"]) == (1, 2)
    assert (hn_then["copies"], hn_now["copies"]) == (2, 4)
    assert hn_now["reissues"] == 1
    # Lateness counts when it was registered: everything was registered this year.
    assert hn_then["registrations"] == 0
    assert (hn_now["registrations"], hn_now["late_registrations"]) == (3, 2)
    # The blanks: last year's end is this year's start, and the stock adds up.
    assert hn_then["blanks"]["on_hand_at_end"] == hn_now["blanks"]["on_hand_at_start"]
    b = hn_now["blanks"]
    assert b["spoiled"] == 3  # two unused, and the re-issued diploma's blank
    assert b["destroyed"] == 2
    assert b["on_hand_at_end"] == (
        b["on_hand_at_start"] + b["received"] - b["used"] - 2 - 1  # two spoiled, one destroyed
    )
    child = next(r for r in this_year if r["issuer"] == COLLEGE)["figures"]
    assert child["blanks"] is None  # not tracked: unknown, not zero
    child_then = next(r for r in last_year if r["issuer"] == COLLEGE)["figures"]
    for figures, count in ((child_then, 2), (child, 3)):
        assert figures["issued"]["teacher_college"] == sum(figures["issued"].values()) == count
    assert (child["revocations"], child["copies"]) == (1, 4)
    # The blanks as the blank report (GET /api/v1/issuers/{code}/blanks) counts them.
    for y, rows in ((year, this_year), (last, last_year)):
        blank_report = await (
            await client.get(f"/api/v1/issuers/{HN}/blanks", params={"year": str(y)},
                             headers=bearer(AUDITOR))
        ).json()  # fmt: skip
        mine = next(r for r in rows if r["issuer"] == HN)["figures"]["blanks"]
        for name in BLANKS:
            assert mine[name] == sum(k[name] for k in blank_report["kinds"]), (y, name)
    # The subtotals sum their issuers' rows.
    subtotal = next(r for r in this_year if r["type"] == "subtotal")
    assert subtotal["issuer"] == HN
    assert COLLEGE in children[HN]
    mine = (HN, *children[HN])
    under = [r for r in this_year if r["type"] == "issuer" and r["issuer"] in mine]
    assert len(under) == len(mine)
    for name in ("corrections", "revocations", "copies", "late_diplomas"):
        assert subtotal["figures"][name] == sum(r["figures"][name] for r in under)
    assert subtotal["figures"]["blanks"] == hn_now["blanks"]  # only the department tracks


async def test_the_workbook_holds_every_figure_as_a_number(
    client: Any, db: asyncpg.Connection, settings: Settings
) -> None:
    year, _ = await _seed(client, db, settings)
    own = await _expected(db, year)
    expected = _expected_rows("BGDDT", own, await _tree(db))
    kinds = [k.value for k in DiplomaKind if any(own[c]["issued"].get(k.value) for c in own)]
    names = {r["code"]: r["name"] for r in await db.fetch("SELECT code, name FROM issuers")}
    await sign_in(client, AUDITOR_LOGIN)
    answer = await client.get("/giam-sat/bao-cao.xlsx", params={"nam": str(year)})
    assert answer.status == 200, await answer.text()
    assert f"bao-cao-{year}-BGDDT.xlsx" in answer.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(await answer.read()))
    sheet = book.worksheets[0]
    assert sheet["A1"].value == (
        f"Báo cáo tình hình cấp phát, quản lý văn bằng, chứng chỉ năm {year} — "
        "Bộ Giáo dục và Đào tạo"
    )
    vn_today = (datetime.now(UTC) + timedelta(hours=7)).date()
    assert sheet["A3"].value == f"Ngày lập: {vn_today:%d/%m/%Y}"
    groups = [c.value for c in sheet[5] if c.value]
    assert groups == [
        "STT", "Đơn vị", "Văn bằng đã cấp theo loại", "Chỉnh sửa", "Cấp lại", "Thu hồi",
        "Bản sao", "Phôi", "Đăng ký muộn",
    ]  # fmt: skip
    headings = [c.value for c in sheet[6]][2:]
    assert headings[: len(kinds) + 1] == [KINDS[k].vi for k in kinds] + ["Cộng"]
    assert headings[len(kinds) + 6 : len(kinds) + 13] == [
        "Tồn đầu năm", "Nhận", "Sử dụng", "Hỏng", "Hủy", "Tồn cuối năm", "Hỏng chưa hủy",
    ]  # fmt: skip
    assert sheet.freeze_panes == "C7"
    first_blank = 2 + len(kinds) + 6
    listed = 0
    for offset, (kind, code, figures) in enumerate(expected):
        cells = list(sheet[7 + offset])
        name = f"{names[code]} ({code})"
        if kind == "issuer":
            listed += 1
            assert (cells[0].value, cells[0].data_type) == (listed, "n")
            assert cells[1].value == name
            assert not cells[1].font.b
        else:
            label = "Tổng cộng" if kind == "total" else f"Cộng {name}"
            assert (cells[0].value, cells[1].value, cells[1].font.b) == (None, label, True)
        for column, value in enumerate(_cells(figures, kinds), start=2):
            cell = cells[column]
            if value is None:
                text = NOT_TRACKED if column == first_blank else None
                assert cell.value == text, (code, column)
            else:
                assert (cell.value, cell.data_type) == (value, "n"), (code, column)
                assert isinstance(cell.value, int)
                assert cell.font.b == (kind != "issuer")
    after = [c.value for c in sheet[7 + len(expected) + 1]]
    assert any(isinstance(v, str) and v.startswith("Số liệu lấy từ sổ gốc") for v in after)
    signers = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "NGƯỜI LẬP BIỂU" in signers
    assert "THỦ TRƯỞNG ĐƠN VỊ" in signers
    notes = book.worksheets[1]
    assert notes.title == "Ghi chú"
    explained = {row[0].value: (row[1].value, row[2].value) for row in notes.iter_rows(min_row=2)}
    assert explained["Phôi"][1] == "Điều 9-11"
    assert "phôi hỏng không còn tính là tồn" in str(explained["Phôi"][0])
    assert explained["Đăng ký muộn"][1] == "Điều 17"
    assert explained["Văn bằng đã cấp theo loại"][1] == "Điều 13"


def _pdf_text(data: bytes) -> tuple[int, str]:
    document = pypdfium2.PdfDocument(data)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    return len(pages), "\n".join(pages)


async def test_the_pdf_and_the_page_show_the_same_report(
    client: Any, db: asyncpg.Connection, settings: Settings
) -> None:
    year, _ = await _seed(client, db, settings)
    own = await _expected(db, year)
    await sign_in(client, AUDITOR_LOGIN)
    query = {"nam": str(year), "don-vi": HN}
    answer = await client.get("/giam-sat/bao-cao.pdf", params=query)
    assert answer.status == 200, await answer.text()
    assert answer.content_type == "application/pdf"
    pages, text = _pdf_text(await answer.read())
    flat = " ".join(text.split())
    assert f"BÁO CÁO TÌNH HÌNH CẤP PHÁT, QUẢN LÝ VĂN BẰNG, CHỨNG CHỈ NĂM {year}" in flat
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    assert "NGƯỜI LẬP BIỂU" in flat
    assert "THỦ TRƯỞNG ĐƠN VỊ" in flat
    assert f"Trang 1/{pages}" in flat
    assert f"Trang {pages}/{pages}" in flat
    assert "Tổng cộng" in flat
    assert "Phòng Giáo dục và Đào tạo quận Cầu Giấy (PGDDT-CG)" in flat
    assert f"{COLLEGE_NAME} ({COLLEGE})" in flat
    assert NOT_TRACKED in flat
    assert "Bộ Giáo dục" not in flat.split("Ghi chú")[0]  # the report's issuer is the Sở
    hn = own[HN]
    total = _summed(own[c] for c in (HN, *(await _tree(db))[HN]))
    # Each row's figures follow its label, as its cells print, in order.
    kinds = [k.value for k in DiplomaKind if total["issued"].get(k.value)]
    for label, figures in ((f"Sở Giáo dục và Đào tạo Hà Nội ({HN})", hn), ("Tổng cộng", total)):
        printed = [str(v) for v in _cells(figures, kinds) if v is not None]
        followers = [part.split()[: len(printed)] for part in flat.split(label)[1:]]
        assert printed in followers, (label, printed)

    page = await client.get("/giam-sat/bao-cao", params=query)
    assert page.status == 200
    html = await page.text()
    assert f"năm {year} — Sở Giáo dục và Đào tạo Hà Nội" in html
    assert f'href="/giam-sat/bao-cao.xlsx?nam={year}&amp;don-vi={HN}"' in html
    assert f'href="/giam-sat/bao-cao.pdf?nam={year}&amp;don-vi={HN}"' in html
    assert f'<td colspan="7">{NOT_TRACKED}</td>' in html
    assert "<strong>Tổng cộng</strong>" in html
    overview = await (await client.get("/giam-sat")).text()
    assert f'href="/giam-sat/bao-cao?nam={year}"' in overview
    assert 'href="/giam-sat/bao-cao"' in overview  # the navigation


async def test_bad_questions_and_other_scopes_are_refused(
    client: Any, db: asyncpg.Connection
) -> None:
    this_year = (datetime.now(UTC) + timedelta(hours=7)).year
    await sign_in(client, AUDITOR_LOGIN)
    for query, field, message in (
        ({"nam": "20x5"}, "nam", "Năm báo cáo là bốn chữ số"),
        ({"nam": str(this_year + 1)}, "nam", "Năm báo cáo là bốn chữ số"),
        ({"don-vi": "KHONG-CO"}, "don-vi", "Không có đơn vị mang mã này"),
    ):
        page = await client.get("/giam-sat/bao-cao", params=query)
        assert page.status == 400
        html = await page.text()
        assert f'<p class="error" id="{field}-error">{message}' in html
        assert 'aria-invalid="true"' in html
        assert "bao-cao.xlsx" not in html
    bad = await client.get("/giam-sat/bao-cao.xlsx", params={"nam": "1800"})
    assert bad.status == 400
    outside = await client.get("/giam-sat/bao-cao.pdf", params={"don-vi": "KHONG-CO"})
    assert outside.status == 404

    problem = await assert_problem(await _report(client, HN, 3000), 400, "invalid-parameter")
    assert problem["errors"][0]["pointer"] == "#/year"
    await assert_problem(await _report(client, HN, this_year, CLERK), 403, "forbidden")
    child_auditor = new_token()
    await add_token(db, child_auditor, Role.AUDITOR, CG)
    await assert_problem(await _report(client, HN, this_year, child_auditor), 404, "not-found")
    await assert_problem(await _report(client, "KHONG-CO", this_year), 404, "not-found")
    own = await _report(client, CG, this_year, child_auditor)
    assert [r["type"] for r in (await own.json())["rows"]] == ["issuer", "total"]

    client.session.cookie_jar.clear()
    await sign_in(client, CLERK_LOGIN)
    for path in ("/giam-sat/bao-cao", "/giam-sat/bao-cao.xlsx", "/giam-sat/bao-cao.pdf"):
        refused = await client.get(path, headers={"Accept": "text/html"})
        assert refused.status == 403, path
