"""The template workbook clerks fill in (GET /mau/danh-sach-tot-nghiep.xlsx, `vanbang
template`): sheet 1 "Danh sách" has the headers the importer reads (service/formats/tabular.py),
required ones marked " *", drop-down lists, date cells as dd/mm/yyyy; sheet 2 "Hướng dẫn"
says what each column holds, in Vietnamese then English, with an example row (kept there, so
that it is never imported); a hidden third sheet holds the lists' values.

The lists are built from the tables the importer reads its values with (the kinds' titles,
the genders, the regulations, yes and no), so the template offers nothing it would refuse.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from service import texts
from service.domain.kinds import DiplomaKind, Gender
from service.domain.regulations import REGULATIONS
from service.formats.tabular import COLUMNS, REQUIRED_COLUMNS, column_letter

DATE_COLUMNS = ("decision_date", "issued_on", "date_of_birth")
YEAR_COLUMNS = ("graduation_year",)
# Text cells, so that Excel keeps "012" and "45/QĐ" as typed rather than as numbers or dates.
TEXT_COLUMNS = ("issuer", "decision_number", "serial", "student_id", "personal_id")
_WIDE = {"kind": 36, "full_name": 26, "decision_signer_title": 26, "signer_title": 22}


def choices() -> dict[str, tuple[list[str], bool]]:
    """Column -> (the values of its drop-down, whether only those are accepted)."""
    return {
        "kind": ([texts.KINDS[k.value].vi for k in DiplomaKind], True),
        "regulation": (list(REGULATIONS), True),
        "gender": ([texts.GENDERS_PRINTED[g.value] for g in Gender], True),
        # The register keeps any classification; the list offers the usual ones.
        "classification": (list(texts.CLASSIFICATIONS), False),
        "published": ([texts.YES_NO_WRITTEN["yes"], texts.YES_NO_WRITTEN["no"]], True),
    }


def header(name: str) -> str:
    """A column's header in the template: its Vietnamese label, " *" when required."""
    label = COLUMNS[name][1]
    return f"{label} *" if name in REQUIRED_COLUMNS else label


def build_template(*, max_rows: int) -> bytes:
    """The workbook's bytes; validations and formats cover rows 2 to max_rows + 1."""
    from openpyxl import Workbook  # imported here: only the template and uploads need it
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = texts.TEMPLATE["sheet_list"].vi
    names = list(COLUMNS)
    last = max_rows + 1
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, name in enumerate(names):
        cell = sheet.cell(row=1, column=index + 1, value=header(name))
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if name in REQUIRED_COLUMNS:
            cell.fill = required_fill
        letter = column_letter(index)
        sheet.column_dimensions[letter].width = _WIDE.get(name, max(14, len(header(name)) + 4))
        number_format = (
            "DD/MM/YYYY" if name in DATE_COLUMNS else "@" if name in TEXT_COLUMNS else None
        )
        if number_format is not None:
            # A column style, applied by Excel to the cells typed in it.
            sheet.column_dimensions[letter].number_format = number_format
            for row in range(2, min(last, 1000) + 1):
                sheet.cell(row=row, column=index + 1).number_format = number_format
    sheet.freeze_panes = "A2"

    lists: Any = workbook.create_sheet(texts.TEMPLATE["sheet_choices"].vi)
    t = texts.TEMPLATE
    for offset, (name, (values, strict)) in enumerate(choices().items()):
        letter = column_letter(offset)
        lists.cell(row=1, column=offset + 1, value=COLUMNS[name][1])
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=offset + 1, value=value)
        source = f"'{lists.title}'!${letter}$2:${letter}${len(values) + 1}"
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle=t["invalid_title"].vi,
            error=(t["invalid_choice"] if strict else t["unusual_choice"]).vi,
        )
        _cover(sheet, validation, names.index(name), last)
    lists.sheet_state = "hidden"
    for name in DATE_COLUMNS:
        validation = DataValidation(
            type="date",
            operator="between",
            formula1=_serial(date(1900, 1, 1)),
            formula2=_serial(date(2100, 12, 31)),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=t["invalid_title"].vi,
            error=t["invalid_date"].vi,
        )
        _cover(sheet, validation, names.index(name), last)
    for name in YEAR_COLUMNS:
        validation = DataValidation(
            type="whole",
            operator="between",
            formula1="1900",
            formula2="2100",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=t["invalid_title"].vi,
            error=t["invalid_year"].vi,
        )
        _cover(sheet, validation, names.index(name), last)

    _instructions(workbook.create_sheet(t["sheet_help"].vi, 1), names)
    workbook.active = 0
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cover(sheet: Any, validation: Any, index: int, last: int) -> None:
    letter = column_letter(index)
    validation.add(f"{letter}2:{letter}{last}")
    sheet.add_data_validation(validation)


