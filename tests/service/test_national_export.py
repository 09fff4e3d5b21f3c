"""The national diploma database export (docs/national-export.md): the mapping kept as data
and checked against the schema; a record for every registration and lifecycle event; the
cursor that pages through the log exactly once, the same however often it is read, and safe
against writes that commit out of order; the scope; the refusals; the command."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from service.domain.kinds import Gender
from service.domain.national_export import (
    CONTENT_COLUMNS,
    EVENT_EXTRAS,
    LOG_COLUMNS,
    MAPPING,
    NEVER_EXPORTED,
    MappingError,
    decode_cursor,
    encode_cursor,
    load_mapping,
)
from tests.conftest import ADMIN, AUDITOR, CLERK, bearer
from tests.factories import (
    assert_problem,
    decision_request,
    delete_behind_the_back,
    lifecycle_requests,
    sequenced,
)
from tests.running import run_vanbang

TOML = Path(__file__).resolve().parents[2] / "service" / "domain" / "national.toml"
EXPORT = "/api/v1/national-export"


async def _columns(db: asyncpg.Connection, table: str) -> set[str]:
    rows = await db.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $1", table
    )
    return {r["column_name"] for r in rows}


# The mapping ---------------------------------------------------------------------------------


async def test_every_source_the_mapping_names_exists(db: asyncpg.Connection) -> None:
    """Each field's source (and each record type's id and act date) is a column of the table
    it names, for every record type that carries it; nothing unconfirmed is called confirmed."""
    tables = {
        "diploma": await _columns(db, "diplomas"),
        "decision": await _columns(db, "graduation_decisions"),
        "issuer": await _columns(db, "issuers"),
        "log": await _columns(db, "log_leaves"),
    }
    assert tables["diploma"] >= CONTENT_COLUMNS
    assert tables["log"] >= LOG_COLUMNS
    for record_type in MAPPING.record_types.values():
        own = await _columns(db, record_type.table)
        assert own, f"{record_type.name}: no table {record_type.table}"
        events = (own | EVENT_EXTRAS.get(record_type.name, frozenset())) - NEVER_EXPORTED
        sources = [(f.name, f.source) for f in MAPPING.fields_of(record_type.name)]
        sources += [("id", record_type.id), ("act_date", record_type.act_date)]
        for name, source in sources:
            if source.namespace == "event":
                assert source.name in events, (record_type.name, name, str(source))
            elif source.namespace in tables:
                assert source.name in tables[source.namespace], (name, str(source))
    assert not MAPPING.confirmed
    assert not any(f.confirmed for f in MAPPING.fields)
    assert MAPPING.fields_of("registration")
    assert {f.name for f in MAPPING.fields if f.source.name == "personal_id"} == {
        "so_dinh_danh_ca_nhan"
    }
    gender = next(f for f in MAPPING.fields if f.source.name == "gender")
    assert gender.values is not None
    assert set(gender.values) == {g.value for g in Gender}


async def test_every_log_event_is_exported_or_declined(db: asyncpg.Connection) -> None:
    """An event type the log gains (a trigger's branch) must be mapped or named as not
    exported, or this fails: no event silently missing from the national database."""
    # Every trigger function that queues leaves: log_enqueue, and custody's own (0024).
    functions = await db.fetch(
        "SELECT pg_get_functiondef(p.oid) FROM pg_proc AS p"
        " WHERE prosrc LIKE '%INSERT INTO log_queue%'"
    )
    logged = {
        event
        for (definition,) in functions
        for event in re.findall(r"SELECT (?:DISTINCT )?'([a-z_]+)'", definition)
    }
    assert "custody_transfer" in logged
    assert logged == set(MAPPING.exported_events) | MAPPING.not_exported


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('source = "diploma.serial"', 'source = "register.serial"', "not <"),
        ('source = "diploma.serial"', 'source = "diploma.signed"', "never exported"),
        ('source = "diploma.serial"', 'source = "event.serial"', "no event row"),
        ('source = "diploma.serial"', 'source = "computed.guess"', "no such computed"),
        ('source = "content.holder_name"', 'source = "content.serial"', "civil-status"),
        ('type = "integer"', 'type = "number"', "is not one of"),
        ('name = "ho_ten"', 'name = "so_hieu_van_bang"', "unique"),
        ('records = ["handover"]', 'records = ["delivery"]', "unknown record types"),
        ('log_event = "copy"', 'log_event = "revocation"', "one record type"),
    ],
)
def test_the_mapping_refuses_what_it_cannot_do(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    text = TOML.read_text(encoding="utf-8")
    assert old in text
    changed = tmp_path / "national.toml"
    changed.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(MappingError, match=says):
        load_mapping(changed)


def test_the_cursor_is_opaque_and_checked() -> None:
    assert decode_cursor(encode_cursor(0)) == 0
    assert decode_cursor(encode_cursor(123456)) == 123456
    for bad in ("", "abc", "!!!!", encode_cursor(1)[:-2], "bmF0aW9uYWw6MjoxMg"):
        assert decode_cursor(bad) is None, bad


# Records -------------------------------------------------------------------------------------


async def _export(client: Any, token: str = AUDITOR, **params: str) -> dict[str, Any]:
    response = await client.get(EXPORT, params=params, headers=bearer(token))
    assert response.status == 200, await response.text()
    assert response.headers["Cache-Control"] == "no-store"
    answer: dict[str, Any] = await response.json()
    return answer


async def _all(client: Any, token: str = AUDITOR, limit: int = 1000, **params: str) -> Any:
    """Every record from the start, page by page; (records, the last cursor, page count)."""
    records: list[dict[str, Any]] = []
    cursor, pages = None, 0
    while True:
        query = {"limit": str(limit), **params, **({"after": cursor} if cursor else {})}
        page = await _export(client, token, **query)
        records += page["records"]
        cursor, pages = page["next"], pages + 1
        if not page["more"]:
            return records, cursor, pages


async def _register_everything(client: Any) -> dict[str, str]:
    """A decision of three, every lifecycle event on it, a range of blanks; all logged."""
    response = await client.post(
        "/api/v1/graduation-decisions", json=decision_request(3), headers=bearer(CLERK)
    )
    assert response.status == 201, await response.text()
    first, second, third = (d["id"] for d in (await response.json())["diplomas"])
    answers = {}
    for action, target, body in lifecycle_requests(first, first, third, second):
        done = await client.post(
            f"/api/v1/diplomas/{target}/{action}", json=body, headers=bearer(CLERK)
        )
        assert done.status == 201, await done.text()
        answers[action] = await done.json()
    receipt = await client.post(
        "/api/v1/issuers/SGDDT-HN/blanks/receipts",
        json={
            "kind": "thpt",
            "first_serial": "B000001",
            "last_serial": "B000010",
            "received_on": "2025-06-01",
            "reference": "Phiếu xuất kho 17/2025",
        },
        headers=bearer(CLERK),
    )
    assert receipt.status == 201, await receipt.text()
    await sequenced(client)
    return {
        "first": first,
        "second": second,
        "third": third,
        "reissued": answers["reissues"]["diploma"]["id"],
        "correction": answers["corrections"]["id"],
    }


async def test_a_record_for_every_registration_and_lifecycle_event(
    client: Any, db: asyncpg.Connection
) -> None:
    ids = await _register_everything(client)
    page = await _export(client)
    assert page["mapping"] == {"name": MAPPING.name, "version": "0.1.0-draft", "confirmed": False}
    assert page["scope"] == "BGDDT"
    assert page["after"] is None
    assert page["more"] is False
    assert page["unmatched"] == []
    records = page["records"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_type.setdefault(record["record_type"], []).append(record)
    assert {t: len(r) for t, r in by_type.items()} == {
        "registration": 4,  # three, and the re-issued diploma's new entry
        "correction": 1,
        "copy": 1,
        "reissue": 1,
        "revocation": 1,
        "handover": 1,
    }
    # The blank forms received, and the one the re-issue spoiled, are in the log only.
    assert page["log_size"] == await db.fetchval("SELECT count(*) FROM log_leaves")
    blanks = await db.fetch("SELECT event_type FROM log_leaves WHERE diploma_id IS NULL")
    assert sorted(r["event_type"] for r in blanks) == ["blanks_received", "blanks_spoiled"]
    assert page["log_size"] == len(records) + 2
    indices = [r["log_index"] for r in records]
    assert indices == sorted(indices)
    assert len({r["record_id"] for r in records}) == len(records)
    for record in records:
        expected = {f.name for f in MAPPING.fields_of(record["record_type"])}
        assert set(record["fields"]) == expected, record["record_type"]
        for spec in MAPPING.fields_of(record["record_type"]):
            if spec.required:
                assert record["fields"][spec.name] is not None, (record["record_type"], spec.name)
        assert record["fields"]["so_dinh_danh_ca_nhan"] is None  # registered without one
        assert record["mapping_version"] == MAPPING.version
        assert record["issuer"] == "SGDDT-HN"
        leaf = await db.fetchrow(
            "SELECT encode(leaf_hash, 'hex') AS hash, diploma_id::text AS diploma"
            " FROM log_leaves WHERE idx = $1",
            record["log_index"],
        )
        assert leaf is not None
        assert leaf["hash"] == record["leaf_hash"]
        assert leaf["diploma"] == record["diploma_id"]  # a re-issue's: the replaced one

    registration = next(r for r in by_type["registration"] if r["diploma_id"] == ids["first"])
    fields = registration["fields"]
    assert registration["record_id"] == ids["first"]
    assert fields["ho_ten"] == "Trần Thị Bình"
    assert fields["ngay_sinh"] == "2007-05-01"
    assert fields["gioi_tinh"] == "Nữ"
    assert fields["so_hieu_van_bang"] == "T000001"
    assert fields["so_vao_so_goc"] == "1/THPT-2025"
    assert fields["ngay_cap"] == "2025-08-15"
    assert fields["ngay_quyet_dinh_cong_nhan_tot_nghiep"] == "2025-07-14"
    assert fields["so_quyet_dinh_cong_nhan_tot_nghiep"] == "100/QĐ-SGDĐT"
    assert fields["ten_don_vi_cap"] == "Sở Giáo dục và Đào tạo Hà Nội"
    assert fields["ten_loai_van_bang"]
    assert fields["can_cu_cap"] == "TT21/2019"
    assert fields["nam_tot_nghiep"] == 2025
    assert fields["cong_khai"] is True
    assert fields["thoi_diem_ghi_so"].endswith("+07:00")

    correction = by_type["correction"][0]
    assert correction["record_id"] == ids["correction"]
    assert correction["diploma_id"] == ids["first"]
    assert correction["fields"]["ho_ten"] == "Trần Thị Bính"  # the civil status corrected
    assert correction["fields"]["ngay_sinh"] == "2007-05-02"
    assert correction["fields"]["phien_ban"] == 2
    assert correction["fields"]["noi_dung_thay_doi"]["full_name"] == {
        "old": "Trần Thị Bình",
        "new": "Trần Thị Bính",
    }
    assert correction["fields"]["can_cu_thuc_hien"] == "TT21/2019"  # decided 03/11/2025

    reissue = by_type["reissue"][0]
    assert reissue["diploma_id"] == ids["third"]
    assert reissue["fields"]["so_hieu_van_bang"] == "T000003"
    assert reissue["fields"]["so_hieu_van_bang_moi"] == "T900001"
    assert reissue["fields"]["ngay_cap_lai"] == "2025-09-01"
    assert ids["reissued"] in {r["diploma_id"] for r in by_type["registration"]}

    revocation = by_type["revocation"][0]
    assert revocation["diploma_id"] == ids["second"]
    assert revocation["fields"]["ma_can_cu"] == "fraud"
    assert revocation["fields"]["so_quyet_dinh"] == "45/QĐ-SGDĐT"

    copy = by_type["copy"][0]["fields"]
    assert copy["so_luong_ban_sao"] == 2
    assert copy["ngay_cap_ban_sao"] == "2026-01-05"
    assert copy["can_cu_thuc_hien"] == "TT21/2019"  # before 15/04/2026
    assert "001085012345" not in json.dumps(records)  # the identity document's number

    handover = by_type["handover"][0]["fields"]
    assert handover["nguoi_nhan"] == "Trần Thị Bính"
    assert handover["ngay_nhan"] == "2025-08-20"

    journalled = await db.fetch(
        "SELECT issuer_code, detail FROM staff_journal WHERE action = 'export.national'"
    )
    assert len(journalled) == 1
    assert journalled[0]["issuer_code"] == "BGDDT"
    assert json.loads(journalled[0]["detail"])["records"] == len(records)


async def test_the_personal_identification_number_goes_upward_opened(
    client: Any, db: asyncpg.Connection
) -> None:
    """A TT10/2026 diploma carries its holder's number; the export sends it opened, the
    register keeps it sealed."""
    data = decision_request(1, kind="thpt", issued_on="2026-06-05", issuer="THPT-CVA")
    data["decision"]["date"] = "2026-06-05"
    data["diploma"]["graduation_year"] = 2026
    del data["diploma"]["regulation"]  # the date decides: TT10/2026
    data["diploma"]["signer"] = {"name": "Phạm Thu Hà", "title": "Hiệu trưởng"}
    data["graduates"][0]["personal_id"] = "001307012345"
    response = await client.post("/api/v1/graduation-decisions", json=data, headers=bearer(ADMIN))
    assert response.status == 201, await response.text()
    await sequenced(client)
    every, _, _ = await _all(client)
    records = [r for r in every if r["record_type"] == "registration"]
    assert [r["fields"]["so_dinh_danh_ca_nhan"] for r in records] == ["001307012345"]
    assert [r["fields"]["can_cu_cap"] for r in records] == ["TT10/2026"]


async def test_paging_covers_everything_once_and_a_cursor_always_reads_the_same(
    client: Any,
) -> None:
    await _register_everything(client)
    whole, end, _ = await _all(client)
    for limit in (1, 2, 3, 7):
        paged, last, pages = await _all(client, limit=limit)
        assert paged == whole, limit
        assert last == end
        assert pages >= len(whole) // limit
    # Every cursor read twice gives the same bytes.
    cursor = None
    while True:
        params = {"limit": "2", **({"after": cursor} if cursor else {})}
        first = await client.get(EXPORT, params=params, headers=bearer(AUDITOR))
        again = await client.get(EXPORT, params=params, headers=bearer(AUDITOR))
        assert await first.read() == await again.read()
        page = await first.json()
        cursor = page["next"]
        if not page["more"]:
            break
    # At the end: nothing new, the same cursor; then new records from it, and only those.
    tail = await _export(client, after=end)
    assert tail["records"] == []
    assert tail["next"] == end
    more = await client.post(
        "/api/v1/graduation-decisions",
        json=decision_request(2, number="101/QĐ-SGDĐT", serial_prefix="N"),
        headers=bearer(CLERK),
    )
    assert more.status == 201
    await sequenced(client)
    tail = await _export(client, after=end)
    assert [r["fields"]["so_hieu_van_bang"] for r in tail["records"]] == ["N000001", "N000002"]
    assert tail["next"] != end


async def test_an_earlier_write_committed_later_is_not_skipped(
    client: Any, db: asyncpg.Connection
) -> None:
    """A handover whose transaction began first (its queue id is lower) but commits after a
    later one was exported: a cursor of row ids or times would skip it; the log's leaf index,
    given only at sequencing, after commit, does not."""
    response = await client.post(
        "/api/v1/graduation-decisions", json=decision_request(2), headers=bearer(CLERK)
    )
    first, second = (d["id"] for d in (await response.json())["diplomas"])
    await sequenced(client)
    kid = await db.fetchval(
        "SELECT kid FROM issuer_keys WHERE issuer_code = 'SGDDT-HN' AND not_after IS NULL"
    )
    slow = db.transaction()
    await slow.start()
    await db.execute(
        "INSERT INTO handovers (id, diploma_id, issuer_code, recipient_name, relation,"
        " handed_over_on, handed_over_by, kid, signed, recorded_at)"
        " VALUES ($1, $2, 'SGDDT-HN', 'Trần Thị Bình', 'holder', '2025-08-20', 'Lê Thị Hoa',"
        " $3, $4, now())",
        uuid.uuid4(),
        first,
        kid,
        b"a statement signed in a slow transaction",
    )
    fast = await client.post(
        f"/api/v1/diplomas/{second}/handovers",
        json={
            "recipient_name": "Trần Thị Bình",
            "relation": "holder",
            "handed_over_on": "2025-08-21",
            "handed_over_by": "Lê Thị Hoa",
        },
        headers=bearer(CLERK),
    )
    assert fast.status == 201
    await sequenced(client)  # the slow one is not committed: not in the log yet
    before, cursor, _ = await _all(client)
    assert [r["diploma_id"] for r in before if r["record_type"] == "handover"] == [second]
    await slow.commit()
    await sequenced(client)
    after, _, _ = await _all(client, after=cursor)
    assert [(r["record_type"], r["diploma_id"]) for r in after] == [("handover", first)]
    whole, _, _ = await _all(client)
    assert whole == before + after


async def test_a_leaf_whose_row_is_gone_makes_no_record(
    client: Any, db: asyncpg.Connection
) -> None:
    response = await client.post(
        "/api/v1/graduation-decisions", json=decision_request(2), headers=bearer(CLERK)
    )
    kept, gone = (d["id"] for d in (await response.json())["diplomas"])
    await sequenced(client)
    await delete_behind_the_back(db, gone)
    index = await db.fetchval("SELECT idx FROM log_leaves WHERE diploma_id = $1", gone)
    page = await _export(client)
    assert [r["diploma_id"] for r in page["records"]] == [kept]
    assert page["unmatched"] == [index]


# Scope and refusals --------------------------------------------------------------------------


async def test_a_department_exports_its_issuers_only(client: Any, db: asyncpg.Connection) -> None:
    department = new_token()
    await add_token(db, department, Role.AUDITOR, "SGDDT-HN")
    for issuer, kind, token in (("SGDDT-HN", "thpt", CLERK), ("DHSPHN", "bachelor", ADMIN)):
        body = decision_request(1, issuer=issuer, kind=kind, serial_prefix=issuer[:2])
        body["diploma"]["major"] = "Sư phạm Toán" if kind == "bachelor" else None
        response = await client.post(
            "/api/v1/graduation-decisions", json=body, headers=bearer(token)
        )
        assert response.status == 201, await response.text()
    await sequenced(client)
    everything, _, _ = await _all(client)
    assert {r["issuer"] for r in everything} == {"SGDDT-HN", "DHSPHN"}
    mine, _, _ = await _all(client, department)
    assert {r["issuer"] for r in mine} == {"SGDDT-HN"}
    assert mine == [r for r in everything if r["issuer"] != "DHSPHN"]
    # One issuer's subtree asked for: within the scope, or not found.
    university, _, _ = await _all(client, issuer="dhsphn")
    assert {r["issuer"] for r in university} == {"DHSPHN"}
    outside = await client.get(EXPORT, params={"issuer": "DHSPHN"}, headers=bearer(department))
    await assert_problem(outside, 404, "not-found")
    unknown = await client.get(EXPORT, params={"issuer": "NOPE"}, headers=bearer(AUDITOR))
    await assert_problem(unknown, 404, "not-found")
    # An admin of every issuer exports every one.
    admin, _, _ = await _all(client, ADMIN)
    assert admin == everything
    # A clerk keeps to its register; nobody without a token.
    await assert_problem(await client.get(EXPORT, headers=bearer(CLERK)), 403, "forbidden")
    await assert_problem(await client.get(EXPORT), 401, "unauthenticated")


async def test_bad_cursors_and_limits_are_problems(client: Any, db: asyncpg.Connection) -> None:
    await client.post(
        "/api/v1/graduation-decisions", json=decision_request(1), headers=bearer(CLERK)
    )
    await sequenced(client)
    size = await db.fetchval("SELECT count(*) FROM log_leaves")
    for after in ("nonsense", "bmF0aW9uYWw6MTotMQ", encode_cursor(size + 1)):
        response = await client.get(EXPORT, params={"after": after}, headers=bearer(AUDITOR))
        body = await assert_problem(response, 400, "invalid-parameter")
        assert body["errors"][0]["pointer"] == "#/after"
    for limit in ("0", "1001", "ten", "-1", "99999999999"):
        response = await client.get(EXPORT, params={"limit": limit}, headers=bearer(AUDITOR))
        body = await assert_problem(response, 400, "invalid-parameter")
        assert body["errors"][0]["pointer"] == "#/limit"
    # The end of the log is a cursor like any other.
    tail = await _export(client, after=encode_cursor(size))
    assert tail["records"] == []
    assert not await db.fetchval(
        "SELECT count(*) FROM staff_journal WHERE action = 'export.national'"
        " AND detail ->> 'records' <> '0'"
    )


async def test_the_command_writes_json_lines_and_the_next_cursor(
    client: Any, db_url: str, tmp_path: Path
) -> None:
    await _register_everything(client)
    whole, end, _ = await _all(client)
    out = tmp_path / "batch.jsonl"
    code, stdout, stderr = await run_vanbang(db_url, "export", "national", "--out", str(out))
    assert code == 0, stderr
    assert stdout.strip() == end
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines == whole
    assert f"{len(whole)} record(s) in mapping {MAPPING.version}" in stderr
    assert not list(tmp_path.glob("*.partial"))
    # From the cursor printed: nothing more, and the same cursor.
    code, stdout, _ = await run_vanbang(
        db_url, "export", "national", "--after", end, "--out", str(out)
    )
    assert code == 0
    assert stdout.strip() == end
    assert out.read_text(encoding="utf-8") == ""
    # To stdout, one issuer's subtree: the records there, the cursor on stderr.
    code, stdout, stderr = await run_vanbang(db_url, "export", "national", "--issuer", "SGDDT-HN")
    assert code == 0, stderr
    assert [json.loads(line) for line in stdout.splitlines()] == whole
    assert stderr.splitlines()[0] == end
    code, _, stderr = await run_vanbang(db_url, "export", "national", "--after", "bad")
    assert code == 1
    assert "Not a cursor this API gave" in stderr


def test_the_page_documents_every_field_and_the_version() -> None:
    page = (TOML.parents[2] / "docs" / "national-export.md").read_text(encoding="utf-8")
    assert f"**`{MAPPING.version}`**" in page
    for spec in MAPPING.fields:
        assert f"| `{spec.name}` | {spec.label} | `{spec.source}` | {spec.type} |" in page
    for name in MAPPING.record_types:
        assert f"| `{name}` |" in page
