"""The anomalies of issue 16 beyond the first ones (docs/audit.md): one person holding the
same kind of diploma from two issuers, registrations at unusual hours or in unusual bulk;
and the overview's chart of correction and revocation rates against peers."""

from __future__ import annotations

import itertools
import os
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from playwright.async_api import expect

from service.domain.anomaly_keys import anomaly_key
from service.domain.audit_views import UnusualBulk
from service.domain.holidays import holidays, lunar_to_solar
from service.settings import Settings
from service.usecases import writes
from service.web import charts
from tests.browsing import DESKTOP, launched, path_of, screen, type_sign_in
from tests.conftest import ADMIN, AUDITOR, CLERK, bearer
from tests.factories import decision_request, revoke
from tests.running import run_vanbang
from tests.staff import AUDITOR_LOGIN, DEMO, sign_in

VIETNAM = timezone(timedelta(hours=7))
ANOMALIES = "/api/v1/audit/issuers/BGDDT/anomalies"


class Clock:
    """The time a write records (writes.recorded_now): the registration's, signed into its
    diplomas and stored with its decision. None: the real time."""

    def __init__(self, real: Callable[[], datetime]) -> None:
        self.real = real
        self.at: datetime | None = None

    def now(self) -> datetime:
        return self.real() if self.at is None else self.at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock(writes.recorded_now)
    monkeypatch.setattr(writes, "recorded_now", found.now)
    return found


_BORN = itertools.count()


def next_working_morning() -> datetime:
    """10:00 in Vietnam on the next day that is neither a Sunday nor a public holiday."""
    day = datetime.now(VIETNAM).date() + timedelta(days=1)
    while day.isoweekday() == 7 or day in holidays(day.year):
        day += timedelta(days=1)
    return vn(f"{day} 10:00")


def vn(text: str) -> datetime:
    """A time in Vietnam, "2026-03-10 23:30"."""
    return datetime.fromisoformat(text).replace(tzinfo=VIETNAM)


async def register(
    client: Any,
    issuer: str,
    graduates: int,
    *,
    number: str,
    prefix: str,
    kind: str = "thpt",
    people: list[tuple[str, str, str]] | None = None,  # (full name, born, place)
    dated: tuple[str, str] | None = None,  # (decided, issued); else the factory's of 2025
    signed_as: str | None = None,  # the diploma signer's title; else the factory's
) -> list[dict[str, Any]]:
    """Registers a decision of `issuer` (its clerk for SGDDT-HN, else the admin); its
    diplomas. `people`, when given, are the first graduates' names, births and places."""
    request = decision_request(
        graduates,
        number=number,
        serial_prefix=prefix,
        kind=kind,
        issuer=None if issuer == "SGDDT-HN" else issuer,
    )
    if dated is not None:
        request["decision"]["date"], request["diploma"]["issued_on"] = dated
    if signed_as is not None:
        request["diploma"]["signer"]["title"] = signed_as
    if kind == "bachelor":
        request["diploma"]["major"] = "Sư phạm Toán"
    for graduate in request["graduates"]:  # each another person, unless named below
        graduate["date_of_birth"] = (date(1990, 1, 1) + timedelta(next(_BORN))).isoformat()
    for graduate, (name, born, place) in zip(request["graduates"], people or [], strict=False):
        graduate.update(full_name=name, date_of_birth=born, place_of_birth=place)
    token = CLERK if issuer == "SGDDT-HN" else ADMIN
    answer = await client.post("/api/v1/graduation-decisions", json=request, headers=bearer(token))
    assert answer.status == 201, await answer.text()
    diplomas: list[dict[str, Any]] = (await answer.json())["diplomas"]
    return diplomas


async def report(client: Any, kind: str) -> list[dict[str, Any]]:
    """The anomalies of this kind the ministry's auditor reads through the API."""
    answer = await client.get(ANOMALIES, headers=bearer(AUDITOR))
    assert answer.status == 200
    return [a for a in (await answer.json())["anomalies"] if a["type"] == kind]


