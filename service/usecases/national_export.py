"""The national diploma database export (docs/national-export.md): a department's auditors and
admins send their issuers' entries and events upward, a page at a time in the issuance log's
order, from a cursor; each page is journalled (`export.national`)."""

from __future__ import annotations

import uuid
from typing import Any

import structlog

from service import texts
from service.db import audit as audit_db
from service.db import national_export as db
from service.db.pool import Connection, Pool
from service.domain.accounts import Principal
from service.domain.journal import Action
from service.domain.national_export import (
    MAPPING,
    MAX_LIMIT,
    SCAN,
    NationalExportPage,
    NationalMappingInfo,
    build_record,
    decode_cursor,
    encode_cursor,
)
from service.keystore import KeyStore
from service.problems import INVALID_PARAMETER, FieldError, Problem
from service.usecases import journal, personal_ids
from service.usecases.access import ensure_may_supervise, issuer_in_scope

log = structlog.get_logger(__name__)


async def personal_ids_for_export(
    conn: Connection, keystore: KeyStore, diploma_ids: list[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The holders' personal identification numbers (số định danh cá nhân) of these diplomas,
    opened, for the export's `so_dinh_danh_ca_nhan` (diplomas registered without one are
    absent: the field is null). The export has checked the scope and journals the page.
    Never log what this returns."""
    return await personal_ids.read_numbers(conn, keystore, diploma_ids)


def _bad(name: str, message: texts.Text) -> Problem:
    return Problem(INVALID_PARAMETER, errors=[FieldError((name,), "invalid", *message)])


async def _scope(
    conn: Connection, principal: Principal, issuer: str | None
) -> tuple[str | None, list[str] | None]:
    """The issuer whose subtree is exported and the codes of that subtree; (None, None) for
    an admin of every issuer who names none."""
    ensure_may_supervise(principal)
    if issuer is None and principal.everywhere:
        return None, None
    code = issuer if issuer is not None else principal.issuer_code
    assert code is not None
    root = (await issuer_in_scope(conn, principal, code)).code
    return root, await audit_db.subtree(conn, root)


async def page(
    pool: Pool[Any],
    principal: Principal,
    *,
    after: str | None,
    limit: int,
    issuer: str | None = None,
    keystore: KeyStore,
) -> NationalExportPage:
    """The export records after the cursor (from the log's start without one), at most
    `limit`, of the issuer's subtree (the principal's own scope without one)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise _bad("limit", texts.NUMBER_OUT_OF_RANGE.format(low=1, high=MAX_LIMIT))
    start = 0 if after is None else decode_cursor(after)
    if start is None:
        raise _bad("after", texts.BAD_CURSOR)
    async with pool.acquire() as conn:
        root, codes = await _scope(conn, principal, issuer)
        size = await db.log_size(conn)
        if start > size:  # a position this log never reached: not a cursor it gave
            raise _bad("after", texts.BAD_CURSOR)
        end = min(size, start + SCAN)
        leaves = await db.leaves(conn, start, end, MAPPING.exported_events, codes, limit)
        complete = [leaf for leaf in leaves if leaf.complete]
        ids = [uuid.UUID(str(leaf.diploma["id"])) for leaf in complete if leaf.diploma]
        personal = await personal_ids_for_export(conn, keystore, ids)
        records = [
            build_record(leaf, personal.get(uuid.UUID(str(leaf.diploma["id"]))))
            for leaf in complete
            if leaf.diploma
        ]
        # A full page ends at its last leaf; a short one read everything up to `end`.
        following = leaves[-1].index + 1 if len(leaves) == limit else end
        await journal.note(
            conn,
            principal,
            Action.EXPORT_NATIONAL,
            issuer_code=root,
            record_type="national_export",
            record_id=root,
            detail={
                "from": start,
                "to": following,
                "records": len(records),
                "mapping": MAPPING.version,
            },
        )
    unmatched = [leaf.index for leaf in leaves if not leaf.complete]
    if unmatched:
        log.warning("national_export_unmatched_leaves", leaves=unmatched[:20])
    return NationalExportPage(
        mapping=NationalMappingInfo(
            name=MAPPING.name, version=MAPPING.version, confirmed=MAPPING.confirmed
        ),
        scope=root,
        after=after,
        next=encode_cursor(following),
        more=following < size,
        log_size=size,
        records=records,
        unmatched=unmatched,
    )
