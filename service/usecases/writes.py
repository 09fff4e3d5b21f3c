"""The one write path every change to the register takes, registration included:

1. one transaction: everything a write does commits together or not at all;
2. the Idempotency-Key claimed at its start, its answer stored at its end, and a retry
   answered with the first answer (a key reused for another request is refused);
3. who acts, recorded on every row it inserts (the account) and in the staff journal;
4. the acting issuer's active signing key, found once per write, and only for an issuer
   within the principal's scope;
5. each event signed as a statement, stored with it (service/domain/events.py) and
   journaled;
6. the answer, as a model, serialised once.

A use case is a function `(Write) -> Answer`; `run` gives it its Write.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import orjson
import structlog
from pydantic import BaseModel

from service import metrics, texts
from service.db import custody as custody_db
from service.db import idempotency
from service.db import journal as journal_db
from service.db import keys as keys_db
from service.db import lifecycle as lifecycle_db
from service.db.pool import Connection, Pool
from service.domain.accounts import Principal
from service.domain.events import Answer, Event
from service.domain.journal import EVENT_ACTIONS, Action
from service.domain.registration import StoredDiploma
from service.domain.standing import State, ensure_in_force
from service.keystore import IssuerKey
from service.problems import (
    FORBIDDEN,
    IDEMPOTENCY_KEY_REUSED,
    NO_SIGNING_KEY,
    REGISTER_TRANSFERRED,
    Problem,
)
from service.signing import Signing
from service.usecases import journal
from service.usecases.access import (
    check_write_scope,
    diploma_in_scope,
    ensure_may_write,
    within_hierarchy,
)
from verifier.cose import sign1
from verifier.events import EVENT_VERSION, encode_event
from verifier.token import record_digest

log = structlog.get_logger(__name__)

A = TypeVar("A", bound=Answer)


@dataclass(frozen=True)
class Written:
    """A write's answer, as sent and as stored for idempotent replay."""

    status: int
    body: bytes
    replayed: bool = False

    @functools.cached_property
    def answer(self) -> Any:
        """The body as JSON, parsed once (a decision's answer lists every diploma)."""
        return orjson.loads(self.body)


def fingerprint(what: str, request: BaseModel | None) -> bytes:
    """What an Idempotency-Key is bound to: the action (e.g. the method and path, or the
    issuer a decision is registered for) and its validated request."""
    body = b"" if request is None else request.model_dump_json().encode()
    return hashlib.sha256(what.encode() + b"\0" + body).digest()


def recorded_now() -> datetime:
    """Whole seconds: the signed time and the stored one are the same instant."""
    return datetime.now(UTC).replace(microsecond=0)


