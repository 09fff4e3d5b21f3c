"""Probable duplicate people in a graduation decision: warnings, never errors.

Two graduates are probably the same person when their names, dates of birth and places of
birth are the same once folded (service/domain/folding.fold, spaces collapsed: "Nguyễn  Thị
Lan" and "nguyen thi lan" are one name); a place of birth left blank matches only a blank
one. Within the list, each later row names the first row it repeats. Against the register,
a row names each diploma of the same issuer and the same kind already registered for that
person: a second THPT diploma from one department is what registering a list twice looks
like, while a bachelor's then a master's from one university, or diplomas of other issuers
(which the clerk may not even read), are a person's ordinary life. They are warnings: twins
of one name exist, and the clerk decides.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from service import texts
from service.domain.folding import fold
from service.domain.graduates import GraduateIn

PROBABLE_DUPLICATE = "probable_duplicate"
# A graduate names at most this many registered diplomas of the same person, the earliest:
# enough for the clerk to see the list was registered before, and a list of people who all
# match thousands (a test list, a name and birthday shared widely) no longer costs the check
# a row per pair (a list of 250 against 2,750 such diplomas was 687,500 rows, 15 s a part).
REGISTERED_MATCHES = 5

PersonKey = tuple[str, date, str]


def folded(value: str | None) -> str:
    """A name or place as compared: folded, spaces collapsed; "" for none (SQL fold_vi's
    twin, with coalesce(value, ''))."""
    return " ".join(fold(value or "").split())


def person_key(graduate: GraduateIn) -> PersonKey:
    return folded(graduate.full_name), graduate.date_of_birth, folded(graduate.place_of_birth)


class Existing(NamedTuple):
    """A registered diploma a graduate of the list probably already holds."""

    graduate: int  # index into the list
    id: uuid.UUID
    serial: str
    register_number: str


class DuplicateWarning(NamedTuple):
    graduate: int  # index into the list
    row: int | None  # the list's row (CSV, XLSX), when it came as one
    other_graduate: int | None  # the earlier graduate of the list it repeats
    other_row: int | None
    existing: Existing | None  # or the registered diploma it repeats
    message: texts.Text


def probable_duplicates(
    graduates: Sequence[GraduateIn],
    existing: Sequence[Existing],
    rows: Sequence[int] | None = None,
) -> list[DuplicateWarning]:
    """The warnings of a list, by row: within the list, then against the register."""

    def row_of(index: int) -> int | None:
        return rows[index] if rows is not None and index < len(rows) else None

    found: list[DuplicateWarning] = []
    first: dict[PersonKey, int] = {}
    for index, graduate in enumerate(graduates):
        previous = first.setdefault(person_key(graduate), index)
        if previous != index:
            other_row = row_of(previous)
            found.append(
                DuplicateWarning(
                    graduate=index,
                    row=row_of(index),
                    other_graduate=previous,
                    other_row=other_row,
                    existing=None,
                    message=texts.DUPLICATE_IN_LIST.format(
                        name=graduate.full_name,
                        born=graduate.date_of_birth,
                        place=_place(graduate),
                        other=previous + 1 if other_row is None else other_row,
                    ),
                )
            )
    for diploma in existing:
        graduate = graduates[diploma.graduate]
        found.append(
            DuplicateWarning(
                graduate=diploma.graduate,
                row=row_of(diploma.graduate),
                other_graduate=None,
                other_row=None,
                existing=diploma,
                message=texts.DUPLICATE_IN_REGISTER.format(
                    name=graduate.full_name,
                    born=graduate.date_of_birth,
                    place=_place(graduate),
                    serial=diploma.serial,
                    register_number=diploma.register_number,
                ),
            )
        )
    found.sort(key=lambda w: (w.graduate, w.existing is not None))
    return found


def _place(graduate: GraduateIn) -> str | texts.Text:
    return graduate.place_of_birth or texts.NO_PLACE_OF_BIRTH
