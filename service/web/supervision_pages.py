"""The auditor's supervision pages (docs/audit.md): the overview of the issuers under them,
with its charts (service/web/charts.py) and, beneath each, the table of its figures."""

from __future__ import annotations

from typing import Any

from service.usecases.supervision import Overview
from service.web import charts
from service.web.console_pages import kind_name
from service.web.render import render
from service.web.staff_pages import Frame
from service.web.texts import text


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def overview_page(frame: Frame, overview: Overview) -> str:
    lang = frame.lang
    year = overview.year
    months = [str(m) for m in range(1, 13)]
    kinds = [(kind_name(k, lang), overview.by_month[k]) for k in overview.kinds]
    by_month_title = str(text("sv_by_month", lang)).format(year=year)
    late_title = str(text("sv_late_share", lang)).format(year=year)
    deciding = [i for i in overview.issuers if i.decisions]
    query = frame.lang_query.replace("?", "&")
    issuers: list[dict[str, Any]] = [
        {
            "name": f"{i.name} ({i.code})",
            "diplomas": i.diplomas,
            "by_kind": " · ".join(f"{kind_name(k, lang)}: {n}" for k, n in i.by_kind.items()),
            "decisions": i.decisions,
            "late": i.late,
            "corrections": i.corrections,
            "revocations": i.revocations,
            "blanks": text("sv_not_tracked", lang)
            if i.blanks_on_hand is None
            else i.blanks_on_hand,
            "anomalies": i.anomalies,
        }
        for i in overview.issuers
    ]
    return render(
        "supervision/overview.html",
        lang,
        **frame.context(),
        title=text("sv_title", lang),
        intro=str(text("sv_intro", lang)).format(year=year, root=overview.root),
        year=year,
        previous=f"/giam-sat?nam={year - 1}{query}",
        next_year=f"/giam-sat?nam={year + 1}{query}",
        issuers=issuers,
        totals={
            key: sum(int(i[key]) for i in issuers)
            for key in ("diplomas", "decisions", "late", "corrections", "revocations", "anomalies")
        },
        months=months,
        kinds=[{"name": name, "counts": counts, "total": sum(counts)} for name, counts in kinds],
        month_totals=[sum(counts[m] for _, counts in kinds) for m in range(12)],
        by_month_title=by_month_title,
        by_month_chart=charts.stacked_bars(by_month_title, months, kinds) if kinds else None,
        late_title=late_title,
        late_chart=charts.share_bars(
            late_title,
            [(i.code, i.late / i.decisions, _percent(i.late, i.decisions)) for i in deciding],
        )
        if deciding
        else None,
        late_rows=[
            {
                "name": f"{i.name} ({i.code})",
                "decisions": i.decisions,
                "late": i.late,
                "share": _percent(i.late, i.decisions),
            }
            for i in deciding
        ],
    )