async def add_department(settings: Settings, code: str, name: str) -> None:
    """A second provincial department under the ministry, with its signing key, as an
    operator adds one (the command line)."""
    env = {"VANBANG_KEYS_DIR": str(settings.keys_dir)}
    assert settings.database_url is not None
    for args in (
        ("issuer", "add", code, "--name", name, "--kind", "provincial_department",
         "--parent", "BGDDT"),
        ("key", "generate", "--issuer", code),
    ):  # fmt: skip
        status, _, err = await run_vanbang(settings.database_url, *args, **env)
        assert status == 0, err


def _open_there(overview: str, code: str) -> int:
    """The overview's count of open anomalies of the issuer `code`."""
    row = re.search(rf'<th scope="row"[^>]*>[^<]*\({code}\)</th>(.*?)</tr>', overview, re.S)
    assert row, code
    return int(_cells(row[1])[7])


async def test_one_person_with_the_same_diploma_from_two_issuers(
    client: Any, settings: Settings
) -> None:
    await add_department(settings, "SGDDT-HP", "Sở Giáo dục và Đào tạo Hải Phòng")
    binh = ("Trần Thị Bình", "2007-05-01", "Hà Nội")
    # Hải Phòng writes her name in capitals, its letters decomposed (NFD), as some software
    # sends them; folded, it is the same name and the same place.
    binh_nfd = (unicodedata.normalize("NFD", "TRẦN  THỊ BÌNH"), "2007-05-01", "HÀ NỘI")
    assert binh_nfd[0] != binh[0]
    cuong = ("Lê Văn Cường", "2006-01-02", "Hải Phòng")
    hanoi = await register(client, "SGDDT-HN", 2, number="1/QĐ", prefix="A", people=[binh, cuong])
    other = await register(
        client, "SGDDT-HP", 2, number="2/QĐ", prefix="B", people=[binh_nfd, cuong]
    )
    # A bachelor's degree of hers is another kind: a person's ordinary life.
    await register(client, "DHSPHN", 1, number="3/QĐ", prefix="C", kind="bachelor", people=[binh])
    # His second diploma was revoked: the pair is dealt with.
    revoked = await client.post(
        f"/api/v1/diplomas/{other[1]['id']}/revocations",
        json={
            "decision_number": "9/QĐ-SGDĐT",
            "decided_on": "2025-10-01",
            "authority": "Sở Giáo dục và Đào tạo Hải Phòng",
            "ground": "fraud",
            "reason": "Đăng ký trùng với Sở Hà Nội",
        },
        headers=bearer(ADMIN),
    )
    assert revoked.status == 201, await revoked.text()

    pairs = await report(client, "same_person_other_issuer")
    assert len(pairs) == 1, pairs
    pair = pairs[0]
    assert pair["issuer"] == "SGDDT-HP"  # the later registration
    assert pair["diploma_id"] == other[0]["id"]
    assert pair["other_issuer"] == "SGDDT-HN"
    assert pair["other_diploma_id"] == hanoi[0]["id"]
    assert pair["kind"] == "thpt"
    assert pair["date_of_birth"] == "2007-05-01"
    assert pair["full_name"] == unicodedata.normalize("NFC", "TRẦN THỊ BÌNH")  # as stored
    assert pair["other_full_name"] == "Trần Thị Bình"

    # On the page: explained, with both diplomas' pages; never its code.
    token = await sign_in(client, AUDITOR_LOGIN)
    page = await (await client.get("/giam-sat/bat-thuong")).text()
    assert "Một người có cùng loại văn bằng của hai đơn vị (1)" in page
    assert "Điều 2" in page
    assert f'href="/quan-ly/van-bang/{other[0]["id"]}"' in page
    assert f'href="/quan-ly/van-bang/{hanoi[0]["id"]}"' in page
    assert "same_person_other_issuer" not in re.sub(r"<[^>]+>", " ", page)
    # Either way round, the same pair: its key names both diplomas, sorted.
    key = re.search(r'name="key" value="(same_person_other_issuer:[^"]+)"', page)
    assert key, page
    assert key[1] == "same_person_other_issuer:" + ":".join(
        sorted([other[0]["id"], hanoi[0]["id"]])
    )
    open_before = _open_there(await (await client.get("/giam-sat")).text(), "SGDDT-HP")

    # Reviewed through the page's form: still listed, shown as reviewed.
    note = "Đã đối chiếu hồ sơ: cùng một người, Sở Hải Phòng đăng ký nhầm"
    done = await client.post(
        "/giam-sat/bat-thuong",
        data={"form_token": token, "key": key[1], "note": note},
        allow_redirects=False,
    )
    assert done.status == 303
    shown = await (await client.get(done.headers["Location"])).text()
    section = shown.split('id="same_person_other_issuer"', 1)[1].split("</section>", 1)[0]
    assert "(1)" in section  # still listed
    assert f"Đã xem xét: {DEMO['auditor']['display_name']}" in section
    assert note in section
    assert 'name="key"' not in section  # no form left for it
    overview = await (await client.get("/giam-sat")).text()
    assert _open_there(overview, "SGDDT-HP") == open_before - 1


