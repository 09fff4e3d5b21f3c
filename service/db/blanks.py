"""The blank-form rows registration and re-issue touch; the SQL is in sql/queries/blanks.sql."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from service.db.queries import Q
from service.db.register import Connection
from service.domain.lifecycle import split_serial
from service.problems import BLANK_UNAVAILABLE, FieldError, Problem

Loc = Callable[[int], tuple[str | int, ...]]


async def lock(conn: Connection, issuer_code: str, kind: str) -> None:
    await conn.execute(Q.lock_blanks, issuer_code, kind)


async def states(
    conn: Connection, issuer_code: str, kind: str, serials: Sequence[str]
) -> list[tuple[uuid.UUID | None, uuid.UUID | None, list[str]]]:
    """(receipt id, diploma id, events) of each serial, in order."""
    parts = [split_serial(s) for s in serials]
    rows = await conn.fetch(
        Q.blank_states,
        issuer_code,
        kind,
        list(serials),
        [p[0] if p else None for p in parts],
        [p[1] if p else None for p in parts],
        [p[2] if p else None for p in parts],
    )
    return [(r["receipt_id"], r["diploma_id"], list(r["events"])) for r in rows]


async def usable(
    conn: Connection, issuer_code: str, kind: str, serials: Sequence[str], loc: Loc
) -> list[uuid.UUID]:
    """The receipt of each serial's blank; raises naming every serial that is not a received,
    unused, unspoiled blank. The caller holds the blanks lock."""
    receipts: list[uuid.UUID] = []
    errors: list[FieldError] = []
    for index, (serial, (receipt, diploma, events)) in enumerate(
        zip(serials, await states(conn, issuer_code, kind, serials), strict=True)
    ):
        if receipt is None:
            errors.append(
                FieldError(
                    loc(index),
                    "blank_not_received",
                    f"Số hiệu {serial} không thuộc dải phôi đã nhận",
                    f"Serial {serial} is not in a received range of blank forms",
                )
            )
        elif diploma is not None:
            errors.append(
                FieldError(
                    loc(index),
                    "blank_used",
                    f"Phôi số hiệu {serial} đã được dùng",
                    f"The blank {serial} is already used",
                )
            )
        elif events:
            errors.append(
                FieldError(
                    loc(index),
                    f"blank_{events[0]}",
                    f"Phôi số hiệu {serial} đã bị ghi hỏng hoặc đã hủy",
                    f"The blank {serial} is recorded as {' and '.join(sorted(events))}",
                )
            )
        else:
            receipts.append(receipt)
    if errors:
        raise Problem(BLANK_UNAVAILABLE, errors=errors)
    return receipts


async def record_uses(
    conn: Connection,
    issuer_code: str,
    kind: str,
    serials: Sequence[str],
    receipts: Sequence[uuid.UUID],
    diplomas: Sequence[uuid.UUID],
) -> None:
    await conn.execute(
        Q.insert_blank_uses, issuer_code, kind, list(serials), list(receipts), list(diplomas)
    )
