"""Finding decisions and diplomas through the API (docs/console.md): each filter, the scope
(another issuer's rows never appear; an auditor reads the issuers under it), keyset paging
across pages without duplicates or gaps, and bad parameters, over real HTTP and the real
register."""

from __future__ import annotations

from typing import Any

import pytest

from service.db.accounts import add_token
from service.domain.accounts import Role, new_token
from service.domain.search import following, parse_day
from tests.conftest import ADMIN, AUDITOR, CLERK, bearer
from tests.factories import assert_problem, decision_request, revoke

DECISIONS = "/api/v1/graduation-decisions"
DIPLOMAS = "/api/v1/diplomas"
NAMES = ["Nguyễn Văn An", "Nguyễn Văn Bình", "Nguyễn Thị Cúc", "Trần Đức Dũng", "Lê Thị Én"]


async def _register(
    client: Any, token: str = CLERK, *, year: int = 2025, **changes: Any
) -> dict[str, Any]:
    """A decision of five graduates named as NAMES, the third born on 02/09/2007."""
    data = decision_request(5, **changes)
    data["diploma"]["graduation_year"] = year
    for graduate, name in zip(data["graduates"], NAMES, strict=True):
        graduate["full_name"] = name
    data["graduates"][2]["date_of_birth"] = "2007-09-02"
    response = await client.post(DECISIONS, json=data, headers=bearer(token))
    assert response.status == 201, await response.text()
    answer: dict[str, Any] = await response.json()
    return answer


async def _get(client: Any, path: str, token: str = CLERK, **params: str) -> dict[str, Any]:
    response = await client.get(path, params=params, headers=bearer(token))
    assert response.status == 200, await response.text()
    assert response.headers["Cache-Control"] == "no-store"
    body: dict[str, Any] = await response.json()
    return body


def _names(page: dict[str, Any]) -> list[str]:
    return sorted(item["full_name"] for item in page["items"])


async def test_a_name_without_diacritics_finds_it_from_its_start(client: Any) -> None:
    decision = await _register(client)
    found = await _get(client, DIPLOMAS, q="nguyen van")
    assert _names(found) == ["Nguyễn Văn An", "Nguyễn Văn Bình"]
    assert _names(await _get(client, DIPLOMAS, q="  NGUYEN   van  b")) == ["Nguyễn Văn Bình"]
    assert _names(await _get(client, DIPLOMAS, q="Trần Đức")) == ["Trần Đức Dũng"]
    assert _names(await _get(client, DIPLOMAS, q="tran duc dung")) == ["Trần Đức Dũng"]
    assert (await _get(client, DIPLOMAS, q="van an"))["items"] == []  # from the start only
    assert (await _get(client, DIPLOMAS, q="nguyen%"))["items"] == []  # no wildcards
    item = found["items"][0]
    assert item["decision"] == {
        "id": decision["id"],
        "number": "100/QĐ-SGDĐT",
        "date": "2025-07-14",
    }
    assert item["links"] == {
        "self": f"/api/v1/diplomas/{item['id']}",
        "page": f"/quan-ly/van-bang/{item['id']}",
    }
    assert item["state"] == "in_force"
    assert item["handed_over_on"] is None
    assert found["next"] is None


async def test_a_serial_or_register_number_exactly_in_any_case(client: Any) -> None:
    decision = await _register(client)
    serial = decision["diplomas"][1]["serial"]
    number = decision["diplomas"][3]["register_number"]
    assert [i["serial"] for i in (await _get(client, DIPLOMAS, q=serial.lower()))["items"]] == [
        serial
    ]
    by_number = await _get(client, DIPLOMAS, q=number)
    assert [i["register_number"] for i in by_number["items"]] == [number]
    assert (await _get(client, DIPLOMAS, q=serial[:-1]))["items"] == []  # exactly


