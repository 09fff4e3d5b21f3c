"""How each printed field is written from a register row (service/printing/layout.py FIELDS),
in Vietnamese or on the English side of a bilingual diploma."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from service import texts
from service.printing.layout import Language
from service.qr.tokens import Row


def two_digits_below(value: int, limit: int) -> str:
    """Decree 30/2020's rule for dates in documents: 05 (day below 10), 02 (month below 3)."""
    return f"{value:02d}" if value < limit else str(value)


def _issued_on(place: str, day: date, lang: Language) -> str:
    if lang == "en":
        return texts.PRINT_ISSUED_ON_EN.format(
            place=place, day=day.day, month=texts.MONTHS_EN[day.month - 1], year=day.year
        )
    return texts.PRINT_ISSUED_ON_VI.format(
        place=place,
        day=two_digits_below(day.day, 10),
        month=two_digits_below(day.month, 3),
        year=day.year,
    )


def _date(day: date, lang: Language) -> str:
    if lang == "en":
        return f"{day.day} {texts.MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day:%d/%m/%Y}"


def _english(mapping: Mapping[str, str], value: str | None) -> str:
    if not value:
        return ""
    return mapping.get(value.strip().lower(), value)


def field_value(name: str, row: Row, lang: Language, issuer_name: str) -> str:
    """The text of one field, or "" when the diploma has none (nothing is printed then)."""
    issued_on: date = row["issued_on"]
    on_behalf = row["signer_on_behalf_of"]
    values: dict[str, Any] = {
        "holder_name": row["holder_name"],
        "place_of_birth": row["place_of_birth"],
        "major": row["major"],
        "graduation_year": str(row["graduation_year"]),
        "place_of_issue": row["place_of_issue"],
        "issue_year": str(issued_on.year),
        "signer_name": row["signer_name"],
        "register_number": row["register_number"],
        "serial": row["serial"],
        "issuer_name": issuer_name,
    }
    if name in values:
        return str(values[name] or "")
    if name == "date_of_birth":
        return _date(row["date_of_birth"], lang)
    if name == "gender":
        genders = texts.GENDERS_EN if lang == "en" else texts.GENDERS_PRINTED
        return genders.get(row["gender"], row["gender"] or "")
    if name == "classification":
        value = row["classification"]
        return _english(texts.CLASSIFICATIONS_EN, value) if lang == "en" else value or ""
    if name == "mode_of_study":
        value = row["mode_of_study"]
        return _english(texts.MODES_OF_STUDY_EN, value) if lang == "en" else value or ""
    if name == "issue_day":
        return two_digits_below(issued_on.day, 10)
    if name == "issue_month":
        return two_digits_below(issued_on.month, 3)
    if name == "place_and_date_of_issue":
        return _issued_on(row["place_of_issue"], issued_on, lang)
    if name == "signer_title":
        if on_behalf:
            return texts.PRINT_ON_BEHALF.format(head=on_behalf.upper())
        return str(row["signer_title"]).upper()
    if name == "signer_deputy_title":
        return str(row["signer_title"]).upper() if on_behalf else ""
    raise KeyError(name)
