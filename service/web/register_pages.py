"""The register page of the auditor's console (docs/audit.md): the choice of issuer, kind and
register year, then the register's entries as its lines are printed, with the next page's
link and the downloads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

from service.domain.kinds import DiplomaKind
from service.domain.register_lines import REGISTER_COLUMNS, register_line
from service.texts import Text
from service.web.console_pages import day, kind_name
from service.web.render import render
from service.web.staff_pages import Frame, errors_in
from service.web.texts import text
from verifier.result import Lang

_COLUMN = {key: n for n, (key, _) in enumerate(REGISTER_COLUMNS)}


def _entry(entry: Any, lang: Lang) -> dict[str, Any]:
    """An entry as the page shows it: the register's own cells, dates as dd/mm/yyyy."""
    cells = register_line(entry)

    def cell(key: str) -> Any:
        value = cells[_COLUMN[key]]
        return day(value) if isinstance(value, date) else value

    received = ", ".join(str(v) for v in (cell("recipient"), cell("received_on")) if v)
    return {
        "href": f"/quan-ly/van-bang/{entry.id}" + ("?lang=en" if lang == "en" else ""),
        "register_number": cell("register_number"),
        "serial": cell("serial"),
        "full_name": cell("full_name"),
        "date_of_birth": cell("date_of_birth"),
        "place_of_birth": cell("place_of_birth") or "",
        "kind": kind_name(entry.kind, lang),
        "year": entry.graduation_year,
        "decision": cell("decision"),
        "issued_on": cell("issued_on"),
        "received": received,
        "notes": cell("notes") or "",
    }


def register_page(
    frame: Frame,
    issuers: Sequence[Any],
    values: Mapping[str, str],
    errors: Mapping[str, Text],
    page: Any,
    *,
    message: str | None = None,
    paged: bool = False,
) -> str:
    lang = frame.lang
    chosen = {k: v for k, v in values.items() if v}
    query = {**chosen, **({"lang": "en"} if lang == "en" else {})}
    more = None
    if page is not None and page.next is not None:
        more = f"/giam-sat/so-goc?{urlencode({**query, 'cursor': page.next})}"
    downloads = urlencode(chosen)
    search = urlencode({k: v for k, v in query.items() if k in ("issuer", "kind", "lang")})

    return render(
        "supervision/register.html",
        lang,
        **frame.context(),
        title=text("rg_title", lang),
        issuers=[(i.code, f"{i.code} · {i.name}") for i in issuers],
        kinds=[(k.value, kind_name(k.value, lang)) for k in DiplomaKind],
        values=values,
        errors=errors_in(lang, errors),
        message=text(message, lang) if message else None,
        entries=[] if page is None else [_entry(e, lang) for e in page.entries],
        shown=page is not None,
        more=more,
        first=f"/giam-sat/so-goc?{urlencode(query)}" if paged else None,
        xlsx=f"/giam-sat/so-goc.xlsx?{downloads}",
        csv=f"/giam-sat/so-goc.csv?{downloads}",
        search=f"/quan-ly/van-bang?{search}",
    )
