"""What the register answers when staff read it: a graduation decision, a diploma with its
history. One model per answer; /openapi.json takes its response schemas from them."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict

from service.domain.events import (
    Answer,
    DiplomaRef,
    FieldChange,
    IsoDateTime,
    SignatureOut,
    Signer,
)
from service.domain.registration import StoredDiploma
from service.domain.standing import State


class DiplomaSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    serial: str
    register_number: str
    full_name: str


class _Decision(Answer):
    id: uuid.UUID
    issuer: str
    number: str
    date: dt.date
    signer: Signer
    kind: str
    regulation: str
    graduate_count: int
    late: bool  # registered after its deadline: accepted, and flagged for auditors


class RegisteredDiploma(DiplomaSummary):
    """A diploma as registering answers it: with the URL its QR code encodes and the paths of
    its QR images (none for a validate-only check, which registers nothing to verify)."""

    qr_url: str | None
    qr_png: str | None
    qr_svg: str | None


class ExistingDiploma(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    serial: str
    register_number: str


class RegistrationWarning(BaseModel):
    """Something a clerk should look at that registers nonetheless: a probable duplicate
    person (service/domain/duplicates.py), of an earlier graduate of the list or of a
    diploma already registered."""

    model_config = ConfigDict(frozen=True)

    code: str  # "probable_duplicate"
    pointer: str  # the graduate, as a JSON pointer into the request: "#/graduates/3"
    graduate: int  # its index in graduates
    row: int | None  # its row in a CSV or XLSX list
    other_graduate: int | None  # the earlier graduate of the list it repeats...
    other_row: int | None
    existing: ExistingDiploma | None  # ...or the registered diploma
    message_vi: str
    message_en: str


class DecisionRegistered(_Decision):
    """The answer to registering a graduation decision, or a part of one (a supplementary
    list under it): `diplomas` are the ones this request registered, `graduate_count` the
    decision's, all its parts so far."""

    diplomas: list[RegisteredDiploma]
    deadline: dt.date  # Art. 17: the registration's deadline
    warnings: list[RegistrationWarning]  # registered nonetheless; [] when none
    part: int = 1  # 1: the decision's first list; 2, 3, ...: each supplementary list
    # The background job making the decision's digital diplomas, queued with the
    # registration when its regulation has them (docs/digital-diplomas.md); else None.
    digital_job: uuid.UUID | None = None


class Decision(_Decision):
    """A registered graduation decision, as GET answers it."""

    diplomas: list[DiplomaSummary]
    registered_at: IsoDateTime
    deadline: dt.date | None  # None for decisions registered before deadlines were kept
    parts: int = 1  # how many lists registered it (the first and each supplementary one)


class AppendixEntry(BaseModel):
    """One line of the register appendix (phụ lục sổ gốc): a correction."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    version: int
    decision_number: str
    decided_on: date
    signer: Signer
    ground: str
    reason: str
    changes: dict[str, FieldChange]
    recorded_at: IsoDateTime


class RevocationEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    decision_number: str
    decided_on: date
    authority: str
    ground: str
    reason: str
    recorded_at: IsoDateTime


class ReissueLink(DiplomaRef):
    """The diploma on the other side of a re-issue."""

    reissue_id: uuid.UUID
    reason: str
    changes: dict[str, FieldChange]
    recorded_at: IsoDateTime


class CopyEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    number: str
    requester_name: str
    relation: str
    id_document_type: str
    copies: int
    issued_on: date
    recorded_at: IsoDateTime
    form: str = "paper"  # or "extract", the electronic extract
    printable: bool = True  # False for an entry recorded before the copy register kept content


class HandoverEntry(BaseModel):
    """Who received the diploma and when (Art. 13); never their identity document's number."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    recipient_name: str
    relation: str
    id_document_type: str | None
    authorisation: str | None
    handed_over_on: date
    handed_over_by: str
    note: str | None
    recorded_at: IsoDateTime


