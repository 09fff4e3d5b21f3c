"""The results of `vanbang audit verify`, kept append-only (sql/queries/log_audit.sql)."""

from __future__ import annotations

from datetime import datetime

import orjson

from service.db.pool import Connection
from service.db.queries import Q
from service.domain.log_audit import STORED_PROBLEMS, AuditRun, How, LogProblem


async def record_run(
    conn: Connection,
    *,
    started_at: datetime,
    finished_at: datetime,
    tree_size: int,
    root: bytes | None,
    checkpoints: int,
    events: int,
    problems: list[LogProblem],
    how: How,
) -> None:
    kept = [p.stored() for p in problems[:STORED_PROBLEMS]]
    await conn.execute(
        Q.log_audit_insert,
        started_at,
        finished_at,
        tree_size,
        root,
        checkpoints,
        events,
        not problems,
        len(problems),
        orjson.dumps(kept).decode(),
        how,
    )


async def latest_runs(conn: Connection, count: int) -> list[AuditRun]:
    rows = await conn.fetch(Q.log_audit_latest, count)
    return [AuditRun.from_row(r, orjson.loads(r["problems"])) for r in rows]
