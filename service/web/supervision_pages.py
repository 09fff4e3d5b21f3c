"""The auditor's supervision pages (docs/audit.md): the overview of the issuers under them,
with its charts (service/web/charts.py) and, beneath each, the table of its figures; the
anomalies, each kind explained."""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlencode

import orjson

from service.domain import anomalies as rules
from service.domain.clock import VIETNAM
from service.texts import (
    ANOMALY_LINES,
    ANOMALY_REASONS,
    ANOMALY_TITLES,
    HOLIDAYS,
    JOURNAL_ACTIONS,
    JOURNAL_CSV_HEADINGS,
    JOURNAL_RECORDS,
    UNUSUAL_TIMES,
)
from service.usecases.supervision import Found, Overview
from service.web import charts
from service.web.console_pages import day, kind_name
from service.web.render import render
from service.web.staff_pages import Frame, when
from service.web.texts import text
from verifier.result import Lang


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
        transfers=[
            {
                "register": f"{t['register_name']} ({t['register_issuer']})",
                "from": f"{t['from_name']} ({t['from_custodian']})",
                "to": f"{t['to_name']} ({t['to_custodian']})",
                "effective_on": f"{t['effective_on']:%d/%m/%Y}",
                "legal_basis": t["legal_basis"],
                "recorded": f"{t['recorded_at'].astimezone(VIETNAM):%d/%m/%Y %H:%M}",
                "recorded_by": t["recorded_by"] or text("sv_custody_operator", lang),
            }
            for t in overview.transfers
        ],
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
        **_rates(overview, lang),
    )


def _rates(overview: Overview, lang: Lang) -> dict[str, Any]:
    """The rates chart, corrections and revocations against peers, and its table."""
    title = str(text("sv_rates", lang))
    peers = str(text("sv_peers_short", lang))
    events = ("corrected", "revoked")

    def shown(share: float | None) -> str:
        return "—" if share is None else _rate(share, lang)

    names = {e: str(text(f"sv_{e}", lang)) for e in events}

    def figure(r: Any, event: str) -> str:
        return f"{names[event]} {shown(r.rate(event))} · {peers} {shown(r.peer_rate(event))}"

    rows = [
        {
            "name": f"{r.name} ({r.code})",
            "diplomas": r.diplomas,
            "corrected": r.corrected,
            "corrected_rate": shown(r.rate("corrected")),
            "corrected_peers": shown(r.peer_rate("corrected")),
            "revoked": r.revoked,
            "revoked_rate": shown(r.rate("revoked")),
            "revoked_peers": shown(r.peer_rate("revoked")),
            "peer_diplomas": r.peer_diplomas,
        }
        for r in overview.rates
    ]
    chart = charts.rate_bars(
        title,
        str(text("sv_rates_desc", lang)),
        [
            (r.code, [(r.rate(e), r.peer_rate(e), figure(r, e)) for e in events])
            for r in overview.rates
        ],
        [names[e] for e in events],
        str(text("sv_peers_rate", lang)),
        decimal="," if lang == "vi" else ".",
    )
    return {
        "rates_title": title,
        "rates_intro": str(text("sv_rates_intro", lang)).format(
            factor=f"{rules.RATE_FACTOR:g}",
            margin=f"{100 * rules.RATE_MARGIN:g}",
            events=rules.RATE_MIN_EVENTS,
        ),
        "rates_chart": chart if rows else None,
        "rates_rows": rows,
    }


def _rate(share: float, lang: Lang) -> str:
    """A share as a percentage with one decimal, written the language's way (1,5% / 1.5%)."""
    figure = f"{100 * share:.1f}"
    return (figure.replace(".", ",") if lang == "vi" else figure) + "%"


def _number(value: float, lang: Lang) -> str:
    """A figure with at most one decimal (a median may be a half)."""
    figure = f"{value:.1f}".removesuffix(".0")
    return figure.replace(".", ",") if lang == "vi" else figure


