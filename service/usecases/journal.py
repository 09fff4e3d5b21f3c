"""The staff journal (docs/accounts.md): every staff action is appended in the transaction
of what it records, with who (account and token), when, what, which record, the request id
and the client's network. The edges say where a request came from once, in `ORIGIN`; the CLI
leaves it empty."""

from __future__ import annotations

import contextvars
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import orjson

from service import texts
from service.db import journal as db
from service.db.pool import Connection, Pool
from service.domain.accounts import NIL, Account, Principal, may_read_journal
from service.domain.audit_views import JournalEntry, JournalPage
from service.domain.journal import Action, client_network
from service.problems import FORBIDDEN, VALIDATION_ERROR, FieldError, Problem
from service.ratelimit import Network, client_address
from service.usecases.access import check_read_scope

MAX_PAGE: Final = 1000


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a request came from: its id, and what tells the client's address (judged as the
    rate limits judge it, through trusted proxies, only when an entry is written)."""

    request_id: str | None = None
    remote: str | None = None
    forwarded_for: str | None = None
    proxies: tuple[Network, ...] = ()

    @property
    def address(self) -> str | None:
        if self.remote is None:
            return None
        return client_address(self.remote, self.forwarded_for, self.proxies)


# An Origin is frozen: the shared default cannot change (B039 fears a mutable default).
ORIGIN: Final = contextvars.ContextVar("journal_origin", default=Origin())  # noqa: B039


async def note(
    conn: Connection,
    principal: Principal | None,
    action: Action,
    *,
    issuer_code: str | None,
    record_type: str | None = None,
    record_id: object = None,
    detail: dict[str, Any] | None = None,
    account_id: uuid.UUID | None = None,
) -> None:
    """Appends one entry. `account_id` names the account when no principal acts yet (a failed
    sign-in)."""
    origin = ORIGIN.get()
    await db.append(
        conn,
        account_id=principal.account_id if principal else account_id,
        token_id=principal.token_id if principal else None,
        action=action.value,
        issuer_code=issuer_code,
        record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        request_id=origin.request_id,
        client=client_network(origin.address),
        detail=detail or {},
    )


async def note_account(
    conn: Connection,
    principal: Principal | None,
    action: Action,
    account: Account,
    *,
    detail: dict[str, Any] | None = None,
) -> None:
    """An entry about an account (a sign-in, a change to it), in its issuer's journal; with
    no principal (a failed sign-in) the entry is still the account's."""
    await note(
        conn,
        principal,
        action,
        issuer_code=account.issuer_code,
        record_type="account",
        record_id=account.id,
        detail=detail,
        account_id=account.id,
    )


async def read(
    pool: Pool[Any],
    principal: Principal,
    *,
    issuer: str | None,
    actor: str | None,
    action: str | None,
    after: datetime | None,
    cursor: str | None,
    limit: int,
) -> JournalPage:
    """The journal of the principal's subtree (auditors and admins), filtered, a page at a
    time; asking for an issuer outside it reads as not found, as everywhere. `actor` is an
    account's id or username."""
    if not may_read_journal(principal):
        raise Problem(FORBIDDEN, *texts.ROLE_MAY_NOT_READ_JOURNAL)
    position = _cursor(cursor)
    limit = max(1, min(limit, MAX_PAGE))
    async with pool.acquire() as conn:
        if issuer is not None:
            await check_read_scope(conn, principal, issuer)
        actor_id = None
        if actor is not None:
            try:
                actor_id = uuid.UUID(actor)
            except ValueError:
                actor_id = await db.account_id(conn, actor.strip().lower()) or NIL
        rows = await db.read(
            conn,
            within=principal.issuer_code,
            issuer=issuer,
            actor=actor_id,
            action=action,
            after=after,
            cursor=position,
            limit=limit,
        )
    entries = [
        JournalEntry(
            id=row["id"],
            at=row["at"],
            account_id=row["account_id"],
            username=row["username"],
            token_id=row["token_id"],
            action=row["action"],
            issuer=row["issuer_code"],
            record_type=row["record_type"],
            record_id=row["record_id"],
            request_id=row["request_id"],
            client=row["client"],
            detail=orjson.loads(row["detail"]),
        )
        for row in rows
    ]
    # Always a place to go on from, even at the end: what comes later comes after it.
    after_last = f"{rows[-1]['tx']}.{rows[-1]['id']}" if rows else f"{position[0]}.{position[1]}"
    return JournalPage(entries=entries, next=after_last)


_CURSOR: Final = re.compile(r"([0-9]{1,20})\.([0-9]{1,19})")


def _cursor(text: str | None) -> tuple[int, int]:
    """ "<transaction>.<id>" as a page's `next` gives it; none: from the start."""
    if not text:
        return (0, 0)
    found = _CURSOR.fullmatch(text)
    if found is None or int(found[1]) >= 1 << 64 or int(found[2]) >= 1 << 63:
        raise Problem(
            VALIDATION_ERROR,
            errors=[FieldError(("cursor",), "bad_cursor", *texts.BAD_CURSOR)],
        )
    return int(found[1]), int(found[2])
