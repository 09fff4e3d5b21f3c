"""Blank forms (phôi, Circular 21 Art. 9-11): the requests that record them, and the rules
that say whether a blank may be used, spoiled or destroyed. Every change to one issuer's
blanks of a kind is made under one lock (service/usecases/blanks.py), so these rules read a
state nobody else is changing."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints

from service import texts
from service.domain.graduates import IsoDate, Name, Serial, ShortText, Text, _Model, clerk_kind
from service.domain.kinds import DiplomaKind
from service.problems import VALIDATION_ERROR, FieldError, Problem

_SERIAL_NUMBER = re.compile(r"^(.*?)(\d+)$")


def split_serial(serial: str) -> tuple[str, int, int] | None:
    """(prefix, number, digits) of a serial ending in digits, e.g. HN25-012301 ->
    ("HN25-", 12301, 6); None when it does not end in digits."""
    match = _SERIAL_NUMBER.match(serial)
    if match is None or len(match.group(2)) > 12:
        return None
    return match.group(1), int(match.group(2)), len(match.group(2))


Kind = Annotated[DiplomaKind, BeforeValidator(clerk_kind)]


class BlankReceiptIn(_Model):
    kind: Kind
    first_serial: Serial
    last_serial: Serial
    received_on: IsoDate
    reference: Text  # the delivery note or decision the blanks came with


MAX_RANGE = 1_000_000


def check_receipt(request: BlankReceiptIn, *, today: date) -> tuple[str, int, int, int]:
    """(prefix, digits, first, last) of the received range."""
    first = split_serial(request.first_serial)
    last = split_serial(request.last_serial)
    errors = []
    if first is None or last is None or first[0] != last[0] or first[2] != last[2]:
        errors.append(FieldError(("last_serial",), "not_a_range", *texts.NOT_A_RANGE))
    elif last[1] < first[1] or last[1] - first[1] >= MAX_RANGE:
        errors.append(
            FieldError(("last_serial",), "bad_range", *texts.BAD_RANGE.format(max_range=MAX_RANGE))
        )
    if request.received_on > today:
        errors.append(FieldError(("received_on",), "in_future", *texts.DATE_IN_FUTURE))
    if errors:
        raise Problem(VALIDATION_ERROR, errors=errors)
    assert first is not None
    assert last is not None
    return first[0], first[2], first[1], last[1]


class BlankSpoilIn(_Model):
    kind: Kind
    serials: list[Serial] = Field(min_length=1, max_length=1000)
    occurred_on: IsoDate
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class BlankDestructionIn(_Model):
    kind: Kind
    serials: list[Serial] = Field(min_length=1, max_length=10_000)
    minutes_number: ShortText
    council: list[Name] = Field(min_length=1, max_length=20)
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    method: Text
    destroyed_on: IsoDate


def check_blank_dates(name: str, value: date, *, today: date) -> None:
    if value > today:
        raise Problem(
            VALIDATION_ERROR,
            errors=[FieldError((name,), "in_future", *texts.DATE_IN_FUTURE)],
        )


def repeated_serials(serials: list[str]) -> list[FieldError]:
    seen: set[str] = set()
    errors = []
    for index, serial in enumerate(serials):
        if serial in seen:
            errors.append(
                FieldError(
                    ("serials", index),
                    "duplicate_serial",
                    *texts.SERIAL_REPEATS.format(serial=serial),
                )
            )
        seen.add(serial)
    return errors


@dataclass(frozen=True, slots=True)
class BlankState:
    """What the register knows of one serial's blank: the received range it belongs to, the
    diploma printed on it, and the events recorded for it (spoiled, destroyed)."""

    serial: str
    receipt_id: uuid.UUID | None
    diploma_id: uuid.UUID | None
    events: tuple[str, ...]


Loc = Callable[[int], tuple[str | int, ...]]


def usability_errors(states: Sequence[BlankState], loc: Loc) -> list[FieldError]:
    """A blank is usable (for a new diploma, or to be spoiled) when it was received and
    carries no diploma, and nothing was recorded for it since. One error per unusable
    serial, located by `loc(index)`."""
    errors: list[FieldError] = []
    for index, blank in enumerate(states):
        serial = blank.serial
        if blank.receipt_id is None:
            errors.append(
                FieldError(
                    loc(index),
                    "blank_not_received",
                    *texts.BLANK_NOT_RECEIVED.format(serial=serial),
                )
            )
        elif blank.diploma_id is not None:
            errors.append(
                FieldError(
                    loc(index),
                    "blank_used",
                    *texts.BLANK_USED.format(serial=serial),
                )
            )
        elif blank.events:
            errors.append(
                FieldError(
                    loc(index),
                    f"blank_{blank.events[0]}",
                    *texts.BLANK_SPOILED_OR_DESTROYED.format(
                        serial=serial, events=" and ".join(sorted(blank.events))
                    ),
                )
            )
    return errors


def destroyability_errors(states: Sequence[BlankState]) -> list[FieldError]:
    """A blank may be destroyed (with minutes) when it was received or carries a diploma,
    is not destroyed already, and carries no diploma in force (a used blank is destroyed only
    once it is spoiled, as a re-issue does)."""
    errors: list[FieldError] = []
    for index, blank in enumerate(states):
        serial = blank.serial
        if "destroyed" in blank.events:
            code, text = "blank_destroyed", texts.BLANK_ALREADY_DESTROYED.format(serial=serial)
        elif blank.diploma_id is not None and "spoiled" not in blank.events:
            code, text = "blank_used", texts.BLANK_IN_FORCE.format(serial=serial)
        elif blank.receipt_id is None and blank.diploma_id is None:
            code, text = "blank_not_received", texts.BLANK_NEVER_RECEIVED.format(serial=serial)
        else:
            continue
        errors.append(FieldError(("serials", index), code, *text))
    return errors
