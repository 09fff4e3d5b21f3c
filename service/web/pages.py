"""The public pages: the landing page, the verification result a QR code opens, the lookup
form, an issuer's revocations, and the error pages browsers get. Each function here is the
page's view: it prepares every row and label the template shows (templates/*.html only lay
them out) and renders it. No script and nothing from elsewhere; readable on a phone,
Vietnamese by default; every value is escaped."""

from __future__ import annotations

import functools
from typing import Any, Final

from markupsafe import Markup, escape

from service.domain.kinds import DiplomaKind
from service.web.render import render
from service.web.texts import FIELDS, field_label, ground_title, kind_title, text
from verifier.display import VIETNAM, custodian_line
from verifier.result import VERDICTS, Lang, Outcome, Step, VerificationResult

Rows = list[tuple[Markup, str]]

_MARKS: Final = {
    "valid": "✔",
    "genuine": "✔",
    "not_found": "?",
    "status_unknown": "!",
    "not_genuine": "✘",
    "revoked": "✘",
    "corrected": "✔",
    "replaced": "!",
}
_KINDS: Final = frozenset(DiplomaKind)
# The statuses with a title and a sentence of their own (PAGE's error_<status>); any other
# error shows error_other's.
_ERRORS: Final = frozenset({401, 403, 404, 405, 413, 429, 500, 503})
# The faults that are the service's: their page shows the request id, for support.
_OURS: Final = frozenset({500, 503})


@functools.cache
def _labels(lang: Lang) -> tuple[tuple[str, Markup], ...]:
    """The signed fields in the order the page shows them, with their labels."""
    return tuple((name, field_label(name, lang)) for name in FIELDS)


def _value(name: str, value: Any, lang: Lang) -> str:
    if name == "kind" and isinstance(value, str) and value in _KINDS:
        return kind_title(DiplomaKind(value), lang)
    if (
        name in ("date_of_birth", "issued_on", "copied_on")
        and isinstance(value, str)
        and len(value) == 10
    ):
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
    return str(value)


def result_page(
    result: VerificationResult,
    *,
    lang: Lang,
    issuer_name: str | None,
    other_href: str,
    receipt_token: str | None = None,
) -> str:
    """The page of a verification result (the API answers the same result as JSON). Read from
    the result itself, not from its JSON form: the QR page is the hot path. `receipt_token`,
    a QR check's token, adds the form that makes a receipt of it."""
    verdict = result.verdict.value
    checked_at = result.status_checked_at
    # What a false code says is not shown as if it could be compared with anything.
    fields = result.fields if verdict != "not_genuine" else {}
    rows = []
    if fields:
        for name, label in _labels(lang):
            if name in fields:
                value = _value(name, fields[name], lang)
                if name == "issuer" and issuer_name:
                    value = f"{issuer_name} ({value})"
                rows.append((label, value))
                if name == "issuer" and result.custodian is not None:
                    # "Đơn vị đang quản lý sổ gốc": the body holding the register now.
                    held, holder = custodian_line(result.custodian, lang)
                    rows.append((escape(held), holder))
    state = result.status or {}
    standing = state.get("state")
    # The steps run (passed, failed, or skipped for a reason of their own, offline say), then
    # those not run because an earlier one failed, folded away.
    steps, not_run, proof_href = [], 0, None
    for step in result.steps:
        if step.step == Step.LOG_INCLUDED and step.outcome == Outcome.PASSED:
            # The record's leaf: public like every leaf, and no personal data in it.
            index = step.detail.removeprefix("leaf ")
            proof_href = f"/log/proof?index={index}" if index.isdigit() else None
        if step.outcome == Outcome.SKIPPED and not step.detail:
            not_run += 1
        else:
            shown = step.to_dict(lang)
            steps.append((shown["outcome"], shown["message"]))
    return render(
        "result.html",
        lang,
        other_href=other_href,
        verdict=verdict,
        mark=_MARKS.get(verdict, ""),
        summary=VERDICTS[result.verdict][0 if lang == "vi" else 1],
        checked_at=f"{checked_at.astimezone(VIETNAM):%d/%m/%Y %H:%M}" if checked_at else None,
        fields=rows,
        revocation=_revocation(state, lang) if standing == "revoked" else None,
        correction=_correction(state, lang) if standing == "corrected" else None,
        replacement=_replacement(state, lang) if standing == "replaced" else None,
        steps=steps,
        not_run=not_run,
        receipt_token=receipt_token,
        proof_href=proof_href,
    )


