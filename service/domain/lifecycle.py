"""The lifecycle of a diploma after it is issued (Art. 21-32): revocation so far."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints

from service.domain.graduates import IsoDate, Text, _Model
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
        return _GROUNDS_VI[self]


_GROUNDS_VI = {
    RevocationGround.FRAUD: "Gian lận trong tuyển sinh, học tập, thi cử hoặc lập hồ sơ",
    RevocationGround.INELIGIBLE: "Cấp cho người không đủ điều kiện",
    RevocationGround.NO_AUTHORITY: "Cấp không đúng thẩm quyền",
    RevocationGround.ALTERED: "Bị tẩy xóa, sửa chữa",
    RevocationGround.LENT: "Để người khác sử dụng",
    RevocationGround.ISSUER_ERROR: "Do lỗi của cơ quan cấp",
}


class RevocationIn(_Model):
    decision_number: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    decided_on: IsoDate
    authority: Text  # who decided: the issuer, the body now holding the register, the Minister
    ground: RevocationGround
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


def check_revocation(request: RevocationIn, *, issued_on: date, today: date) -> None:
    errors = []
    if request.decided_on < issued_on:
        errors.append(
            FieldError(
                ("decided_on",),
                "before_issue",
                "Ngày quyết định trước ngày cấp văn bằng",
                "The decision is dated before the diploma was issued",
            )
        )
    if request.decided_on > today:
        errors.append(
            FieldError(
                ("decided_on",),
                "in_future",
                "Ngày quyết định ở tương lai",
                "The decision is dated in the future",
            )
        )
    if errors:
        raise Problem(VALIDATION_ERROR, errors=errors)
