"""The application factory: wires settings, pools, middlewares and routes; holds no logic."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import structlog
from aiohttp import web

from service.db.pool import create_pool
from service.db.standing import StandingReader
from service.docsign.registry import doc_signers_for
from service.http.middleware import problems, request_context
from service.http.routes import setup_routes
from service.http.state import (
    CHECKED,
    COUNTER,
    DOC_SIGNERS,
    LOG_SIGNER,
    LOG_TILES,
    PDF_ROOTS,
    POOL,
    PROXIES,
    RATE_LIMITER,
    READ_POOL,
    SETTINGS,
    SIGNING,
    STANDING,
    TRUST_LIST,
)
from service.metrics import PROCESSES, observe_pool
from service.printing.layout import shipped_layouts
from service.ratelimit import Budget, Limits, Rate, parse_networks
from service.resources import demo_dir
from service.settings import Settings
from service.signing import Signing, keystore_for
from service.tlog import sequencer
from service.tlog.sequencer import LogSigner
from service.tlog.tiles import TileCache
from service.usecases.counting import VerificationCounter
from service.usecases.pdf_verification import ca_roots
from service.usecases.second_factor_secrets import seal_clear_secrets
from service.usecases.trust_list import TrustListCache
from service.usecases.verification import CheckedTokens

log = structlog.get_logger(__name__)

POOL_METRICS_SECONDS = 5.0


def limits_for(settings: Settings) -> Limits:
    """The rate limits of each kind of public path (service/ratelimit.py), in Redis when
    VANBANG_REDIS_URL names one."""
    rates = {
        Budget.LOOKUP: Rate(settings.lookup_rate_limit, settings.lookup_rate_burst),
        Budget.QR: Rate(settings.rate_limit, settings.rate_burst),
        Budget.OPEN: Rate(settings.open_rate_limit, settings.open_rate_burst),
        # Per account, not per address: ten files at once, then one every six minutes.
        Budget.BULK_LOOKUP: Rate(per_minute=1 / 6, burst=10),
        # Per person or token: a day's work at a counter, never a sweep of numbers.
        Budget.PERSONAL_ID: Rate(per_minute=20, burst=30),
    }
    if settings.redis_url is None:
        return Limits(rates)
    import redis.asyncio  # only a service configured with Redis needs it

    client = redis.asyncio.from_url(settings.redis_url, socket_timeout=0.5)
    return Limits(rates, client, prefix=f"{settings.redis_prefix}:rate")


async def _close_limits(app: web.Application) -> None:
    await app[RATE_LIMITER].close()


def create_app(settings: Settings) -> web.Application:
    """`settings.database_url` must be set (the CLI sets it for the embedded server)."""
    if settings.database_url is None:
        raise ValueError("create_app needs settings.database_url")
    # The body limit is enforced here too, so that no handler can read past it.
    app = web.Application(
        middlewares=[request_context, problems],
        client_max_size=settings.max_body_bytes,
    )
    app[SETTINGS] = settings
    # A layout that cannot be used (docs/printing.md) stops the service here, not a print.
    shipped_layouts(settings.qr_module_mm)
    keystore = keystore_for(settings)
    app[DOC_SIGNERS] = doc_signers_for(settings)
    app.on_cleanup.append(_close_doc_signers)
    app[TRUST_LIST] = TrustListCache(keystore, max_age=settings.trust_refresh_seconds)
    app[RATE_LIMITER] = limits_for(settings)
    app.on_cleanup.append(_close_limits)
    app[PROXIES] = parse_networks(settings.trusted_proxies)
    app[COUNTER] = VerificationCounter()
    app[CHECKED] = CheckedTokens()
    app[LOG_TILES] = TileCache()
    app[PDF_ROOTS] = ca_roots(settings.pdf_ca_roots, demo_dir() if settings.demo else None)
    app.cleanup_ctx.append(_pools)
    app.cleanup_ctx.append(_signing)
    app.cleanup_ctx.append(_counting)
    app.cleanup_ctx.append(_pool_metrics)
    if settings.job_workers > 0:
        app.cleanup_ctx.append(_jobs)
    log_key = keystore.log_key()
    if log_key is not None:
        app[LOG_SIGNER] = LogSigner(settings.log_origin, log_key)
        app.cleanup_ctx.append(_sequencing)
        if settings.witnesses:
            app.cleanup_ctx.append(_witnessing)
    else:
        log.warning("no_log_key", hint="run `vanbang key log`; the issuance log waits for it")
    if keystore.personal_id_key() is None:
        log.warning(
            "no_personal_id_key",
            hint="run `vanbang key personal-id`; personal identification numbers and "
            "second-factor enrolments are refused",
        )
    else:
        app.on_startup.append(_seal_second_factors)
    setup_routes(app)
    return app


async def _seal_second_factors(app: web.Application) -> None:
    """Second-factor secrets enrolled before 0033_sealed_totp, sealed once the key is here
    (after the pools: on_startup runs after every cleanup context's start)."""
    seal = app[SIGNING].keystore.second_factor_seal()
    assert seal is not None
    await seal_clear_secrets(app[POOL], seal)


async def _pools(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    assert settings.database_url is not None
    app[POOL] = await create_pool(settings.database_url, size=settings.db_pool_size)
    if settings.database_read_url:
        app[READ_POOL] = await create_pool(settings.database_read_url, size=settings.db_pool_size)
    app[STANDING] = await StandingReader.open(settings.database_read_url or settings.database_url)
    yield
    await app[STANDING].close()
    if READ_POOL in app:
        await app[READ_POOL].close()
    await app[POOL].close()


async def _signing(app: web.Application) -> AsyncIterator[None]:
    executor = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="sign")
    settings = app[SETTINGS]
    app[SIGNING] = Signing(
        keystore_for(settings), executor, doc_signers=app[DOC_SIGNERS], tsa_url=settings.tsa_url
    )
    yield
    executor.shutdown(wait=True)


async def _sequencing(app: web.Application) -> AsyncIterator[None]:
    async with sequencer.running(app[POOL], app[LOG_SIGNER]):
        yield


async def _witnessing(app: web.Application) -> AsyncIterator[None]:
    """The log's new checkpoints sent to its witnesses (docs/audit.md, "Witnesses")."""
    from service.tlog import witnessing

    settings = app[SETTINGS]
    witnesses = [witnessing.Witness.configured(vkey, url) for vkey, url in settings.witnesses]
    async with witnessing.running(app[POOL], witnesses, settings.witness_timeout_seconds):
        yield


async def _close_doc_signers(app: web.Application) -> None:
    app[DOC_SIGNERS].close()


async def _counting(app: web.Application) -> AsyncIterator[None]:
    # Counts are writes: they go to the primary even when lookups read a replica.
    async with app[COUNTER].running(app[POOL]):
        yield


async def _pool_metrics(app: web.Application) -> AsyncIterator[None]:
    """The pool's connections in use, for /metrics, every few seconds (each process its own,
    summed when scraped)."""

    async def observe() -> None:
        PROCESSES.set(1)
        while True:
            observe_pool(app[POOL])
            await asyncio.sleep(POOL_METRICS_SECONDS)

    task = asyncio.create_task(observe())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _jobs(app: web.Application) -> AsyncIterator[None]:
    """Background jobs' worker inside this process (docs/jobs.md)."""
    from service import worker

    settings = app[SETTINGS]
    assert settings.database_url is not None
    runner = worker.Runner(
        app[POOL],
        app[SIGNING],
        settings.max_batch_rows,
        settings.public_url,
        app.get(LOG_SIGNER),
        qr_module_mm=settings.qr_module_mm,
        doc_signers=app[DOC_SIGNERS],
        tsa_url=settings.tsa_url,
    )
    async with worker.running(
        settings.database_url,
        runner,
        concurrency=settings.job_workers,
        heartbeat_seconds=settings.job_heartbeat_seconds,
        audit_hours=settings.log_audit_hours,
    ):
        yield