def _serial(day: date) -> str:
    """A date as Excel's serial number (the 1900 date system), for a validation's bounds."""
    return str((day - date(1899, 12, 30)).days)


def accepted(name: str, lang: str) -> str:
    """What a column accepts, said in one language."""
    said = _accepted(name)
    return said.vi if lang == "vi" else said.en


def _accepted(name: str) -> texts.Text:
    t = texts.TEMPLATE
    found = choices().get(name)
    if found is not None:
        values, strict = found
        said = (t["one_of"] if strict else t["usually"]).format(values="; ".join(values))
        default = {"published": texts.YES_NO_WRITTEN["yes"]}
        if name == "regulation":
            blank = t["regulation_by_date"]
            said = texts.Text(said.vi + blank.vi, said.en + blank.en)
        elif name in default:
            blank = t["default"].format(value=default[name])
            said = texts.Text(said.vi + blank.vi, said.en + blank.en)
        return said
    if name in DATE_COLUMNS:
        return t["a_date"]
    if name in YEAR_COLUMNS:
        return t["a_year"]
    if name == "serial":
        return t["a_serial"]
    if name == "issuer":
        return t["an_issuer"]
    if name == "personal_id":
        return t["a_personal_id"]
    if name in ("full_name", "decision_signer_name", "signer_name"):
        return t["a_name"]
    short = name in ("decision_number", "ethnicity", "nationality", "student_id")
    return t["any_text"].format(max=64 if short else 200)


_STEPS = ("step_rows", "step_required", "step_decision", "step_lists", "step_dates", "step_save")
_TABLE = ("header_column", "header_required", "header_meaning", "header_accepted")


def _instructions(sheet: Any, names: Sequence[str]) -> None:
    for letter, width in zip("ABCD", (30, 10, 48, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    row = _section(sheet, 1, "vi", names)
    _section(sheet, row + 2, "en", names)


def _section(sheet: Any, row: int, lang: str, names: Sequence[str]) -> int:
    """The instructions in one language from `row` on; answers the row after them."""
    from openpyxl.styles import Alignment, Font

    t = {key: getattr(value, lang) for key, value in texts.TEMPLATE.items()}
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.cell(row=row, column=1, value=t["title"]).font = Font(bold=True, size=14)
    row += 2
    for step in _STEPS:
        sheet.cell(row=row, column=1, value=f"• {t[step]}")
        row += 1
    row += 1
    for column, key in enumerate(_TABLE, start=1):
        sheet.cell(row=row, column=column, value=t[key]).font = bold
    row += 1
    for name in names:
        sheet.cell(row=row, column=1, value=header(name))
        if name in REQUIRED_COLUMNS:
            sheet.cell(row=row, column=2, value=t["required_yes"])
        sheet.cell(row=row, column=3, value=getattr(texts.TEMPLATE_COLUMNS[name], lang))
        sheet.cell(row=row, column=4, value=accepted(name, lang)).alignment = wrap
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value=t["step_example"]).font = bold
    row += 1
    sheet.cell(row=row, column=1, value=t["header_column"]).font = bold
    sheet.cell(row=row, column=3, value=t["example"]).font = bold
    row += 1
    for name, value in texts.TEMPLATE_EXAMPLE.items():
        sheet.cell(row=row, column=1, value=header(name))
        sheet.cell(row=row, column=3, value=value)
        row += 1
    return row
