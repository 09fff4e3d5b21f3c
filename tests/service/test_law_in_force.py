"""The law in force on the issue date: Circular 21/2019 until 14/04/2026 (amended by Circular
13/2025 from 01/07/2025), Circular 10/2026 from 15/04/2026. Each rule is tried on both sides of
its changeover date, through the rules themselves and through the API as a clerk meets them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from service.domain.graduates import GraduateIn, parse_request
from service.domain.kinds import DiplomaKind, IssuerKind
from service.domain.regulations import REGULATIONS, may_name, regulation_on, rule_lines
from service.settings import Settings
from tests.conftest import ADMIN, bearer
from tests.factories import decision_request, register_counts
from tests.running import run_vanbang

URL = "/api/v1/graduation-decisions"
TT21, TT10 = REGULATIONS["TT21/2019"], REGULATIONS["TT10/2026"]
# A valid personal identification number for the factories' graduate (born 2007, female:
# century-and-sex digit 3, year digits 07), with a Hà Nội (001) birth registration.
PERSONAL_ID = "001307012345"


def test_the_regulation_follows_the_issue_date() -> None:
    assert regulation_on(date(2020, 1, 15)) is TT21
    assert regulation_on(date(2026, 4, 14)) is TT21
    assert regulation_on(date(2026, 4, 15)) is TT10
    assert regulation_on(date(2030, 1, 1)) is TT10


def test_a_request_that_names_none_gets_the_one_of_its_date() -> None:
    before = decision_request(1, issued_on="2026-04-14")
    del before["diploma"]["regulation"]
    assert parse_request(before).diploma.regulation == "TT21/2019"
    after = decision_request(1, issued_on="2026-04-15")
    del after["diploma"]["regulation"]
    assert parse_request(after).diploma.regulation == "TT10/2026"


def test_circular_13_moves_thcs_from_the_district_office_to_the_commune() -> None:
    before = TT21.rule(DiplomaKind.THCS, on=date(2025, 6, 30))
    after = TT21.rule(DiplomaKind.THCS, on=date(2025, 7, 1))
    assert before is not None
    assert after is not None
    assert before.issuers == {IssuerKind.DISTRICT_OFFICE}
    assert after.issuers == {IssuerKind.COMMUNE_COMMITTEE}
    assert after.deadline_days == before.deadline_days == 75  # the amendment left it
    assert after.signers is not None
    assert after.signers.is_head("CHỦ TỊCH")
    assert after.signers.is_head("Chủ tịch Ủy ban nhân dân xã Dịch Vọng")
    assert after.signers.is_head("KT. Chủ tịch", on_behalf=True)
    assert not after.signers.is_head("KT. Chủ tịch")  # "KT." is a deputy's
    assert after.signers.is_deputy("Phó Chủ tịch Ủy ban nhân dân xã")
    assert not after.signers.is_deputy("Chuyên viên")
    assert not after.signers.is_head("Phó Chủ tịch")
    assert TT21.basis(date(2025, 6, 30)).vi == "Thông tư 21/2019/TT-BGDĐT"
    assert "sửa đổi bởi Thông tư 13/2025/TT-BGDĐT" in TT21.basis(date(2025, 7, 1)).vi


def test_circular_21_may_be_named_after_it_ceased_only_for_an_earlier_decision() -> None:
    issued = date(2026, 5, 10)
    assert may_name(TT21, issued_on=issued, decided_on=date(2026, 4, 14))
    assert not may_name(TT21, issued_on=issued, decided_on=date(2026, 4, 15))
    assert not may_name(TT10, issued_on=date(2026, 4, 14), decided_on=date(2026, 4, 1))
    assert may_name(TT10, issued_on=date(2026, 4, 15), decided_on=date(2026, 4, 1))


def test_deadlines_of_circular_10() -> None:
    thpt = TT10.rule(DiplomaKind.THPT, on=date(2026, 6, 1))
    assert thpt is not None
    assert thpt.digital_deadline is not None
    assert thpt.deadline.due(date(2026, 6, 5)) == date(2026, 7, 5)  # 30 calendar days
    # 5 working days from Friday 05/06/2026: Monday 08 to Friday 12.
    assert thpt.digital_deadline.due(date(2026, 6, 5)) == date(2026, 6, 12)
    # From Tuesday 28/04/2026: 29/04, then 30/04 and 01/05 are holidays, then 04 to 07/05.
    assert thpt.digital_deadline.due(date(2026, 4, 28)) == date(2026, 5, 7)
    tt21 = TT21.rule(DiplomaKind.THPT, on=date(2026, 1, 1))
    assert tt21 is not None
    assert tt21.digital_deadline is None  # no digital diploma in TT21


def test_every_rule_names_its_source_and_the_unconfirmed_are_listed() -> None:
    lines = list(rule_lines())
    assert lines
    for line in lines:
        assert any(word in line.source.text for word in ("TT", "Luật", "Thông tư")), line
    unconfirmed = {(line.regulation, line.kind, line.name) for line in lines}
    unconfirmed = {
        (line.regulation, line.kind, line.name) for line in lines if not line.source.confirmed
    }
    assert ("TT10/2026", "thpt", "deadline") in unconfirmed
    assert ("TT21/2019", "thpt", "deadline") not in unconfirmed


def test_every_required_field_is_a_graduate_field() -> None:
    for regulation in REGULATIONS.values():
        for rule in regulation.kinds.values():
            for name in rule.requires:
                assert name in GraduateIn.model_fields, (regulation.code, name)


async def test_vanbang_rules_lists_the_unconfirmed(settings: Settings) -> None:
    assert settings.database_url is not None
    status, out, _ = await run_vanbang(settings.database_url, "rules", "--unconfirmed")
    assert status == 0
    rows = [line.split("\t") for line in out.splitlines() if "\t" in line]
    assert rows
    assert all(row[-1] == "chưa xác nhận" for row in rows)
    assert any(row[0] == "TT10/2026" and row[2] == "deadline" for row in rows)
    assert not any(row[0] == "TT21/2019" and row[2] == "deadline" for row in rows)
    status, everything, _ = await run_vanbang(settings.database_url, "rules", "--lang", "en")
    assert status == 0
    assert "confirmed" in everything
    assert len(everything.splitlines()) > len(rows) + 1


# Through the API ---------------------------------------------------------------------------


async def add_issuer(settings: Settings, code: str, name: str, kind: str) -> None:
    """An issuer with its signing key, as an operator adds one (the command line)."""
    env = {"VANBANG_KEYS_DIR": str(settings.keys_dir)}
    assert settings.database_url is not None
    for args in (
        ("issuer", "add", code, "--name", name, "--kind", kind, "--parent", "SGDDT-HN"),
        ("key", "generate", "--issuer", code),
    ):
        status, _, err = await run_vanbang(settings.database_url, *args, **env)
        assert status == 0, err


def request(
    issuer: str,
    kind: str,
    issued_on: str,
    decided_on: str,
    *,
    title: str,
    regulation: str | None = None,
    on_behalf_of: str | None = None,
    serial: str = "L",
) -> dict[str, Any]:
    data = decision_request(1, kind=kind, issued_on=issued_on, issuer=issuer, serial_prefix=serial)
    data["issuer"] = issuer
    data["decision"]["number"] = f"{serial}/QĐ-{issuer}"
    data["decision"]["date"] = decided_on
    data["diploma"]["graduation_year"] = int(decided_on[:4])
    if regulation is None:
        del data["diploma"]["regulation"]
    else:
        data["diploma"]["regulation"] = regulation
    data["diploma"]["signer"] = {"name": "Phạm Thu Hà", "title": title}
    if on_behalf_of is not None:
        data["diploma"]["signer"]["on_behalf_of"] = on_behalf_of
    data["graduates"][0]["personal_id"] = PERSONAL_ID
    if kind.startswith("vocational_") and kind != "vocational_certificate":
        data["graduates"][0]["major"] = "Điện công nghiệp"
    return data


async def post(client: Any, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = await client.post(URL, json=data, headers=bearer(ADMIN))
    return response.status, await response.json()


async def test_thcs_district_office_until_30_06_2025_then_the_commune(
    client: Any, db: Any, settings: Settings
) -> None:
    await add_issuer(settings, "UBND-XDV", "Ủy ban nhân dân xã Dịch Vọng", "commune_committee")
    # The district office's last day.
    status, body = await post(
        client,
        request("PGDDT-CG", "thcs", "2025-06-30", "2025-06-10", title="Trưởng phòng"),
    )
    assert status == 201, body
    assert body["regulation"] == "TT21/2019"
    # The next day it has no such power, and the answer says who has it, since when, by which law.
    status, body = await post(
        client,
        request("PGDDT-CG", "thcs", "2025-07-01", "2025-06-10", title="Trưởng phòng", serial="M"),
    )
    assert status == 422, body
    assert body["type"].endswith("kind-not-permitted"), body
    detail = body["detail"]
    assert "Thông tư 21/2019/TT-BGDĐT (sửa đổi bởi Thông tư 13/2025/TT-BGDĐT)" in detail
    assert "Từ 01/07/2025" in detail
    assert "Ủy ban nhân dân cấp xã" in detail
    assert "district_office" not in detail
    # The commune: not before 01/07/2025, and from then signed by its chairman.
    status, body = await post(
        client,
        request("UBND-XDV", "thcs", "2025-06-30", "2025-06-10", title="Chủ tịch", serial="N"),
    )
    assert status == 422, body
    assert body["type"].endswith("kind-not-permitted"), body
    status, body = await post(
        client,
        request("UBND-XDV", "thcs", "2025-07-01", "2025-06-10", title="Chủ tịch", serial="P"),
    )
    assert status == 201, body
    # A deputy signs "KT. Chủ tịch"; a deputy who leaves the head's title out is refused.
    status, body = await post(
        client,
        request(
            "UBND-XDV", "thcs", "2025-07-02", "2025-06-10",
            title="Phó Chủ tịch", on_behalf_of="KT. CHỦ TỊCH", serial="Q",
        ),
    )  # fmt: skip
    assert status == 201, body
    before = await register_counts(db)
    # "KT." names a deputy: anyone else signing for the chairman is refused.
    status, body = await post(
        client,
        request(
            "UBND-XDV", "thcs", "2025-07-02", "2025-06-10",
            title="Chuyên viên", on_behalf_of="Chủ tịch", serial="S",
        ),
    )  # fmt: skip
    assert status == 422, body
    assert body["errors"][0]["code"] == "signer_not_deputy"
    status, body = await post(
        client,
        request("UBND-XDV", "thcs", "2025-07-02", "2025-06-10", title="Phó Chủ tịch", serial="R"),
    )
    assert status == 422, body
    error = body["errors"][0]
    assert error["code"] == "signer_not_head"
    assert error["pointer"] == "#/diploma/signer/title"
    assert "Chủ tịch" in error["detail"]
    assert await register_counts(db) == before


async def test_no_thcs_diploma_under_circular_10(client: Any, db: Any, settings: Settings) -> None:
    await add_issuer(settings, "UBND-XDV", "Ủy ban nhân dân xã Dịch Vọng", "commune_committee")
    status, body = await post(
        client, request("UBND-XDV", "thcs", "2025-12-31", "2025-12-01", title="Chủ tịch")
    )
    assert status == 201, body
    # The amended Law on Education ends the THCS diploma from 01/01/2026, within Circular 21.
    status, body = await post(
        client,
        request("UBND-XDV", "thcs", "2026-01-01", "2025-12-01", title="Chủ tịch", serial="N"),
    )
    assert status == 422, body
    error = body["errors"][0]
    assert error["code"] == "kind_not_in_regulation"
    assert "Luật Giáo dục sửa đổi năm 2025" in error["detail"]
    assert "học bạ" in error["detail"]
    status, body = await post(
        client,
        request("UBND-XDV", "thcs", "2026-04-15", "2026-04-01", title="Chủ tịch", serial="M"),
    )
    assert status == 422, body
    error = body["errors"][0]
    assert error["code"] == "kind_not_in_regulation"
    assert error["pointer"] == "#/diploma/kind"
    assert "Thông tư 10/2026/TT-BGDĐT" in error["detail"]
    assert "học bạ" in error["detail"]


async def test_thpt_moves_from_the_department_to_the_school(client: Any, db: Any) -> None:
    status, body = await post(
        client, request("SGDDT-HN", "thpt", "2026-04-14", "2026-04-01", title="Giám đốc")
    )
    assert status == 201, body
    assert body["regulation"] == "TT21/2019"
    status, body = await post(
        client,
        request("SGDDT-HN", "thpt", "2026-04-15", "2026-04-01", title="Giám đốc", serial="M"),
    )
    assert status == 422, body
    assert body["type"].endswith("kind-not-permitted"), body
    assert "Thông tư 10/2026/TT-BGDĐT" in body["detail"]
    assert "trường phổ thông" in body["detail"]
    status, body = await post(
        client,
        request("THPT-CVA", "thpt", "2026-04-14", "2026-04-01", title="Hiệu trưởng", serial="N"),
    )
    assert status == 422, body
    assert body["type"].endswith("kind-not-permitted"), body
    status, body = await post(
        client,
        request("THPT-CVA", "thpt", "2026-06-05", "2026-06-05", title="Hiệu trưởng", serial="P"),
    )
    assert status == 201, body
    assert body["regulation"] == "TT10/2026"
    assert body["deadline"] == "2026-07-05"  # 30 days under TT10, not 75


async def test_the_regulation_named_must_be_one_the_law_allows(client: Any, db: Any) -> None:
    # A decision made under Circular 21 may still have its diplomas issued under it.
    status, body = await post(
        client,
        request(
            "SGDDT-HN", "thpt", "2026-05-10", "2026-04-10", title="Giám đốc",
            regulation="TT21/2019",
        ),
    )  # fmt: skip
    assert status == 201, body
    # Its supplementary list, naming no regulation, is under the decision's, not its date's.
    part = request("SGDDT-HN", "thpt", "2026-05-10", "2026-04-10", title="Giám đốc", serial="P")
    part["decision"]["number"] = data_number = body["number"]
    response = await client.post(f"{URL}/{body['id']}/parts", json=part, headers=bearer(ADMIN))
    answer = await response.json()
    assert response.status == 201, answer
    assert (answer["regulation"], answer["part"], answer["number"]) == ("TT21/2019", 2, data_number)
    before = await register_counts(db)
    # One made after 15/04/2026 may not.
    status, body = await post(
        client,
        request(
            "SGDDT-HN", "thpt", "2026-05-10", "2026-04-20", title="Giám đốc",
            regulation="TT21/2019", serial="M",
        ),
    )  # fmt: skip
    assert status == 422, body
    error = body["errors"][0]
    assert error["code"] == "after_regulation"
    assert error["pointer"] == "#/diploma/regulation"
    assert "14/04/2026" in error["detail"]
    assert "Thông tư 10/2026/TT-BGDĐT" in error["detail"]
    # Nor Circular 10 before its day.
    status, body = await post(
        client,
        request(
            "THPT-CVA", "thpt", "2026-04-14", "2026-04-01", title="Hiệu trưởng",
            regulation="TT10/2026", serial="N",
        ),
    )  # fmt: skip
    assert status == 422, body
    assert body["errors"][0]["code"] == "before_regulation"
    assert await register_counts(db) == before


@pytest.mark.parametrize(
    ("kind", "issuer_kind", "allowed"),
    [
        ("vocational_secondary", "vocational_school", True),
        ("vocational_intermediate", "college", True),
        ("vocational_college", "college", True),
        ("vocational_college", "vocational_school", False),
        ("vocational_certificate", "vocational_school", True),
    ],
)
async def test_the_vocational_kinds_of_circular_10(
    client: Any, settings: Settings, kind: str, issuer_kind: str, allowed: bool
) -> None:
    await add_issuer(settings, "CDN-HN", "Trường Cao đẳng nghề Hà Nội", issuer_kind)
    status, body = await post(
        client, request("CDN-HN", kind, "2026-06-05", "2026-06-05", title="Hiệu trưởng")
    )
    if allowed:
        assert status == 201, body
        assert body["kind"] == kind
    else:
        assert status == 422, body
        assert body["type"].endswith("kind-not-permitted"), body
    # Not a kind of Circular 21.
    status, body = await post(
        client,
        request("CDN-HN", kind, "2026-04-14", "2026-04-01", title="Hiệu trưởng", serial="M"),
    )
    assert status == 422, body
    assert body["errors"][0]["code"] == "kind_not_in_regulation"
