"""Registering a graduation decision: the rules a batch must pass, and the register rows it
becomes once numbers are allocated.

The pipeline (run by service/usecases/registration.py through the one write path):
    check_decision -> allocate numbers (database) -> build_records -> sign -> store
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from service import texts
from service.domain import personal_ids
from service.domain.folding import fold
from service.domain.graduates import DiplomaCommon, GraduateIn, GraduationDecisionIn
from service.domain.ids import uuid7s
from service.domain.kinds import DiplomaKind, IssuerKind
from service.domain.numbering import format_register_number
from service.domain.regulations import (
    REGULATIONS,
    KindRule,
    Regulation,
    Signers,
    may_name,
    regulation_on,
)
from service.problems import (
    DUPLICATE_SERIAL,
    KIND_NOT_PERMITTED,
    VALIDATION_ERROR,
    FieldError,
    Problem,
)

MIN_GRADUATION_AGE = 10  # no one graduates, even from THCS, before this age
# Vietnamese nationality as clerks write it, folded and without spaces or punctuation.
VIETNAMESE = frozenset({"vietnam", "vn", "chxhcnvietnam", "conghoaxahoichunghiavietnam"})


@dataclass(frozen=True)
class IssuerInfo:
    code: str
    name: str
    kind: IssuerKind
    parent_code: str | None
    register_number_pattern: str
    tracks_blanks: bool = False  # registration then consumes received blank forms


class DiplomaRecord(NamedTuple):
    """One row of the register (sổ gốc), in the column order of `diplomas`. A NamedTuple: a
    batch builds a thousand at a time, and the tuple is the row the database takes."""

    id: uuid.UUID
    decision_id: uuid.UUID
    issuer_code: str
    kind: DiplomaKind
    regulation: str
    serial: str
    register_year: int
    register_seq: int
    register_number: str
    holder_name: str
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
    signer_name: str
    signer_title: str
    signer_on_behalf_of: str | None
    place_of_issue: str
    issued_on: date
    salt: bytes
    issued_at: datetime
    published: bool


@dataclass(frozen=True, slots=True)
class StoredDiploma:
    """A register row as stored: the record's columns, the key that signed it and the exact
    signed bytes, and the number and date of its graduation decision. It reads by column
    name too (`row["serial"]`), as a database record does, so one function makes the QR of
    a single diploma and of a printed sheet's rows."""

    id: uuid.UUID
    decision_id: uuid.UUID
    issuer_code: str
    kind: str
    regulation: str
    serial: str
    register_year: int
    register_seq: int
    register_number: str
    holder_name: str
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
    signer_name: str
    signer_title: str
    signer_on_behalf_of: str | None
    place_of_issue: str
    issued_on: date
    issued_at: datetime
    published: bool
    kid: bytes
    signed: bytes
    decision_number: str
    decision_date: date

    def __getitem__(self, column: str) -> Any:
        return getattr(self, column)


def _error(loc: tuple[str | int, ...], code: str, text: texts.Text) -> FieldError:
    return FieldError(loc, code, *text)


def check_decision(request: GraduationDecisionIn, issuer: IssuerInfo) -> None:
    """Raises a Problem naming every rule the request breaks; returns when all hold."""
    diploma = request.diploma
    regulation = REGULATIONS[diploma.regulation]
    rule = _kind_rule(request, regulation)
    if issuer.kind not in rule.issuers:
        raise Problem(KIND_NOT_PERMITTED, *_not_permitted(request, regulation, rule, issuer))

    errors: list[FieldError] = list(_regulation_errors(request, regulation))
    if rule.signers is not None:
        errors.extend(_signer_errors(request, regulation, rule.signers))
    decided = request.decision.date
    if diploma.issued_on < decided:
        errors.append(
            _error(
                ("diploma", "issued_on"),
                "issued_before_decision",
                texts.ISSUED_BEFORE_DECISION,
            )
        )
    if diploma.graduation_year > diploma.issued_on.year:
        errors.append(
            _error(
                ("diploma", "graduation_year"),
                "graduation_after_issue",
                texts.GRADUATION_AFTER_ISSUE,
            )
        )

    first_row: dict[str, int] = {}
    for index, graduate in enumerate(request.graduates):
        errors.extend(_check_graduate(index, graduate, request, rule.requires))
        previous = first_row.setdefault(graduate.serial, index)
        if previous != index:
            errors.append(
                _error(
                    ("graduates", index, "serial"),
                    "duplicate_serial",
                    texts.SERIAL_REPEATS_GRADUATE.format(
                        serial=graduate.serial, first=previous + 1
                    ),
                )
            )
    if errors:
        duplicates_only = all(e.code == "duplicate_serial" for e in errors)
        raise Problem(DUPLICATE_SERIAL if duplicates_only else VALIDATION_ERROR, errors=errors)


