"""A one-sheet Excel workbook (Office Open XML, ECMA-376), written directly: a title row, a
heading row frozen under it with an autofilter, column widths, then typed lines (text as
text, whole numbers as numbers, days as date cells shown dd/mm/yyyy).

Why not XlsxWriter, which the other workbooks use: the register's export is the one written
at scale (a department's year is tens of thousands of lines), and XlsxWriter spends about
eight times as long per cell as the CSV writer does (bench/export.py), where issue 16 asks
for at most twice the CSV's time. This writer does only what the export needs, and writes
each line as one string.

Every text is an inline string cell (t="inlineStr"): never a formula, a number or a link,
whatever it starts with. Characters XML 1.0 cannot hold (control characters) are written
as Excel writes them, _xHHHH_, and a text that itself looks like such an escape is escaped
in turn (_x005F_), so that Excel shows exactly the text it was given."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from service.domain.register_lines import Cell
from service.formats.tabular import column_letter

_MAX_TEXT: Final = 32_767  # characters Excel keeps in a cell
_NEEDS_CARE: Final = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_SPACE: Final = (" ", "\t", "\n", "\r")
_EXCEL_EPOCH: Final = date(1899, 12, 30).toordinal()  # day 0 of Excel's 1900 date system
_WIDTH_PADDING: Final = 0.7109375  # what Excel adds to a width given in characters

# The cell formats, by their index in styles.xml.
_DATE: Final = 1
_TITLE: Final = 2
_HEADING: Final = 3


def _care(found: re.Match[str]) -> str:
    text = found[0]
    if text.startswith("_x"):
        return "_x005F" + text
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(text) or f"_x{ord(text):04X}_"


def _text(value: str) -> str:
    """A text as the <t> element of an inline string."""
    value = value[:_MAX_TEXT]
    if _NEEDS_CARE.search(value):
        value = _NEEDS_CARE.sub(_care, value)
    if value.startswith(_SPACE) or value.endswith(_SPACE):
        return f'<t xml:space="preserve">{value}</t>'
    return f"<t>{value}</t>"


def _row(number: int, values: Sequence[Cell], columns: Sequence[str], style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    cells = [f'<row r="{number}">']
    for value, column in zip(values, columns, strict=False):
        if value is None:
            continue
        if isinstance(value, str):
            cells.append(
                f'<c r="{column}{number}"{styled} t="inlineStr"><is>{_text(value)}</is></c>'
            )
        elif isinstance(value, date):
            serial = value.toordinal() - _EXCEL_EPOCH
            cells.append(f'<c r="{column}{number}" s="{_DATE}"><v>{serial}</v></c>')
        else:
            cells.append(f'<c r="{column}{number}"{styled}><v>{int(value)}</v></c>')
    cells.append("</row>")
    return "".join(cells)


_MAIN: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD: Final = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_OOXML: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES: Final = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels"'
    ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS: Final = (
    _HEAD + f'<Relationships xmlns="{_PACKAGE}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS: Final = (
    _HEAD + f'<Relationships xmlns="{_PACKAGE}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell formats: 0 plain, 1 a day (dd/mm/yyyy), 2 the title (bold, larger), 3 a heading (bold,
# wrapped, top-aligned, boxed).
_STYLES: Final = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="3">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/>'
    '</right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/>'
    "</bottom><diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="1" xfId="0" applyFont="1"'
    ' applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(sheet_name: str, filtered: str) -> str:
    quoted = "'" + sheet_name.replace("'", "''") + "'"
    return (
        _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f'<sheets><sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets>'
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{escape(quoted)}!{filtered}</definedName></definedNames>"
        "</workbook>"
    )


def one_sheet(
    sheet_name: str,
    title: str,
    headings: Sequence[str],
    lines: Sequence[Sequence[Cell]],
    widths: Sequence[float],
) -> bytes:
    """The workbook: `title` in A1, `headings` in row 2 (frozen, with an autofilter over
    every line), then `lines` from row 3; `widths` in characters, one per column."""
    sheet_name = re.sub(r"[\[\]:*?/\\]", " ", sheet_name)[:31] or "Sheet1"
    count = max(len(headings), *(len(line) for line in lines)) if lines else len(headings)
    columns = [column_letter(n) for n in range(max(count, 1))]
    last = f"{columns[-1]}{len(lines) + 2}"
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{w + _WIDTH_PADDING:.4f}" customWidth="1"/>'
        for n, w in enumerate(widths, start=1)
    )
    body = "".join(_row(n, line, columns) for n, line in enumerate(lines, start=3))
    sheet = (
        _HEAD + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f'<dimension ref="A1:{last}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A3" sqref="A3"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
        + _row(1, [title], columns, _TITLE)
        + _row(2, headings, columns, _HEADING)
        + body
        + f'</sheetData><autoFilter ref="A2:{last}"/>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    filtered = f"$A$2:${columns[-1]}${len(lines) + 2}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", _workbook(sheet_name, filtered))
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", _STYLES)
        package.writestr("xl/worksheets/sheet1.xml", sheet.encode("utf-8"))
    return out.getvalue()