class Write:
    """What one write has at hand: its connection (in its transaction), who acts, when, and
    the issuers' signing keys."""

    def __init__(
        self, conn: Connection, principal: Principal, signing: Signing, *, dry_run: bool = False
    ) -> None:
        self.conn = conn
        self.principal = principal
        self.signing = signing
        self.dry_run = dry_run  # rolled back at the end: nothing is queued that would run
        self.recorded_at = recorded_now()
        self._keys: dict[str, IssuerKey] = {}
        self._holders: dict[str, str] = {}
        self.recorded: list[str] = []  # the types of the events recorded, counted at commit

    async def key(self, issuer_code: str) -> IssuerKey:
        """The active signing key of the body holding the issuer's register on this server:
        the issuer's own, or once its register passed to another body (docs/custody.md) its
        custodian's, for whose staff alone; the old body's staff are refused, naming the
        transfer."""
        key = self._keys.get(issuer_code)
        if key is not None:
            return key
        # Held until commit: a transfer of this register waits for this write, or this write
        # for it and then reads the new holder (a second transfer retires no key).
        await custody_db.share_register(self.conn, issuer_code)
        chain = await custody_db.chain(self.conn, issuer_code)
        signer = issuer_code
        if chain:
            last = chain[-1]
            signer = last["to_custodian"]
            ensure_may_write(self.principal)
            if not await within_hierarchy(self.conn, self.principal, signer):
                raise Problem(
                    FORBIDDEN,
                    *texts.CUSTODY_ACT_REFUSED.format(
                        issuer=issuer_code,
                        custodian=signer,
                        date=last["effective_on"],
                        legal_basis=last["legal_basis"],
                    ),
                )
        await check_write_scope(self.conn, self.principal, signer)
        kid = await keys_db.active_kid(self.conn, signer)
        key = None if kid is None else self.signing.keystore.issuer_key(kid)
        if key is None:
            if kid is not None:
                log.error("signing_key_file_missing", issuer=signer, kid=kid.hex())
            raise Problem(NO_SIGNING_KEY, *texts.NO_ACTIVE_KEY.format(issuer=signer))
        self._keys[issuer_code] = key
        self._holders[issuer_code] = signer
        return key

    async def holder(self, issuer_code: str) -> str:
        """The body holding the issuer's register, whose key `key` answers: the issuer, or
        its custodian once the register passed to another body."""
        await self.key(issuer_code)
        return self._holders[issuer_code]

    async def issuing_key(self, issuer_code: str) -> IssuerKey:
        """The issuer's key to register new diplomas with: refused once its register passed
        to another body, which records what happens to the diplomas but issues none in the
        old body's name."""
        # Even with the key at hand: a register passed on takes no new diplomas.
        await custody_db.share_register(self.conn, issuer_code)
        chain = await custody_db.chain(self.conn, issuer_code)
        if chain:
            last = chain[-1]
            raise Problem(
                REGISTER_TRANSFERRED,
                *texts.CUSTODY_NO_REGISTRATION.format(
                    issuer=issuer_code,
                    custodian=last["to_custodian"],
                    date=last["effective_on"],
                    legal_basis=last["legal_basis"],
                ),
            )
        return await self.key(issuer_code)

    async def record(self, event: Event) -> Any:
        """Signs the event's statement with its issuer's key and stores it; answers what the
        first of its queries returns (None when it inserted nothing)."""
        key = await self.key(event.signing_body)
        if event.kid != key.kid:  # the row would name another key than the one that signs
            raise RuntimeError(f"{event.TYPE} names key {event.kid.hex()}, not {key.kid.hex()}")
        payload = encode_event({"v": EVENT_VERSION, **event.signed_fields()})
        statement = sign1(payload, key.private_key, key.kid)
        stored = await lifecycle_db.store(self.conn, event.rows(statement))
        self.recorded.append(event.TYPE)
        journaled = event.journaled()
        await self.journal(
            EVENT_ACTIONS[event.TYPE],
            issuer_code=event.issuer,
            record_type=journaled.record_type,
            record_id=journaled.record_id,
            detail=journaled.detail,
        )
        return stored

    async def journal(
        self,
        action: Action,
        *,
        issuer_code: str | None,
        record_type: str | None = None,
        record_id: object = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Appends the staff journal's entry for what this write did, in its transaction."""
        await journal.note(
            self.conn,
            self.principal,
            action,
            issuer_code=issuer_code,
            record_type=record_type,
            record_id=record_id,
            detail=detail,
        )

    async def locked_diploma(self, diploma_id: uuid.UUID) -> DiplomaState:
        """The diploma within the principal's scope (else not found), locked until the
        transaction ends, with where its life stands."""
        row = await diploma_in_scope(self.conn, self.principal, diploma_id)
        state = await lifecycle_db.lock_and_read_state(self.conn, diploma_id)
        current = {name: getattr(row, name) for name in CIVIL_STATUS_COLUMNS}
        if state.current is not None:
            current.update(state.current)
            current["date_of_birth"] = date.fromisoformat(current["date_of_birth"])
        return DiplomaState(
            row=row,
            revoked_decision=state.revoked_decision,
            replaced_by=state.replaced_by,
            version=state.version or 1,
            current=current,
            record_signed=state.record_signed or row.signed,
        )


CIVIL_STATUS_COLUMNS = (
    "holder_name",
    "date_of_birth",
    "place_of_birth",
    "gender",
    "ethnicity",
    "nationality",
)


@dataclass(frozen=True)
class DiplomaState:
    """A diploma's register row and where its life stands, read under the diploma's lock."""

    row: StoredDiploma
    revoked_decision: str | None
    replaced_by: uuid.UUID | None
    version: int  # 1: as registered; 2, 3, ...: after each correction
    current: dict[str, Any]  # the civil-status columns as they stand now
    record_signed: bytes  # the current version of the signed record

    @property
    def issuer_code(self) -> str:
        return self.row.issuer_code

    @property
    def digest(self) -> bytes:
        """The digest of the registered record: statements name the diploma by it."""
        return record_digest(self.row.signed)

    def ensure_in_force(self) -> State:
        return ensure_in_force(
            revoked_decision=self.revoked_decision,
            replaced_by=self.replaced_by,
            corrected=self.version > 1,
        )


class _RolledBack(Exception):  # not an error: how a dry run ends
    """Ends a dry run's transaction with its answer, undoing everything it did."""

    def __init__(self, body: bytes) -> None:
        super().__init__("dry run")
        self.body = body


async def run(
    pool: Pool[Any],
    principal: Principal,
    action: Callable[[Write], Awaitable[A]],
    *,
    signing: Signing,
    idempotency_key: str | None,
    request_hash: bytes,
    dry_run: bool = False,
) -> Written:
    """Runs `action` in one transaction; see the module's docstring. A dry run does all of
    it, every check and every row, then rolls the transaction back and answers 200 with what
    would have been written: nothing stays (no register number, no journal entry, no
    Idempotency-Key)."""
    ensure_may_write(principal)
    if dry_run:
        try:
            async with pool.acquire() as conn, conn.transaction():
                if principal.account_id is not None:
                    await journal_db.act_as(conn, principal.account_id)
                answer = await action(Write(conn, principal, signing, dry_run=True))
                raise _RolledBack(answer.to_json())
        except _RolledBack as done:
            return Written(200, done.body)
    owner = principal.owner
    async with pool.acquire() as conn, conn.transaction():
        if principal.account_id is not None:  # every row inserted records who (0008_accounts)
            await journal_db.act_as(conn, principal.account_id)
        claimed = idempotency_key is None or await idempotency.claim(
            conn, owner, idempotency_key, request_hash
        )
        if not claimed:
            assert idempotency_key is not None
            stored = await idempotency.stored_answer(conn, owner, idempotency_key)
            if stored.request_hash != request_hash:
                raise Problem(IDEMPOTENCY_KEY_REUSED)
            return Written(stored.status, stored.body, replayed=True)
        write = Write(conn, principal, signing)
        answer = await action(write)
        body = answer.to_json()
        if idempotency_key is not None:
            await idempotency.complete(conn, owner, idempotency_key, 201, body)
    for event_type in write.recorded:  # committed
        metrics.EVENTS_RECORDED.labels(event_type).inc()
    return Written(201, body)
