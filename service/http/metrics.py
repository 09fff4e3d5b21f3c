"""GET /metrics: Prometheus's text format (docs/operations.md, "Metrics"), for the addresses
VANBANG_METRICS_FROM names and nobody else (a 404, as if there were nothing). The peer's own
address decides, never X-Forwarded-For: a proxy in front must not make the public a scraper.

The process's counters (or, under `vanbang serve --workers N`, every process's, summed), then
what the database knows as it is read now: the log's size, its latest checkpoint and the
sequencer's queue, and the background jobs by kind and state."""

from __future__ import annotations

import ipaddress

from aiohttp import web
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from service.db import metrics as db
from service.http.state import POOL, SETTINGS
from service.metrics import multiprocess, observe_pool
from service.problems import NOT_FOUND, Problem
from service.ratelimit import parse_networks

TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8"


def allowed(remote: str | None, networks: str) -> bool:
    if remote is None:
        return False
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(address in network for network in parse_networks(networks))


class _Read(Collector):
    """Families already read, collected once."""

    def __init__(self, families: list[GaugeMetricFamily]) -> None:
        self.families = families

    def collect(self):  # type: ignore[no-untyped-def]
        return iter(self.families)


async def _database_families(request: web.Request) -> list[GaugeMetricFamily]:
    async with request.app[POOL].acquire() as conn:
        log = await db.log_state(conn)
        jobs = await db.job_counts(conn)
    families = []
    for name, help_text, value in (
        ("vanbang_log_leaves", "Leaves in the issuance log.", log["leaves"]),
        (
            "vanbang_log_checkpoint_size",
            "Tree size of the latest signed checkpoint.",
            log["checkpoint_size"],
        ),
        (
            "vanbang_log_checkpoint_age_seconds",
            "Seconds since the latest checkpoint was signed.",
            log["checkpoint_age"] or 0,
        ),
        ("vanbang_log_queued_events", "Events waiting for the sequencer.", log["queued"]),
        (
            "vanbang_log_sequencer_lag_seconds",
            "How long the oldest event waiting for the sequencer has waited.",
            log["oldest_queued"],
        ),
    ):
        families.append(GaugeMetricFamily(name, help_text, value=float(value)))
    by_state = GaugeMetricFamily(
        "vanbang_jobs", "Background jobs, by kind and state.", labels=["kind", "state"]
    )
    for row in jobs:
        by_state.add_metric([row["kind"], row["state"]], float(row["jobs"]))
    families.append(by_state)
    return families


async def metrics(request: web.Request) -> web.Response:
    if not allowed(request.remote, request.app[SETTINGS].metrics_from):
        raise Problem(NOT_FOUND)
    observe_pool(request.app[POOL])
    if multiprocess():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    read = CollectorRegistry()
    read.register(_Read(await _database_families(request)))
    body = generate_latest(registry) + generate_latest(read)
    return web.Response(
        body=body, headers={"Content-Type": TEXT_FORMAT, "Cache-Control": "no-store"}
    )