class History(BaseModel):
    """A diploma's life since it was registered."""

    model_config = ConfigDict(frozen=True)

    state: State
    version: int
    corrections: list[AppendixEntry]
    revocation: RevocationEntry | None
    replaced_by: ReissueLink | None
    replaces: ReissueLink | None
    copies: list[CopyEntry]
    handover: HandoverEntry | None


class FullSigner(Signer):
    on_behalf_of: str | None


class DecisionRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    number: str
    date: dt.date


class PersonalIdMasked(BaseModel):
    """A personal identification number as staff see it until they ask for the whole."""

    model_config = ConfigDict(frozen=True)

    masked: str  # "••••••••1234"
    reveal: str  # the path to POST to for the whole number (journalled)


class PersonalIdShown(Answer):
    """The whole number, to staff within scope; each answer is journalled."""

    diploma_id: uuid.UUID
    serial: str
    personal_id: str


class PersonalIdMatch(BaseModel):
    """A diploma held by the person with the number looked up."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    issuer: str
    issuer_name: str
    kind: str
    serial: str
    register_number: str
    full_name: str  # as registered
    date_of_birth: date
    issued_on: date
    links: dict[str, str]  # self (the API's record), page (the console's)


class PersonalIdMatches(Answer):
    """The diplomas within the reader's scope whose holder has the number (at most 200)."""

    items: list[PersonalIdMatch]


class Diploma(Answer):
    """A diploma's register row as registered; what happened since is in `lifecycle`."""

    id: uuid.UUID
    issuer_code: str
    kind: str
    regulation: str
    serial: str
    register_year: int
    register_seq: int
    register_number: str
    full_name: str
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
    place_of_issue: str
    issued_on: date
    issued_at: IsoDateTime
    published: bool
    signer: FullSigner
    decision: DecisionRef
    # The exact signed bytes, for anyone holding the trust list to verify offline.
    signature: SignatureOut
    lifecycle: History
    # The holder's personal identification number, masked (its last four digits); the whole
    # number is answered by POST .../personal-id, which is journalled. Null when none is kept.
    personal_id: PersonalIdMasked | None = None

    @classmethod
    def from_row(
        cls, row: StoredDiploma, history: History, personal_id: PersonalIdMasked | None = None
    ) -> Diploma:
        return cls(
            personal_id=personal_id,
            **{name: getattr(row, name) for name in _DIPLOMA_COLUMNS},
            full_name=row.holder_name,
            signer=FullSigner(
                name=row.signer_name, title=row.signer_title, on_behalf_of=row.signer_on_behalf_of
            ),
            decision=DecisionRef(
                id=row.decision_id, number=row.decision_number, date=row.decision_date
            ),
            signature=SignatureOut(kid=row.kid, cose_sign1=row.signed),
            lifecycle=history,
        )


_DIPLOMA_COLUMNS = tuple(
    name
    for name in Diploma.model_fields
    if name not in ("full_name", "signer", "decision", "signature", "lifecycle", "personal_id")
)


class BlankReportKind(BaseModel):
    """One kind's blanks over a year (Art. 9-11)."""

    model_config = ConfigDict(frozen=True)

    kind: str
    on_hand_at_start: int
    received: int
    used: int
    spoiled: int
    destroyed: int
    on_hand_at_end: int
    awaiting_destruction: int  # spoiled and not yet destroyed


class BlankReport(Answer):
    issuer: str
    name: str
    year: int
    tracks_blanks: bool
    kinds: list[BlankReportKind]


class PublishedRevocation(BaseModel):
    model_config = ConfigDict(frozen=True)

    decision_number: str
    decided_on: date
    authority: str
    ground: str
    reason: str
    serial: str
    register_number: str
    kind: str
    holder_name: str
    recorded_at: IsoDateTime


class PublishedRevocations(Answer):
    """An issuer's published revocation decisions (Art. 25)."""

    issuer: str
    name: str
    revocations: list[PublishedRevocation]
