"""What a clerk sends to register a graduation decision (quyết định công nhận tốt nghiệp).

The same shape comes from JSON, or from a CSV/XLSX list flattened by service/formats/tabular.py.
Text is NFC-normalised and trimmed; dates are ISO `YYYY-MM-DD` or Vietnamese `DD/MM/YYYY`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    StringConstraints,
    ValidationError,
    model_validator,
)

from service import texts
from service.domain.folding import fold
from service.domain.kinds import DiplomaKind, Gender
from service.domain.personal_ids import format_error as personal_id_error
from service.domain.personal_ids import normalise as normalise_personal_id
from service.domain.regulations import REGULATIONS, regulation_on
from service.problems import VALIDATION_ERROR, FieldError, Problem

_SPACES = re.compile(r"\s+")
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    return value


def _name(value: str) -> str:
    if not _NAME.match(value):
        raise ValueError("name")
    return value


def _date(value: Any) -> Any:
    if isinstance(value, datetime):  # XLSX date cells arrive as midnight datetimes
        if value.time() != datetime.min.time():
            raise ValueError("date_with_time")
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        match = _VN_DATE.match(text)
        try:
            if match:
                day, month, year = (int(g) for g in match.groups())
                return date(year, month, day)
            if len(text) == 10 and text[4] == "-" and text[7] == "-":
                return date.fromisoformat(text)
        except ValueError:
            raise ValueError("date_impossible") from None
        raise ValueError("date_format")
    if isinstance(value, date):
        return value
    raise ValueError("date_format")


def _gender(value: Any) -> Any:
    if isinstance(value, str):
        key = unicodedata.normalize("NFC", value).strip().lower()
        if key in _GENDERS:
            return _GENDERS[key]
        if key in ("male", "female"):
            return key
        raise ValueError("gender")
    return value


def _kind_names() -> dict[str, str]:
    """Every way a kind is written, folded, to its code: the code ("thpt"), its Vietnamese
    title as the circulars write it ("Bằng tốt nghiệp trung học phổ thông"), the title
    without its first words ("trung học phổ thông", "cử nhân") and the English title."""
    names: dict[str, str] = {}
    for kind in DiplomaKind:
        title = texts.KINDS[kind.value]
        for name in (kind.value, title.vi, title.en):
            folded = " ".join(fold(name).split())
            names[folded] = kind.value
            for prefix in ("bang tot nghiep ", "bang "):
                if folded.startswith(prefix):
                    names[folded.removeprefix(prefix)] = kind.value
    return names


_KIND_NAMES = _kind_names()
# "Bằng tốt nghiệp THPT": the title with the level's initials, as clerks often write it.
_KIND_NAMES.update({f"bang tot nghiep {k.value}": k.value for k in DiplomaKind})


def clerk_kind(value: Any) -> Any:
    """A kind as clerks write it; anything else is refused with the titles to choose from."""
    if isinstance(value, str):
        key = " ".join(fold(unicodedata.normalize("NFC", value)).split())
        found = _KIND_NAMES.get(key)
        if found is None:
            raise ValueError("kind")
        return found
    return value


_GENDERS = {"nam": "male", "nữ": "female", "nu": "female", "m": "male", "f": "female"}
# The genders as printed, which the template workbook's drop-down offers.
_GENDERS.update({title.lower(): code for code, title in texts.GENDERS_PRINTED.items()})


_YES_NO = {
    "có": True,
    "co": True,
    "yes": True,
    "true": True,
    "1": True,
    "x": True,
    "không": False,
    "khong": False,
    "no": False,
    "false": False,
    "0": False,
}
# Yes and no as the template workbook's drop-down writes them.
_YES_NO.update({texts.YES_NO_WRITTEN[k].lower(): k == "yes" for k in ("yes", "no")})


def _yes_no(value: Any) -> Any:
    if isinstance(value, str):
        key = unicodedata.normalize("NFC", value).strip().lower()
        if key in _YES_NO:
            return _YES_NO[key]
        raise ValueError("yes_no")
    return value


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _regulation(value: str) -> str:
    if value not in REGULATIONS:
        raise ValueError("regulation")
    return value


Text = Annotated[str, BeforeValidator(_text), StringConstraints(min_length=1, max_length=200)]
ShortText = Annotated[str, BeforeValidator(_text), StringConstraints(min_length=1, max_length=64)]
Name = Annotated[
    str,
    BeforeValidator(_text),
    StringConstraints(min_length=2, max_length=100),
    AfterValidator(_name),
]
Serial = Annotated[
    str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9/.\-]{0,39}$")
]
IsoDate = Annotated[date, BeforeValidator(_date)]


def _personal_id(value: str) -> str:
    error = personal_id_error(value)
    if error is not None:
        raise ValueError(error)
    return value


# The holder's số định danh cá nhân: 12 digits (service/domain/personal_ids.py). Personal
# data: never signed, published, logged or put in a QR code (docs/register.md).
PersonalId = Annotated[
    str,
    BeforeValidator(normalise_personal_id),
    StringConstraints(max_length=40),
    AfterValidator(_personal_id),
]
Year = Annotated[int, Field(ge=1900, le=2100)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Signer(_Model):
    """Who signs. A deputy signing on behalf of the head ("KT.") gives the head's title in
    `on_behalf_of` and their own title in `title`."""

    name: Name
    title: Text
    on_behalf_of: Text | None = None


class DecisionIn(_Model):
    number: ShortText
    date: IsoDate
    signer: Signer


class DiplomaCommon(_Model):
    """What every diploma of the decision shares."""

    kind: Annotated[DiplomaKind, BeforeValidator(clerk_kind)]
    # Blank: the regulation in force on `issued_on` (service/domain/regulations.py).
    regulation: Annotated[str, AfterValidator(_regulation)] = ""
    graduation_year: Year
    place_of_issue: Text
    issued_on: IsoDate
    signer: Signer
    major: Text | None = None
    mode_of_study: Text | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _regulation_by_date(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        model = handler(data)
        if isinstance(model, DiplomaCommon) and not model.regulation:
            named = model.model_fields_set
            model = model.model_copy(update={"regulation": regulation_on(model.issued_on).code})
            # Still "not named": a supplementary list then takes its decision's regulation.
            model.__pydantic_fields_set__ = named - {"regulation"}
        return model


class GraduateIn(_Model):
    serial: Serial
    full_name: Name
    date_of_birth: IsoDate
    place_of_birth: Text | None = None
    gender: Annotated[Gender, BeforeValidator(_gender)]
    ethnicity: ShortText | None = None
    nationality: ShortText = "Việt Nam"
    student_id: ShortText | None = None
    personal_id: PersonalId | None = None
    major: Text | None = None
    classification: ShortText | None = None
    mode_of_study: Text | None = None
    # False for holders excluded from publication (police, military): the public lookup
    # then answers only to the diploma's QR code.
    published: Annotated[bool, BeforeValidator(_yes_no)] = True


class GraduationDecisionIn(_Model):
    issuer: (
        Annotated[
            str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9_\-]{1,31}$")
        ]
        | None
    ) = None
    decision: DecisionIn
    diploma: DiplomaCommon
    graduates: list[GraduateIn] = Field(min_length=1)


def parse_request(data: Any) -> GraduationDecisionIn:
    """Validates a decoded request; the Problem raised names every invalid field."""
    return validate(GraduationDecisionIn, data)


class LookupIn(_Model):
    """A public lookup without the QR code: the serial and the date of birth on the paper."""

    serial: Serial
    date_of_birth: IsoDate
    issuer: (
        Annotated[
            str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9_\-]{1,31}$")
        ]
        | None
    ) = None


class PersonalIdLookupIn(_Model):
    """Staff finding a person's diplomas by their personal identification number: in a POST
    body, never a URL (which access logs, proxies and browsers' histories keep)."""

    personal_id: PersonalId


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any) -> M:
    """`data` as `model`, or the validation problem naming each field that is wrong. A NUL
    anywhere (a value or a key) is refused first: PostgreSQL's text cannot hold one."""
    nul = list(_nul_locations(data, ()))
    if nul:
        message = texts.FIELD_MESSAGES["nul_character"]
        raise Problem(
            VALIDATION_ERROR, errors=[FieldError(loc, "nul_character", *message) for loc in nul]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Problem(VALIDATION_ERROR, errors=[_field_error(e) for e in exc.errors()]) from None


def _nul_locations(data: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(data, str):
        if "\x00" in data:
            yield loc
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and "\x00" in key:
                yield (*loc, key)
            else:
                yield from _nul_locations(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _nul_locations(value, (*loc, index))


# The messages are texts.FIELD_MESSAGES, by pydantic error type or by the code our validators
# raise (ValueError text); these fill what pydantic's error context does not give.
_VALUES: dict[str, dict[str, str]] = {
    "regulation": {"expected": ", ".join(REGULATIONS)},
    "kind": {"expected": "; ".join(f"{t.vi} ({k})" for k, t in texts.KINDS.items())},
}


def _field_error(error: Any) -> FieldError:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        kind = str(ctx.get("error", "value_error"))
    template = texts.FIELD_MESSAGES.get(kind)
    if template is None:
        message = texts.Text(str(error["msg"]), str(error["msg"]))
    else:
        values = {k: v for k, v in ctx.items() if isinstance(v, str | int)}
        values.update({k: f"{v:g}" for k, v in ctx.items() if isinstance(v, float)})
        message = template.format(**{**_VALUES.get(kind, {}), **values})
    return FieldError(tuple(error["loc"]), kind, *message)
