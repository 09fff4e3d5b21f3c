"""A diploma's history as staff read it: its state, the register appendix (corrections), the
revocation, the re-issue it came from or that replaced it, and the certified copies."""

from __future__ import annotations

import uuid
from typing import Any

import orjson

from service.db.queries import Q


def appendix_entry(row: Any) -> dict[str, Any]:
    """One line of the register appendix (phụ lục sổ gốc)."""
    return {
        "id": str(row["id"]),
        "version": row["version"],
        "decision_number": row["decision_number"],
        "decided_on": row["decided_on"].isoformat(),
        "signer": {"name": row["signer_name"], "title": row["signer_title"]},
        "ground": row["ground"],
        "reason": row["reason"],
        "changes": orjson.loads(row["changes"]),
        "recorded_at": row["recorded_at"].isoformat(),
    }


def _dates(row: Any, *names: str) -> dict[str, Any]:
    out = dict(row)
    for name in names:
        if out.get(name) is not None:
            out[name] = out[name].isoformat()
    return out


async def diploma_history(conn: Any, diploma_id: uuid.UUID) -> dict[str, Any]:
    corrections = [appendix_entry(r) for r in await conn.fetch(Q.diploma_corrections, diploma_id)]
    revocation = await conn.fetchrow(Q.revocation_of, diploma_id)
    replaced_by = replaces = None
    for r in await conn.fetch(Q.diploma_reissues, diploma_id):
        link = {
            "reissue_id": str(r["id"]),
            "reason": r["reason"],
            "changes": orjson.loads(r["changes"]),
            "recorded_at": r["recorded_at"].isoformat(),
        }
        if r["old_diploma_id"] == diploma_id:
            replaced_by = {"id": str(r["new_diploma_id"]), "serial": r["new_serial"], **link}
        else:
            replaces = {"id": str(r["old_diploma_id"]), "serial": r["old_serial"], **link}
    copies = [
        _dates(r, "issued_on", "recorded_at") | {"id": str(r["id"])}
        for r in await conn.fetch(Q.diploma_copies, diploma_id)
    ]
    if revocation is not None:
        state = "revoked"
    elif replaced_by is not None:
        state = "replaced"
    elif corrections:
        state = "corrected"
    else:
        state = "in_force"
    return {
        "state": state,
        "version": 1 + len(corrections),
        "corrections": corrections,
        "revocation": (
            None
            if revocation is None
            else _dates(revocation, "decided_on", "recorded_at") | {"id": str(revocation["id"])}
        ),
        "replaced_by": replaced_by,
        "replaces": replaces,
        "copies": copies,
    }