# The thresholds the anomalies' explanations name (service/domain/anomalies.py).
REASON_FIGURES: Final = {
    "night_from": f"{rules.NIGHT_FROM:%H:%M}",
    "night_until": f"{rules.NIGHT_UNTIL:%H:%M}",
    "at_least": rules.BULK_MIN_DIPLOMAS,
    "factor": f"{rules.BULK_FACTOR:g}",
    "window": rules.BULK_WINDOW_DAYS,
}

Link = tuple[str, str]  # (what it opens, its address)


def _line(a: Any, lang: Lang) -> tuple[str, list[Link]]:
    """An anomaly's line in words, and the pages of its records when it has some."""
    pick = 0 if lang == "vi" else 1
    q = "" if lang == "vi" else "?lang=en"
    opened = str(text("sv_open_record", lang))
    if a.type == "register_gap":
        text_ = ANOMALY_LINES["register_gap"][pick].format(
            kind=kind_name(a.kind, lang), year=a.year, missing=a.missing, first=a.first_missing[0]
        )
        return text_, []
    if a.type == "blanks_unaccounted":
        return ANOMALY_LINES["blanks_unaccounted"][pick].format(
            without=a.diplomas_without_blank, spoiled=a.spoiled_not_destroyed_after_90_days
        ), []
    if a.type == "late_issuance":
        return ANOMALY_LINES["late_issuance"][pick].format(
            number=a.decision_number,
            decided=day(a.decided_on),
            deadline=day(a.deadline) if a.deadline else "—",
            registered=when(a.registered_at, lang),
            diplomas=a.diplomas,
        ), [(opened, f"/quan-ly/quyet-dinh/{a.decision_id}{q}")]
    if a.type in ("corrected_rate", "revoked_rate"):
        return ANOMALY_LINES["rate"][pick].format(
            events=a.events,
            diplomas=a.diplomas,
            rate=_rate(a.rate, lang),
            peer_rate=_rate(a.peer_rate, lang),
        ), []
    if a.type == "same_person_other_issuer":
        diploma = ANOMALY_LINES["diploma_link"][pick]
        return ANOMALY_LINES["same_person_other_issuer"][pick].format(
            name=a.full_name,
            born=day(a.date_of_birth),
            place=a.place_of_birth or "—",
            kind=kind_name(a.kind, lang),
            serial=a.serial,
            at=when(a.issued_at, lang),
            other_serial=a.other_serial,
            other_issuer=a.other_issuer,
            other_name=a.other_full_name,
            other_at=when(a.other_issued_at, lang),
        ), [
            (
                diploma.format(serial=a.serial, issuer=a.issuer),
                f"/quan-ly/van-bang/{a.diploma_id}{q}",
            ),
            (
                diploma.format(serial=a.other_serial, issuer=a.other_issuer),
                f"/quan-ly/van-bang/{a.other_diploma_id}{q}",
            ),
        ]
    if a.type == "unusual_hours":
        why = [
            HOLIDAYS[a.holiday][pick] if u == "holiday" and a.holiday else UNUSUAL_TIMES[u][pick]
            for u in a.unusual
        ]
        return ANOMALY_LINES["unusual_hours"][pick].format(
            number=a.decision_number,
            decided=day(a.decided_on),
            part=a.part,
            diplomas=a.diplomas,
            at=when(a.registered_at, lang),
            why=", ".join(why),
        ), [
            (
                ANOMALY_LINES["decision_link"][pick].format(number=a.decision_number),
                f"/quan-ly/quyet-dinh/{a.decision_id}{q}",
            )
        ]
    if a.type == "unusual_bulk":
        return ANOMALY_LINES["unusual_bulk"][pick].format(
            day=day(a.day),
            diplomas=a.diplomas,
            times=_number(a.diplomas / a.median, lang),
            median=_number(a.median, lang),
            days=a.days_compared,
        ), [
            (
                ANOMALY_LINES["decision_link"][pick].format(number=d.number),
                f"/quan-ly/quyet-dinh/{d.id}{q}",
            )
            for d in a.decisions
        ]
    return ANOMALY_LINES["key"][pick].format(
        serial=a.serial, at=when(a.issued_at, lang), kid=a.kid
    ), [(opened, f"/quan-ly/van-bang/{a.diploma_id}{q}")]


