"""The console's search pages (docs/console.md): the decisions list and the diploma search
with their filters kept in the form, errors beside their fields, paging by the "Trang sau"
link, the scope, and the home's search box and line of diplomas still to hand over, through
real HTTP and the real register."""

from __future__ import annotations

import html
import re
from typing import Any

import asyncpg

from tests.conftest import ADMIN, CLERK, bearer
from tests.factories import decision_request
from tests.staff import AUDITOR_LOGIN, CLERK_LOGIN, sign_in

DIPLOMAS = "/quan-ly/van-bang"
DECISIONS = "/quan-ly/quyet-dinh"
_DIPLOMA_LINK = re.compile(r'href="/quan-ly/van-bang/([0-9a-f-]{36})"')
_NEXT = re.compile(r'href="([^"]+)" rel="next"')


async def _register(client: Any, graduates: int = 3, token: str = CLERK, **changes: Any) -> Any:
    data = decision_request(graduates, **changes)
    data["graduates"][0]["full_name"] = "Nguyễn Văn An"
    response = await client.post("/api/v1/graduation-decisions", json=data, headers=bearer(token))
    assert response.status == 201, await response.text()
    return await response.json()


async def _page(client: Any, path: str, status: int = 200, **params: str) -> str:
    response = await client.get(path, params=params)
    page: str = await response.text()
    assert response.status == status, page[:2000]
    return page


async def test_a_name_typed_without_diacritics(client: Any) -> None:
    decision = await _register(client)
    await sign_in(client, CLERK_LOGIN)
    page = await _page(client, DIPLOMAS, q="nguyen van")
    assert "Nguyễn Văn An" in page
    assert "Trần Thị Bình" not in page
    assert _DIPLOMA_LINK.findall(page) == [decision["diplomas"][0]["id"]]
    assert 'value="nguyen van"' in page  # the search kept in its box
    assert "Chưa bàn giao" in page
    assert "Còn hiệu lực" in page
    # Every field has its label.
    for field in ("q", "born", "kind", "year", "state", "registered_before", "handed_over"):
        assert f'<label for="{field}">' in page, field
    # The link leads to the diploma's own page.
    one = await client.get(f"{DIPLOMAS}/{decision['diplomas'][0]['id']}")
    assert one.status == 200
    by_serial = await _page(client, DIPLOMAS, q=decision["diplomas"][2]["serial"].lower())
    assert _DIPLOMA_LINK.findall(by_serial) == [decision["diplomas"][2]["id"]]


async def test_filters_are_kept_and_an_empty_result_says_so(client: Any) -> None:
    await _register(client)
    await sign_in(client, CLERK_LOGIN)
    page = await _page(
        client, DIPLOMAS, q="tran", born="01/05/2007", kind="thpt", state="revoked",
        handed_over="false", year="2025",
    )  # fmt: skip
    assert _DIPLOMA_LINK.findall(page) == []
    assert "Không tìm thấy văn bằng nào phù hợp." in page
    assert "Thử bỏ bớt bộ lọc" in page
    assert 'value="01/05/2007"' in page
    assert 'value="2025"' in page
    assert '<option value="thpt" selected>' in page
    assert '<option value="revoked" selected>' in page
    assert 'value="false" checked' in page
    found = await _page(client, DIPLOMAS, q="tran", born="01/05/2007", state="in_force")
    assert len(_DIPLOMA_LINK.findall(found)) == 2


async def test_a_bad_date_is_named_beside_its_field(client: Any) -> None:
    await _register(client)
    await sign_in(client, CLERK_LOGIN)
    page = await _page(client, DIPLOMAS, 400, q="tran", born="31/02/2007")
    assert 'id="born-error"' in page
    assert "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm" in page
    assert 'value="31/02/2007"' in page
    assert 'value="tran"' in page
    assert _DIPLOMA_LINK.findall(page) == []
    english = await _page(client, DIPLOMAS, 400, born="2007-02-31", lang="en")
    assert "Not a date; type it as day/month/year" in english
    cursor = await _page(client, DIPLOMAS, 400, cursor="nonsense")
    assert "Con trỏ trang không hợp lệ" in cursor


async def test_paging_by_the_next_page_link(client: Any) -> None:
    decision = await _register(client, 60)
    await sign_in(client, CLERK_LOGIN)
    page = await _page(client, DIPLOMAS, q="tran thi")
    seen = _DIPLOMA_LINK.findall(page)
    assert len(seen) == 50
    assert "Trang sau" in page
    found = _NEXT.search(page)
    assert found
    second = await _page(client, html.unescape(found[1]))
    more = _DIPLOMA_LINK.findall(second)
    assert "Về trang đầu" in second
    assert 'value="tran thi"' in second  # the search goes on with the next page
    assert _NEXT.search(second) is None
    everyone = {d["id"] for d in decision["diplomas"][1:]}
    assert len(seen + more) == len(set(seen + more)) == 59
    assert set(seen + more) == everyone


