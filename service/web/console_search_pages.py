"""The console's search pages (docs/console.md): the decisions and the diploma search, each a
form of filters (kept as typed, each error beside its field) above a page of what it found,
with the next page's link."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service.domain.kinds import DiplomaKind
from service.domain.search import STATES
from service.texts import Text
from service.web.console_pages import _state, day, kind_name
from service.web.render import render
from service.web.staff_pages import Frame, errors_in, when
from service.web.texts import text
from verifier.result import Lang


def _kinds(lang: Lang) -> list[tuple[str, str]]:
    return [(kind.value, kind_name(kind.value, lang)) for kind in DiplomaKind]


def _href(path: str, lang: Lang) -> str:
    return path + ("" if lang == "vi" else "?lang=en")


def decisions_page(
    frame: Frame,
    values: Mapping[str, str],
    items: Sequence[Any] | None,
    *,
    next_href: str | None,
    first_href: str | None,
    errors: Mapping[str, Text],
    message: str | None = None,
    issuers: Sequence[tuple[str, str]] = (),
) -> str:
    lang = frame.lang
    rows = [
        {
            "href": _href(f"/quan-ly/quyet-dinh/{d.id}", lang),
            "number": d.number,
            "date": day(d.date),
            "kind": kind_name(d.kind, lang),
            "issuer": d.issuer,
            "graduates": d.graduate_count,
            "registered": when(d.registered_at, lang),
            "late": d.late,
        }
        for d in items or ()
    ]
    return render(
        "console/decisions.html",
        lang,
        **frame.context(),
        values=values,
        kinds=_kinds(lang),
        rows=rows,
        searched=items is not None,
        next_href=next_href,
        first_href=first_href,
        errors=errors_in(lang, errors),
        message=message,
        issuers=issuers,
    )


def diplomas_page(
    frame: Frame,
    values: Mapping[str, str],
    items: Sequence[Any] | None,
    *,
    next_href: str | None,
    first_href: str | None,
    errors: Mapping[str, Text],
    message: str | None = None,
    issuers: Sequence[tuple[str, str]] = (),
) -> str:
    lang = frame.lang
    rows = [
        {
            "href": _href(f"/quan-ly/van-bang/{d.id}", lang),
            "serial": d.serial,
            "register_number": d.register_number,
            "full_name": d.full_name,
            "date_of_birth": day(d.date_of_birth),
            "kind": kind_name(d.kind, lang),
            "year": d.graduation_year,
            "state": _state(str(d.state.value), lang),
            "handed_over_on": day(d.handed_over_on) or text("not_handed_over", lang),
            "decision_href": _href(f"/quan-ly/quyet-dinh/{d.decision.id}", lang),
            "decision": d.decision.number,
            "issuer": d.issuer,
        }
        for d in items or ()
    ]
    return render(
        "console/diplomas.html",
        lang,
        **frame.context(),
        values=values,
        kinds=_kinds(lang),
        states=[(s, _state(s, lang)) for s in STATES],
        rows=rows,
        searched=items is not None,
        next_href=next_href,
        first_href=first_href,
        errors=errors_in(lang, errors),
        message=message,
        issuers=issuers,
    )
