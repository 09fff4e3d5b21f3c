"""The holder's personal identification number (số định danh cá nhân): validated, required
where the regulation requires it, sealed at rest, shown to staff in scope only (masked, its
reveal journalled), found by staff within scope, copied onto a re-issued diploma."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import asyncpg
import pytest

from service.domain import personal_ids as rules
from service.domain import registration as registration_rules
from service.domain.graduates import GraduateIn, validate
from service.domain.kinds import DiplomaKind
from service.keystore import KeyStore, KeyStoreError
from service.problems import Problem
from service.sealing import PersonalIdKey, SealError
from tests.conftest import ADMIN, AUDITOR, CLERK, ROOT, bearer
from tests.factories import assert_problem, decision_request, register_counts
from tests.signing_tools import write_secret
from tests.staff import CLERK_LOGIN, form_token, sign_in

# Born 01/05/2007, female (decision_request's graduates): Hà Nội, 21st century female, 07.
NUMBER = "001307004217"
REGISTER = "/api/v1/graduation-decisions"


def _graduate(**changes: Any) -> dict[str, Any]:
    return {
        "serial": "S1",
        "full_name": "Trần Thị Bình",
        "date_of_birth": "2007-05-01",
        "gender": "female",
        **changes,
    }


def _field_codes(value: Any) -> list[str]:
    try:
        validate(GraduateIn, _graduate(personal_id=value))
    except Problem as problem:
        return [e.code for e in problem.errors]
    return []


# The rules, each on both sides -------------------------------------------------------------


def test_twelve_ascii_digits_and_nothing_else() -> None:
    assert _field_codes(NUMBER) == []
    assert _field_codes("001 307 004217") == []  # grouped as printed on the card
    assert _field_codes("001.307.004217") == []
    assert _field_codes(1307004217) == []  # a spreadsheet's number, its leading zeros lost
    assert _field_codes("00130700421") == ["personal_id_digits"]  # 11
    assert _field_codes("0013070042170") == ["personal_id_digits"]  # 13
    assert _field_codes("00130700421A") == ["personal_id_digits"]
    assert _field_codes("００１３０７００４２１７") == ["personal_id_digits"]  # full-width
    assert _field_codes("") == ["personal_id_digits"]


def test_the_first_three_digits_are_a_province_of_birth_registration() -> None:
    assert len(rules.PROVINCES) == 63
    for code in ("001", "002", "004", "079", "096"):
        assert _field_codes(code + NUMBER[3:]) == [], code
    for code in ("000", "003", "005", "013", "097", "100", "999"):
        assert _field_codes(code + NUMBER[3:]) == ["personal_id_province"], code


def test_century_sex_and_year_against_the_date_of_birth_and_gender() -> None:
    born = date(2007, 5, 1)
    assert rules.holder_mismatches("001307004217", born, "female") == []
    assert rules.holder_mismatches("001207004217", born, "male") == []
    # 1: the 20th century, female.
    (century,) = rules.holder_mismatches("001107004217", born, "female")
    assert "thế kỷ" in century.vi
    assert "2007" in century.vi
    # 2: male, the gender says female.
    (sex,) = rules.holder_mismatches("001207004217", born, "female")
    assert "giới tính Nữ" in sex.vi
    (year,) = rules.holder_mismatches("001308004217", born, "female")
    assert "năm sinh 2007" in year.vi
    assert rules.holder_mismatches("001095004217", date(1995, 1, 1), "male") == []
    assert rules.holder_mismatches("001595004217", date(2195, 1, 1), "female") == []
    assert len(rules.holder_mismatches("001195004217", date(1996, 1, 1), "male")) == 2


def test_masked_shows_the_last_four_digits_only() -> None:
    assert rules.masked(NUMBER) == "••••••••4217"


def test_a_number_is_required_only_where_the_kind_requires_it() -> None:
    """_check_graduate reads `requires` by name; a field only graduates have never falls
    back to the decision-wide diploma values."""
    from service.domain.graduates import parse_request

    request = parse_request(decision_request(1))
    graduate = request.graduates[0]
    errors = registration_rules._check_graduate(0, graduate, request, ("personal_id",))
    assert [(e.loc, e.code) for e in errors] == [
        (("graduates", 0, "personal_id"), "required_for_kind")
    ]
    with_number = graduate.model_copy(update={"personal_id": NUMBER})
    assert registration_rules._check_graduate(0, with_number, request, ("personal_id",)) == []
    assert registration_rules._check_graduate(0, graduate, request, ()) == []


# The seal ---------------------------------------------------------------------------------


def test_sealed_numbers_open_only_with_their_key_and_diploma() -> None:
    key = PersonalIdKey(bytes(range(32)))
    diploma, other = uuid.uuid4(), uuid.uuid4()
    sealed = key.seal(diploma, NUMBER)
    assert len(sealed) == 41
    assert NUMBER.encode() not in sealed
    assert key.seal(diploma, NUMBER) != sealed  # a fresh nonce each time
    assert key.open(diploma, sealed) == NUMBER
    with pytest.raises(SealError):
        key.open(other, sealed)  # moved onto another diploma's row
    with pytest.raises(SealError):
        PersonalIdKey(bytes(32)).open(diploma, sealed)
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(SealError):
        key.open(diploma, tampered)
    assert key.lookup(NUMBER) == PersonalIdKey(bytes(range(32))).lookup(NUMBER)
    assert key.lookup(NUMBER) != PersonalIdKey(bytes(32)).lookup(NUMBER)


def test_production_refuses_the_demo_personal_id_key(tmp_path: Path) -> None:
    demo = ROOT / "keys-example"
    own = tmp_path / "keys"
    own.mkdir()
    (own / "personal-id.key").write_bytes((demo / "personal-id.key").read_bytes())
    with pytest.raises(KeyStoreError, match="demo personal-id key"):
        KeyStore(own).refuse_demo_keys(demo, set())
    (own / "personal-id.key").unlink()
    created = KeyStore(own).create_personal_id_key()
    assert (own / "personal-id.key").stat().st_mode & 0o777 == 0o600
    KeyStore(own).refuse_demo_keys(demo, set())
    loaded = KeyStore(own).personal_id_key()
    assert loaded is not None
    assert loaded.key_id == created.key_id
    with pytest.raises(KeyStoreError, match="exists already"):
        KeyStore(own).create_personal_id_key()


# Registering ------------------------------------------------------------------------------


def _with_numbers(data: dict[str, Any], numbers: Sequence[str | None]) -> dict[str, Any]:
    for graduate, number in zip(data["graduates"], numbers, strict=True):
        if number is not None:
            graduate["personal_id"] = number
    return data


async def _register(client: Any, numbers: list[str | None], **changes: Any) -> Any:
    data = _with_numbers(decision_request(len(numbers), **changes), numbers)
    return await client.post(REGISTER, json=data, headers=bearer(changes.pop("token", CLERK)))


async def test_registering_with_and_without_the_number(client: Any, db: asyncpg.Connection) -> None:
    response = await _register(client, [NUMBER, None])
    assert response.status == 201, await response.text()
    answer = await response.json()
    assert NUMBER not in await response.text()
    with_number, without = (d["id"] for d in answer["diplomas"])
    rows = await db.fetch("SELECT diploma_id FROM diploma_personal_ids")
    assert [str(r["diploma_id"]) for r in rows] == [with_number]

    shown = await client.get(f"/api/v1/diplomas/{with_number}", headers=bearer(CLERK))
    body = await shown.json()
    assert body["personal_id"] == {
        "masked": "••••••••4217",
        "reveal": f"/api/v1/diplomas/{with_number}/personal-id",
    }
    assert NUMBER not in await shown.text()
    none = await client.get(f"/api/v1/diplomas/{without}", headers=bearer(CLERK))
    assert (await none.json())["personal_id"] is None

    revealed = await client.post(body["personal_id"]["reveal"], headers=bearer(CLERK))
    assert revealed.status == 200
    assert revealed.headers["Cache-Control"] == "no-store"
    assert (await revealed.json())["personal_id"] == NUMBER
    journal = await db.fetch(
        "SELECT action, record_id, detail::text AS detail FROM staff_journal"
        " WHERE action LIKE 'personal_id.%'"
    )
    assert [(j["action"], j["record_id"]) for j in journal] == [
        ("personal_id.revealed", with_number)
    ]
    assert all(NUMBER not in (j["detail"] or "") for j in journal)
    await assert_problem(
        await client.post(f"/api/v1/diplomas/{without}/personal-id", headers=bearer(CLERK)),
        404,
        "not-found",
    )


async def test_a_number_that_contradicts_the_graduate_writes_nothing(
    client: Any, db: asyncpg.Connection
) -> None:
    before = await register_counts(db)
    response = await _register(client, [NUMBER, "001207004218"])  # the second: male
    body = await assert_problem(response, 422, "validation-error")
    assert [(e["pointer"], e["code"]) for e in body["errors"]] == [
        ("#/graduates/1/personal_id", "personal_id_holder")
    ]
    assert "giới tính" in body["errors"][0]["detail"]
    assert await register_counts(db) == before
    assert await db.fetchval("SELECT count(*) FROM diploma_personal_ids") == 0
    bad = await _register(client, ["003307004217"])
    body = await assert_problem(bad, 422, "validation-error")
    assert body["errors"][0]["code"] == "personal_id_province"
    assert "mã tỉnh" in body["errors"][0]["detail"]


async def test_required_where_the_regulation_requires_it(
    client: Any, db: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A regulation fixture: TT21's THPT rule as it is, plus the personal ID required (the lead
    # adds "personal_id" to TT10's kinds in regulations.toml).
    from service.domain.regulations import REGULATIONS

    tt21 = REGULATIONS["TT21/2019"]
    rule = tt21.kinds[DiplomaKind.THPT]
    kinds = {
        **tt21.kinds,
        DiplomaKind.THPT: dataclasses.replace(rule, requires=(*rule.requires, "personal_id")),
    }
    fixture = dataclasses.replace(tt21, kinds=MappingProxyType(kinds))
    monkeypatch.setattr(
        registration_rules,
        "REGULATIONS",
        MappingProxyType({**REGULATIONS, "TT21/2019": fixture}),
    )
    before = await register_counts(db)
    missing = await _register(client, [NUMBER, None])
    body = await assert_problem(missing, 422, "validation-error")
    assert [(e["pointer"], e["code"]) for e in body["errors"]] == [
        ("#/graduates/1/personal_id", "required_for_kind")
    ]
    assert body["errors"][0]["detail"].startswith("Bằng tốt nghiệp")
    assert await register_counts(db) == before
    done = await _register(client, [NUMBER, "001307004218"])
    assert done.status == 201, await done.text()


def _csv(numbers: list[str | None], decision: str = "100/QĐ-SGDĐT") -> bytes:
    data = decision_request(len(numbers))
    header = (
        "decision_number,decision_date,decision_signer_name,decision_signer_title,kind,"
        "graduation_year,place_of_issue,issued_on,signer_name,signer_title,serial,full_name,"
        "date_of_birth,place_of_birth,gender,Số định danh cá nhân"
    )
    lines = [header]
    for graduate, number in zip(data["graduates"], numbers, strict=True):
        lines.append(
            f"{decision},14/07/2025,Nguyễn Văn Minh,Giám đốc,thpt,2025,Hà Nội,15/08/2025,"
            f"Nguyễn Văn Minh,Giám đốc,{graduate['serial']},Trần Thị Bình,01/05/2007,Hà Nội,"
            f"Nữ,{number or ''}"
        )
    return ("\n".join(lines) + "\n").encode()


async def test_a_csv_list_carries_the_number_under_its_vietnamese_header(
    client: Any, db: asyncpg.Connection
) -> None:
    bad = await client.post(
        REGISTER,
        data=_csv([NUMBER, "1307004218"]),  # leading zeros lost by a spreadsheet
        headers={**bearer(CLERK), "Content-Type": "text/csv"},
    )
    body = await assert_problem(bad, 422, "validation-error")
    (error,) = body["errors"]
    assert (error["row"], error["column"], error["code"]) == (
        3,
        "Số định danh cá nhân",
        "personal_id_digits",
    )
    assert "12 chữ số" in error["detail"]
    response = await client.post(
        REGISTER,
        data=_csv([NUMBER, None]),
        headers={**bearer(CLERK), "Content-Type": "text/csv"},
    )
    assert response.status == 201, await response.text()
    assert await db.fetchval("SELECT count(*) FROM diploma_personal_ids") == 1


async def test_a_dump_of_the_database_holds_no_number(
    client: Any, db: asyncpg.Connection, db_url: str
) -> None:
    """Every row of every table as text, as pg_dump would write it: the number's digits are
    nowhere, nor the digits after its province code, nor its hex spelling."""
    numbers = [NUMBER, "079307123456"]
    response = await client.post(
        REGISTER,
        json=_with_numbers(decision_request(2), numbers),
        headers={**bearer(CLERK), "Idempotency-Key": "dump-test"},
    )
    assert response.status == 201
    # And a list checked in the console, waiting for its confirmation.
    token = await sign_in(client, CLERK_LOGIN)
    form = {"form_token": token}
    import aiohttp

    upload = aiohttp.FormData(form)
    csv = _csv(["001307555555", None], "101/QĐ-SGDĐT")
    csv = csv.replace(b"T000001", b"C000001").replace(b"T000002", b"C000002")
    upload.add_field("file", csv, filename="ds.csv", content_type="text/csv")
    checked = await client.post("/quan-ly/dang-ky", data=upload, allow_redirects=False)
    assert checked.status == 303, await checked.text()
    tables = await db.fetch(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    )
    dump: list[str] = []
    for t in tables:
        name = t["table_name"]
        rows = await db.fetch(f'SELECT t::text AS row FROM "{name}" AS t')  # noqa: S608
        dump.extend(r["row"] for r in rows)
    text = "\n".join(dump)
    assert "diploma_personal_ids" in {t["table_name"] for t in tables}
    for number in [*numbers, "001307555555"]:
        assert number not in text
        assert number[3:] not in text
        assert number.encode().hex() not in text
    # The staged list's confirmation still registers the number it holds sealed.
    page = await client.get(checked.headers["Location"])
    confirm = await client.post(
        f"{checked.headers['Location']}/xac-nhan",
        data={"form_token": form_token(await page.text())},
        allow_redirects=False,
    )
    assert confirm.status == 303, await confirm.text()
    assert await db.fetchval("SELECT count(*) FROM diploma_personal_ids") == 3


# Finding a person -------------------------------------------------------------------------


async def test_staff_find_a_person_only_within_their_scope(
    client: Any, db: asyncpg.Connection
) -> None:
    ours = await _register(client, [NUMBER])
    assert ours.status == 201
    # The same person's bachelor from the university, outside the department's subtree.
    data = _with_numbers(decision_request(1, kind="bachelor", issuer="DHSPHN"), [NUMBER])
    data["diploma"]["major"] = "Sư phạm Toán"
    data["decision"]["signer"]["title"] = "Hiệu trưởng"
    theirs = await client.post(REGISTER, json=data, headers=bearer(ADMIN))
    assert theirs.status == 201, await theirs.text()
    url = "/api/v1/diplomas/by-personal-id"

    async def found(token: str, number: str = NUMBER) -> list[str]:
        response = await client.post(url, json={"personal_id": number}, headers=bearer(token))
        assert response.status == 200, await response.text()
        assert response.headers["Cache-Control"] == "no-store"
        return sorted(item["issuer"] for item in (await response.json())["items"])

    assert await found(CLERK) == ["SGDDT-HN"]
    assert await found(AUDITOR) == ["DHSPHN", "SGDDT-HN"]
    assert await found(CLERK, "001307004218") == []
    await assert_problem(
        await client.post(url, json={"personal_id": "12345"}, headers=bearer(CLERK)),
        422,
        "validation-error",
    )
    await assert_problem(
        await client.post(url, json={"personal_id": NUMBER}), 401, "unauthenticated"
    )
    # The number is never taken from a URL.
    assert (await client.get(f"{url}?personal_id={NUMBER}", headers=bearer(CLERK))).status in (
        404,
        405,
    )
    lookups = await db.fetch(
        "SELECT detail::text AS detail FROM staff_journal WHERE action = 'personal_id.lookup'"
    )
    assert len(lookups) == 3  # the malformed number was refused before any lookup
    assert all(NUMBER not in row["detail"] for row in lookups)
    # Outside the scope, a diploma's number is not found either.
    their_id = (await theirs.json())["diplomas"][0]["id"]
    await assert_problem(
        await client.post(f"/api/v1/diplomas/{their_id}/personal-id", headers=bearer(CLERK)),
        404,
        "not-found",
    )


async def test_the_console_finds_and_reveals(client: Any, db: asyncpg.Connection) -> None:
    response = await _register(client, [NUMBER])
    diploma_id = (await response.json())["diplomas"][0]["id"]
    await sign_in(client, CLERK_LOGIN)
    form = await client.get("/quan-ly/tra-cuu-dinh-danh")
    page = await form.text()
    assert form.status == 200
    assert "Tra cứu văn bằng theo số định danh cá nhân" in page
    token = form_token(page)
    bad = await client.post(
        "/quan-ly/tra-cuu-dinh-danh", data={"form_token": token, "personal_id": "12"}
    )
    assert bad.status == 422
    assert "12 chữ số" in await bad.text()
    result = await client.post(
        "/quan-ly/tra-cuu-dinh-danh", data={"form_token": token, "personal_id": NUMBER}
    )
    text = await result.text()
    assert result.status == 200
    assert f"/quan-ly/van-bang/{diploma_id}" in text
    assert "••••••••4217" in text
    assert NUMBER not in text  # the number typed is not shown back whole
    no_token = await client.post("/quan-ly/tra-cuu-dinh-danh", data={"personal_id": NUMBER})
    assert no_token.status == 403

    diploma = await client.get(f"/quan-ly/van-bang/{diploma_id}")
    text = await diploma.text()
    assert "••••••••4217" in text
    assert NUMBER not in text
    shown = await client.post(
        f"/quan-ly/van-bang/{diploma_id}/dinh-danh", data={"form_token": form_token(text)}
    )
    assert shown.status == 200
    assert NUMBER in await shown.text()
    assert "no-store" in shown.headers["Cache-Control"]
    actions = await db.fetch("SELECT action FROM staff_journal WHERE action LIKE 'personal_id.%'")
    assert sorted(a["action"] for a in actions) == ["personal_id.lookup", "personal_id.revealed"]


# The lifecycle ----------------------------------------------------------------------------


async def test_a_reissued_diploma_keeps_the_holders_number(
    client: Any, db: asyncpg.Connection
) -> None:
    response = await _register(client, [NUMBER])
    old = (await response.json())["diplomas"][0]["id"]
    reissue = await client.post(
        f"/api/v1/diplomas/{old}/reissues",
        json={
            "serial": "T900001",
            "issued_on": "2025-09-02",
            "reason": "Ghi sai nơi sinh khi in văn bằng",
            "changes": {"place_of_birth": "Hà Nam"},
        },
        headers=bearer(CLERK),
    )
    assert reissue.status == 201, await reissue.text()
    new = (await reissue.json())["diploma"]["id"]
    revealed = await client.post(f"/api/v1/diplomas/{new}/personal-id", headers=bearer(CLERK))
    assert (await revealed.json())["personal_id"] == NUMBER
    found = await client.post(
        "/api/v1/diplomas/by-personal-id", json={"personal_id": NUMBER}, headers=bearer(CLERK)
    )
    assert sorted(i["id"] for i in (await found.json())["items"]) == sorted([old, new])
    # Sealed under the new diploma's id: two different sealed values, one lookup hash.
    rows = await db.fetch("SELECT sealed, lookup FROM diploma_personal_ids")
    assert len({bytes(r["sealed"]) for r in rows}) == 2
    assert len({bytes(r["lookup"]) for r in rows}) == 1


async def test_the_sealed_rows_are_append_only(client: Any, db: asyncpg.Connection) -> None:
    assert (await _register(client, [NUMBER])).status == 201
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await db.execute("UPDATE diploma_personal_ids SET lookup = lookup")
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await db.execute("DELETE FROM diploma_personal_ids")


async def test_without_the_key_a_number_is_refused_and_nothing_written(
    settings: Any, aiohttp_client: Any, db: asyncpg.Connection, tmp_path: Path
) -> None:
    from service.app import create_app

    # No demo directory to fall back on: only the test's empty keys directory, and the
    # issuer's demo signing key copied there so that only the personal-id key is missing.
    keys = tmp_path / "keys"
    keys.mkdir(exist_ok=True)
    for pem in (ROOT / "keys-example" / "keys").glob("*.pem"):
        write_secret(keys / pem.name, pem.read_bytes())
    client = await aiohttp_client(create_app(dataclasses.replace(settings, demo=False)))
    before = await register_counts(db)
    response = await _register(client, [NUMBER])
    body = await assert_problem(response, 409, "no-personal-id-key")
    assert "vanbang key personal-id" in body["detail"]
    assert await register_counts(db) == before
    # A list without numbers needs no such key.
    assert (await _register(client, [None])).status == 201