async def test_registrations_at_night_on_a_sunday_or_a_holiday(
    client: Any, clock: Clock, db: asyncpg.Connection
) -> None:
    times = {
        "1/QĐ": "2026-03-10 23:30",  # a Tuesday night
        "2/QĐ": "2026-03-11 10:00",  # a Wednesday morning: ordinary
        "3/QĐ": "2026-03-08 10:00",  # a Sunday
        "4/QĐ": "2026-02-17 09:00",  # Tết, the first day of the year of the Horse
        "5/QĐ": "2026-03-12 05:59",  # before six
        "6/QĐ": "2026-03-12 06:00",  # six: the working day begins
    }
    for n, (number, at) in enumerate(times.items()):
        clock.at = vn(at)
        await register(client, "SGDDT-HN", 1, number=number, prefix=f"H{n}")
    # The time registered is the time the diplomas were signed with.
    stored = await db.fetchval("SELECT created_at FROM graduation_decisions WHERE number = '1/QĐ'")
    assert stored == vn("2026-03-10 23:30")
    assert await db.fetchval(
        "SELECT bool_and(d.issued_at = p.created_at) FROM diplomas AS d"
        " JOIN decision_parts AS p ON p.decision_id = d.decision_id"
    )

    found = {a["decision_number"]: a for a in await report(client, "unusual_hours")}
    assert sorted(found) == ["1/QĐ", "3/QĐ", "4/QĐ", "5/QĐ"]
    assert found["1/QĐ"]["unusual"] == ["night"]
    assert found["1/QĐ"]["registered_at"].startswith("2026-03-10T16:30:00")  # UTC
    assert found["3/QĐ"]["unusual"] == ["sunday"]
    assert found["4/QĐ"]["unusual"] == ["holiday"]
    assert found["4/QĐ"]["holiday"] == "tet"
    assert found["5/QĐ"]["unusual"] == ["night"]
    assert found["1/QĐ"]["part"] == 1
    assert found["1/QĐ"]["diplomas"] == 1

    await sign_in(client, AUDITOR_LOGIN)
    page = await (await client.get("/giam-sat/bat-thuong")).text()
    assert "Đăng ký ngoài giờ làm việc (4)" in page
    assert "từ 22:00 đến 06:00" in page  # the thresholds, explained
    assert "đăng ký 10/03/2026 23:30 (ban đêm)" in page
    assert "(Tết Nguyên đán)" in page
    assert "(Chủ nhật)" in page
    assert f'href="/quan-ly/quyet-dinh/{found["1/QĐ"]["decision_id"]}"' in page
    english = await (await client.get("/giam-sat/bat-thuong?lang=en")).text()
    assert "Registered outside working hours (4)" in english
    assert "(Lunar New Year (Tet))" in english


