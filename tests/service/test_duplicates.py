"""Probable duplicate people (service/domain/duplicates.py): the same folded name, date and
place of birth, within the list or against the register of the same issuer and kind, are
warnings of the validate-only answer, of the registration's and of the console's preview;
never errors."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

import aiohttp
import asyncpg

from service.db.duplicates import registered_people
from service.domain.duplicates import REGISTERED_MATCHES, Existing, probable_duplicates
from service.domain.graduates import GraduateIn
from service.domain.kinds import DiplomaKind
from tests.conftest import CLERK, bearer
from tests.factories import decision_request, register_counts
from tests.staff import CLERK_LOGIN, form_token, sign_in

URL = "/api/v1/graduation-decisions"
HEADER = (
    "Số quyết định *,Ngày quyết định,Người ký quyết định,Chức vụ người ký quyết định,"
    "Loại văn bằng,Năm tốt nghiệp,Nơi cấp,Ngày cấp,Người ký,Chức vụ người ký,"
    "Số hiệu,Họ và tên,Ngày sinh,Nơi sinh,Giới tính"
)
DECISION = (
    "{number},14/07/2025,Nguyễn Văn Minh,Giám đốc,thpt,2025,Hà Nội,15/08/2025,"
    "Nguyễn Văn Minh,Giám đốc"
)


def _graduate(name: str, born: str = "2007-05-01", place: str | None = "Hà Nội") -> GraduateIn:
    return GraduateIn.model_validate(
        {"serial": "S1", "full_name": name, "date_of_birth": born, "gender": "Nữ"}
        | ({} if place is None else {"place_of_birth": place})
    )


def test_the_rule_folds_names_and_places_and_names_both_rows() -> None:
    graduates = [
        _graduate("Trần Thị Bình"),
        _graduate("Trần Thị Bình", place="Nam Định"),  # another place: another person
        _graduate("tran  thi BINH", place="HÀ NỘI"),  # the first, typed otherwise
        _graduate("Trần Thị Bình", born="2007-05-02"),  # another day
        _graduate("Lê Văn An", place=None),
        _graduate("Le Van An", place=None),  # a blank place matches a blank one
    ]
    found = probable_duplicates(graduates, [], rows=[2, 3, 4, 5, 6, 7])
    assert [(w.graduate, w.row, w.other_graduate, w.other_row) for w in found] == [
        (2, 4, 0, 2),
        (5, 7, 4, 6),
    ]
    assert found[0].message.vi == (
        "Có thể trùng người: tran thi BINH, sinh 01/05/2007 tại HÀ NỘI, đã có ở dòng 2."
    )
    assert "is also on row 2" in found[0].message.en
    assert "(không ghi nơi sinh)" in found[1].message.vi
    # A JSON list has no rows: the message counts graduates from 1.
    assert probable_duplicates(graduates[:3], [])[0].message.en.endswith("on row 1.")
    existing = Existing(1, uuid.uuid4(), "X1", "7/THPT-2025")
    [in_register] = probable_duplicates(graduates[:2], [existing])
    assert (in_register.graduate, in_register.other_graduate) == (1, None)
    assert "X1" in in_register.message.vi
    assert "7/THPT-2025" in in_register.message.en


async def test_the_register_is_looked_up_in_one_indexed_query(
    client: Any, db: asyncpg.Connection
) -> None:
    registered = await client.post(
        URL, json=decision_request(1, serial_prefix="DUPA"), headers=bearer(CLERK)
    )
    assert registered.status == 201
    first = (await registered.json())["diplomas"][0]
    people = [_graduate("TRẦN thị  bình", place="hà nội"), _graduate("Trần Thị Bình", place="Huế")]
    found = await registered_people(db, "SGDDT-HN", DiplomaKind.THPT, people)
    assert found == [Existing(0, uuid.UUID(first["id"]), first["serial"], first["register_number"])]
    # Within the same issuer and kind only.
    assert await registered_people(db, "SGDDT-HCM", DiplomaKind.THPT, people) == []
    assert await registered_people(db, "SGDDT-HN", DiplomaKind.THCS, people) == []
    async with db.transaction():
        await db.execute("SET LOCAL enable_seqscan = off")
        plan = await db.fetch(
            "EXPLAIN SELECT id FROM diplomas WHERE issuer_code = 'SGDDT-HN' AND kind = 'thpt'"
            " AND date_of_birth = '2007-05-01' AND fold_vi(holder_name) = 'tran thi binh'"
        )
    shown = " ".join(r[0] for r in plan)
    # One of the indexes on the folded person (0013's by issuer, or 0021's across issuers,
    # which a planner may take on a table this small): never a scan of the register.
    assert "diplomas_probable_person" in shown or "diplomas_person_across_issuers" in shown


async def test_a_graduate_names_at_most_a_few_registered_diplomas_the_earliest(
    client: Any, db: asyncpg.Connection
) -> None:
    # The factory's graduates are all one person (one name, day and place of birth).
    many = REGISTERED_MATCHES + 3
    registered = await client.post(
        URL, json=decision_request(many, serial_prefix="DUPM"), headers=bearer(CLERK)
    )
    assert registered.status == 201
    earliest = (await registered.json())["diplomas"][:REGISTERED_MATCHES]
    found = await registered_people(
        db, "SGDDT-HN", DiplomaKind.THPT, [_graduate("Trần Thị Bình"), _graduate("Lê Văn An")]
    )
    assert found == [
        Existing(0, uuid.UUID(d["id"]), d["serial"], d["register_number"]) for d in earliest
    ]


def _csv(number: str, people: list[tuple[str, str, str, str]]) -> bytes:
    lines = [HEADER]
    for serial, name, born, place in people:
        lines.append(f"{DECISION.format(number=number)},{serial},{name},{born},{place},Nữ")
    return "\n".join(lines).encode()


async def test_duplicates_are_warnings_of_the_check_and_of_the_registration(
    client: Any, db: asyncpg.Connection
) -> None:
    registered = await client.post(
        URL, json=decision_request(1, serial_prefix="DUPB"), headers=bearer(CLERK)
    )
    existing = (await registered.json())["diplomas"][0]
    listed = _csv(
        "77/QĐ",
        [
            ("DUPC-1", "Lê Thị Hoa", "03/04/2007", "Hải Phòng"),
            ("DUPC-2", "tran thi binh", "01/05/2007", "Hà Nội"),  # already registered
            ("DUPC-3", "LÊ THỊ HOA", "03/04/2007", "hải phòng"),  # row 2 again
            ("DUPC-4", "Lê Thị Hoa", "03/04/2008", "Hải Phòng"),  # another person
        ],
    )
    csv = {**bearer(CLERK), "Content-Type": "text/csv"}
    before = await register_counts(db)
    checked = await client.post(f"{URL}?validate_only=true", data=listed, headers=csv)
    assert checked.status == 200, await checked.text()
    warnings = (await checked.json())["warnings"]
    assert await register_counts(db) == before  # a check keeps nothing
    assert warnings == [
        {
            "code": "probable_duplicate",
            "pointer": "#/graduates/1",
            "graduate": 1,
            "row": 3,
            "other_graduate": None,
            "other_row": None,
            "existing": {
                "id": existing["id"],
                "serial": existing["serial"],
                "register_number": existing["register_number"],
            },
            "message_vi": "Có thể trùng người: tran thi binh, sinh 01/05/2007 tại Hà Nội, đã có "
            f"văn bằng số hiệu {existing['serial']}, số vào sổ {existing['register_number']}.",
            "message_en": "Probable duplicate: tran thi binh, born 01/05/2007 in Hà Nội, already "
            f"holds the diploma with serial {existing['serial']}, register number "
            f"{existing['register_number']}.",
        },
        {
            "code": "probable_duplicate",
            "pointer": "#/graduates/2",
            "graduate": 2,
            "row": 4,
            "other_graduate": 0,
            "other_row": 2,
            "existing": None,
            "message_vi": "Có thể trùng người: LÊ THỊ HOA, sinh 03/04/2007 tại hải phòng, đã có "
            "ở dòng 2.",
            "message_en": "Probable duplicate: LÊ THỊ HOA, born 03/04/2007 in hải phòng, is also "
            "on row 2.",
        },
    ]
    done = await client.post(URL, data=listed, headers=csv)
    assert done.status == 201, await done.text()  # warnings never stop a registration
    assert (await done.json())["warnings"] == warnings


async def test_the_preview_shows_the_warnings_above_the_confirmation(
    client: Any, db: asyncpg.Connection
) -> None:
    await client.post(URL, json=decision_request(1, serial_prefix="DUPD"), headers=bearer(CLERK))
    token = await sign_in(client, CLERK_LOGIN)
    form = aiohttp.FormData()
    form.add_field("form_token", token)
    listed = _csv(
        "78/QĐ",
        [
            ("DUPE-1", "Trần Thị Bình", "01/05/2007", "Hà Nội"),
            ("DUPE-2", "Phạm Văn Nam", "30/11/2007", "Huế"),
            ("DUPE-3", "Pham Van Nam", "30/11/2007", "Hue"),
        ],
    )
    form.add_field("file", listed, filename="danh-sach.csv")
    staged = await client.post("/quan-ly/dang-ky", data=form, allow_redirects=False)
    assert staged.status == 303, await staged.text()
    page = await (await client.get(staged.headers["Location"])).text()
    warnings = page.index("Có thể trùng người: 2")
    assert warnings < page.index("/xac-nhan")  # above the confirm button
    assert re.search(r'href="/quan-ly/van-bang/[0-9a-f-]{36}">DUPD000001</a>', page)
    assert "Dòng 3" in page  # row 4 repeats row 3
    english = await (await client.get(staged.headers["Location"] + "?lang=en")).text()
    assert "Probable duplicates: 2" in english
    assert "is also on row 3" in english
    done = await client.post(
        staged.headers["Location"] + "/xac-nhan",
        data={"form_token": form_token(page)},
        allow_redirects=False,
    )
    assert done.status == 303
    count = "SELECT count(*) FROM diplomas WHERE serial LIKE 'DUPE-%'"
    assert await db.fetchval(count) == 3
    assert date(2007, 11, 30) in {
        r[0]
        for r in await db.fetch("SELECT date_of_birth FROM diplomas WHERE serial LIKE 'DUPE-%'")
    }
