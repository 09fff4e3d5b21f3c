"""Custody of a register (docs/custody.md): when a body stops existing or loses a power (the
district education offices on 01/07/2025, Circular 13/2025/TT-BGDĐT), its register (sổ gốc)
passes to another body, which from then on records the corrections, re-issues, copies and
revocations of its diplomas with its own key. A diploma keeps its original issuer; the body
now holding its register is recorded apart, as a signed transfer. A later transfer of the
same register (from its custodian to another body) chains.

The rules here are pure: who may hold whose register, and what a transfer must say."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar, Final

from pydantic import BeforeValidator, Field, StringConstraints

from service import texts
from service.domain.events import Answer, Event, Hex, IsoDateTime, Journaled, Rows
from service.domain.graduates import IsoDate, _Model, _text, _upper
from service.problems import VALIDATION_ERROR, FieldError, Problem

# Which kinds of body may take over a register of each kind of issuer. Kinds are the
# vocabulary's values (service/domain/kinds.py), as text, so that kinds added there later
# fall to the default until this table names them.
CUSTODIAN_KINDS: Final[Mapping[str, frozenset[str]]] = {
    # TT13/2025: a district office's diplomas pass to the provincial department.
    "district_office": frozenset({"provincial_department"}),
    # Provinces merged in 2025: a department's register to the merged province's one.
    "provincial_department": frozenset({"provincial_department", "ministry"}),
    # A school that closes or merges: the body that managed it, or the school taking it over.
    "school": frozenset(
        {"school", "district_office", "provincial_department", "commune_committee"}
    ),
    "commune_committee": frozenset({"commune_committee", "provincial_department"}),
    "university": frozenset({"university", "ministry"}),
    "vocational_school": frozenset({"vocational_school", "college", "provincial_department"}),
    "college": frozenset({"college", "university", "ministry"}),
    "ministry": frozenset(),
}
DEFAULT_CUSTODIAN_KINDS: Final = frozenset({"provincial_department", "ministry"})

LegalBasis = Annotated[str, BeforeValidator(_text), StringConstraints(min_length=1, max_length=300)]
Reason = Annotated[str, BeforeValidator(_text), StringConstraints(min_length=1, max_length=2000)]
IssuerCode = Annotated[
    str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9_-]{1,31}$")
]


class TransferIn(_Model):
    """A transfer of an issuer's register to another body (the register is the path's)."""

    to: IssuerCode  # the receiving custodian
    effective_on: IsoDate  # the legal date: the decision's or the circular's
    legal_basis: LegalBasis  # e.g. "Thông tư 13/2025/TT-BGDĐT"
    reason: Reason


def may_hold(register_kind: str, custodian_kind: str) -> bool:
    """Whether a body of `custodian_kind` may take over a register of `register_kind`."""
    return custodian_kind in CUSTODIAN_KINDS.get(register_kind, DEFAULT_CUSTODIAN_KINDS)


@dataclass(frozen=True)
class Body:
    """An issuer as a transfer sees it."""

    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class Held:
    """The last transfer of a register: who holds it, since when, and by what."""

    custodian: str
    effective_on: date
    legal_basis: str


def check_transfer(
    request: TransferIn,
    *,
    register: Body,
    to: Body | None,
    current: str,
    last: Held | None,
    receiver_gave_away: bool,
    today: date,
) -> None:
    """Raises a validation problem naming each field a transfer of `register` (held now by
    `current`) to `request.to` gets wrong. A transfer to the body that already holds it is a
    conflict the caller answers (already-transferred), not a field error."""
    errors = []
    if to is None:
        errors.append(FieldError(("to",), "unknown_issuer", *texts.CUSTODY_UNKNOWN_BODY))
    elif to.code == register.code:
        errors.append(FieldError(("to",), "same_body", *texts.CUSTODY_TO_ITSELF))
    elif to.code != current:
        if not may_hold(register.kind, to.kind):
            errors.append(
                FieldError(
                    ("to",),
                    "not_a_custodian",
                    *texts.CUSTODY_NOT_PLAUSIBLE.format(
                        to=to.name,
                        to_kind=texts.ISSUER_KINDS.get(to.kind, texts.Text(to.kind, to.kind)),
                        register=register.name,
                        register_kind=texts.ISSUER_KINDS.get(
                            register.kind, texts.Text(register.kind, register.kind)
                        ),
                    ),
                )
            )
        elif receiver_gave_away:
            errors.append(
                FieldError(
                    ("to",), "no_longer_holds", *texts.CUSTODY_RECEIVER_GONE.format(to=to.name)
                )
            )
    if request.effective_on > today:
        errors.append(FieldError(("effective_on",), "in_future", *texts.DATE_IN_FUTURE))
    elif last is not None and request.effective_on < last.effective_on:
        errors.append(
            FieldError(
                ("effective_on",),
                "before_previous",
                *texts.CUSTODY_BEFORE_PREVIOUS.format(date=last.effective_on),
            )
        )
    if errors:
        raise Problem(VALIDATION_ERROR, errors=errors)


class CustodyTransfer(Event):
    """The register of `issuer` passed from `from_custodian` (the issuer itself the first
    time) to `to_custodian`, signed by the receiving custodian's key at `recorded_at`, from
    which moment it signs for the register."""

    TYPE: ClassVar[str] = "custody_transfer"

    id: uuid.UUID
    seq: int
    from_custodian: str
    to_custodian: str
    effective_on: date
    legal_basis: str
    reason: str
    kid: Hex

    @property
    def signing_body(self) -> str:
        return self.to_custodian

    def statement(self) -> dict[str, Any]:
        return {
            "from_custodian": self.from_custodian,
            "to_custodian": self.to_custodian,
            "effective_on": self.effective_on.isoformat(),
            "legal_basis": self.legal_basis,
            "reason": self.reason,
        }

    def rows(self, statement: bytes) -> Rows:
        return [
            (
                "insert_custody_transfer",
                (
                    self.id,
                    self.issuer,
                    self.seq,
                    self.from_custodian,
                    self.to_custodian,
                    self.effective_on,
                    self.legal_basis,
                    self.reason,
                    self.kid,
                    statement,
                    self.recorded_at,
                ),
            )
        ]

    def journaled(self) -> Journaled:
        return Journaled(
            "issuer",
            self.issuer,
            {
                "event_id": str(self.id),
                "from": self.from_custodian,
                "to": self.to_custodian,
                "effective_on": self.effective_on.isoformat(),
            },
        )


class TransferEntry(Answer):
    """A transfer as the register's custody history shows it."""

    id: uuid.UUID
    seq: int
    from_custodian: str
    from_name: str
    to_custodian: str
    to_name: str
    effective_on: date
    legal_basis: str
    reason: str
    recorded_at: IsoDateTime
    recorded_by: str | None = None


class RegisterCustody(Answer):
    """Who holds an issuer's register, and how it came there (GET .../custody)."""

    issuer: str
    name: str
    custodian: str  # the issuer itself while it was never transferred
    custodian_name: str
    transfers: list[TransferEntry] = Field(default_factory=list)