def _kind_rule(request: GraduationDecisionIn, regulation: Regulation) -> KindRule:
    """The rule for the request's kind on its issue date; refuses a kind the regulation
    does not have, saying why where the law says."""
    diploma = request.diploma
    kind = texts.KINDS[diploma.kind.value]
    law = regulation.basis(diploma.issued_on)
    absent = regulation.absent_on(diploma.kind, diploma.issued_on)
    if absent is not None:
        reason = texts.KIND_ABSENT_REASONS[absent.reason]
        text = texts.KIND_ABSENT.format(regulation=law, kind=kind, reason=reason)
        raise Problem(
            VALIDATION_ERROR, errors=[_error(("diploma", "kind"), "kind_not_in_regulation", text)]
        )
    rule = regulation.rule(diploma.kind, on=diploma.issued_on)
    if rule is None:
        text = texts.KIND_NOT_IN_REGULATION.format(regulation=law, kind=kind)
        raise Problem(
            VALIDATION_ERROR, errors=[_error(("diploma", "kind"), "kind_not_in_regulation", text)]
        )
    return rule


def _either(items: list[texts.Text]) -> texts.Text:
    """`items` joined by "or", in each language."""
    word = texts.ISSUER_KIND_OR
    return texts.Text(
        f" {word.vi} ".join(t.vi for t in items), f" {word.en} ".join(t.en for t in items)
    )


def _issuer_kinds(kinds: frozenset[IssuerKind]) -> texts.Text:
    return _either([IssuerKind(k).label for k in sorted(kinds)])


def _not_permitted(
    request: GraduationDecisionIn, regulation: Regulation, rule: KindRule, issuer: IssuerInfo
) -> texts.Text:
    """Why `issuer` may not issue the kind: who does, and when an amendment moved the power
    away from issuers of its kind, since when and by which circular."""
    diploma = request.diploma
    allowed = _issuer_kinds(rule.issuers)
    said = texts.KIND_NOT_PERMITTED_DETAIL.format(
        regulation=regulation.basis(diploma.issued_on),
        kind=texts.KINDS[diploma.kind.value],
        allowed=allowed,
        issuer=issuer.code,
        issuer_kind=issuer.kind.label,
    )
    before = regulation.rule(diploma.kind)
    for amendment in regulation.amendments_on(diploma.issued_on):
        moved = amendment.kinds.get(diploma.kind, {}).get("issuers")
        if moved is not None and before is not None and issuer.kind in before.issuers:
            extra = texts.POWER_MOVED.format(
                since=amendment.in_force_from,
                amendment=amendment.title,
                issuer_kind=issuer.kind.label,
                allowed=allowed,
            )
            said = texts.Text(f"{said.vi} {extra.vi}", f"{said.en} {extra.en}")
    return said


