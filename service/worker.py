"""Background jobs' workers (docs/jobs.md): procrastinate (PostgreSQL-based, the queue in
its own tables) runs our tasks, inside each `vanbang serve` process (VANBANG_JOB_WORKERS at
once) or apart as `vanbang worker`. The workers also recheck the issuance log on a schedule
(VANBANG_LOG_AUDIT_HOURS): procrastinate's periodic tasks, deferred once per scheduled time
however many workers run (a unique row per time in its own tables).

What survives a restart: a queued job waits in the database for any worker. A job running
when its process died (killed, the machine restarted) is left 'doing' by a worker that no
longer beats; every worker looks, each heartbeat, for jobs of workers silent three
heartbeats long, and puts them back in the queue. A task is written to be run again: each
step it takes is idempotent (staging.register_in_parts)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import procrastinate
import psycopg
import structlog
from procrastinate.exceptions import ConnectorException

from service.background import every
from service.db.pool import Pool
from service.docsign.registry import DocSigners
from service.domain.jobs import QUEUE, TASKS
from service.signing import Signing
from service.tlog.sequencer import LogSigner
from service.usecases import digital, issuance_log, jobs, staging

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Runner:
    """What tasks have at hand, given to them through procrastinate's job context."""

    pool: Pool[Any]
    signing: Signing
    part_rows: int  # VANBANG_MAX_BATCH_ROWS: the most graduates one part registers
    public_url: str  # what a printed QR code's URL starts with
    log_signer: LogSigner | None = None  # the issuance log's, to recheck it (None: no key)
    qr_module_mm: float = 0.40  # VANBANG_QR_MODULE_MM: a printed QR code's module
    doc_signers: DocSigners | None = None  # the issuers' organisation certificates
    tsa_url: str | None = None  # VANBANG_TSA_URL: timestamps on digital diplomas


# The queue's jobs this process is running: never put back by its own look-out, however late
# its heartbeat (a starved event loop beats late; the job is alive, here).
_RUNNING: set[int] = set()


async def _register_list(context: procrastinate.JobContext, job_id: str) -> None:
    runner: Runner = context.additional_context["runner"]
    queue_id = context.job.id
    if queue_id is not None:
        _RUNNING.add(queue_id)
    try:
        await staging.register_in_parts(
            runner.pool, uuid.UUID(job_id), signing=runner.signing, part_rows=runner.part_rows
        )
    finally:
        _RUNNING.discard(queue_id or -1)


async def _print_decision(context: procrastinate.JobContext, job_id: str) -> None:
    runner: Runner = context.additional_context["runner"]
    queue_id = context.job.id
    if queue_id is not None:
        _RUNNING.add(queue_id)
    try:
        await jobs.run_print(
            runner.pool,
            uuid.UUID(job_id),
            keystore=runner.signing.keystore,
            public_url=runner.public_url,
            executor=runner.signing.executor,
            module_mm=runner.qr_module_mm,
        )
    finally:
        _RUNNING.discard(queue_id or -1)


async def _digital_diplomas(context: procrastinate.JobContext, job_id: str) -> None:
    runner: Runner = context.additional_context["runner"]
    queue_id = context.job.id
    if queue_id is not None:
        _RUNNING.add(queue_id)
    try:
        await digital.run(
            runner.pool,
            uuid.UUID(job_id),
            keystore=runner.signing.keystore,
            signers=runner.doc_signers,
            public_url=runner.public_url,
            module_mm=runner.qr_module_mm,
            tsa_url=runner.tsa_url,
            executor=runner.signing.executor,
        )
    finally:
        _RUNNING.discard(queue_id or -1)