async def test_the_decisions_list(client: Any) -> None:
    first = await _register(client)
    second = await _register(client, number="101/QĐ-SGDĐT", serial_prefix="U")
    await sign_in(client, CLERK_LOGIN)
    page = await _page(client, DECISIONS)
    links = re.findall(r'href="/quan-ly/quyet-dinh/([0-9a-f-]{36})"', page)
    assert set(links) == {first["id"], second["id"]}
    assert "Đăng ký muộn" in page
    found = await _page(client, DECISIONS, q="101/", kind="thpt", year="2025")
    assert re.findall(r'href="/quan-ly/quyet-dinh/([0-9a-f-]{36})"', found) == [second["id"]]
    assert 'value="101/"' in found
    none = await _page(client, DECISIONS, year="2020")
    assert "Không tìm thấy quyết định nào phù hợp." in none
    bad = await _page(client, DECISIONS, 400, year="hai nghìn")
    assert 'id="year-error"' in bad
    shown = await client.get(f"{DECISIONS}/{first['id']}")
    assert shown.status == 200


async def test_only_within_scope(client: Any) -> None:
    await _register(client)
    university = decision_request(2, kind="bachelor", issuer="DHSPHN", serial_prefix="D")
    university["diploma"]["major"] = "Sư phạm Toán"
    university["graduates"][0]["full_name"] = "Nguyễn Văn Xa"
    response = await client.post(
        "/api/v1/graduation-decisions", json=university, headers=bearer(ADMIN)
    )
    assert response.status == 201
    await sign_in(client, CLERK_LOGIN)
    clerk = await _page(client, DIPLOMAS, q="nguyen van")
    assert "Nguyễn Văn An" in clerk
    assert "Nguyễn Văn Xa" not in clerk
    assert "DHSPHN" not in await _page(client, DECISIONS)
    client.session.cookie_jar.clear()
    await sign_in(client, AUDITOR_LOGIN)  # the ministry's auditor reads both
    auditor = await _page(client, DIPLOMAS, q="nguyen van")
    assert "Nguyễn Văn An" in auditor
    assert "Nguyễn Văn Xa" in auditor


async def test_signing_in_comes_first(client: Any) -> None:
    for path in (DIPLOMAS, DECISIONS):
        response = await client.get(path, params={"q": "x"}, allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"].startswith("/dang-nhap?next=")


async def test_the_home_searches_and_counts_what_waits_for_its_handover(
    client: Any, db: asyncpg.Connection
) -> None:
    decision = await _register(client, 4)
    await sign_in(client, CLERK_LOGIN)
    home = await _page(client, "/quan-ly")
    assert 'action="/quan-ly/van-bang"' in home
    assert 'name="q"' in home
    assert 'href="/quan-ly/quyet-dinh"' in home  # the bar's links
    assert 'href="/quan-ly/van-bang"' in home
    assert "chưa bàn giao" not in home  # registered today: not yet overdue
    # Three registered 40 days ago (behind the register's back), one of them handed over.
    await db.execute("ALTER TABLE diplomas DISABLE TRIGGER diplomas_append_only")
    old = [d["id"] for d in decision["diplomas"][:3]]
    await db.execute(
        "UPDATE diplomas SET issued_at = now() - interval '40 days' WHERE id = ANY($1::uuid[])",
        old,
    )
    await db.execute("ALTER TABLE diplomas ENABLE TRIGGER diplomas_append_only")
    handed = await client.post(
        f"/api/v1/diplomas/{old[0]}/handovers",
        json={
            "recipient_name": "Nguyễn Văn An",
            "relation": "holder",
            "handed_over_on": "2025-08-20",
            "handed_over_by": "Lê Thị Hoa",
        },
        headers=bearer(CLERK),
    )
    assert handed.status == 201, await handed.text()
    home = await _page(client, "/quan-ly")
    line = re.search(r'<a href="([^"]+)">2 văn bằng chưa bàn giao \(đăng ký đã quá 30 ngày\)', home)
    assert line, home
    listed = await _page(client, html.unescape(line[1]))
    assert set(_DIPLOMA_LINK.findall(listed)) == set(old[1:])
    assert 'value="false" checked' in listed
    english = await _page(client, "/quan-ly", lang="en")
    assert "2 diplomas not yet handed over" in english