def anomalies_page(
    frame: Frame,
    found: Found,
    *,
    notice: bool = False,
    error: tuple[str, str, str] | None = None,  # (key, the note as typed, the message)
) -> str:
    """Each kind of anomaly found, with what it is and the article it comes from, then its
    lines by issuer, each linked to its record where it has one, and its review: who looked
    at it, when and what they noted, or a form to note it."""
    lang = frame.lang
    pick = 0 if lang == "vi" else 1
    groups: dict[str, list[dict[str, Any]]] = {}
    for n, (a, key) in enumerate(zip(found.anomalies, found.keys, strict=True)):
        line, links = _line(a, lang)
        review = found.reviews.get(key)
        reviewed = None
        if review is not None:
            reviewed = str(text("sv_reviewed", lang)).format(
                reviewer=review["reviewer"],
                when=when(review["reviewed_at"], lang),
                note=review["note"],
            )
        typed = error[1] if error is not None and error[0] == key else ""
        message = error[2] if error is not None and error[0] == key else None
        groups.setdefault(a.type, []).append(
            {
                "n": n,
                "key": key,
                "issuer": a.issuer,
                "line": line,
                "links": links,
                "reviewed": reviewed,
                "typed": typed,
                "error": message,
            }
        )
    kinds = [
        {
            "id": kind,
            "title": ANOMALY_TITLES[kind][pick],
            "why": ANOMALY_REASONS[kind][pick].format(**REASON_FIGURES),
            "items": groups[kind],
        }
        for kind in ANOMALY_TITLES
        if kind in groups
    ]
    return render(
        "supervision/anomalies.html",
        lang,
        **frame.context(),
        title=text("sv_anomalies_title", lang),
        intro=str(text("sv_anomalies_intro", lang)).format(root=found.root),
        kinds=kinds,
        open_count=str(text("sv_open_count", lang)).format(count=len(found.open)),
        notice=text("sv_review_done", lang) if notice else None,
    )


# The journal's columns in its CSV (Vietnamese, for Excel).
JOURNAL_HEADINGS: Final = JOURNAL_CSV_HEADINGS


def journal_line(entry: Any, lang: Lang) -> list[str]:
    """A journal entry in words: when (Vietnam time), who, what (never the action's code),
    for which issuer and record, from which network; its detail as recorded."""
    pick = 0 if lang == "vi" else 1
    action = JOURNAL_ACTIONS.get(entry.action)
    kind = JOURNAL_RECORDS.get(entry.record_type or "")
    named = kind[pick] if kind is not None else entry.record_type
    record = " ".join(p for p in (named, entry.record_id) if p)
    return [
        when(entry.at, lang),
        entry.username or "",
        action[pick] if action is not None else entry.action,
        entry.issuer or "",
        record,
        entry.client or "",
        orjson.dumps(entry.detail).decode() if entry.detail else "",
    ]


def journal_page(
    frame: Frame,
    values: dict[str, str],
    errors: dict[str, str],
    page: Any,
) -> str:
    lang = frame.lang
    pick = 0 if lang == "vi" else 1
    query = {k: v for k, v in values.items() if v}
    if lang == "en":
        query["lang"] = "en"
    entries = [] if page is None else [journal_line(e, lang)[:6] for e in page.entries]
    more = None
    if page is not None and len(page.entries) == 100:
        more = f"/giam-sat/nhat-ky?{urlencode({**query, 'cursor': page.next})}"
    return render(
        "supervision/journal.html",
        lang,
        **frame.context(),
        title=text("jr_title", lang),
        values=values,
        errors=errors,
        actions=[(code, label[pick]) for code, label in JOURNAL_ACTIONS.items()],
        entries=entries,
        more=more,
        export=f"/giam-sat/nhat-ky.csv?{urlencode(query)}",
    )
