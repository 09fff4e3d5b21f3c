"""The lifecycle of a diploma after it is issued (Circular 21, Art. 13 and 18-32): the
requests a clerk makes and the rules they must pass before anything is written."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints

from service import texts
from service.domain.graduates import (
    IsoDate,
    Name,
    Serial,
    ShortText,
    Signer,
    Text,
    _gender,
    _Model,
    validate,
)
from service.domain.kinds import Gender
from service.domain.regulations import has_digital, regulation_on
from service.problems import VALIDATION_ERROR, FieldError, Problem


class RevocationGround(StrEnum):
    """The grounds of Art. 25 for revoking or cancelling a diploma."""

    FRAUD = "fraud"  # gian lận trong tuyển sinh, học tập, thi cử, lập hồ sơ
    INELIGIBLE = "ineligible"  # cấp cho người không đủ điều kiện
    NO_AUTHORITY = "no_authority"  # cấp không đúng thẩm quyền
    ALTERED = "altered"  # bị tẩy xóa, sửa chữa
    LENT = "lent"  # để người khác sử dụng
    ISSUER_ERROR = "issuer_error"  # do lỗi của cơ quan có thẩm quyền cấp

    @property
    def title_vi(self) -> str:
        return texts.REVOCATION_GROUNDS[self.value].vi


class RevocationIn(_Model):
    decision_number: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    decided_on: IsoDate
    authority: Text  # who decided: the issuer, the body now holding the register, the Minister
    ground: RevocationGround
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


def check_revocation(request: RevocationIn, *, issued_on: date, today: date) -> None:
    errors = _date_errors(
        "decided_on",
        request.decided_on,
        not_before=issued_on,
        today=today,
        before_what=texts.DECIDED_BEFORE_ISSUE,
    )
    if errors:
        raise Problem(VALIDATION_ERROR, errors=errors)


def _date_errors(
    name: str, value: date, *, not_before: date, today: date, before_what: texts.Text
) -> list[FieldError]:
    errors = []
    if value < not_before:
        errors.append(FieldError((name,), "before_issue", *before_what))
    if value > today:
        errors.append(FieldError((name,), "in_future", *texts.DATE_IN_FUTURE))
    return errors


# Corrections (chỉnh sửa, Art. 21-24) -------------------------------------------------------


class CorrectionGround(StrEnum):
    """The four grounds of Art. 22, all about civil status."""

    CIVIL_STATUS_CHANGED = "civil_status_changed"  # thay đổi, cải chính hộ tịch
    ETHNICITY_OR_SEX_REDETERMINED = (
        "ethnicity_or_sex_redetermined"  # xác định lại dân tộc, giới tính
    )
    CIVIL_STATUS_SUPPLEMENTED = "civil_status_supplemented"  # bổ sung hộ tịch
    BIRTH_REGISTERED_LATE = "birth_registered_late"  # đăng ký khai sinh quá hạn, đăng ký lại

    @property
    def title_vi(self) -> str:
        return texts.CORRECTION_GROUNDS[self.value].vi


# The register columns a correction may change, by the request's field names.
CIVIL_STATUS_FIELDS = {
    "full_name": "holder_name",
    "date_of_birth": "date_of_birth",
    "place_of_birth": "place_of_birth",
    "gender": "gender",
    "ethnicity": "ethnicity",
    "nationality": "nationality",
}


class CivilStatusChanges(_Model):
    full_name: Name | None = None
    date_of_birth: IsoDate | None = None
    place_of_birth: Text | None = None
    gender: Annotated[Gender, BeforeValidator(_gender)] | None = None
    ethnicity: ShortText | None = None
    nationality: ShortText | None = None

    def columns(self) -> dict[str, Any]:
        """The register columns and their new values, for the fields given (the API's
        field names are those of registration: full_name for holder_name)."""
        return {
            "holder_name" if name == "full_name" else name: (
                value.value if isinstance(value, Gender) else value
            )
            for name, value in self.model_dump(exclude_none=True).items()
        }


class CorrectionIn(_Model):
    decision_number: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    decided_on: IsoDate
    signer: Signer  # the head of the body holding the register
    ground: CorrectionGround
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    changes: CivilStatusChanges


def parse_correction(data: Any) -> CorrectionIn:
    """Validates a correction; a field outside civil status is named as not correctable
    rather than merely unknown."""
    changes = data.get("changes") if isinstance(data, dict) else None
    if isinstance(changes, dict):
        errors = [
            FieldError(("changes", name), "not_correctable", *texts.NOT_CORRECTABLE)
            for name in changes
            if name not in CIVIL_STATUS_FIELDS
        ]
        if errors:
            raise Problem(VALIDATION_ERROR, errors=errors)
    return validate(CorrectionIn, data)


def check_correction(
    request: CorrectionIn, current: dict[str, Any], *, issued_on: date, today: date
) -> dict[str, dict[str, Any]]:
    """The changes as {column: {"old", "new"}}; raises when a date is wrong or nothing
    would change."""
    errors = _date_errors(
        "decided_on",
        request.decided_on,
        not_before=issued_on,
        today=today,
        before_what=texts.DECIDED_BEFORE_ISSUE,
    )
    changes = {}
    for column, new in request.changes.columns().items():
        if current[column] != new:
            changes[column] = {"old": current[column], "new": new}
    if not changes:
        errors.append(FieldError(("changes",), "no_change", *texts.NO_CHANGE))
    born = request.changes.date_of_birth
    if born is not None and born >= issued_on:
        errors.append(
            FieldError(("changes", "date_of_birth"), "born_after_issue", *texts.BORN_AFTER_ISSUE)
        )
    if errors:
        raise Problem(VALIDATION_ERROR, errors=errors)
    return changes


# Re-issue (Art. 18) ------------------------------------------------------------------------

# What the issuer may have written wrongly: the printed fields of one graduate.
REISSUE_FIELDS = {
    **CIVIL_STATUS_FIELDS,
    "major": "major",
    "classification": "classification",
    "mode_of_study": "mode_of_study",
}


class ReissueChanges(CivilStatusChanges):
    major: Text | None = None
    classification: ShortText | None = None
    mode_of_study: Text | None = None


class ReissueIn(_Model):
    """Only for the issuer's own error: the same diploma on a new blank, with what was written
    wrongly put right."""

    serial: Serial  # of the new blank
    issued_on: IsoDate
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    changes: ReissueChanges = ReissueChanges()


def check_reissue(request: ReissueIn, *, issued_on: date, today: date) -> None:
    errors = _date_errors(
        "issued_on",
        request.issued_on,
        not_before=issued_on,
        today=today,
        before_what=texts.REISSUED_BEFORE_ISSUE,
    )
    if errors:
        raise Problem(VALIDATION_ERROR, errors=errors)


# Certified copies from the register (Art. 27-32) ------------------------------------------


class Relation(StrEnum):
    HOLDER = "holder"  # người được cấp văn bằng
    REPRESENTATIVE = "representative"  # người đại diện theo pháp luật, theo ủy quyền
    RELATIVE = "relative"  # cha, mẹ, con, vợ, chồng, anh chị em ruột
    HEIR = "heir"  # người thừa kế khác (người được cấp đã chết)


class IdDocumentType(StrEnum):
    CITIZEN_ID = "citizen_id"  # căn cước công dân / thẻ căn cước
    IDENTITY_CARD = "identity_card"  # chứng minh nhân dân
    PASSPORT = "passport"  # hộ chiếu
    OTHER = "other"


# As printed on the document: letters and digits (a citizen ID's 12, a passport's 8 or 9).
IdDocumentNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9]{6,32}$")
]


class CopyForm(StrEnum):
    PAPER = "paper"  # bản sao: printed, signed by hand and sealed
    # trích lục: an electronic extract of the register, a PDF signed with the issuer's
    # organisation certificate, which Circular 10/2026 lets stand in for a certified copy
    EXTRACT = "extract"


class CopyIn(_Model):
    requester_name: Name
    relation: Relation
    id_document_type: IdDocumentType
    id_document_number: IdDocumentNumber
    copies: int = Field(ge=1, le=50)
    issued_on: IsoDate
    # Who signs the copies (Art. 30): the head of the body holding the register, or a deputy
    # on the head's behalf ("KT."), printed under the copy with the seal.
    signer: Signer
    form: CopyForm = CopyForm.PAPER


def check_copy(request: CopyIn, *, kind: str, issued_on: date, today: date) -> None:
    errors = _date_errors(
        "issued_on",
        request.issued_on,
        not_before=issued_on,
        today=today,
        before_what=texts.COPY_BEFORE_ISSUE,
    )
    if request.form == CopyForm.EXTRACT:
        # An extract is one signed file: it is sent, not counted out.
        if request.copies != 1:
            errors.append(FieldError(("copies",), "one_extract", *texts.EXTRACT_ONE))
        regulation = regulation_on(request.issued_on)
        if not has_digital(regulation.code, kind, request.issued_on):
            errors.append(
                FieldError(
                    ("form",),
                    "no_extract",
                    *texts.EXTRACT_NOT_IN_FORCE.format(regulation=regulation.title),
                )
            )
    if errors:
        raise Problem(VALIDATION_ERROR, errors=errors)


# Handovers (bàn giao, Art. 13) -------------------------------------------------------------


class HandoverRelation(StrEnum):
    """Who may receive a diploma: the copy request's words, for the two that may."""

    HOLDER = Relation.HOLDER.value
    REPRESENTATIVE = Relation.REPRESENTATIVE.value  # theo pháp luật (a minor's parent), ủy quyền


