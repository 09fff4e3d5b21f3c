"""Hostile input at every door where text enters: NUL bytes and invalid UTF-8 in JSON strings,
CSV, form fields, query and path parameters; deeply nested JSON; a 10 MB cell; workbooks that
expand hugely (a decompression bomb, a sheet that claims a million rows, a huge shared
string). Each is a clear problem, and nothing is written."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from typing import Any

import asyncpg
import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from service.domain.graduates import GraduationDecisionIn, validate
from service.formats.tabular import parse_csv, parse_xls, parse_xlsx
from service.formats.uploads import ParsedBody
from service.problems import Problem
from service.settings import Settings
from tests.conftest import ADMIN, CLERK, bearer
from tests.factories import assert_problem, decision_request, example, register_counts
from tests.staff import CLERK_LOGIN, sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_HEADERS = {**bearer(CLERK), "Content-Type": "application/json"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Bodies as large as production takes (20 MiB), so that a 10 MB cell reaches the reader."""
    return dataclasses.replace(
        settings,
        max_body_bytes=20 * 1024 * 1024,
        rate_burst=1000,
        lookup_rate_burst=1000,
        open_rate_burst=1000,
    )


async def _nothing_written(db: asyncpg.Connection) -> None:
    assert await register_counts(db) == (0, 0, 0)


def _post_decision(
    client: Any, data: bytes | io.BytesIO, content_type: str = "application/json"
) -> Any:
    return client.post(
        "/api/v1/graduation-decisions",
        data=data,
        headers={**bearer(CLERK), "Content-Type": content_type},
    )


# JSON ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1_025, 100_000])
async def test_deeply_nested_json_is_a_malformed_body(
    client: Any, db: asyncpg.Connection, depth: int
) -> None:
    nested = b"[" * depth + b"]" * depth
    await assert_problem(await _post_decision(client, nested), 400, "malformed-body")
    for path, headers in [
        ("/api/v1/lookup", {}),
        ("/api/v1/verify", {}),
        ("/api/v1/receipts", {}),
        ("/api/v1/accounts", bearer(ADMIN)),
    ]:
        answer = await client.post(
            path, data=nested, headers={**headers, "Content-Type": "application/json"}
        )
        # Past a small body's limit (the lookup's 4 KiB) it is too large before it is read.
        if answer.status == 413:
            await assert_problem(answer, 413, "payload-too-large")
        else:
            await assert_problem(answer, 400, "malformed-body")
    await _nothing_written(db)


@pytest.mark.parametrize(
    "body",
    [
        b'{"decision": {"number": "\xff\xfe"}}',  # bytes that are no UTF-8
        b'{"decision": {"number": "\\ud800"}}',  # a lone surrogate, escaped
        b'{"decision": {"number": "\xed\xa0\x80"}}',  # a surrogate encoded in UTF-8
    ],
    ids=["invalid-utf8", "escaped-surrogate", "encoded-surrogate"],
)
async def test_json_that_is_no_utf8_is_a_malformed_body(
    client: Any, db: asyncpg.Connection, body: bytes
) -> None:
    await assert_problem(await _post_decision(client, body), 400, "malformed-body")
    await _nothing_written(db)