def landing_page(*, lang: Lang, other_href: str) -> str:
    """The page at /: the lookup form (empty) with the QR code explained, the staff's
    sign-in link, and what the service is."""
    return render(
        "landing.html",
        lang,
        other_href=other_href,
        sign_in_href=f"/dang-nhap?lang={lang}",
        errors={},
        serial="",
        date_of_birth="",
        issuer="",
    )


def error_page(
    status: int,
    *,
    lang: Lang,
    other_href: str,
    request_id: str | None,
    retry_after: str | None = None,
    detail: str | None = None,
) -> str:
    """The page of an error answered to a browser: its title and sentence by `status`, how
    long to wait (`retry_after`, the answer's Retry-After in seconds), the request id when the
    fault is ours, and where to go next (the sign-in page first, for a 401). `detail`, the
    problem's own sentence (from the catalogue of texts: "the form has expired..."), is shown
    beneath, except on a 429 (the wait says it) and on our own faults."""
    key = f"error_{status}" if status in _ERRORS else "error_other"
    links = [
        (f"/?lang={lang}", text("home", lang)),
        (f"/tra-cuu?lang={lang}", text("error_lookup", lang)),
    ]
    if status == 401:
        links.insert(0, (f"/dang-nhap?lang={lang}", text("staff_sign_in", lang)))
    wait = retry_after if retry_after and retry_after.isdigit() else None
    return render(
        "error.html",
        lang,
        other_href=other_href,
        heading=text(key, lang),
        sentence=text(f"{key}_text", lang),
        retry=text("error_retry", lang).format(seconds=wait) if wait else None,
        detail=detail if status != 429 and status < 500 else None,
        request_id=request_id if status in _OURS else None,
        links=links,
    )


def lookup_page(
    *,
    lang: Lang,
    other_href: str,
    errors: dict[str, str] | None = None,
    serial: str = "",
    date_of_birth: str = "",
    issuer: str = "",
) -> str:
    return render(
        "lookup.html",
        lang,
        other_href=other_href,
        errors=errors or {},
        serial=serial,
        date_of_birth=date_of_birth,
        issuer=issuer,
    )


def bulk_page(*, lang: Lang, other_href: str, most: int, error: str | None = None) -> str:
    """The bulk check's form (the file comes back as a download), with what was wrong with the
    last file beside its field."""
    return render(
        "bulk.html",
        lang,
        other_href=other_href,
        intro=str(text("bulk_intro", lang)).format(most=f"{most:,}".replace(",", ".")),
        error=error,
    )


def pdf_check_page(*, lang: Lang, other_href: str, most: int, error: str | None = None) -> str:
    """The digital diploma check's form (the result is `result_page`), with what was wrong
    with the last file beside its field."""
    return render(
        "pdf_check.html",
        lang,
        other_href=other_href,
        hint=str(text("pdf_hint", lang)).format(mb=most >> 20),
        error=error,
    )


def revocations_page(
    code: str, name: str, revocations: list[dict[str, Any]], *, lang: Lang, other_href: str
) -> str:
    """An issuer's published revocation decisions (Art. 25)."""
    return render(
        "revocations.html",
        lang,
        other_href=other_href,
        code=code,
        name=name,
        revocations=[
            (str(r["holder_name"]), str(r["serial"]), _revocation(r, lang)) for r in revocations
        ],
    )


def _revocation(state: dict[str, Any], lang: Lang) -> Rows:
    return [
        (text("decision", lang), str(state["decision_number"])),
        (text("decided_on", lang), _value("issued_on", state["decided_on"], lang)),
        (text("authority", lang), str(state["authority"])),
        (text("ground", lang), ground_title(state["ground"], lang)),
        (text("reason", lang), str(state["reason"])),
    ]


def _correction(state: dict[str, Any], lang: Lang) -> dict[str, Rows]:
    return {
        "decision": [
            (text("decision", lang), str(state["decision_number"])),
            (text("decided_on", lang), _value("issued_on", state["decided_on"], lang)),
        ],
        "current": [
            (field_label(name, lang), _value(name, value, lang))
            for name, value in state["current"].items()
        ],
    }


def _replacement(state: dict[str, Any], lang: Lang) -> Rows:
    return [
        (field_label("serial", lang), str(state["serial"])),
        (field_label("register_number", lang), str(state["register_number"])),
        (field_label("issued_on", lang), _value("issued_on", state["issued_on"], lang)),
    ]