async def test_a_day_of_unusual_bulk_against_the_issuers_usual_day(
    client: Any, clock: Clock
) -> None:
    # The department's ordinary days, then a day of 199 (more than 5 times its usual, yet
    # under 200), then a day of 201 in two decisions.
    days = [
        ("2026-03-02", [10]),
        ("2026-03-03", [20]),
        ("2026-03-04", [30]),
        ("2026-03-05", [199]),
        ("2026-03-06", [100, 101]),
    ]
    decisions: list[str] = []
    n = 0
    for day, counts in days:
        for count in counts:
            n += 1
            clock.at = vn(f"{day} 09:00") + timedelta(minutes=n)
            number = f"{n}/QĐ-SGDĐT"
            await register(client, "SGDDT-HN", count, number=number, prefix=f"S{n}-")
            decisions.append(number)
    # The university: 50 one day, then 200, which is not 5 times 50.
    clock.at = vn("2026-03-02 10:00")
    await register(client, "DHSPHN", 50, number="1/QĐ-ĐHSP", prefix="G1-", kind="bachelor")
    clock.at = vn("2026-03-06 10:00")
    await register(client, "DHSPHN", 200, number="2/QĐ-ĐHSP", prefix="G2-", kind="bachelor")

    # Computed here from what was registered: the median of the days before.
    before = sorted(c for _, counts in days[:4] for c in [sum(counts)])
    median = (before[1] + before[2]) / 2
    assert median == 25.0

    bulk = await report(client, "unusual_bulk")
    assert len(bulk) == 1, bulk
    found = bulk[0]
    assert (found["issuer"], found["day"], found["diplomas"]) == ("SGDDT-HN", "2026-03-06", 201)
    assert found["median"] == median
    assert found["days_compared"] == 4
    assert [d["number"] for d in found["decisions"]] == decisions[-2:]

    await sign_in(client, AUDITOR_LOGIN)
    page = await (await client.get("/giam-sat/bat-thuong")).text()
    assert "Đăng ký nhiều bất thường trong một ngày (1)" in page
    assert "từ 200 văn bằng trở lên và nhiều hơn 5 lần" in page
    assert "Ngày 06/03/2026: 201 văn bằng, gấp 8 lần" in page  # 201 / 25 = 8.04
    for ref in found["decisions"]:
        assert f'href="/quan-ly/quyet-dinh/{ref["id"]}"' in page

    # A day that grows after its review is a new anomaly to review.
    grown = UnusualBulk.model_validate({**found, "diplomas": 260})
    assert anomaly_key(grown) != anomaly_key(UnusualBulk.model_validate(found))