def _regulation_errors(request: GraduationDecisionIn, regulation: Regulation) -> list[FieldError]:
    """The regulation named must be one the law allows for the diploma's issue date."""
    issued_on, decided_on = request.diploma.issued_on, request.decision.date
    if may_name(regulation, issued_on=issued_on, decided_on=decided_on):
        return []
    current = regulation_on(issued_on).basis(issued_on)
    if issued_on < regulation.in_force_from:
        code, text = (
            "before_regulation",
            texts.BEFORE_REGULATION.format(
                regulation=regulation.title,
                in_force_from=regulation.in_force_from,
                issued_on=issued_on,
                current=current,
            ),
        )
    else:
        code, text = (
            "after_regulation",
            texts.AFTER_REGULATION.format(
                regulation=regulation.title,
                in_force_until=regulation.in_force_until,
                issued_on=issued_on,
                current=current,
            ),
        )
    return [_error(("diploma", "regulation"), code, text)]


def _signer_errors(
    request: GraduationDecisionIn, regulation: Regulation, signers: Signers
) -> list[FieldError]:
    """Who signs: the head of the issuer, or a deputy "KT." on the head's behalf where the
    regulation allows it (the deputy's own title in `title`, the head's in `on_behalf_of`)."""
    signer = request.diploma.signer
    heads = _either([texts.Text(head, head) for head in signers.heads])  # titles as written
    law = regulation.basis(request.diploma.issued_on)
    kind = texts.KINDS[request.diploma.kind.value]
    if signer.on_behalf_of is None:
        if signers.is_head(signer.title):
            return []
        text = texts.SIGNER_NOT_HEAD.format(regulation=law, kind=kind, heads=heads)
        return [_error(("diploma", "signer", "title"), "signer_not_head", text)]
    loc = ("diploma", "signer", "on_behalf_of")
    if not signers.deputy:
        text = texts.DEPUTY_NOT_ALLOWED.format(regulation=law, kind=kind, heads=heads)
        return [_error(loc, "deputy_not_allowed", text)]
    errors = []
    if not signers.is_head(signer.on_behalf_of, on_behalf=True):
        text = texts.ON_BEHALF_NOT_HEAD.format(heads=heads)
        errors.append(_error(loc, "on_behalf_not_head", text))
    if not signers.is_deputy(signer.title):
        text = texts.SIGNER_NOT_DEPUTY.format(heads=heads)
        errors.append(_error(("diploma", "signer", "title"), "signer_not_deputy", text))
    return errors


def part_mismatches(
    decision: Mapping[str, Any], request: GraduationDecisionIn, issuer_code: str
) -> list[FieldError]:
    """What a supplementary list (a part) says of its decision that the registered decision
    does not: it must be the same decision (issuer, number, date, signer) of the same kind
    under the same regulation. `decision` is the registered row."""
    d = request.decision
    expected: list[tuple[tuple[str | int, ...], object, object]] = [
        (("issuer",), issuer_code, decision["issuer_code"]),
        (("decision", "number"), d.number, decision["number"]),
        (("decision", "date"), d.date, decision["decided_on"]),
        (("decision", "signer", "name"), d.signer.name, decision["signer_name"]),
        (("decision", "signer", "title"), d.signer.title, decision["signer_title"]),
        (("diploma", "kind"), request.diploma.kind.value, decision["kind"]),
        (("diploma", "regulation"), request.diploma.regulation, decision["regulation"]),
    ]
    errors = []
    for loc, given, registered in expected:
        if given != registered:
            shown = f"{registered:%d/%m/%Y}" if isinstance(registered, date) else str(registered)
            errors.append(
                _error(loc, "differs_from_decision", texts.PART_DIFFERS.format(registered=shown))
            )
    return errors


def registration_deadline(request: GraduationDecisionIn) -> date:
    """Art. 17: the day by which the diplomas of the decision are due (75 days after the
    graduation decision for THCS and THPT, 30 for the others; regulations.toml)."""
    diploma = request.diploma
    rule = REGULATIONS[diploma.regulation].rule(diploma.kind, on=diploma.issued_on)
    assert rule is not None  # check_decision refused the kind otherwise
    return rule.deadline.due(request.decision.date)


