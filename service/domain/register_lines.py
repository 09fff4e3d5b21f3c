"""The original register (sổ gốc) as its lines are printed and exported: one entry per line in
the columns of Circular 21, its handover in the recipient's and date received columns, the
rest of its lifecycle as notes in Vietnamese. Values keep their types (a date stays a date, a
year a number) so that each export writes them as its format should (service/formats/exports.py).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from service import texts
from service.domain.audit_views import RegisterEntry

Cell = str | int | date | None

# The register's columns, in order: (key, Vietnamese heading).
REGISTER_COLUMNS: Final = tuple(texts.REGISTER_HEADINGS.items())


def dmy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def signer_as_printed(name: str, title: str, on_behalf_of: str | None) -> str:
    """The signature block as the diploma prints it, its lines joined by " / ": a deputy
    signing for the head (ký thay) under "KT. " and the head's title, then the signer's own
    title, in capitals, then the name ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Phạm Thị Thu Hằng")."""
    lines = [f"KT. {on_behalf_of.upper()}"] if on_behalf_of else []
    return " / ".join([*lines, title.upper(), name])


def _value(column: str, value: object) -> str:
    """A corrected value as the register writes it: a date as dd/mm/yyyy, a gender in words."""
    if column == "gender" and isinstance(value, str):
        return texts.GENDERS_PRINTED.get(value, value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dmy(date.fromisoformat(value))
        except ValueError:
            return value
    return "" if value is None else str(value)


_HEADED_AS: Final = {"holder_name": "full_name"}  # a change named by its register column


def _changes(changes: dict[str, object]) -> str:
    """ "Họ và tên: Trần Thị Bình → Trần Thị Bính", the column by its heading."""
    parts = []
    for column, change in changes.items():
        label = texts.REGISTER_HEADINGS.get(_HEADED_AS.get(column, column), column)
        old, new = getattr(change, "old", None), getattr(change, "new", None)
        parts.append(f"{label}: {_value(column, old)} → {_value(column, new)}")
    return ", ".join(parts)


def register_line(entry: RegisterEntry) -> list[Cell]:
    """An entry as the register prints it, one cell per REGISTER_COLUMNS."""
    notes = [
        texts.REGISTER_CORRECTED.format(
            number=c.decision_number, date=dmy(c.decided_on), changes=_changes(dict(c.changes))
        )
        for c in entry.corrections
    ]
    if entry.replaces:
        notes.append(texts.REGISTER_REISSUE_OF.format(serial=entry.replaces))
    if entry.replaced_by:
        notes.append(texts.REGISTER_REISSUED_AS.format(serial=entry.replaced_by))
    if entry.revocation:
        r = entry.revocation
        notes.append(
            texts.REGISTER_REVOKED.format(
                number=r.decision_number, date=dmy(r.decided_on), authority=r.authority
            )
        )
    for k in entry.copies:
        notes.append(
            texts.REGISTER_COPY.format(number=k.number, copies=k.copies, date=dmy(k.issued_on))
        )
    recipient: str | None = None  # the register's "người nhận" and "ngày nhận"
    received_on: date | None = None
    if entry.handover:
        h = entry.handover
        recipient = h.recipient_name
        if h.authorisation:
            recipient = texts.REGISTER_RECEIVED_FOR.format(
                name=h.recipient_name, authorisation=h.authorisation
            )
        received_on = h.handed_over_on
        notes.append(texts.REGISTER_HANDED_OVER_BY.format(name=h.handed_over_by))
        if h.note:
            notes.append(h.note)
    if entry.late:
        notes.append(texts.REGISTER_LATE)
    values: dict[str, Cell] = {
        "register_number": entry.register_number,
        "serial": entry.serial,
        "full_name": entry.full_name,
        "date_of_birth": entry.date_of_birth,
        "place_of_birth": entry.place_of_birth,
        "gender": texts.GENDERS_PRINTED.get(entry.gender, entry.gender),
        "ethnicity": entry.ethnicity,
        "nationality": entry.nationality,
        "major": entry.major,
        "classification": entry.classification,
        "mode_of_study": entry.mode_of_study,
        "graduation_year": entry.graduation_year,
        "decision": texts.REGISTER_DECISION.format(
            number=entry.decision_number, date=dmy(entry.decision_date)
        ),
        "issued_on": entry.issued_on,
        "signer": signer_as_printed(
            entry.signer_name, entry.signer_title, entry.signer_on_behalf_of
        ),
        "recipient": recipient,
        "received_on": received_on,
        "notes": "; ".join(notes) or None,
    }
    return [values[key] for key, _ in REGISTER_COLUMNS]
