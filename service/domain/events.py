"""The lifecycle events the register records, each one model that yields all three of its
forms, so that no value is written out twice:

- `statement()`: the fields of the signed statement (verifier/events.py fixes them per type);
- `rows(kid, statement)`: the named queries and their arguments that store it;
- its JSON (`model_dump(mode="json")`): the API's answer, whose schema /openapi.json gives.

Fields marked `exclude` are stored or signed but never answered (the record digest, an
identity document's number).
"""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, NamedTuple

import orjson
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from verifier.token import record_digest

# As the answers have always written them: ISO 8601 with the offset, bytes as hex or base64;
# /openapi.json says so of each.
IsoDateTime = Annotated[
    datetime,
    PlainSerializer(lambda v: v.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]
Hex = Annotated[
    bytes,
    PlainSerializer(lambda v: v.hex(), return_type=str),
    WithJsonSchema({"type": "string", "pattern": "^([0-9a-f]{2})*$"}, mode="serialization"),
]
Base64 = Annotated[
    bytes,
    PlainSerializer(lambda v: base64.b64encode(v).decode(), return_type=str),
    WithJsonSchema(
        {"type": "string", "contentEncoding": "base64", "pattern": "^[A-Za-z0-9+/]*={0,2}$"},
        mode="serialization",
    ),
]

Rows = list[tuple[str, tuple[Any, ...]]]


def to_jsonb(value: Any) -> str:
    """A jsonb parameter (orjson writes dates as YYYY-MM-DD)."""
    return orjson.dumps(value).decode()


class Answer(BaseModel):
    """An answer of the API: immutable, and serialised only through its model."""

    model_config = ConfigDict(frozen=True)

    def to_json(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json"))


class Journaled(NamedTuple):
    record_type: str
    record_id: str | None
    detail: dict[str, Any]


class Event(Answer):
    """A signed lifecycle event of one issuer."""

    TYPE: ClassVar[str]

    issuer: str
    recorded_at: IsoDateTime
    kid: bytes = Field(exclude=True)  # the key that signs it; set by the write path

    @property
    def signing_body(self) -> str:
        """Whose register's key signs it: the issuer's (its custodian's once the register
        passed to another body: the write path resolves that); a transfer of custody names
        the receiving custodian."""
        return self.issuer

    def statement(self) -> dict[str, Any]:
        raise NotImplementedError

    def rows(self, statement: bytes) -> Rows:
        raise NotImplementedError

    def journaled(self) -> Journaled:
        """What the staff journal says of this event: the record it concerns, and details."""
        diploma_id = getattr(self, "diploma_id", None)
        event_id = getattr(self, "id", None)
        if diploma_id is not None:
            return Journaled("diploma", str(diploma_id), {"event_id": str(event_id)})
        return Journaled(self.TYPE, None if event_id is None else str(event_id), {})

    def signed_fields(self) -> dict[str, Any]:
        """The statement with its type, issuer and time, as the verifier expects it."""
        return {
            "type": self.TYPE,
            "issuer": self.issuer,
            **self.statement(),
            "issued_at": int(self.recorded_at.timestamp()),
        }


class Signer(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    title: str


class FieldChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    old: Any
    new: Any


class Revocation(Event):
    """Art. 25: a decision revoking or cancelling a diploma."""

    TYPE: ClassVar[str] = "revocation"

    id: uuid.UUID
    diploma_id: uuid.UUID
    serial: str
    record_digest: bytes = Field(exclude=True)
    decision_number: str
    decided_on: date
    authority: str
    ground: str
    reason: str
    kid: Hex

    def statement(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "record_digest": self.record_digest,
            "decision_number": self.decision_number,
            "decided_on": self.decided_on.isoformat(),
            "authority": self.authority,
            "ground": self.ground,
            "reason": self.reason,
        }

    def rows(self, statement: bytes) -> Rows:
        return [
            (
                "insert_revocation",
                (
                    self.id,
                    self.diploma_id,
                    self.issuer,
                    self.decision_number,
                    self.decided_on,
                    self.authority,
                    self.ground,
                    self.reason,
                    self.kid,
                    statement,
                    self.recorded_at,
                ),
            )
        ]


class Correction(Event):
    """Art. 21-24: a decision putting civil-status fields right; the register gains version
    `version` of the signed record."""

    TYPE: ClassVar[str] = "correction"

    id: uuid.UUID
    diploma_id: uuid.UUID
    serial: str
    version: int
    record_digest: bytes = Field(exclude=True)
    decision_number: str
    decided_on: date
    signer: Signer
    ground: str
    reason: str
    changes: dict[str, FieldChange]
    current: dict[str, Any] = Field(exclude=True)  # the civil status after the correction
    recorded_at: IsoDateTime
    kid: Hex
    record: Base64  # the new version, for anyone holding the trust list to verify offline

    def statement(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "record_digest": self.record_digest,
            "decision_number": self.decision_number,
            "decided_on": self.decided_on.isoformat(),
            "ground": self.ground,
            "changed": sorted(self.changes),
            "version": self.version,
            "new_record_digest": record_digest(self.record),
        }

    def rows(self, statement: bytes) -> Rows:
        changes = {k: v.model_dump() for k, v in self.changes.items()}
        return [
            (
                "insert_correction",
                (
                    self.id,
                    self.diploma_id,
                    self.version,
                    self.issuer,
                    self.decision_number,
                    self.decided_on,
                    self.signer.name,
                    self.signer.title,
                    self.ground,
                    self.reason,
                    to_jsonb(changes),
                    to_jsonb(self.current),
                    self.kid,
                    self.record,
                    statement,
                    self.recorded_at,
                ),
            )
        ]


class SignatureOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    kid: Hex
    cose_sign1: Base64  # the exact signed bytes of the record


class DiplomaRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    serial: str


class ReissuedDiploma(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    serial: str
    register_number: str
    full_name: str
    issued_on: date
    signature: SignatureOut


class Reissue(Event):
    """Art. 18: the diploma issued again on a new blank, for the issuer's own error."""

    TYPE: ClassVar[str] = "reissue"

    id: uuid.UUID
    replaced: DiplomaRef
    record_digest: bytes = Field(exclude=True)  # of the replaced diploma's record
    diploma: ReissuedDiploma
    reason: str
    changes: dict[str, FieldChange]
    recorded_at: IsoDateTime

    def journaled(self) -> Journaled:
        return Journaled(
            "diploma",
            str(self.replaced.id),
            {"event_id": str(self.id), "new_diploma_id": str(self.diploma.id)},
        )

    def statement(self) -> dict[str, Any]:
        return {
            "serial": self.replaced.serial,
            "record_digest": self.record_digest,
            "new_serial": self.diploma.serial,
            "new_record_digest": record_digest(self.diploma.signature.cose_sign1),
            "changed": sorted(self.changes),
        }

    def rows(self, statement: bytes) -> Rows:
        changes = {k: v.model_dump() for k, v in self.changes.items()}
        return [
            (
                "insert_reissue",
                (
                    self.id,
                    self.replaced.id,
                    self.diploma.id,
                    self.issuer,
                    self.reason,
                    to_jsonb(changes),
                    self.kid,
                    statement,
                    self.recorded_at,
                ),
            )
        ]


class CertifiedCopy(Event):
    """Art. 27-32: an entry in the issuer's copy register (sổ cấp bản sao)."""

    TYPE: ClassVar[str] = "copy"

    id: uuid.UUID
    diploma_id: uuid.UUID
    serial: str = Field(exclude=True)
    record_digest: bytes = Field(exclude=True)
    number: str
    year: int
    seq: int
    requester_name: str
    relation: str
    id_document_type: str
    id_document_number: str = Field(exclude=True)  # kept in the register, never answered
    copies: int
    issued_on: date
    version: int
    content: dict[str, Any]  # the register's content as it stands, as printed on the copy
    signer: Signer
    signer_on_behalf_of: str | None = None
    form: str = "paper"  # or "extract": the electronic extract, a signed PDF
    recorded_at: IsoDateTime

    def statement(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "record_digest": self.record_digest,
            "number": self.number,
            "copies": self.copies,
            "relation": self.relation,
            "issued_on": self.issued_on.isoformat(),
        }

    def rows(self, statement: bytes) -> Rows:
        return [
            (
                "insert_copy",
                (
                    self.id,
                    self.diploma_id,
                    self.issuer,
                    self.year,
                    self.seq,
                    self.number,
                    self.requester_name,
                    self.relation,
                    self.id_document_type,
                    self.id_document_number,
                    self.copies,
                    self.issued_on,
                    self.kid,
                    statement,
                    self.recorded_at,
                    self.form,
                    self.version,
                    to_jsonb(self.content),
                    self.signer.name,
                    self.signer.title,
                    self.signer_on_behalf_of,
                ),
            )
        ]


class Handover(Event):
    """Art. 13: the diploma handed over (bàn giao) to its holder or their representative, the
    register's recipient and date received."""

    TYPE: ClassVar[str] = "handover"

    id: uuid.UUID
    diploma_id: uuid.UUID
    serial: str
    record_digest: bytes = Field(exclude=True)
    recipient_name: str
    relation: str
    id_document_type: str | None
    id_document_number: str | None = Field(exclude=True)  # kept in the register, never answered
    authorisation: str | None
    handed_over_on: date
    handed_over_by: str
    note: str | None
    recorded_at: IsoDateTime

    def statement(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "record_digest": self.record_digest,
            "recipient_name": self.recipient_name,
            "relation": self.relation,
            "handed_over_on": self.handed_over_on.isoformat(),
            "handed_over_by": self.handed_over_by,
        }

    def rows(self, statement: bytes) -> Rows:
        return [
            (
                "insert_handover",
                (
                    self.id,
                    self.diploma_id,
                    self.issuer,
                    self.recipient_name,
                    self.relation,
                    self.id_document_type,
                    self.id_document_number,
                    self.authorisation,
                    self.handed_over_on,
                    self.handed_over_by,
                    self.note,
                    self.kid,
                    statement,
                    self.recorded_at,
                ),
            )
        ]


class BlanksReceived(Event):
    """Art. 9-11: a range of blank forms received."""

    TYPE: ClassVar[str] = "blanks_received"

    id: uuid.UUID
    kind: str
    first_serial: str
    last_serial: str
    prefix: str = Field(exclude=True)
    digits: int = Field(exclude=True)
    first: int = Field(exclude=True)
    last: int = Field(exclude=True)
    count: int
    received_on: date
    reference: str
    recorded_at: IsoDateTime

    def journaled(self) -> Journaled:
        return Journaled(
            self.TYPE,
            str(self.id),
            {
                "kind": self.kind,
                "first_serial": self.first_serial,
                "last_serial": self.last_serial,
                "count": self.count,
            },
        )

    def statement(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "first_serial": self.first_serial,
            "last_serial": self.last_serial,
            "count": self.count,
            "received_on": self.received_on.isoformat(),
            "reference": self.reference,
        }

    def rows(self, statement: bytes) -> Rows:
        return [
            (
                "insert_receipt",
                (
                    self.id,
                    self.issuer,
                    self.kind,
                    self.prefix,
                    self.digits,
                    self.first,
                    self.last,
                    self.received_on,
                    self.reference,
                    self.kid,
                    statement,
                    self.recorded_at,
                ),
            )
        ]


def _blank_events(
    event: Event,
    *,
    kind: str,
    name: str,
    serials: list[str],
    occurred_on: date,
    reason: str,
    was_used: list[bool],
    was_spoiled: list[bool],
    destruction_id: uuid.UUID | None,
    reissue_id: uuid.UUID | None,
    statement: bytes,
) -> tuple[str, tuple[Any, ...]]:
    """One blank_events row per serial, all under the event's one signed statement."""
    return (
        "insert_blank_events",
        (
            event.issuer,
            kind,
            name,
            occurred_on,
            reason,
            destruction_id,
            reissue_id,
            event.kid,
            statement,
            event.recorded_at,
            [uuid.uuid4() for _ in serials],
            serials,
            was_used,
            was_spoiled,
        ),
    )


class BlanksSpoiled(Event):
    """Blanks recorded as spoiled (hỏng): misprinted or damaged, or carrying a diploma that
    was re-issued (`reissue_id`)."""

    TYPE: ClassVar[str] = "blanks_spoiled"

    kind: str
    serials: list[str]
    occurred_on: date
    reason: str
    recorded_at: IsoDateTime
    was_used: list[bool] = Field(exclude=True)
    reissue_id: uuid.UUID | None = Field(default=None, exclude=True)

    def journaled(self) -> Journaled:
        return Journaled(self.TYPE, None, {"kind": self.kind, "count": len(self.serials)})

    def statement(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "serials": self.serials,
            "occurred_on": self.occurred_on.isoformat(),
            "reason": self.reason,
        }

    def rows(self, statement: bytes) -> Rows:
        return [
            _blank_events(
                self,
                kind=self.kind,
                name="spoiled",
                serials=self.serials,
                occurred_on=self.occurred_on,
                reason=self.reason,
                was_used=self.was_used,
                was_spoiled=[False] * len(self.serials),
                destruction_id=None,
                reissue_id=self.reissue_id,
                statement=statement,
            )
        ]


class BlanksDestroyed(Event):
    """Destruction minutes (biên bản hủy phôi) for spoiled or unused blanks."""

    TYPE: ClassVar[str] = "blanks_destroyed"

    id: uuid.UUID
    kind: str
    serials: list[str]
    minutes_number: str
    council: list[str]
    reason: str
    method: str
    destroyed_on: date
    recorded_at: IsoDateTime
    was_used: list[bool] = Field(exclude=True)
    was_spoiled: list[bool] = Field(exclude=True)

    def journaled(self) -> Journaled:
        return Journaled(
            self.TYPE,
            str(self.id),
            {"kind": self.kind, "count": len(self.serials), "minutes_number": self.minutes_number},
        )

    def statement(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "serials": self.serials,
            "minutes_number": self.minutes_number,
            "council": self.council,
            "method": self.method,
            "destroyed_on": self.destroyed_on.isoformat(),
            "reason": self.reason,
        }

    def rows(self, statement: bytes) -> Rows:
        return [
            (
                "insert_destruction",
                (
                    self.id,
                    self.issuer,
                    self.kind,
                    self.minutes_number,
                    self.council,
                    self.reason,
                    self.method,
                    self.destroyed_on,
                    self.kid,
                    statement,
                    self.recorded_at,
                ),
            ),
            _blank_events(
                self,
                kind=self.kind,
                name="destroyed",
                serials=self.serials,
                occurred_on=self.destroyed_on,
                reason=self.reason,
                was_used=self.was_used,
                was_spoiled=self.was_spoiled,
                destruction_id=self.id,
                reissue_id=None,
                statement=statement,
            ),
        ]