async def test_each_filter(client: Any) -> None:
    first = await _register(client)
    second = await _register(client, number="101/QĐ-SGDĐT", serial_prefix="U", year=2024)
    born = await _get(client, DIPLOMAS, born="02/09/2007")
    assert _names(born) == ["Nguyễn Thị Cúc", "Nguyễn Thị Cúc"]
    assert _names(await _get(client, DIPLOMAS, born="2007-09-02", year="2024")) == [
        "Nguyễn Thị Cúc"
    ]
    assert len((await _get(client, DIPLOMAS, kind="thpt"))["items"]) == 10
    assert (await _get(client, DIPLOMAS, kind="bachelor"))["items"] == []
    assert len((await _get(client, DIPLOMAS, year="2025"))["items"]) == 5
    assert (await _get(client, DIPLOMAS, year="2023"))["items"] == []
    in_second = await _get(client, DIPLOMAS, decision=second["id"])
    assert {i["decision"]["id"] for i in in_second["items"]} == {second["id"]}
    # States: one revoked, one corrected.
    await revoke(client, first["diplomas"][0]["id"])
    corrected = await client.post(
        f"{DIPLOMAS}/{first['diplomas'][1]['id']}/corrections",
        json={
            "decision_number": "12/QĐ-SGDĐT",
            "decided_on": "2025-11-03",
            "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
            "ground": "civil_status_changed",
            "reason": "Cải chính họ tên",
            "changes": {"full_name": "Phạm Văn Bình", "date_of_birth": "2007-01-01"},
        },
        headers=bearer(CLERK),
    )
    assert corrected.status == 201, await corrected.text()
    revoked = await _get(client, DIPLOMAS, state="revoked")
    assert [i["id"] for i in revoked["items"]] == [first["diplomas"][0]["id"]]
    assert revoked["items"][0]["state"] == "revoked"
    assert len((await _get(client, DIPLOMAS, state="in_force"))["items"]) == 8
    # A corrected name and date of birth find the diploma too.
    assert [i["id"] for i in (await _get(client, DIPLOMAS, q="pham van"))["items"]] == [
        first["diplomas"][1]["id"]
    ]
    by_new_birth = await _get(client, DIPLOMAS, born="01/01/2007")
    assert [i["state"] for i in by_new_birth["items"]] == ["corrected"]
    # Handed over, and still to hand over (in force, no handover: not the revoked one).
    handed = first["diplomas"][2]["id"]
    response = await client.post(
        f"{DIPLOMAS}/{handed}/handovers",
        json={
            "recipient_name": "Nguyễn Thị Cúc",
            "relation": "holder",
            "handed_over_on": "2025-08-20",
            "handed_over_by": "Lê Thị Hoa",
        },
        headers=bearer(CLERK),
    )
    assert response.status == 201, await response.text()
    done = await _get(client, DIPLOMAS, handed_over="true")
    assert [(i["id"], i["handed_over_on"]) for i in done["items"]] == [(handed, "2025-08-20")]
    waiting = await _get(client, DIPLOMAS, handed_over="false")
    waiting_ids = {i["id"] for i in waiting["items"]}
    assert len(waiting_ids) == 8
    assert handed not in waiting_ids
    assert first["diplomas"][0]["id"] not in waiting_ids
    # Registered before a day: none before today, all before tomorrow.
    assert (await _get(client, DIPLOMAS, registered_before="2025-01-01"))["items"] == []
    assert len((await _get(client, DIPLOMAS, registered_before="31/12/2099"))["items"]) == 10


async def test_decisions_newest_decided_first_with_number_kind_year(client: Any) -> None:
    older = await _register(client)
    data = decision_request(1, number="7/QĐ-PGD", serial_prefix="V")
    data["decision"]["date"] = "2025-07-20"
    response = await client.post(DECISIONS, json=data, headers=bearer(CLERK))
    assert response.status == 201
    newer = await response.json()
    listed = await _get(client, DECISIONS)
    assert [i["id"] for i in listed["items"]] == [newer["id"], older["id"]]
    item = listed["items"][1]
    assert item["number"] == "100/QĐ-SGDĐT"
    assert item["date"] == "2025-07-14"
    assert item["graduate_count"] == 5
    assert item["issuer"] == "SGDDT-HN"
    assert item["late"] is True  # decided 2025, registered now: past the Art. 17 deadline
    assert item["links"]["self"] == f"{DECISIONS}/{older['id']}"
    assert item["links"]["page"] == f"/quan-ly/quyet-dinh/{older['id']}"
    assert [i["id"] for i in (await _get(client, DECISIONS, q="qđ-pgd"))["items"]] == [newer["id"]]
    assert [i["id"] for i in (await _get(client, DECISIONS, q="100/"))["items"]] == [older["id"]]
    assert len((await _get(client, DECISIONS, kind="thpt"))["items"]) == 2
    assert (await _get(client, DECISIONS, kind="thcs"))["items"] == []
    assert len((await _get(client, DECISIONS, year="2025"))["items"]) == 2
    assert (await _get(client, DECISIONS, year="2026"))["items"] == []


async def test_paging_across_pages_without_duplicates_or_gaps(client: Any) -> None:
    for n in range(3):
        await _register(client, number=f"{200 + n}/QĐ", serial_prefix=f"P{n}")
    every = [i["id"] for i in (await _get(client, DIPLOMAS, limit="200"))["items"]]
    assert len(every) == 15
    seen: list[str] = []
    page = await _get(client, DIPLOMAS, limit="4", q="nguyen")
    while True:
        seen += [i["id"] for i in page["items"]]
        if page["next"] is None:
            break
        assert "q=nguyen" in page["next"]
        assert "limit=4" in page["next"]
        response = await client.get(page["next"], headers=bearer(CLERK))
        assert response.status == 200
        page = await response.json()
    nguyen = [i for i in every if i in set(seen)]
    assert seen == nguyen  # the same order as one long page
    assert len(seen) == len(set(seen)) == 9  # three Nguyễn in each of three decisions
    decisions: list[str] = []
    page = await _get(client, DECISIONS, limit="2")
    decisions += [i["id"] for i in page["items"]]
    page = await (await client.get(page["next"], headers=bearer(CLERK))).json()
    decisions += [i["id"] for i in page["items"]]
    assert len(set(decisions)) == 3
    assert page["next"] is None


