"""Public verification: the QR page, the lookup form and API, uniform answers, unpublished
records, the rate limiter, and fields that must never appear."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from aiohttp.test_utils import TestClient
from PIL import Image

from service.app import create_app
from service.ratelimit import RateLimiter, client_address, parse_networks
from service.settings import Settings
from service.usecases.counting import VerificationCounter
from tests.conftest import CLERK, bearer
from tests.factories import assert_problem, decision_request, sequenced
from tests.qr import decode_qr
from verifier.display import VIETNAM

URL = "/api/v1/graduation-decisions"
NEVER = ("Kinh", "0000000001", "ethnicity", "student_id", "nationality")


async def _registered(client: Any, **graduate: Any) -> tuple[dict[str, Any], str]:
    data = decision_request(2)
    data["graduates"][0].update(graduate)
    response = await client.post(URL, json=data, headers=bearer(CLERK))
    assert response.status == 201, await response.text()
    body = await response.json()
    png = await client.get(
        f"/api/v1/diplomas/{body['diplomas'][0]['id']}/qr.png", headers=bearer(CLERK)
    )
    text = decode_qr(Image.open(io.BytesIO(await png.read())))
    return body, str(text)


async def test_the_qr_page_shows_the_verdict_first(client: Any) -> None:
    body, text = await _registered(client)
    path = text.split("127.0.0.1:8080")[1]
    assert path.startswith("/V/")
    page = await client.get(path)
    assert page.status == 200
    assert page.content_type == "text/html"
    assert page.headers["Cache-Control"] == "private, no-store"
    html = await page.text()
    verdict_at = html.index("Văn bằng thật và còn hiệu lực")
    assert verdict_at < html.index("Trần Thị Bình") < html.index("Các bước đã kiểm tra")
    assert body["diplomas"][0]["serial"] in html
    assert "Sở Giáo dục và Đào tạo Hà Nội" in html  # the issuer's name from the trust list
    assert "http://" not in html.split("</style>")[0]  # no external assets
    assert "<script" not in html
    for word in NEVER:
        assert word not in html
    english = await (await client.get(path + "?lang=en")).text()
    assert "Genuine and valid" in english
    lower = await client.get(path.replace("/V/", "/v/").lower())
    assert "Văn bằng thật và còn hiệu lực" in await lower.text()


async def test_a_forged_code_is_not_genuine_on_the_page(client: Any) -> None:
    _, text = await _registered(client)
    forged = text[:-8] + ("A" if text[-8] != "A" else "B") + text[-7:]
    html = await (await client.get(forged.split("127.0.0.1:8080")[1])).text()
    assert "Không phải văn bằng thật" in html
    assert 'class="verdict not_genuine"' in html
    # A false code's contents are not shown as if they could be compared with the paper.
    assert "Trần Thị Bình" not in html
    # The check ran: said so, and what to do; the steps not run folded away under one line.
    assert "đây không phải lỗi kết nối" in html
    assert "Không kiểm tra vì bước trước không đạt" not in html
    assert "<summary>Các bước sau không kiểm tra, vì bước trước không đạt (4)</summary>" in html


async def test_lookup_by_serial_and_date_of_birth(client: Any, db: asyncpg.Connection) -> None:
    body, _ = await _registered(client)
    await sequenced(client)
    serial = body["diplomas"][0]["serial"]
    found = await client.post(
        "/api/v1/lookup", json={"serial": serial.lower(), "date_of_birth": "01/05/2007"}
    )
    result = await found.json()
    assert result["verdict"] == "valid"
    assert result["fields"]["holder_name"] == "Trần Thị Bình"
    assert result["fields"]["issuer_name"] == "Sở Giáo dục và Đào tạo Hà Nội"
    assert set(result["fields"]) <= {
        "kind",
        "holder_name",
        "date_of_birth",
        "major",
        "classification",
        "serial",
        "register_number",
        "issuer",
        "issuer_name",
        "issued_on",
    }
    assert [s["outcome"] for s in result["steps"]] == [
        "skipped",
        "passed",
        "passed",
        "passed",
        "passed",
        "passed",
    ]
    text = await found.text()
    for word in NEVER:
        assert word not in text


async def test_every_miss_answers_the_same(client: Any) -> None:
    body, _ = await _registered(client, published=False)
    unpublished = body["diplomas"][0]["serial"]
    published = body["diplomas"][1]["serial"]
    answers = []
    for query in (
        {"serial": "NO-SUCH-SERIAL", "date_of_birth": "2007-05-01"},
        {"serial": published, "date_of_birth": "2007-05-02"},  # wrong date
        {"serial": unpublished, "date_of_birth": "2007-05-01"},  # unpublished
        {"serial": published, "date_of_birth": "2007-05-01", "issuer": "DHSPHN"},
    ):
        response = await client.post("/api/v1/lookup", json=query)
        assert response.status == 200
        result = await response.json()
        result.pop("status_checked_at")
        answers.append(result)
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["verdict"] == "not_found"
    assert answers[0]["fields"] == {}


async def test_an_unpublished_record_answers_only_to_its_qr(client: Any) -> None:
    _, text = await _registered(client, published=False)
    html = await (await client.get(text.split("127.0.0.1:8080")[1])).text()
    assert "Văn bằng thật và còn hiệu lực" in html


async def test_the_lookup_form(client: Any) -> None:
    body, _ = await _registered(client)
    form = await client.get("/tra-cuu")
    assert form.status == 200
    assert "max-age" in form.headers["Cache-Control"]
    etag = form.headers["ETag"]
    assert (await client.get("/tra-cuu", headers={"If-None-Match": etag})).status == 304
    page = await client.post(
        "/tra-cuu", data={"serial": body["diplomas"][0]["serial"], "date_of_birth": "2007-05-01"}
    )
    assert "Văn bằng thật và còn hiệu lực" in await page.text()
    missed = await client.post("/tra-cuu", data={"serial": "NOPE1", "date_of_birth": "01/05/2007"})
    html = await missed.text()
    assert "Hãy kiểm tra lại: số hiệu đúng như in trên văn bằng" in html
    assert "hãy hỏi đơn vị có tên in trên văn bằng" in html
    shown = re.search(r"Tình trạng đọc từ sổ gốc lúc (\d\d/\d\d/\d{4} \d\d:\d\d)", html)
    assert shown
    assert "(giờ Việt Nam, UTC+7)" in html
    at = datetime.strptime(shown[1], "%d/%m/%Y %H:%M").replace(tzinfo=VIETNAM)
    assert abs((datetime.now(UTC) - at).total_seconds()) < 120  # Vietnam time, not UTC
    typed = await client.post(  # as the form asks: day/month/year
        "/tra-cuu", data={"serial": body["diplomas"][0]["serial"], "date_of_birth": "01/05/2007"}
    )
    assert "Văn bằng thật và còn hiệu lực" in await typed.text()
    bad = await client.post("/tra-cuu?lang=en", data={"serial": "", "date_of_birth": "x"})
    assert bad.status == 422
    html = await bad.text()
    assert "correct the fields marked below" in html
    beside = html.split('id="dob-error">', 1)[1].split("</p>", 1)[0]
    assert "A date must be" in beside  # the message beside its own field
    assert 'aria-describedby="dob-error dob-hint"' in html
    assert 'value="x"' in html  # what was typed, kept


async def test_lookup_api_rejects_bad_input(client: Any) -> None:
    response = await client.post("/api/v1/lookup", json={"serial": "A1"})
    problem = await assert_problem(response, 422, "validation-error")
    assert problem["errors"][0]["pointer"] == "#/date_of_birth"
    extra = await client.post(
        "/api/v1/lookup", json={"serial": "A1", "date_of_birth": "2007-01-01", "name": "x"}
    )
    await assert_problem(extra, 422, "validation-error")
    await assert_problem(await client.post("/api/v1/lookup", data=b"{"), 400, "malformed-body")
    big = await client.post("/api/v1/lookup", data=b" " * 5000)
    await assert_problem(big, 413, "payload-too-large")


async def test_verifications_are_counted_per_diploma(
    settings: Settings, aiohttp_client: Any, db: asyncpg.Connection
) -> None:
    app = create_app(settings)
    client: TestClient[Any, Any] = await aiohttp_client(app)
    body, text = await _registered(client)
    for _ in range(3):
        await client.get(text.split("127.0.0.1:8080")[1])
    await client.post(
        "/api/v1/lookup",
        json={"serial": body["diplomas"][0]["serial"], "date_of_birth": "2007-05-01"},
    )
    from service.http.state import COUNTER, POOL

    await app[COUNTER].flush(app[POOL])
    row = await db.fetchrow("SELECT * FROM verification_counts")
    assert row is not None
    assert row["verifications"] == 4
    assert str(row["diploma_id"]) == body["diplomas"][0]["id"]
    columns = {
        r["column_name"]
        for r in await db.fetch(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'verification_counts'"
        )
    }
    assert columns == {"diploma_id", "verifications", "last_verified_at"}  # no address


async def test_the_rate_limiter_answers_429_with_retry_after(
    settings: Settings, aiohttp_client: Any
) -> None:
    limited = dataclasses.replace(settings, lookup_rate_limit=6, lookup_rate_burst=3)
    client: TestClient[Any, Any] = await aiohttp_client(create_app(limited))
    statuses = []
    for _ in range(5):
        response = await client.post(
            "/api/v1/lookup", json={"serial": "A1", "date_of_birth": "2007-01-01"}
        )
        statuses.append(response.status)
    assert statuses == [200, 200, 200, 429, 429]
    problem = await assert_problem(response, 429, "rate-limited")
    assert int(response.headers["Retry-After"]) >= 1
    assert "Retry-After" in response.headers
    assert problem["detail"]
    # The form page is not limited; another client (through a trusted proxy) is not either.
    assert (await client.get("/tra-cuu")).status == 200


def test_token_bucket_and_client_addresses() -> None:
    limiter = RateLimiter(per_minute=60, burst=2)
    assert [limiter.take("a", now=0.0) for _ in range(3)] == [0.0, 0.0, pytest.approx(1.0)]
    assert limiter.take("a", now=1.0) == 0.0  # one token back after a second
    assert limiter.take("b", now=1.0) == 0.0
    small = RateLimiter(per_minute=60, burst=1, max_clients=2)
    for client in ("x", "y", "z"):
        small.take(client, now=0.0)
    assert small.take("x", now=0.0) == 0.0  # x was forgotten, not kept forever
    proxies = parse_networks("10.0.0.0/8, 192.168.1.1")
    assert client_address("203.0.113.5", "1.2.3.4", proxies) == "203.0.113.5"  # not a proxy
    assert client_address("10.0.0.2", "1.2.3.4, 192.168.1.1", proxies) == "1.2.3.4"
    assert client_address("10.0.0.2", None, proxies) == "10.0.0.2"
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6"):
        parse_networks("not-an-address")


async def test_counter_flush_is_one_statement_and_survives_nothing_pending(
    db_url: str,
) -> None:
    pool = await asyncpg.create_pool(db_url, min_size=1, max_size=1)
    assert pool is not None
    try:
        counter = VerificationCounter()
        assert await counter.flush(pool) == 0
    finally:
        await pool.close()


def test_checked_tokens_are_reused_only_under_the_same_trust_list() -> None:
    import base64
    import gc
    import json
    from pathlib import Path

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from service.usecases.trust_list import SignedTrustList
    from service.usecases.verification import CheckedTokens
    from verifier import TrustList

    data = json.loads(
        (Path(__file__).resolve().parents[1] / "vectors" / "verify-cases.json").read_text("utf-8")
    )
    root = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(data["root_seed"]))
    body = base64.b64decode(data["trust_list"])
    trust = TrustList.from_bytes(body, root_key=root.public_key())
    text = data["cases"][0]["text"]
    cache = CheckedTokens(size=2)
    first = cache.check(text, SignedTrustList(body, '"a"', trust))
    assert cache.hits == 0
    assert cache.check(text, SignedTrustList(body, '"a"', trust)) == first
    assert cache.check(text.lower(), SignedTrustList(body, '"a"', trust)) == first
    assert cache.hits == 2
    # What is kept is plain data the collector does not track (no pause grows with it).
    assert not gc.is_tracked(first.fields)
    again = cache.check(text, SignedTrustList(body, '"b"', trust))  # the list changed
    assert cache.hits == 2
    assert again == first
    broken = cache.check("HTTPS://X/V/1", SignedTrustList(body, '"b"', trust))
    assert broken.verdict == "not_genuine"
    forged = next(c["text"] for c in data["cases"] if c["reason"] == "signature_invalid")
    first_forged = cache.check(forged, SignedTrustList(body, '"b"', trust))
    assert first_forged.verdict == "not_genuine"
    assert cache.check(forged, SignedTrustList(body, '"b"', trust)) == first_forged
    assert cache.hits == 2  # a forgery is checked afresh every time


async def test_a_flush_waits_for_one_in_flight(
    client: Any, db_url: str, db: asyncpg.Connection
) -> None:
    import asyncio
    import uuid

    body, _ = await _registered(client)
    diploma_id = uuid.UUID(body["diplomas"][0]["id"])
    pool = await asyncpg.create_pool(db_url, min_size=2, max_size=2)
    assert pool is not None
    try:
        counter = VerificationCounter()
        counter.count(diploma_id)
        first = asyncio.create_task(counter.flush(pool))
        await asyncio.sleep(0)  # the first flush has taken the pending counts
        # Nothing is pending now, but this flush returns only once the first one is saved.
        assert await counter.flush(pool) == 0
        assert await db.fetchval("SELECT verifications FROM verification_counts") == 1
        await first
    finally:
        await pool.close()
