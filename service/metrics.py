"""What the service counts for Prometheus (docs/operations.md, "Metrics"), one definition of
each metric. Counters and histograms are kept by each process; `vanbang serve --workers N`
gives them one directory (PROMETHEUS_MULTIPROC_DIR, set before this module is imported:
`prepare_processes`) so that any process's /metrics answers the sum of all of them. What the
database knows (the log's size and lag, the jobs) is read when scraped, in
service/http/metrics.py.

Label values are few and fixed: a route's pattern (never its path: a QR token spells out a
name and a date of birth), a verdict, a bucket, an event type."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter(
    "vanbang_http_requests",
    "HTTP requests answered, by method, route pattern and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "vanbang_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route pattern.",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
DIPLOMAS_REGISTERED = Counter(
    "vanbang_diplomas_registered",
    "Diplomas entered in the register (committed), by kind.",
    ["kind"],
)
EVENTS_RECORDED = Counter(
    "vanbang_events_recorded",
    "Signed register events committed (corrections, re-issues, revocations, copies, "
    "handovers, blanks, custody transfers), by type.",
    ["type"],
)
VERIFICATIONS = Counter(
    "vanbang_verifications",
    "Public checks answered, by how they came (qr, lookup, bulk, pdf, receipt) and verdict.",
    ["path", "verdict"],
)
RATE_LIMITED = Counter(
    "vanbang_rate_limited",
    "Requests refused with 429, by rate-limit bucket.",
    ["bucket"],
)
SIGN_INS = Counter(
    "vanbang_sign_ins",
    "Staff sign-in attempts, by outcome.",
    ["outcome"],
)
PROCESSES = Gauge(
    "vanbang_web_processes",
    "Web processes serving (each counts itself once started; summed over processes).",
    multiprocess_mode="livesum",
)
POOL_CONNECTIONS = Gauge(
    "vanbang_db_pool_connections",
    "Database connections of the web processes' pools, by state (summed over processes).",
    ["state"],
    multiprocess_mode="livesum",
)


# Any other method is counted as OTHER: a client's invented method names no new series.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    method = method if method in _METHODS else "OTHER"
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def verified(path: str, verdict: str) -> None:
    VERIFICATIONS.labels(path, verdict).inc()


def observe_pool(pool: Any) -> None:
    """The pool's connections in use and idle, as this process sees them now."""
    size, idle = pool.get_size(), pool.get_idle_size()
    POOL_CONNECTIONS.labels("in_use").set(size - idle)
    POOL_CONNECTIONS.labels("idle").set(idle)


def prepare_processes() -> Path:
    """For `vanbang serve --workers N`, before the workers start: a fresh directory where
    every process keeps its counts (or the one the operator named in PROMETHEUS_MULTIPROC_DIR),
    and the values of every metric from now on kept there. prometheus_client picks its value
    class when imported; every metric here but PROCESSES has labels, so its values are made on
    first use, after this, with the class picked again; PROCESSES is made again."""
    from prometheus_client import values

    named = os.environ.get(MULTIPROC_ENV)
    directory = Path(named) if named else Path(tempfile.mkdtemp(prefix="vanbang-metrics-"))
    os.environ[MULTIPROC_ENV] = str(directory)
    values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]
    PROCESSES._metric_init()  # its one value, made at import, made again in the directory
    return directory


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


def forget_processes(directory: Path | None) -> None:
    if directory is not None and directory.name.startswith("vanbang-metrics-"):
        shutil.rmtree(directory, ignore_errors=True)