def _with_nul(request: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The request with a NUL put in each of its texts, one at a time."""
    out = []
    for where in ("decision.number", "decision.signer.name", "diploma.place_of_issue"):
        changed = json.loads(json.dumps(request))
        target = changed
        *path, last = where.split(".")
        for part in path:
            target = target[part]
        target[last] = target[last] + "\x00x"
        out.append((where, changed))
    for field in ("full_name", "place_of_birth", "ethnicity", "student_id", "serial"):
        changed = json.loads(json.dumps(request))
        changed["graduates"][0][field] += "\x00"
        out.append((f"graduates.0.{field}", changed))
    return out


async def test_a_nul_in_any_text_of_a_registration_is_a_validation_error(
    client: Any, db: asyncpg.Connection
) -> None:
    for where, request in _with_nul(decision_request(2)):
        answer = await client.post(
            "/api/v1/graduation-decisions", json=request, headers=bearer(CLERK)
        )
        body = await assert_problem(answer, 422, "validation-error")
        pointer = "#/" + where.replace(".", "/")
        assert pointer in [e["pointer"] for e in body["errors"]], (where, body)
    await _nothing_written(db)


@pytest.mark.parametrize(
    ("path", "body", "headers"),
    [
        ("/api/v1/lookup", {"serial": "A\x00", "date_of_birth": "2007-05-01"}, {}),
        ("/api/v1/receipts", {"token": "VB1\x00AAAA"}, {}),
        (
            "/api/v1/accounts",
            {"username": "ke\x00gian", "display_name": "K", "role": "clerk", "issuer": "SGDDT-HN"},
            bearer(ADMIN),
        ),
    ],
    ids=["lookup", "receipts", "accounts"],
)
async def test_a_nul_in_a_json_string_is_refused_and_nothing_kept(
    client: Any, db: asyncpg.Connection, path: str, body: dict[str, str], headers: dict[str, str]
) -> None:
    before = await db.fetchval(
        "SELECT (SELECT count(*) FROM verification_receipts) + (SELECT count(*) FROM accounts)"
    )
    answer = await client.post(path, json=body, headers=headers)
    assert answer.status in (400, 422), await answer.text()
    assert answer.content_type == "application/problem+json"
    after = await db.fetchval(
        "SELECT (SELECT count(*) FROM verification_receipts) + (SELECT count(*) FROM accounts)"
    )
    assert after == before


# Query and path parameters ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/verify?token=VB1%00AAAA",
        "/api/v1/verify?token=%FF%FE",
        "/api/v1/diplomas?q=%00",
        "/api/v1/diplomas?q=%FF",
        "/api/v1/graduation-decisions?number=%00",
        "/api/v1/diplomas/%00",
        "/api/v1/diplomas/%FF",
        "/V/%00",
        "/V/VB1%00AAAA",
        "/V/%FF%FE",
        "/api/v1/receipts/%00",
        "/api/v1/receipts/%FF",
        "/bien-nhan/%00",
        "/thu-hoi/%00",
        "/thu-hoi/%FF",
        "/api/v1/issuers/%00/blanks",
        "/log/proof/inclusion?hash=%FF",
        "/log/proof/inclusion?hash=%C3%A9",
        "/log/proof/inclusion?index=%00",
        "/log/leaves?start=%00",
        "/problems/%00",
        "/static/%00",
    ],
)
async def test_nul_and_invalid_utf8_in_parameters_are_answered_never_failed(
    client: Any, url: str
) -> None:
    """A verification says "not genuine" of any text, and a search may find nothing: those
    are answers. An error is a problem (a page's 404 may be its own page)."""
    answer = await client.get(url, headers=bearer(CLERK))
    assert answer.status < 500, (url, answer.status, await answer.text())
    if answer.status < 400:
        return
    if answer.content_type == "text/html":
        assert answer.status == 404, url
        assert not url.startswith(("/api/", "/log/")), url
        return
    assert answer.content_type == "application/problem+json", url
    body = await answer.json(content_type=None)
    assert body["status"] == answer.status
    assert body["type"].startswith("/problems/")


# Forms --------------------------------------------------------------------------------------


async def test_the_lookup_form_with_invalid_utf8_is_the_form_again(client: Any) -> None:
    """Bytes that are no UTF-8 read as U+FFFD (aiohttp decodes forms leniently): the page
    answers with the form again, each error beside its field."""
    answer = await client.post(
        "/tra-cuu",
        data=b"serial=%FF%FE&date_of_birth=01%2F05%2F2007",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status in (200, 422), await answer.text()
    assert answer.content_type == "text/html"


async def test_a_form_field_with_a_nul_is_a_malformed_body(client: Any) -> None:
    answer = await client.post(
        "/tra-cuu",
        data=b"serial=A%00&date_of_birth=%00",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    await assert_problem(answer, 400, "malformed-body")


async def test_a_form_in_an_unknown_charset_is_a_malformed_body(client: Any) -> None:
    answer = await client.post(
        "/tra-cuu",
        data=b"serial=A",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=no-such"},
    )
    await assert_problem(answer, 400, "malformed-body")


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/api/v1/verify-pdf", "multipart/form-data", b"--x\r\n"),  # no boundary
        (
            "/api/v1/verify-pdf",
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="file"\x01\r\n\r\n%PDF-\r\n--x--\r\n',
        ),
        (
            "/api/v1/graduation-decisions",
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="file"\x7f\r\n\r\na\r\n--x--\r\n',
        ),
        (
            "/kiem-tra-van-bang-so",
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: \x00\r\n\r\na\r\n--x--\r\n",
        ),
    ],
    ids=["no-boundary", "pdf-control-in-header", "register-control", "pdf-page-nul-in-header"],
)
async def test_a_multipart_body_aiohttp_cannot_read_is_a_malformed_body(
    client: Any, db: asyncpg.Connection, path: str, content_type: str, body: bytes
) -> None:
    answer = await client.post(
        path, data=body, headers={**bearer(CLERK), "Content-Type": content_type}
    )
    await assert_problem(answer, 400, "malformed-body")
    await _nothing_written(db)


async def test_a_staff_form_with_invalid_utf8_or_nul_is_refused_and_makes_nothing(
    client: Any, db: asyncpg.Connection
) -> None:
    form = await sign_in(client, CLERK_LOGIN)
    before = await db.fetchval("SELECT count(*) FROM api_tokens")
    for body in (b"form_token=%FF&label=%FF%FE&days=7", f"form_token={form}&label=a%00b&days=7"):
        answer = await client.post(
            "/tai-khoan/ma-truy-cap",
            data=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        assert 400 <= answer.status < 500, await answer.text()
    assert await db.fetchval("SELECT count(*) FROM api_tokens") == before


# CSV ----------------------------------------------------------------------------------------


def _csv_with(cell: str) -> bytes:
    lines = example("csv").decode("utf-8-sig").splitlines()
    header, first, *rest = lines
    columns = header.split(",")
    cells = first.split(",")
    cells[columns.index("full_name")] = cell
    return "\n".join([header, ",".join(cells), *rest]).encode("utf-8")


@pytest.mark.parametrize(
    "data",
    [
        _csv_with("Trần\x00Bình"),
        _csv_with("Trần").replace("Trần".encode(), b"Tr\xff\xfe"),
        _csv_with("x" * (10 * 1024 * 1024)),
        _csv_with('"' + "x" * 40_000 + '"'),
    ],
    ids=["nul", "invalid-utf8-and-cp1258", "10-mb-cell", "cell-longer-than-excel"],
)
async def test_a_hostile_csv_is_a_problem_and_writes_nothing(
    client: Any, db: asyncpg.Connection, data: bytes
) -> None:
    answer = await _post_decision(client, io.BytesIO(data), "text/csv")
    assert answer.status in (400, 413, 422), (answer.status, (await answer.text())[:500])
    assert answer.content_type == "application/problem+json"
    await _nothing_written(db)


# Workbooks ----------------------------------------------------------------------------------


def _valid_xlsx_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(example("xlsx"))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _sheet_name(parts: dict[str, bytes]) -> str:
    return next(name for name in parts if name.startswith("xl/worksheets/sheet"))


def _bomb() -> bytes:
    """A workbook whose sheet expands to more than the readers' limit on uncompressed size,
    from a file of well under a megabyte (XML spaces compress about a thousand to one)."""
    parts = _valid_xlsx_parts()
    name = _sheet_name(parts)
    sheet = parts[name]
    cut = sheet.index(b"<sheetData>")
    parts[name] = sheet[:cut] + b" " * (300 * 1024 * 1024) + sheet[cut:]
    return _zip(parts)


def _million_rows() -> bytes:
    """A sheet that claims the whole grid: a cell at A1 and one at XFD1048576, every row and
    column between them empty."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "full_name"
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _many_rows() -> bytes:
    """More rows with text than one request takes, each a graduate."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["serial", "full_name", "date_of_birth", "gender"])
    for n in range(6_000):
        sheet.append([f"S{n:06d}", "Trần Thị Bình", "01/05/2007", "Nữ"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _huge_cell() -> bytes:
    """A 10 MB shared string in a cell (Excel itself keeps at most 32,767 characters)."""
    workbook = openpyxl.load_workbook(io.BytesIO(example("xlsx")))
    sheet = workbook.worksheets[0]
    for column in sheet.iter_cols(min_row=1, max_row=1):
        if column[0].value == "full_name" or column[0].value == "Họ và tên":
            sheet.cell(row=2, column=column[0].column, value="x" * (10 * 1024 * 1024))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _entity_expansion() -> bytes:
    """The classic billion laughs in the sheet: defusedxml refuses any entity declaration."""
    parts = _valid_xlsx_parts()
    name = _sheet_name(parts)
    laughs = b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    laughs += b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    laughs += b"]>"
    sheet = parts[name]
    declaration_end = sheet.index(b"?>") + 2 if sheet.startswith(b"<?xml") else 0
    parts[name] = sheet[:declaration_end] + laughs + sheet[declaration_end:]
    return _zip(parts)


@pytest.mark.parametrize(
    ("build", "status", "slug"),
    [
        (_bomb, 413, "payload-too-large"),
        (_million_rows, 413, "payload-too-large"),
        (_many_rows, 413, "payload-too-large"),
        (_huge_cell, 422, "validation-error"),
        (_entity_expansion, 400, "malformed-body"),
    ],
    ids=["decompression-bomb", "a-million-empty-rows", "too-many-rows", "10-mb-cell", "laughs"],
)
async def test_a_hostile_workbook_is_a_problem_and_writes_nothing(
    client: Any, db: asyncpg.Connection, build: Any, status: int, slug: str
) -> None:
    data = build()
    assert len(data) < 20 * 1024 * 1024
    await assert_problem(await _post_decision(client, io.BytesIO(data), XLSX), status, slug)
    await _nothing_written(db)


async def test_a_file_name_with_a_nul_is_a_malformed_body(
    client: Any, db: asyncpg.Connection
) -> None:
    body = (
        b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''a%00.csv\r\n"
        b"Content-Type: text/csv\r\n\r\n" + example("csv") + b"\r\n--x--\r\n"
    )
    answer = await _post_decision(client, body, "multipart/form-data; boundary=x")
    await assert_problem(answer, 400, "malformed-body")
    await _nothing_written(db)


# The readers of uploaded lists, fuzzed -------------------------------------------------------

FUZZED = hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
READERS = {"csv": parse_csv, "xlsx": parse_xlsx, "xls": parse_xls}


def _read_as_registration(kind: str, data: bytes) -> None:
    """Reads `data` as an upload and validates it as a registration: a Problem or a request,
    nothing else."""
    try:
        request, locator = READERS[kind](data, max_rows=50)
        with ParsedBody(request, locator).locating():
            validate(GraduationDecisionIn, request)
    except Problem:
        return


@FUZZED
@given(kind=st.sampled_from(sorted(READERS)), data=st.binary(max_size=2000))
def test_any_bytes_read_as_a_list_are_a_problem_or_a_request(kind: str, data: bytes) -> None:
    _read_as_registration(kind, data)


@FUZZED
@given(kind=st.sampled_from(["csv", "xlsx"]), flips=st.data())
def test_a_mutated_valid_list_is_a_problem_or_a_request(kind: str, flips: st.DataObject) -> None:
    data = bytearray(example(kind))
    for _ in range(flips.draw(st.integers(1, 8))):
        at = flips.draw(st.integers(0, len(data) - 1))
        data[at] = flips.draw(st.integers(0, 255))
    _read_as_registration(kind, bytes(data))


@FUZZED
@given(cells=st.lists(st.text(max_size=30), min_size=1, max_size=8))
def test_any_cells_in_a_valid_csv_are_a_problem_or_a_request(cells: list[str]) -> None:
    lines = example("csv").decode("utf-8-sig").splitlines()
    row = lines[1].split(",")
    for n, cell in enumerate(cells):
        row[n % len(row)] = '"' + cell.replace('"', '""') + '"'
    text = "\n".join([lines[0], ",".join(row), *lines[2:]])
    _read_as_registration("csv", text.encode("utf-8", "surrogatepass"))