async def audit_log(context: procrastinate.JobContext, timestamp: int) -> None:
    """The scheduled `vanbang audit verify` (`timestamp`: the time it was due), its result
    kept for the issuance log page. Its CPU work runs in threads (service/tlog/recompute.py),
    so that a server process running it goes on serving."""
    runner: Runner = context.additional_context["runner"]
    if runner.log_signer is None:
        log.warning("log_audit_skipped", reason="no log key")
        return
    queue_id = context.job.id
    if queue_id is not None:
        _RUNNING.add(queue_id)
    try:
        report = await issuance_log.audit(runner.pool, runner.log_signer, "scheduled")
    finally:
        _RUNNING.discard(queue_id or -1)
    if report.ok:
        log.info("log_audit_passed", leaves=report.leaves, due=timestamp)
    else:
        log.error("log_audit_failed", leaves=report.leaves, problems=report.problems[:20])


# The first run of the day, 03:00 in Vietnam (UTC+7), when the offices are closed.
_AUDIT_FIRST_HOUR_UTC = 20


def audit_cron(hours: int) -> str:
    """The cron line (UTC) of a run every `hours` hours from 03:00 Vietnam time."""
    runs = sorted({(_AUDIT_FIRST_HOUR_UTC + k * hours) % 24 for k in range(24 // hours)})
    return f"0 {','.join(str(h) for h in runs)} * * *"


def make_app(database_url: str, *, audit_hours: int = 0) -> procrastinate.App:
    """The queue and its tasks; with `audit_hours`, the log's scheduled recheck too."""
    connector = procrastinate.PsycopgConnector(conninfo=database_url, min_size=1, max_size=4)
    app = procrastinate.App(connector=connector)
    app.task(name=TASKS["register_list"], queue=QUEUE, pass_context=True)(_register_list)
    app.task(name=TASKS["print_decision"], queue=QUEUE, pass_context=True)(_print_decision)
    app.task(name=TASKS["digital_diplomas"], queue=QUEUE, pass_context=True)(_digital_diplomas)
    audit = app.task(
        name=TASKS["audit_log"],
        queue=QUEUE,
        pass_context=True,
        lock="log_audit",  # one at a time
        queueing_lock="log_audit",  # and never two waiting: a slow one is not piled upon
    )(audit_log)
    if audit_hours:
        app.periodic(cron=audit_cron(audit_hours), periodic_id="log_audit")(audit)
    return app


async def _requeue_stalled(app: procrastinate.App, silent_seconds: float) -> None:
    """Puts back in the queue the jobs of workers that stopped beating (killed mid-job)."""
    try:
        stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=silent_seconds)
    except (ConnectorException, psycopg.Error, OSError):  # the database away: try next turn
        log.exception("job_requeue_failed")
        return
    for job in stalled:
        if job.id in _RUNNING:
            continue
        try:
            await app.job_manager.retry_job(job)
        except (ConnectorException, psycopg.Error):  # another worker put it back first
            continue
        log.warning("job_requeued", queue_job_id=job.id, task=job.task_name)


@contextlib.asynccontextmanager
async def running(
    database_url: str,
    runner: Runner,
    *,
    concurrency: int,
    heartbeat_seconds: float,
    install_signal_handlers: bool = False,
    wait: bool = True,
    audit_hours: int = 0,
) -> AsyncIterator[asyncio.Task[None]]:
    """Runs a worker (and the look-out for stalled jobs) while the context is open; yields
    the worker's task, which ends on its own only when `wait` is false and the queue is
    empty, or when a signal stops it. With `audit_hours`, it defers the log's recheck on
    schedule."""
    app = make_app(database_url, audit_hours=audit_hours)
    silent = 3 * heartbeat_seconds
    async with app.open_async():
        await _requeue_stalled(app, silent)
        worker = asyncio.create_task(
            app.run_worker_async(
                queues=[QUEUE],
                concurrency=concurrency,
                wait=wait,
                install_signal_handlers=install_signal_handlers,
                additional_context={"runner": runner},
                update_heartbeat_interval=heartbeat_seconds,
                stalled_worker_timeout=silent,
                # Short: a job deferred by another process is also announced by NOTIFY.
                fetch_job_polling_interval=min(5.0, heartbeat_seconds),
            ),
            name="vanbang-jobs",
        )
        try:
            async with every(
                heartbeat_seconds, lambda: _requeue_stalled(app, silent), "job_requeue_failed"
            ):
                yield worker
        finally:
            if not worker.done():
                worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