@pytest.fixture
async def elsewhere(client: Any) -> dict[str, Any]:
    """A university's decision (DHSPHN, beside SGDDT-HN under the ministry)."""
    data = decision_request(2, kind="bachelor", issuer="DHSPHN", serial_prefix="D")
    data["diploma"]["major"] = "Sư phạm Toán"
    data["graduates"][0]["full_name"] = "Nguyễn Văn Xa"
    response = await client.post(DECISIONS, json=data, headers=bearer(ADMIN))
    assert response.status == 201, await response.text()
    answer: dict[str, Any] = await response.json()
    return answer


async def test_scope(client: Any, db: Any, elsewhere: dict[str, Any]) -> None:
    own = await _register(client)
    # The clerk of SGDDT-HN never sees the university's rows, nor may it ask for them.
    clerk = await _get(client, DIPLOMAS, q="nguyen van")
    assert _names(clerk) == ["Nguyễn Văn An", "Nguyễn Văn Bình"]
    assert {i["issuer"] for i in (await _get(client, DECISIONS))["items"]} == {"SGDDT-HN"}
    for path in (DIPLOMAS, DECISIONS):
        asked = await client.get(path, params={"issuer": "DHSPHN"}, headers=bearer(CLERK))
        await assert_problem(asked, 404, "not-found")
    by_serial = await _get(client, DIPLOMAS, q=elsewhere["diplomas"][0]["serial"])
    assert by_serial["items"] == []
    # The ministry's auditor reads both; the university's own, only its own.
    auditor = await _get(client, DIPLOMAS, AUDITOR, q="nguyen van")
    assert _names(auditor) == ["Nguyễn Văn An", "Nguyễn Văn Bình", "Nguyễn Văn Xa"]
    one = await _get(client, DIPLOMAS, AUDITOR, q="nguyen van", issuer="dhsphn")
    assert _names(one) == ["Nguyễn Văn Xa"]
    decisions = await _get(client, DECISIONS, AUDITOR)
    assert {i["id"] for i in decisions["items"]} == {own["id"], elsewhere["id"]}
    everywhere = await _get(client, DIPLOMAS, ADMIN, q="nguyen van")  # an admin of all
    assert _names(everywhere) == _names(auditor)
    university = new_token()
    await add_token(db, university, Role.AUDITOR, "DHSPHN")
    theirs = await _get(client, DIPLOMAS, university)
    assert {i["issuer"] for i in theirs["items"]} == {"DHSPHN"}
    # A school's auditor, under SGDDT-HN, sees none of SGDDT-HN's own.
    school = new_token()
    await add_token(db, school, Role.AUDITOR, "THPT-CVA")
    assert (await _get(client, DIPLOMAS, school))["items"] == []
    assert (await _get(client, DECISIONS, school))["items"] == []


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        (DIPLOMAS, "born", "31/02/2007"),
        (DIPLOMAS, "born", "hôm qua"),
        (DIPLOMAS, "kind", "phd"),
        (DIPLOMAS, "year", "20x5"),
        (DIPLOMAS, "state", "lost"),
        (DIPLOMAS, "decision", "not-an-id"),
        (DIPLOMAS, "handed_over", "maybe"),
        (DIPLOMAS, "registered_before", "2025-13-01"),
        (DIPLOMAS, "cursor", "not a cursor"),
        (DIPLOMAS, "cursor", "MjAyNS0wMS0wMXxub3QtYW4taWQ"),  # "2025-01-01|not-an-id"
        (DIPLOMAS, "limit", "0"),
        (DIPLOMAS, "limit", "201"),
        (DIPLOMAS, "q", "x" * 201),
        (DECISIONS, "kind", "phd"),
        (DECISIONS, "year", "1800"),
        (DECISIONS, "cursor", "@@@"),
        (DECISIONS, "limit", "-1"),
    ],
)
async def test_bad_parameters_are_named(client: Any, path: str, name: str, value: str) -> None:
    response = await client.get(path, params={name: value}, headers=bearer(CLERK))
    body = await assert_problem(response, 400, "invalid-parameter")
    assert [e["pointer"] for e in body["errors"]] == [f"#/{name}"]
    assert body["title"] == "Tham số truy vấn không hợp lệ"
    english = await client.get(
        path, params={name: value}, headers={**bearer(CLERK), "Accept-Language": "en"}
    )
    assert (await english.json(content_type=None))["title"] == "Invalid query parameter"


async def test_a_token_is_needed(client: Any) -> None:
    for path in (DIPLOMAS, DECISIONS):
        await assert_problem(await client.get(path), 401, "unauthenticated")


def test_the_rules_of_the_search_box_and_dates() -> None:
    assert following("nguyen van") == "nguyen vao"
    assert following("a\ud7ff") == "a\ue000"  # past the surrogates, which UTF-8 cannot hold
    assert following("") == "\U0010ffff"
    assert "nguyen van an" < following("nguyen van") <= "nguyen vao"
    assert str(parse_day("2/9/2007")) == "2007-09-02"
    assert str(parse_day("2007-09-02")) == "2007-09-02"
    for bad in ("31/02/2007", "2007-9-2", "02.09.2007", ""):
        assert parse_day(bad) is None, bad
