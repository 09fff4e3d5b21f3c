"""The yearly report's page (/giam-sat/bao-cao, docs/audit.md): the year and the issuer to
choose, the report's table as the workbook and the PDF lay it out
(service/formats/report_table.py), the links to download them, and what each column counts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from service.domain.clock import VIETNAM
from service.domain.yearly_reports import YearlyReport
from service.formats.report_table import NOTE_GROUPS, blank_span, columns, groups, label, values
from service.texts import REPORT, REPORT_BASIS, REPORT_NOTES
from service.usecases.reports import Choice
from service.web.render import render
from service.web.staff_pages import Frame
from service.web.texts import text


def _table(report: YearlyReport, pick: int) -> dict[str, Any]:
    cols = columns(report.kinds)
    first_blank, blank_count = blank_span(cols)
    rows = []
    for row in report.rows:
        cells: list[dict[str, Any]] = []
        for i, (c, value) in enumerate(zip(cols, values(row, cols), strict=True)):
            heading = c.heading[pick]
            if value is not None:
                cells.append({"value": value, "span": 1, "label": heading})
            elif i == first_blank:
                cells.append(
                    {
                        "value": REPORT["not_tracked"][pick],
                        "span": blank_count,
                        "label": REPORT["group_blanks"][pick],
                    }
                )
        rows.append(
            {
                "label": label(row, pick),
                "depth": min(row.depth, 4),
                "summed": row.type != "issuer",
                "cells": cells,
            }
        )
    return {
        "groups": [(REPORT[g][pick], span) for g, span in groups(cols)],
        "headings": [c.heading[pick] for c in cols],
        "rows": rows,
    }


def report_page(
    frame: Frame,
    choices: list[Choice],
    values_: dict[str, str],
    errors: dict[str, str],
    report: YearlyReport | None,
) -> str:
    lang = frame.lang
    pick = 0 if lang == "vi" else 1
    query = {"nam": values_["nam"], "don-vi": values_["don-vi"]}
    context: dict[str, Any] = {"table": None}
    if report is not None:
        made = report.made_at.astimezone(VIETNAM)
        context = {
            "heading": REPORT["title"].format(year=report.year, name=report.name)[pick],
            "scope": REPORT["scope"].format(name=report.name, code=report.issuer)[pick],
            "made": REPORT["made_at"].format(moment=f"{made:%d/%m/%Y %H:%M}")[pick],
            "table": _table(report, pick),
            "xlsx": f"/giam-sat/bao-cao.xlsx?{urlencode(query)}",
            "pdf": f"/giam-sat/bao-cao.pdf?{urlencode(query)}",
        }
    return render(
        "supervision/report.html",
        lang,
        **frame.context(),
        title=text("rp_title", lang),
        values=values_,
        errors=errors,
        choices=[(c.code, "\u2003" * c.depth + f"{c.name} ({c.code})") for c in choices],
        issuer_label=REPORT["issuer"][pick],
        notes=[
            (REPORT[group][pick], REPORT_NOTES[note][pick], REPORT_BASIS[note][pick])
            for note, group in NOTE_GROUPS
        ],
        **context,
    )
