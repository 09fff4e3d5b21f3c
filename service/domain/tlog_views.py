"""What the issuance log answers: its leaves, the proofs that a leaf is in a tree and that a
tree extends an older one, and the bundle a holder archives. Hashes, leaves and records are
base64, as C2SP tlog tooling writes them; /openapi.json takes its schemas from these models."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from service.domain.events import Answer, Base64, IsoDateTime
from service.domain.standing import Columns


class LogEvent(BaseModel):
    """One leaf's columns: an event of an issuer, with the hash of its signed record."""

    model_config = ConfigDict(frozen=True)

    index: int
    type: str  # issue, revocation, correction, reissue, copy, blanks_...
    issuer: str
    diploma_id: uuid.UUID | None  # None for events of blank forms
    record_hash: Base64
    time: IsoDateTime

    @classmethod
    def from_row(cls, row: Columns) -> LogEvent:
        """From a log_leaves row (idx, event_type, issuer_code, diploma_id, ...)."""
        return LogEvent(**_event_columns(row))


def _event_columns(row: Columns) -> dict[str, Any]:
    return {
        "index": row["idx"],
        "type": row["event_type"],
        "issuer": row["issuer_code"],
        "diploma_id": row["diploma_id"],
        "record_hash": bytes(row["record_hash"]),
        "time": row["event_time"],
    }


class LogLeaf(LogEvent):
    data: Base64  # the leaf's CBOR, whose hash the tree holds

    @classmethod
    def from_row(cls, row: Columns) -> LogLeaf:
        return LogLeaf(**_event_columns(row), data=bytes(row["data"]))


class Leaves(Answer):
    """Leaves from a start index, within the latest checkpoint's tree."""

    tree_size: int
    leaves: list[LogLeaf]


class InclusionProof(Answer):
    """RFC 9162 §2.1.3: the hashes from the leaf up to the root of the tree of `tree_size`."""

    index: int
    tree_size: int
    leaf_hash: Base64
    leaf_data: Base64
    root_hash: Base64
    proof: list[Base64]


class ConsistencyProof(Answer):
    """RFC 9162 §2.1.4: that the tree of `to` leaves extends the tree of `from` leaves."""

    model_config = ConfigDict(serialize_by_alias=True)

    from_: int = Field(serialization_alias="from")
    to: int
    proof: list[Base64]


class BundleLeaf(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int
    data: Base64


class BundleProof(BaseModel):
    model_config = ConfigDict(frozen=True)

    tree_size: int
    proof: list[Base64]


class Bundle(Answer):
    """A diploma's record, its issue leaf, that leaf's inclusion proof and the signed
    checkpoint the proof leads to: what shows, offline and for good, that it was published."""

    record: Base64  # the signed record (COSE_Sign1)
    leaf: BundleLeaf
    inclusion_proof: BundleProof
    checkpoint: str  # the C2SP signed note, as /log/checkpoint serves it