def digital_deadline(request: GraduationDecisionIn) -> date | None:
    """The day by which the digital diplomas of the decision are due, where the regulation
    has digital diplomas (TT10/2026: 5 working days, draft); None where it has none."""
    diploma = request.diploma
    rule = REGULATIONS[diploma.regulation].rule(diploma.kind, on=diploma.issued_on)
    assert rule is not None
    return rule.digital_deadline.due(request.decision.date) if rule.digital_deadline else None


def _vietnamese(nationality: str) -> bool:
    return "".join(c for c in fold(nationality) if c.isalnum()) in VIETNAMESE


def _check_graduate(
    index: int, graduate: GraduateIn, request: GraduationDecisionIn, requires: tuple[str, ...]
) -> list[FieldError]:
    errors = []
    diploma = request.diploma
    for name in requires:
        if name == "personal_id" and not _vietnamese(graduate.nationality):
            continue  # the personal identification number is a Vietnamese citizen's
        # A field the whole decision may give (the major) counts from there too; one that
        # only a graduate has (the personal identification number) never falls back.
        shared = getattr(diploma, name) if name in DiplomaCommon.model_fields else None
        if getattr(graduate, name, None) is None and shared is None:
            errors.append(
                _error(
                    ("graduates", index, name),
                    "required_for_kind",
                    texts.REQUIRED_FOR_KIND.format(kind=texts.KINDS[diploma.kind.value]),
                )
            )
    if graduate.personal_id is not None:
        for message in personal_ids.holder_mismatches(
            graduate.personal_id, graduate.date_of_birth, graduate.gender.value
        ):
            errors.append(
                _error(("graduates", index, "personal_id"), "personal_id_holder", message)
            )
    born = graduate.date_of_birth
    if born >= request.decision.date:
        errors.append(
            _error(
                ("graduates", index, "date_of_birth"),
                "born_after_decision",
                texts.BORN_AFTER_DECISION,
            )
        )
    elif diploma.graduation_year - born.year < MIN_GRADUATION_AGE:
        errors.append(
            _error(
                ("graduates", index, "date_of_birth"),
                "too_young",
                texts.TOO_YOUNG.format(age=MIN_GRADUATION_AGE),
            )
        )
    return errors


def build_records(
    request: GraduationDecisionIn,
    issuer: IssuerInfo,
    *,
    decision_id: uuid.UUID,
    first_seq: int,
    issued_at: datetime,
) -> list[DiplomaRecord]:
    """The register rows, numbered first_seq, first_seq + 1, ... in request order."""
    diploma = request.diploma
    year = diploma.issued_on.year
    signer = diploma.signer
    count = len(request.graduates)
    ids = uuid7s(count)
    # The salt makes each record's hash unguessable in the public issuance log.
    salts = os.urandom(16 * count)
    records = []
    for offset, g in enumerate(request.graduates):
        seq = first_seq + offset
        records.append(
            DiplomaRecord(
                id=ids[offset],
                decision_id=decision_id,
                issuer_code=issuer.code,
                kind=diploma.kind,
                regulation=diploma.regulation,
                serial=g.serial,
                register_year=year,
                register_seq=seq,
                register_number=format_register_number(
                    issuer.register_number_pattern, seq, year, diploma.kind
                ),
                holder_name=g.full_name,
                date_of_birth=g.date_of_birth,
                place_of_birth=g.place_of_birth,
                gender=g.gender.value,
                ethnicity=g.ethnicity,
                nationality=g.nationality,
                student_id=g.student_id,
                major=g.major or diploma.major,
                classification=g.classification,
                mode_of_study=g.mode_of_study or diploma.mode_of_study,
                graduation_year=diploma.graduation_year,
                signer_name=signer.name,
                signer_title=signer.title,
                signer_on_behalf_of=signer.on_behalf_of,
                place_of_issue=diploma.place_of_issue,
                issued_on=diploma.issued_on,
                salt=salts[16 * offset : 16 * offset + 16],
                issued_at=issued_at,
                published=g.published,
            )
        )
    return records
