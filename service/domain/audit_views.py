"""What auditors read: an issuer's register (sổ gốc) with each entry's lifecycle inline, the
anomalies of an issuer and those under it, and the log's events. One model per answer;
/openapi.json takes its response schemas from them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field

from service.domain.events import Answer, FieldChange, IsoDateTime
from service.domain.holidays import HolidayName
from service.domain.tlog_views import LogEvent


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True)


class RegisterRevocation(_Part):
    decision_number: str
    decided_on: date
    authority: str
    ground: str
    reason: str


class RegisterCorrection(_Part):
    version: int
    decision_number: str
    decided_on: date
    ground: str
    changes: dict[str, FieldChange]


class RegisterCopy(_Part):
    number: str
    copies: int
    relation: str
    issued_on: date


class RegisterHandover(_Part):
    """Who received the diploma and when: the register's recipient and date columns."""

    recipient_name: str
    relation: str
    authorisation: str | None
    handed_over_on: date
    handed_over_by: str
    note: str | None


class RegisterEntry(_Part):
    """A register line as registered, with what happened to it since."""

    id: uuid.UUID
    kind: str
    register_year: int
    register_seq: int
    register_number: str
    serial: str
    date_of_birth: date
    place_of_birth: str | None
    gender: str
    ethnicity: str | None
    nationality: str
    student_id: str | None
    major: str | None
    classification: str | None
    mode_of_study: str | None
    graduation_year: int
    issued_on: date
    signer_name: str
    signer_title: str
    signer_on_behalf_of: str | None  # the head's title when a deputy signs for them (KT.)
    issued_at: IsoDateTime
    decision_number: str
    decision_date: date
    late: bool  # registered after its deadline (Art. 17)
    replaced_by: str | None  # the serial of the diploma re-issued in its place
    replaces: str | None  # the serial of the diploma it was re-issued for
    full_name: str
    revocation: RegisterRevocation | None
    corrections: list[RegisterCorrection]
    copies: list[RegisterCopy]
    handover: RegisterHandover | None

    @classmethod
    def from_row(cls, row: Any) -> RegisterEntry:
        """From a row of the audit_register query, whose lifecycle columns are jsonb."""

        def loaded(name: str) -> Any:
            return None if row[name] is None else orjson.loads(row[name])

        return cls(
            **{name: row[name] for name in _ENTRY_COLUMNS},
            full_name=row["holder_name"],
            revocation=loaded("revocation"),
            corrections=loaded("corrections") or [],
            copies=loaded("copies") or [],
            handover=loaded("handover"),
        )


_ENTRY_COLUMNS = tuple(
    name
    for name in RegisterEntry.model_fields
    if name not in ("full_name", "revocation", "corrections", "copies", "handover")
)


class RegisterPage(Answer):
    """Entries in register order; `next` is the cursor of the page after, if there may be one."""

    issuer: str
    entries: list[RegisterEntry]
    next: str | None


class _Anomaly(_Part):
    # `type` has a default but is always written: the schema says it is required.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class RegisterGap(_Anomaly):
    """Register numbers missing below the highest given (rows deleted behind its back)."""

    type: Literal["register_gap"] = "register_gap"
    issuer: str
    kind: str
    year: int
    missing: int
    first_missing: list[int]  # at most 20


class BlanksUnaccounted(_Anomaly):
    """An issuer tracking blanks with diplomas on no received blank, or blanks spoiled long
    ago and still not destroyed."""

    type: Literal["blanks_unaccounted"] = "blanks_unaccounted"
    issuer: str
    diplomas_without_blank: int
    spoiled_not_destroyed_after_90_days: int


class LateIssuance(_Anomaly):
    """A graduation decision registered after its deadline (Art. 17)."""

    type: Literal["late_issuance"] = "late_issuance"
    issuer: str
    decision_id: uuid.UUID
    decision_number: str
    decided_on: date
    deadline: date | None
    registered_at: IsoDateTime
    diplomas: int


class RateOutOfLine(_Anomaly):
    """An issuer correcting or revoking far more often than its peers."""

    type: Literal["corrected_rate", "revoked_rate"]
    issuer: str
    diplomas: int
    events: int
    rate: float
    peer_rate: float


class BadKeySignature(_Anomaly):
    """A diploma signed by a key at a time it was not valid."""

    type: Literal["signed_by_compromised_key", "signed_by_retired_key"]
    issuer: str
    diploma_id: uuid.UUID
    serial: str
    kid: str  # hex
    issued_at: IsoDateTime


class SamePersonOtherIssuer(_Anomaly):
    """One person holding the same kind of diploma from two issuers (a diploma is issued
    once, Art. 2): the same folded full name, date and place of birth, neither diploma
    revoked. `diploma_id` is the later registered, `other_diploma_id` the earlier."""

    type: Literal["same_person_other_issuer"] = "same_person_other_issuer"
    issuer: str
    kind: str
    full_name: str
    date_of_birth: date
    place_of_birth: str | None
    diploma_id: uuid.UUID
    serial: str
    issued_at: IsoDateTime
    other_issuer: str
    other_diploma_id: uuid.UUID
    other_serial: str
    other_full_name: str  # as the other issuer wrote it
    other_issued_at: IsoDateTime


class UnusualHours(_Anomaly):
    """A decision, or a further list of it (`part`), registered at night, on a Sunday or on a
    public holiday, Vietnam time (`unusual`: why)."""

    type: Literal["unusual_hours"] = "unusual_hours"
    issuer: str
    decision_id: uuid.UUID
    decision_number: str
    decided_on: date
    part: int
    registered_at: IsoDateTime
    diplomas: int
    unusual: list[Literal["night", "sunday", "holiday"]]
    holiday: HolidayName | None  # which, when it was one


class DecisionRef(_Part):
    id: uuid.UUID
    number: str


class UnusualBulk(_Anomaly):
    """An issuer registering in one day (Vietnam time) far more than on its usual day: the
    median of its days with any registration (`days_compared` of them) in the year before."""

    type: Literal["unusual_bulk"] = "unusual_bulk"
    issuer: str
    day: date
    diplomas: int
    median: float
    days_compared: int
    decisions: list[DecisionRef]


Anomaly = Annotated[
    RegisterGap
    | BlanksUnaccounted
    | LateIssuance
    | RateOutOfLine
    | BadKeySignature
    | SamePersonOtherIssuer
    | UnusualHours
    | UnusualBulk,
    Field(discriminator="type"),
]


class Anomalies(Answer):
    """The anomalies of an issuer and every issuer under it (`issuers`)."""

    issuer: str
    issuers: list[str]
    anomalies: list[Anomaly]


class Events(Answer):
    """The log's events of an issuer and those under it; `next` is the index to continue
    after."""

    issuer: str
    events: list[LogEvent]
    next: int


class JournalEntry(_Part):
    """One staff action. `client` is the client's network, never its exact address."""

    id: int
    at: IsoDateTime
    account_id: uuid.UUID | None
    username: str | None
    token_id: uuid.UUID | None
    action: str
    issuer: str | None
    record_type: str | None
    record_id: str | None
    request_id: str | None
    client: str | None
    detail: dict[str, Any]


class JournalPage(Answer):
    """The staff journal of the reader's subtree, in the order its transactions took their
    ids (near enough: oldest first); `next`, given as `cursor`, continues it, the last page
    too (what is written later comes after it)."""

    entries: list[JournalEntry]
    next: str
