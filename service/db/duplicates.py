"""The register's side of probable duplicates (service/domain/duplicates.py)."""

from __future__ import annotations

from collections.abc import Sequence

from service.db.pool import Connection
from service.db.queries import Q
from service.domain.duplicates import REGISTERED_MATCHES, Existing, person_key
from service.domain.graduates import GraduateIn
from service.domain.kinds import DiplomaKind


async def registered_people(
    conn: Connection, issuer_code: str, kind: DiplomaKind, graduates: Sequence[GraduateIn]
) -> list[Existing]:
    """The diplomas of the issuer and kind that the list's graduates probably already hold
    (at most REGISTERED_MATCHES each, the earliest), in one query for the whole list."""
    keys = [person_key(g) for g in graduates]
    rows = await conn.fetch(
        Q.probable_duplicates,
        issuer_code,
        kind.value,
        [name for name, _, _ in keys],
        [born for _, born, _ in keys],
        [place for _, _, place in keys],
        REGISTERED_MATCHES,
    )
    return [Existing(r["graduate"], r["id"], r["serial"], r["register_number"]) for r in rows]
