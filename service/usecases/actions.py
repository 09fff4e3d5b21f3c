"""The lifecycle actions on one diploma, and on an issuer's blanks, by name, for the console's
forms: each request parsed as its API parses it and run through the one write path (or as a
dry run, for the form's confirmation step)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Final

from pydantic import BaseModel

from service.db.pool import Pool
from service.domain.accounts import Principal
from service.domain.blanks import BlankDestructionIn, BlankReceiptIn, BlankSpoilIn
from service.domain.events import Event
from service.domain.graduates import validate
from service.domain.lifecycle import (
    CopyIn,
    ReissueIn,
    RevocationIn,
    parse_correction,
    parse_handover,
)
from service.signing import Signing
from service.usecases import (
    blanks,
    copies,
    corrections,
    handovers,
    reissues,
    revocations,
    writes,
)
from service.usecases.writes import Write

Act = Callable[[Write, Any, Any], Awaitable[Event]]  # (write, diploma id or issuer code, request)

_ACTIONS: Final[dict[str, tuple[Callable[[Any], BaseModel], Act]]] = {
    "handover": (parse_handover, handovers.hand_over),
    "correction": (parse_correction, corrections.correct),
    "revocation": (lambda data: validate(RevocationIn, data), revocations.revoke),
    "reissue": (lambda data: validate(ReissueIn, data), reissues.reissue),
    "copy": (lambda data: validate(CopyIn, data), copies.certify),
    "blanks_receive": (lambda data: validate(BlankReceiptIn, data), blanks.receive),
    "blanks_spoil": (lambda data: validate(BlankSpoilIn, data), blanks.spoil),
    "blanks_destroy": (lambda data: validate(BlankDestructionIn, data), blanks.destroy),
}


async def perform(
    pool: Pool[Any],
    principal: Principal,
    name: str,
    target: uuid.UUID | str,
    data: Any,
    *,
    signing: Signing,
    idempotency_key: str | None,
    dry_run: bool = False,
) -> writes.Written:
    """Runs the action `name` on its target (a diploma's id, or an issuer's code for its
    blanks) with the request `data` (the API's JSON); a dry run checks everything and keeps
    nothing."""
    parse, act = _ACTIONS[name]
    parsed = parse(data)
    return await writes.run(
        pool,
        principal,
        lambda w: act(w, target, parsed),
        signing=signing,
        idempotency_key=idempotency_key,
        request_hash=writes.fingerprint(f"console {name} {target}", parsed),
        dry_run=dry_run,
    )
