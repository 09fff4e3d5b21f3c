"""Asking witnesses to cosign the log (c2sp.org/tlog-witness): each new checkpoint is sent to
every witness configured (VANBANG_WITNESSES) with the consistency proof from the size that
witness last cosigned, and the cosignature it answers with is checked and kept
(log_cosignatures). One process asks at a time (an advisory lock); a witness that is down or
slow is skipped after the timeout, asked again 30 seconds later or at the next checkpoint,
and never holds the log back. A witness that answers 409 names the size it cosigned last:
the request is sent again once from there."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
import asyncpg
import structlog
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from service.background import every
from service.db.queries import Q
from service.tlog import store
from service.tlog.store import StoredCheckpoint
from verifier import merkle
from verifier.cosignature import key_id, parse_witness_vkey, verify_cosignatures
from verifier.errors import NoteError
from verifier.note import DASH, parse_note

log = structlog.get_logger(__name__)
INTERVAL = 1.0
RETRY_SECONDS = 30.0
MAX_ANSWER = 64 * 1024


@dataclass(frozen=True)
class Witness:
    vkey: str
    name: str
    public: Ed25519PublicKey
    url: str  # the submission prefix

    @classmethod
    def configured(cls, vkey: str, url: str) -> Witness:
        name, public = parse_witness_vkey(vkey)
        return cls(vkey, name, public, url.rstrip("/"))


class _Refused(Exception):
    pass


class Witnessing:
    def __init__(
        self, pool: asyncpg.Pool[Any], witnesses: Sequence[Witness], timeout: float
    ) -> None:
        self.pool = pool
        self.witnesses = list(witnesses)
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._failed: dict[str, tuple[int, float]] = {}  # vkey -> (size tried, when)

    async def once(self, session: aiohttp.ClientSession) -> int:
        """Asks every witness that has not cosigned the latest checkpoint; the number of
        cosignatures kept (0 when another process is asking)."""
        async with self.pool.acquire() as conn:
            if not await conn.fetchval(Q.log_witnessing_lock):
                return 0
            try:
                latest = await store.latest_checkpoint(conn)
                if latest is None:
                    return 0
                cosigned = {
                    r["witness"]: r["size"] for r in await conn.fetch(Q.log_witnessed_sizes)
                }
                now = asyncio.get_running_loop().time()
                due = [
                    w
                    for w in self.witnesses
                    if cosigned.get(w.vkey, -1) < latest.size and self._due(w, latest.size, now)
                ]
                done = await asyncio.gather(
                    *(self._ask(session, w, latest, cosigned.get(w.vkey, 0)) for w in due)
                )
            finally:
                await conn.fetchval(Q.log_witnessing_unlock)
        return sum(done)

    def _due(self, witness: Witness, size: int, now: float) -> bool:
        failed = self._failed.get(witness.vkey)
        return failed is None or failed[0] != size or now - failed[1] >= RETRY_SECONDS

    async def _ask(
        self, session: aiohttp.ClientSession, witness: Witness, latest: StoredCheckpoint, old: int
    ) -> int:
        try:
            await self._submit(session, witness, latest, old)
        except Exception as exc:  # a witness's failure is never the log's
            self._failed[witness.vkey] = (latest.size, asyncio.get_running_loop().time())
            level = (
                log.warning
                if isinstance(exc, _Refused | aiohttp.ClientError | TimeoutError | OSError)
                else log.exception
            )
            level(
                "witness_not_cosigned",
                witness=witness.name,
                size=latest.size,
                error=str(exc) or type(exc).__name__,
            )
            return 0
        self._failed.pop(witness.vkey, None)
        return 1

    async def _submit(
        self, session: aiohttp.ClientSession, witness: Witness, latest: StoredCheckpoint, old: int
    ) -> None:
        for attempt in (1, 2):
            status, body = await self._post(session, witness, latest, old)
            if status == 200:
                await self._keep(witness, latest, body)
                log.info("witness_cosigned", witness=witness.name, size=latest.size)
                return
            if status == 409 and attempt == 1:
                theirs = body.strip()
                if not theirs.isdigit():
                    raise _Refused(f"409 without a size: {body[:100]!r}")
                if int(theirs) > latest.size:
                    # The witness cosigned a larger tree of this log than the log has: the
                    # log was rolled back or forked behind its keeper's back. Say it loudly.
                    log.error(
                        "witness_ahead_of_log", witness=witness.name, witness_size=int(theirs),
                        log_size=latest.size,
                    )  # fmt: skip
                    raise _Refused(
                        f"the witness cosigned {theirs} leaves, the log has {latest.size}"
                    )
                old = int(theirs)
                continue
            raise _Refused(f"{status}: {body[:300]}")

    async def _post(
        self, session: aiohttp.ClientSession, witness: Witness, latest: StoredCheckpoint, old: int
    ) -> tuple[int, str]:
        proof: list[bytes] = []
        if 0 < old < latest.size:
            async with self.pool.acquire() as conn:
                proof = await store.compute(conn, merkle.consistency(old, latest.size))
        lines = "".join(base64.b64encode(h).decode() + "\n" for h in proof)
        request = f"old {old}\n{lines}\n{latest.note}"
        async with session.post(
            f"{witness.url}/add-checkpoint", data=request.encode(), timeout=self.timeout,
            headers={"Content-Type": "text/plain; charset=utf-8"},
        ) as response:  # fmt: skip
            body = await response.content.read(MAX_ANSWER)
            return response.status, body.decode("utf-8", "replace")

    async def _keep(self, witness: Witness, latest: StoredCheckpoint, body: str) -> None:
        """The witness's cosignature line, checked against its key, kept."""
        try:
            found = verify_cosignatures(latest.note + body, [(witness.name, witness.public)])
            parsed = parse_note(latest.note + body)
        except NoteError as exc:
            raise _Refused(f"an answer that is not its cosignature: {exc}") from None
        if not found:
            raise _Refused("the answer holds no cosignature by the witness's key")
        wanted = key_id(witness.name, witness.public)
        sig = next(s for s in parsed.signatures if (s.name, s.key_id) == (witness.name, wanted))
        line = f"{DASH} {sig.name} {base64.b64encode(sig.key_id + sig.signature).decode()}"
        cosigned_at = datetime.fromtimestamp(found[0].timestamp, UTC)
        async with self.pool.acquire() as conn:
            await conn.execute(
                Q.log_insert_cosignature, latest.size, witness.vkey, line, cosigned_at
            )


def running(
    pool: asyncpg.Pool[Any], witnesses: Sequence[Witness], timeout: float
) -> AbstractAsyncContextManager[None]:
    """Asks the witnesses every second while the context is open."""

    @asynccontextmanager
    async def run() -> AsyncIterator[None]:
        witnessing = Witnessing(pool, witnesses, timeout)
        async with (
            aiohttp.ClientSession() as session,
            every(INTERVAL, lambda: witnessing.once(session), "log_witnessing_failed"),
        ):
            yield

    return run()