class HandoverIn(_Model):
    """Who received the diploma, when, and from whom: the register's "người nhận (ký, ghi rõ
    họ tên)" and "ngày nhận". The holder's identity document is optional (the register names
    them already); a representative shows one, and what authorises them."""

    recipient_name: Name
    relation: HandoverRelation
    id_document_type: IdDocumentType | None = None
    id_document_number: IdDocumentNumber | None = None
    authorisation: Text | None = None  # e.g. the power of attorney's number, date, certifier
    handed_over_on: IsoDate
    handed_over_by: Name  # the staff member, as the register writes them
    note: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = None


def parse_handover(data: Any) -> HandoverIn:
    """Validates a handover, then what its fields say together: a representative shows an
    identity document and an authorisation, the holder no authorisation, and a document is
    given with its type and number."""
    request = validate(HandoverIn, data)
    errors = []
    has_type = request.id_document_type is not None
    has_number = request.id_document_number is not None
    if has_type != has_number:
        missing = "id_document_number" if has_type else "id_document_type"
        errors.append(FieldError((missing,), "missing", *texts.ID_DOCUMENT_INCOMPLETE))
    if request.relation == HandoverRelation.REPRESENTATIVE:
        if not has_type and not has_number:
            errors.append(
                FieldError(("id_document_type",), "missing", *texts.REPRESENTATIVE_ID_DOCUMENT)
            )
        if request.authorisation is None:
            errors.append(
                FieldError(("authorisation",), "missing", *texts.REPRESENTATIVE_AUTHORISATION)
            )
    elif request.authorisation is not None:
        errors.append(
            FieldError(
                ("authorisation",), "not_for_holder", *texts.AUTHORISATION_ONLY_FOR_REPRESENTATIVE
            )
        )
    if errors:
        raise Problem(VALIDATION_ERROR, errors=errors)
    return request


def check_handover(request: HandoverIn, *, issued_on: date, today: date) -> None:
    errors = _date_errors(
        "handed_over_on",
        request.handed_over_on,
        not_before=issued_on,
        today=today,
        before_what=texts.HANDED_OVER_BEFORE_ISSUE,
    )
    if errors:
        raise Problem(VALIDATION_ERROR, errors=errors)
