"""The digital diplomas' deadline (TT10/2026: 5 working days after the decision, draft): the
decision page says how many of its diplomas in force have one and by when they are due, and
the console home flags a decision whose digital diplomas are not all made as that day nears
or passes (service/domain/attention.py)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from service.app import create_app
from service.domain.attention import DIGITAL_NEAR_DAYS, Deadline, deadline_state
from service.domain.clock import VIETNAM
from service.domain.regulations import digital_due, fewest_digital_days, with_digital_diplomas
from service.settings import Settings
from tests.conftest import ADMIN, CLERK, bearer
from tests.factories import decision_request, sequenced
from tests.service.test_digital_diplomas import _admin_token, _tt10
from tests.staff import CLERK_LOGIN, sign_in
from tests.workers import run_queued

URL = "/api/v1/graduation-decisions"


@pytest.fixture
async def app_client(settings: Settings, aiohttp_client: Any) -> Any:
    return await aiohttp_client(create_app(dataclasses.replace(settings, job_workers=0)))


def test_the_deadline_counts_working_days_and_only_where_the_regulation_has_one() -> None:
    # Friday 05/06/2026: the five working days after it skip the weekend.
    assert digital_due("TT10/2026", "thpt", date(2026, 6, 5)) == date(2026, 6, 12)
    # Monday 27/04/2026: Reunification Day (30/04) and Labour Day (01/05) are not counted.
    assert digital_due("TT10/2026", "thpt", date(2026, 4, 27)) == date(2026, 5, 6)
    assert digital_due("TT21/2019", "thpt", date(2025, 6, 5)) is None
    assert with_digital_diplomas() == ["TT10/2026"]
    assert fewest_digital_days() == 5  # a decision younger than this is not looked at
    today = date(2026, 12, 7)
    assert deadline_state(today - timedelta(days=1), today, DIGITAL_NEAR_DAYS) is Deadline.PAST
    near = today + timedelta(days=DIGITAL_NEAR_DAYS)
    assert deadline_state(near, today, DIGITAL_NEAR_DAYS) is Deadline.NEAR
    ahead = today + timedelta(days=DIGITAL_NEAR_DAYS + 1)
    assert deadline_state(ahead, today, DIGITAL_NEAR_DAYS) is Deadline.AHEAD


async def school_clerk(db: Any) -> tuple[str, str]:
    """The demo clerk, moved to the school THPT-CVA: the home shows one's own issuer."""
    await db.execute(
        "UPDATE accounts SET issuer_code = 'THPT-CVA' WHERE username = $1", CLERK_LOGIN[0]
    )
    return CLERK_LOGIN


def _decided(days_ago: int, number: str, serials: str) -> tuple[dict[str, Any], date]:
    """A TT10 THPT decision of `days_ago` days before today (Vietnam time)."""
    decided = datetime.now(VIETNAM).date() - timedelta(days=days_ago)
    data = _tt10(3)
    data["decision"]["number"] = number
    data["decision"]["date"] = data["diploma"]["issued_on"] = decided.isoformat()
    for n, graduate in enumerate(data["graduates"], start=1):
        graduate["serial"] = f"{serials}{n:06d}"
        graduate["personal_id"] = f"001307{days_ago:02d}{n:04d}"
    return data, decided