def _cells(row: str) -> list[str]:
    return [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%" if whole else "—"


async def test_the_rates_chart_against_peers_with_its_table(client: Any) -> None:
    # Seeded: diplomas, then how many of them corrected and revoked, by issuer.
    # The district office's one peer, the school THPT-CVA, has no diploma: no peers' rate.
    seeded = {"SGDDT-HN": (10, 1, 3), "DHSPHN": (4, 2, 0), "PGDDT-CG": (5, 0, 1)}
    parents = {"SGDDT-HN": "BGDDT", "DHSPHN": "BGDDT", "PGDDT-CG": "SGDDT-HN"}
    kinds = {"SGDDT-HN": "thpt", "DHSPHN": "bachelor", "PGDDT-CG": "thcs"}
    # The district office issued THCS diplomas until 30/06/2025 (Circular 13/2025 gave the
    # power to the commune from 01/07/2025), signed by its head; the others as the factory's.
    dated = {"PGDDT-CG": ("2025-06-10", "2025-06-30")}
    signed_as = {"PGDDT-CG": "Trưởng phòng"}
    for n, (code, (count, corrected, revoked)) in enumerate(seeded.items()):
        kind = kinds[code]
        diplomas = await register(
            client, code, count, number=f"{n}/QĐ", prefix=f"R{n}-", kind=kind,
            dated=dated.get(code), signed_as=signed_as.get(code),
        )  # fmt: skip
        token = CLERK if code == "SGDDT-HN" else ADMIN
        for d in diplomas[:corrected]:
            answer = await client.post(
                f"/api/v1/diplomas/{d['id']}/corrections",
                json={
                    "decision_number": f"12-{d['serial']}/QĐ",
                    "decided_on": "2025-11-03",
                    "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
                    "ground": "civil_status_changed",
                    "reason": "Cải chính họ tên theo trích lục cải chính hộ tịch",
                    "changes": {"full_name": "Trần Thị Bính"},
                },
                headers=bearer(token),
            )
            assert answer.status == 201, await answer.text()
        for d in diplomas[-revoked:] if revoked else []:
            if token == CLERK:
                await revoke(client, d["id"], decision_number=f"45-{d['serial']}/QĐ")
            else:
                answer = await client.post(
                    f"/api/v1/diplomas/{d['id']}/revocations",
                    json={
                        "decision_number": f"45-{d['serial']}/QĐ",
                        "decided_on": "2025-10-01",
                        "authority": "Sở Giáo dục và Đào tạo Hà Nội",
                        "ground": "fraud",
                        "reason": "Sử dụng hồ sơ giả",
                    },
                    headers=bearer(ADMIN),
                )
                assert answer.status == 201, await answer.text()

    await sign_in(client, AUDITOR_LOGIN)
    page = await (await client.get("/giam-sat")).text()
    section = page.split('<h2 id="rates">', 1)[1].split("</section>", 1)[0]
    for code, (count, corrected, revoked) in seeded.items():
        peers = [c for c in seeded if c != code and parents[c] == parents[code]]
        peer_count = sum(seeded[c][0] for c in peers)
        peer_corrected = sum(seeded[c][1] for c in peers)
        peer_revoked = sum(seeded[c][2] for c in peers)
        row = re.search(rf'<th scope="row">[^<]*\({code}\)</th>(.*?)</tr>', section, re.S)
        assert row, code
        assert _cells(row[1]) == [
            str(count),
            str(corrected),
            _percent(corrected, count),
            _percent(peer_corrected, peer_count),
            str(revoked),
            _percent(revoked, count),
            _percent(peer_revoked, peer_count),
            str(peer_count),
        ], code
    # SGDDT-HN's revocations, 30% against its one peer's 0%: the anomaly the chart shows.
    assert "Đã thu hồi 30,0% · cùng cấp 0,0%" in section

    svg = section.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<desc" in svg
    assert "<script" not in svg.lower()
    assert "style=" not in svg.lower()
    assert "href" not in svg  # nothing loaded from elsewhere
    # A peers' mark on both bars of each issuer with peers (2 of them), and the legend's.
    assert svg.count('width="3"') == 2 * 2 + 1


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_the_charts_colours_stand_out_from_white() -> None:
    svg = charts.rate_bars("t", "d", [("A", [(0.1, 0.05, "x"), (0.2, None, "y")])], ["a", "b"], "m")
    colours = set(re.findall(r'fill="(#[0-9a-f]{6})"', svg))
    assert colours
    for colour in colours:
        assert (1.05) / (_luminance(colour) + 0.05) >= 3.0, colour  # WCAG 1.4.11


def test_the_lunar_holidays_fall_where_vietnams_calendars_print_them() -> None:
    # Tết and the Hùng Kings' day (10/3 lunar) as published for these years.
    tet = {2019: "02-05", 2020: "01-25", 2021: "02-12", 2023: "01-22", 2024: "02-10", 2025: "01-29"}
    for year, day in tet.items():
        assert lunar_to_solar(1, 1, year) == date.fromisoformat(f"{year}-{day}")
    hung = {2020: "04-02", 2021: "04-21", 2023: "04-29", 2024: "04-18", 2025: "04-07"}
    for year, day in hung.items():
        assert lunar_to_solar(10, 3, year) == date.fromisoformat(f"{year}-{day}")
    # 2007 and 1985: Vietnam (UTC+7) and China (UTC+8) kept Tết on different days.
    assert lunar_to_solar(1, 1, 2007) == date(2007, 2, 17)
    assert lunar_to_solar(1, 1, 1985) == date(1985, 1, 21)
    days = holidays(2025)
    assert [d for d, name in days.items() if name == "tet"] == [
        date(2025, 1, 28) + timedelta(days=n) for n in range(5)
    ]
    assert days[date(2025, 9, 2)] == "national"
    assert len(days) == 10


async def test_the_overview_and_the_anomalies_in_a_browser(
    client: Any, clock: Clock, settings: Settings
) -> None:
    """Every kind of the new anomalies and the three charts on screen: in Vietnamese, fitting
    a phone, passing axe-core; VANBANG_SCREENSHOTS=DIR keeps docs/screenshots' auditor-*."""
    await add_department(settings, "SGDDT-HP", "Sở Giáo dục và Đào tạo Hải Phòng")
    binh = [("Trần Thị Bình", "2007-05-01", "Hà Nội")]
    clock.at = vn("2026-03-02 09:00")
    await register(client, "SGDDT-HN", 10, number="1/QĐ-SGDĐT", prefix="A", people=binh)
    clock.at = vn("2026-03-03 09:00")
    await register(client, "SGDDT-HN", 20, number="2/QĐ-SGDĐT", prefix="B")
    clock.at = vn("2026-03-04 23:30")  # at night
    await register(client, "SGDDT-HN", 30, number="3/QĐ-SGDĐT", prefix="C")
    clock.at = vn("2026-03-06 09:00")  # 201 in a day, against a usual 20
    await register(client, "SGDDT-HN", 201, number="4/QĐ-SGDĐT", prefix="D")
    # The new department's key is valid from now: its registration the next working morning.
    clock.at = next_working_morning()
    await register(client, "SGDDT-HP", 5, number="1/QĐ-SGDĐT", prefix="E", people=binh)
    clock.at = vn("2026-03-09 10:00")
    university = await register(
        client, "DHSPHN", 8, number="1/QĐ-ĐHSP", prefix="F", kind="bachelor"
    )
    for d in university[:2]:
        answer = await client.post(
            f"/api/v1/diplomas/{d['id']}/revocations",
            json={
                "decision_number": f"45-{d['serial']}/QĐ",
                "decided_on": "2025-10-01",
                "authority": "Trường Đại học Sư phạm Hà Nội",
                "ground": "fraud",
                "reason": "Sử dụng hồ sơ giả",
            },
            headers=bearer(ADMIN),
        )
        assert answer.status == 201, await answer.text()

    keep = os.environ.get("VANBANG_SCREENSHOTS")
    async with launched() as browser:
        context = await browser.new_context(
            base_url=str(client.make_url("/")).rstrip("/"),
            viewport=DESKTOP,
            locale="vi-VN",
            java_script_enabled=False,
        )
        page = await context.new_page()
        await page.goto("/dang-nhap")
        await type_sign_in(page, *AUDITOR_LOGIN)
        assert path_of(page) == "/giam-sat"
        await expect(page.locator("svg.chart")).to_have_count(3)
        await expect(
            page.get_by_role("img", name=re.compile("so với các đơn vị cùng cấp"))
        ).to_be_visible()
        if keep:
            await page.screenshot(path=Path(keep) / "auditor-overview.png", full_page=True)
        await screen(page, "auditor-overview")
        await page.goto("/giam-sat/bat-thuong")
        for title in (
            "Một người có cùng loại văn bằng của hai đơn vị (1)",
            "Đăng ký ngoài giờ làm việc (1)",
            "Đăng ký nhiều bất thường trong một ngày (1)",
        ):
            await expect(page.get_by_role("heading", name=title)).to_be_visible()
        if keep:
            await page.screenshot(path=Path(keep) / "auditor-anomalies.png", full_page=True)
        await screen(page, "auditor-anomalies")
        await context.close()
