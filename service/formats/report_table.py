"""The yearly report's table as the page, the workbook and the PDF all lay it out: its
column groups and columns (service/texts.py REPORT), each row's label and values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from service.domain.yearly_reports import BLANK_COLUMNS, ReportRow
from service.texts import KINDS, REPORT, Text

BLANKS_GROUP: Final = "group_blanks"


@dataclass(frozen=True)
class Column:
    group: str  # its group's key in REPORT
    key: str  # "issued:<kind>", "issued", a count's or a blank figure's name
    heading: Text


def columns(kinds: list[str]) -> list[Column]:
    """The kinds issued in the year, then their sum, the lifecycle, the blanks, lateness."""
    found = [Column("group_issued", f"issued:{k}", KINDS[k]) for k in kinds]
    found.append(Column("group_issued", "issued", REPORT["issued_total"]))
    for group, keys in (
        ("group_corrections", ("corrections",)),
        ("group_reissues", ("reissues",)),
        ("group_revocations", ("revocations",)),
        ("group_copies", ("copy_requests", "copies")),
        (BLANKS_GROUP, BLANK_COLUMNS),
        ("group_late", ("registrations", "late_registrations", "late_diplomas")),
    ):
        found += [Column(group, key, REPORT[key]) for key in keys]
    return found


def groups(cols: list[Column]) -> list[tuple[str, int]]:
    """Each group's key and how many columns it spans, in order."""
    spans: list[tuple[str, int]] = []
    for c in cols:
        if spans and spans[-1][0] == c.group:
            spans[-1] = (c.group, spans[-1][1] + 1)
        else:
            spans.append((c.group, 1))
    return spans


def label(row: ReportRow, pick: int) -> str:
    """The row's first cell: the issuer, the sum of it and those under it, or the total."""
    if row.type == "total":
        return REPORT["total"][pick]
    name = f"{row.name} ({row.issuer})"
    if row.type == "subtotal":
        return REPORT["subtotal"].format(name=name)[pick]
    return name


def values(row: ReportRow, cols: list[Column]) -> list[int | None]:
    """The row's figure in each column; None in the blank columns where no issuer of the
    row tracks its blanks (said in words, never as 0)."""
    f = row.figures
    out: list[int | None] = []
    for c in cols:
        if c.key.startswith("issued:"):
            out.append(f.issued.get(c.key.removeprefix("issued:"), 0))
        elif c.key == "issued":
            out.append(f.diplomas)
        elif c.group == BLANKS_GROUP:
            out.append(None if f.blanks is None else getattr(f.blanks, c.key))
        else:
            out.append(getattr(f, c.key))
    return out


def blank_span(cols: list[Column]) -> tuple[int, int]:
    """The first blank column's index and how many there are."""
    first = next(i for i, c in enumerate(cols) if c.group == BLANKS_GROUP)
    return first, len(BLANK_COLUMNS)


# The notes: which columns each explains (the keys of REPORT_NOTES and REPORT_BASIS), named by
# its group.
NOTE_GROUPS: Final = (
    ("issued", "group_issued"),
    ("corrections", "group_corrections"),
    ("reissues", "group_reissues"),
    ("revocations", "group_revocations"),
    ("copies", "group_copies"),
    ("blanks", BLANKS_GROUP),
    ("late", "group_late"),
    ("subtotals", "total"),
)