async def test_the_home_flags_a_decision_whose_digital_diplomas_are_late(
    app_client: Any, settings: Settings, db: asyncpg.Connection
) -> None:
    # Registered with the operator's token: no person to own a job, so nothing is queued.
    late, late_day = _decided(20, "21/QĐ-THPT-CVA", "L")
    fresh, _ = _decided(0, "22/QĐ-THPT-CVA", "F")
    for data in (late, fresh):
        registered = await app_client.post(URL, json=data, headers=bearer(ADMIN))
        assert registered.status == 201, await registered.text()
    late_id = await db.fetchval(
        "SELECT id FROM graduation_decisions WHERE number = $1", late["decision"]["number"]
    )
    await sign_in(app_client, await school_clerk(db))
    due = digital_due("TT10/2026", "thpt", late_day)
    assert due is not None
    home = await (await app_client.get("/quan-ly")).text()
    section = home[home.index("Văn bằng số chưa tạo đủ") :]
    section = section[: section.index("</ul>")]
    assert "21/QĐ-THPT-CVA" in section
    assert f"3/3 văn bằng chưa có văn bằng số, hạn {due:%d/%m/%Y}" in section
    assert "Đã quá hạn" in section
    assert f"/quan-ly/quyet-dinh/{late_id}" in section
    assert "22/QĐ-THPT-CVA" not in section  # decided today: its five working days are ahead
    english = await (await app_client.get("/quan-ly?lang=en")).text()
    assert "3 of 3 diplomas have no digital diploma yet" in english

    # A revoked diploma needs none.
    [revoked] = await db.fetch(
        "SELECT id FROM diplomas WHERE decision_id = $1 ORDER BY register_seq LIMIT 1", late_id
    )
    revocation = await app_client.post(
        f"/api/v1/diplomas/{revoked['id']}/revocations",
        json={
            "decision_number": "30/QĐ-THPT-CVA",
            "decided_on": datetime.now(VIETNAM).date().isoformat(),
            "authority": "Trường THPT Chu Văn An",
            "ground": "fraud",
            "reason": "Gian lận trong thi cử",
        },
        headers=bearer(ADMIN),
    )
    assert revocation.status == 201, await revocation.text()
    home = await (await app_client.get("/quan-ly")).text()
    assert "2/2 văn bằng chưa có văn bằng số" in home

    # The decision page says the same, with the rule it follows.
    page = await (await app_client.get(f"/quan-ly/quyet-dinh/{late_id}")).text()
    assert f"Đã tạo 0/2; hạn {due:%d/%m/%Y}" in page
    assert "Đã quá hạn" in page
    assert "5 ngày làm việc sau ngày quyết định" in page
    assert "chưa xác nhận" in page  # TT10/2026's five days are the draft's

    # Once they are made, nothing is flagged.
    token = await _admin_token(db)
    queued = await app_client.post(f"{URL}/{late_id}/digital-diplomas", headers=bearer(token))
    assert queued.status == 202, await queued.text()
    await sequenced(app_client)
    await run_queued(settings)
    assert await db.fetchval("SELECT count(*) FROM digital_diplomas") == 2
    home = await (await app_client.get("/quan-ly")).text()
    assert "Văn bằng số chưa tạo đủ" not in home
    page = await (await app_client.get(f"/quan-ly/quyet-dinh/{late_id}")).text()
    assert "Đã tạo 2/2" in page
    assert "Đã quá hạn" not in page  # late, but all made

    # A supplementary list registered after the job: its diploma lacks one again.
    more, _ = _decided(20, "21/QĐ-THPT-CVA", "M")
    more["graduates"] = more["graduates"][:1]
    added = await app_client.post(f"{URL}/{late_id}/parts", json=more, headers=bearer(ADMIN))
    assert added.status == 201, await added.text()
    home = await (await app_client.get("/quan-ly")).text()
    assert "1/3 văn bằng chưa có văn bằng số" in home


async def test_a_decision_under_circular_21_says_nothing_of_digital_diplomas(
    app_client: Any, db: asyncpg.Connection
) -> None:
    registered = await app_client.post(URL, json=decision_request(1), headers=bearer(CLERK))
    assert registered.status == 201, await registered.text()
    decision_id = (await registered.json())["id"]
    await sign_in(app_client, CLERK_LOGIN)  # the department's clerk, as registered
    page = await (await app_client.get(f"/quan-ly/quyet-dinh/{decision_id}")).text()
    assert "Đã tạo" not in page
    home = await (await app_client.get("/quan-ly")).text()
    assert "Văn bằng số chưa tạo đủ" not in home
