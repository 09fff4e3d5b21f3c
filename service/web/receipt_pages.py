"""The verification receipt's page (/bien-nhan/{code}) and what its PDF prints: the code, when
it was checked and until when the receipt holds, the answer then (as kept) and the answer
now (checked again for this view), saying plainly when they differ, and the diploma's
printed fields as checked. Both are read from the answers as the receipt keeps them (JSON),
so that then and now are shown alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup

from service import texts
from service.domain.receipts import grouped
from service.formats.receipt_pdf import Printed, PrintedSide
from service.web.pages import _MARKS, _correction, _replacement, _revocation, _value
from service.web.render import render
from verifier.display import VIETNAM
from verifier.result import FIELD_LABELS, VERDICTS, Lang, Verdict


def _say(key: str, lang: Lang) -> str:
    return texts.PAGE[key][0 if lang == "vi" else 1]


def _moment(at: datetime) -> str:
    return f"{at.astimezone(VIETNAM):%d/%m/%Y %H:%M}"


def _plain(rows: list[tuple[Any, str]]) -> list[tuple[str, str]]:
    """Rows whose labels may be the pages' escaped texts, as plain text (for the PDF)."""
    return [(lab.unescape() if isinstance(lab, Markup) else str(lab), val) for lab, val in rows]


@dataclass(frozen=True)
class Side:
    """One answer: the verdict, when the register was read, and its decision if any."""

    verdict: str
    mark: str
    summary: str
    at: str | None
    heading: str | None  # the decision's heading (revocation, correction), or none
    rows: list[tuple[str, str]]
    current: list[tuple[str, str]]  # a correction's current content


def _side(answer: dict[str, Any], lang: Lang) -> Side:
    verdict = str(answer.get("verdict"))
    summary = VERDICTS[Verdict(verdict)][0 if lang == "vi" else 1]
    checked = answer.get("status_checked_at")
    at = _moment(datetime.fromisoformat(checked)) if isinstance(checked, str) else None
    state = answer.get("status") or {}
    standing = state.get("state")
    heading: str | None = None
    rows: list[tuple[str, str]] = []
    current: list[tuple[str, str]] = []
    if standing == "revoked":
        heading, rows = _say("revocation", lang), _plain(_revocation(state, lang))
    elif standing == "corrected":
        correction = _correction(state, lang)
        heading, rows = _say("correction", lang), _plain(correction["decision"])
        current = _plain(correction["current"])
    elif standing == "replaced":
        heading, rows = _say("replacement", lang), _plain(_replacement(state, lang))
    return Side(verdict, _MARKS.get(verdict, ""), summary, at, heading, rows, current)


def _fields(answer: dict[str, Any], issuer_name: str | None, lang: Lang) -> list[tuple[str, str]]:
    fields = answer.get("fields") or {}
    rows = []
    for name, labels in FIELD_LABELS.items():
        if name in fields:
            value = _value(name, fields[name], lang)
            if name == "issuer" and issuer_name:
                value = f"{issuer_name} ({value})"
            rows.append((labels[0 if lang == "vi" else 1], value))
    return rows


@dataclass(frozen=True)
class ReceiptView:
    code: str  # grouped, ABCD-EFGH-JKMN
    url: str
    checked_at: str
    valid_until: str
    then: Side
    now: Side
    change: str  # the sentence saying whether the answer changed
    changed: bool
    fields: list[tuple[str, str]]


def receipt_view(
    *,
    code: str,
    url: str,
    created_at: datetime,
    valid_until: datetime,
    then: dict[str, Any],
    now: dict[str, Any],
    changed: bool,
    issuer_name: str | None,
    lang: Lang,
) -> ReceiptView:
    then_side, now_side = _side(then, lang), _side(now, lang)
    if changed:
        change = _say("receipt_changed", lang).format(then=then_side.summary, now=now_side.summary)
    else:
        change = _say("receipt_same", lang)
    return ReceiptView(
        code=grouped(code),
        url=url,
        checked_at=_moment(created_at),
        valid_until=_moment(valid_until),
        then=then_side,
        now=now_side,
        change=change,
        changed=changed,
        fields=_fields(then, issuer_name, lang),
    )


def receipt_page(view: ReceiptView, *, lang: Lang, other_href: str, pdf_href: str) -> str:
    return render(
        "receipt.html", lang, other_href=other_href, view=view, pdf_href=pdf_href, gone=None
    )


def receipt_gone_page(sentence: str, *, lang: Lang, other_href: str) -> str:
    """No receipt to show: none under this code, or it has expired (and then nothing of what
    it held is shown)."""
    return render(
        "receipt.html", lang, other_href=other_href, view=None, pdf_href="", gone=sentence
    )


def printed(view: ReceiptView, *, lang: Lang, qr_text: str, printed_at: datetime) -> Printed:
    """What the receipt's PDF prints, in `lang`."""

    def side(s: Side) -> PrintedSide:
        return PrintedSide(s.verdict, s.summary, s.at, s.heading, s.rows, s.current)

    zone = _say("vietnam_time", lang)
    return Printed(
        title=_say("receipt_title", lang),
        code_label=_say("receipt_code", lang),
        code=view.code,
        address_label=_say("receipt_address", lang),
        url=view.url,
        qr_text=qr_text,
        times=[
            (_say("receipt_checked_at", lang), f"{view.checked_at} ({zone})"),
            (_say("receipt_valid_until", lang), f"{view.valid_until} ({zone})"),
        ],
        then_heading=_say("receipt_then", lang),
        then=side(view.then),
        now_heading=_say("receipt_now", lang),
        now_at_label=_say("receipt_now_at", lang),
        now=side(view.now),
        change=view.change,
        changed=view.changed,
        fields_heading=_say("receipt_diploma", lang),
        fields=view.fields,
        no_fields=_say("receipt_no_fields", lang),
        scan=_say("receipt_scan", lang),
        privacy=_say("receipt_privacy", lang),
        printed=_say("receipt_printed_at", lang).format(moment=_moment(printed_at)),
    )
