"""GET /metrics (docs/operations.md, "Metrics"): Prometheus's text format for the addresses
VANBANG_METRICS_FROM names, 404 for everyone else; what each metric counts moves when the
thing happens; under `vanbang serve --workers 2` every scrape answers the sum of both
processes."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from service.app import create_app
from service.settings import Settings
from tests.conftest import bearer
from tests.factories import assert_problem, qr_text, registered
from tests.running import running_service
from tests.staff import post_sign_in


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample by name and sorted labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict[Any, float], name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def total(found: dict[Any, float], name: str, **labels: str) -> float:
    """The sum over every series of `name` whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in found.items() if n == name and wanted <= set(ls))


async def scrape(client: Any) -> dict[Any, float]:
    response = await client.get("/metrics")
    assert response.status == 200, await response.text()
    assert response.content_type == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    return samples(await response.text())


async def test_each_metric_moves_when_its_thing_happens(client: Any) -> None:
    before = await scrape(client)
    diplomas = await registered(client, 2)
    text = await qr_text(client, diplomas[0]["id"])
    assert (await client.get("/api/v1/verify", params={"token": text})).status == 200
    assert (await client.get("/api/v1/verify", params={"token": "NOT-A-TOKEN"})).status == 200
    await client.post(
        f"/api/v1/diplomas/{diplomas[1]['id']}/revocations",
        json={
            "decision_number": "9/QĐ-SGDĐT",
            "decided_on": "2025-10-01",
            "authority": "Sở Giáo dục và Đào tạo Hà Nội",
            "ground": "fraud",
            "reason": "Gian lận trong thi cử",
        },
        headers=bearer("vb_demo_clerk_sgddt_hn_public"),
    )
    await post_sign_in(client, "khong-co-ai", "sai mat khau rat dai")
    after = await scrape(client)

    def moved(name: str, **labels: str) -> float:
        return total(after, name, **labels) - total(before, name, **labels)

    assert moved("vanbang_diplomas_registered_total", kind="thpt") == 2
    assert moved("vanbang_events_recorded_total", type="revocation") == 1
    assert moved("vanbang_verifications_total", path="qr", verdict="valid") == 1
    assert moved("vanbang_verifications_total", path="qr", verdict="not_genuine") == 1
    assert moved("vanbang_sign_ins_total", outcome="unknown_account") == 1
    route = "/api/v1/graduation-decisions"
    assert moved("vanbang_http_requests_total", method="POST", route=route, status="201") == 1
    assert moved("vanbang_http_request_duration_seconds_count", route=route) == 1
    # The route's pattern, never its path: no token, no name in a label.
    assert not any(text[10:40] in str(labels) for _, labels in after)
    assert value(after, "vanbang_log_leaves") >= 0
    assert ("vanbang_log_sequencer_lag_seconds", ()) in after
    assert total(after, "vanbang_db_pool_connections") >= 1


async def test_a_refusal_of_the_rate_limit_is_counted_by_its_bucket(
    settings: Settings, aiohttp_client: Any
) -> None:
    strict = dataclasses.replace(settings, lookup_rate_limit=1, lookup_rate_burst=1)
    client = await aiohttp_client(create_app(strict))
    before = await scrape(client)
    body = {"serial": "T000001", "date_of_birth": "2007-05-01"}
    answers = [(await client.post("/api/v1/lookup", json=body)).status for _ in range(3)]
    assert 429 in answers
    after = await scrape(client)
    refused = answers.count(429)
    assert (
        total(after, "vanbang_rate_limited_total", bucket="lookup")
        - total(before, "vanbang_rate_limited_total", bucket="lookup")
        == refused
    )


async def test_only_the_addresses_named_may_scrape(settings: Settings, aiohttp_client: Any) -> None:
    for named in ("", "10.0.0.0/8"):
        client = await aiohttp_client(create_app(dataclasses.replace(settings, metrics_from=named)))
        await assert_problem(await client.get("/metrics"), 404, "not-found")
        # A forwarded address never makes a client a scraper.
        forwarded = await client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"})
        assert forwarded.status == 404


def _counted(found: dict[Any, float], routes: Iterable[str]) -> float:
    return sum(total(found, "vanbang_http_requests_total", route=r) for r in routes)


async def test_with_two_workers_every_scrape_answers_both(db_url: str) -> None:
    async with running_service(db_url, VANBANG_WORKERS="2") as service:
        # Both processes up (each counts itself once serving), whichever one answers.
        for _ in range(200):
            async with (
                aiohttp.ClientSession() as one,
                one.get(f"{service.base}/metrics") as answer,
            ):
                if value(samples(await answer.text()), "vanbang_web_processes") == 2:
                    break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the second process never counted itself")
        # Many connections, each a new one: the kernel spreads them over both processes.
        for _ in range(40):
            async with (
                aiohttp.ClientSession() as one,
                one.get(f"{service.base}/healthz") as answer,
            ):
                assert answer.status == 200
        scraped = []
        for _ in range(6):
            async with (
                aiohttp.ClientSession() as one,
                one.get(f"{service.base}/metrics") as answer,
            ):
                assert answer.status == 200
                scraped.append(samples(await answer.text()))
        counts = {_counted(found, ["/healthz"]) for found in scraped}
        # Whichever process answered, the same sum: the start-up's checks and these 40.
        assert len(counts) == 1, counts
        assert counts.pop() >= 40
