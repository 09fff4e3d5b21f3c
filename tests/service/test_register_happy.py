"""Registering the example decision from JSON, CSV and XLSX."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import pytest
from aiohttp import FormData
from PIL import Image

from service.domain.graduates import parse_request
from service.formats.uploads import CSV, JSON, XLSX, parse_body
from tests.conftest import AUDITOR, CLERK, bearer
from tests.factories import decision_request, example, example_request, register_counts
from tests.qr import decode_qr

URL = "/api/v1/graduation-decisions"


async def test_the_three_example_files_hold_the_same_decision() -> None:
    parsed = [
        parse_request((await parse_body(media, example(suffix), max_rows=100)).data)
        for media, suffix in ((JSON, "json"), (CSV, "csv"), (XLSX, "xlsx"))
    ]
    assert parsed[0] == parsed[1] == parsed[2]
    assert len(parsed[0].graduates) == 30


@pytest.mark.parametrize(
    ("suffix", "content_type"),
    [("json", "application/json"), ("csv", "text/csv; charset=utf-8"), ("xlsx", XLSX)],
)
async def test_register_example(client: Any, db: Any, suffix: str, content_type: str) -> None:
    response = await client.post(
        URL, data=example(suffix), headers={**bearer(CLERK), "Content-Type": content_type}
    )
    assert response.status == 201, await response.text()
    body = await response.json()
    assert response.headers["Location"] == f"{URL}/{body['id']}"
    assert body["issuer"] == "SGDDT-HN"
    assert body["graduate_count"] == 30
    assert [d["register_number"] for d in body["diplomas"]] == [
        f"{n}/THPT-2025" for n in range(1, 31)
    ]
    expected = example_request()["graduates"]
    assert [d["serial"] for d in body["diplomas"]] == [g["serial"] for g in expected]

    first = await client.get(f"/api/v1/diplomas/{body['diplomas'][0]['id']}", headers=bearer(CLERK))
    assert first.status == 200
    diploma = await first.json()
    assert diploma["full_name"] == "Nguyễn Thị Ngọc Ánh"
    assert diploma["date_of_birth"] == "2007-03-12"
    assert diploma["ethnicity"] == "Kinh"
    assert diploma["signer"] == {
        "name": "Phạm Thị Thu Hằng",
        "title": "Phó Giám đốc",
        "on_behalf_of": "Giám đốc",
    }
    assert diploma["register_number"] == "1/THPT-2025"
    assert diploma["decision"]["number"] == "2150/QĐ-SGDĐT"
    assert diploma["mode_of_study"] == "Giáo dục thường xuyên"
    assert "salt" not in diploma

    decision = await client.get(f"{URL}/{body['id']}", headers=bearer(AUDITOR))
    assert decision.status == 200
    listed = await decision.json()
    assert listed.pop("registered_at")
    assert body.pop("warnings") == []
    # Each registered diploma carries its QR: the URL its code encodes, and its images.
    links = [{k: d.pop(k) for k in ("qr_url", "qr_png", "qr_svg")} for d in body["diplomas"]]
    assert listed.pop("parts") == body.pop("part") == 1  # one list, the first
    assert body.pop("digital_job") is None  # Circular 21/2019 has no digital diplomas
    assert listed == body  # the registration's answer and the decision read agree
    one = body["diplomas"][0]["id"]
    assert links[0]["qr_png"] == f"/api/v1/diplomas/{one}/qr.png"
    assert links[0]["qr_svg"] == f"/api/v1/diplomas/{one}/qr.svg"
    assert len({link["qr_url"] for link in links}) == 30
    png = await client.get(links[0]["qr_png"], headers=bearer(CLERK))
    assert png.status == 200
    assert decode_qr(Image.open(io.BytesIO(await png.read()))) == links[0]["qr_url"]
    assert await register_counts(db) == (1, 30, 0)


async def test_register_xlsx_as_multipart_upload(client: Any, db: Any) -> None:
    form = FormData()
    form.add_field(
        "file", example("xlsx"), filename="danh-sach.xlsx", content_type="application/octet-stream"
    )
    response = await client.post(URL, data=form, headers=bearer(CLERK))
    assert response.status == 201, await response.text()
    assert (await response.json())["graduate_count"] == 30


async def test_nfd_input_is_stored_nfc(client: Any, db: Any) -> None:
    data = decision_request(2)
    name = "Nguyễn Thị Ngọc Ánh"
    place = "Thừa Thiên Huế"
    data["graduates"][0]["full_name"] = unicodedata.normalize("NFD", name)
    data["graduates"][0]["place_of_birth"] = unicodedata.normalize("NFD", place)
    assert data["graduates"][0]["full_name"] != name
    response = await client.post(URL, json=data, headers=bearer(CLERK))
    assert response.status == 201, await response.text()
    row = await db.fetchrow(
        "SELECT holder_name, place_of_birth, holder_name IS NFC NORMALIZED AS nfc"
        " FROM diplomas WHERE serial = 'T000001'"
    )
    assert row["holder_name"] == name
    assert row["place_of_birth"] == place
    assert row["nfc"]


async def test_vietnamese_dates_and_gender_words(client: Any, db: Any) -> None:
    data = decision_request(1)
    data["graduates"][0].update(date_of_birth="05/01/2007", gender="Nam")
    data["decision"]["date"] = "14/07/2025"
    response = await client.post(URL, json=data, headers=bearer(CLERK))
    assert response.status == 201, await response.text()
    row = await db.fetchrow("SELECT date_of_birth, gender FROM diplomas")
    assert row["date_of_birth"].isoformat() == "2007-01-05"
    assert row["gender"] == "male"


async def test_register_numbers_continue_across_decisions_and_restart_each_year(
    client: Any, db: Any
) -> None:
    first = await client.post(
        URL, json=decision_request(3, serial_prefix="A", number="1/QĐ"), headers=bearer(CLERK)
    )
    second = await client.post(
        URL, json=decision_request(2, serial_prefix="B", number="2/QĐ"), headers=bearer(CLERK)
    )
    next_year = await client.post(
        URL,
        json=decision_request(2, serial_prefix="C", number="3/QĐ", issued_on="2026-01-05"),
        headers=bearer(CLERK),
    )
    numbers = [
        [d["register_number"] for d in (await r.json())["diplomas"]]
        for r in (first, second, next_year)
    ]
    assert numbers == [
        ["1/THPT-2025", "2/THPT-2025", "3/THPT-2025"],
        ["4/THPT-2025", "5/THPT-2025"],
        ["1/THPT-2026", "2/THPT-2026"],
    ]


async def test_admin_registers_for_a_named_issuer(client: Any) -> None:
    from tests.conftest import ADMIN

    response = await client.post(
        URL, json=decision_request(1, issuer="sgddt-hn"), headers=bearer(ADMIN)
    )
    assert response.status == 201, await response.text()
    assert (await response.json())["issuer"] == "SGDDT-HN"


async def test_request_id_is_echoed(client: Any) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    other = await client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert other.headers["X-Request-ID"] != "bad id with spaces"
    assert len(other.headers["X-Request-ID"]) == 32


async def test_readyz_checks_the_database(client: Any) -> None:
    response = await client.get("/readyz")
    assert response.status == 200
    assert (await response.json())["checks"] == {"database": "ok"}


async def test_a_replayed_registration_carries_the_same_qr_urls(client: Any) -> None:
    headers = {**bearer(CLERK), "Idempotency-Key": "qr-replay"}
    first = await client.post(URL, json=decision_request(2, serial_prefix="QRR"), headers=headers)
    again = await client.post(URL, json=decision_request(2, serial_prefix="QRR"), headers=headers)
    assert (first.status, again.status) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    answer = await first.json()
    assert await again.json() == answer
    assert all(d["qr_url"] for d in answer["diplomas"])
