"""The clerk's console's views (docs/console.md): each prepares what its template shows, in
the page's language, with dates as dd/mm/yyyy in Vietnam time, and renders it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from markupsafe import Markup

from service.domain.attention import Deadline
from service.domain.kinds import DiplomaKind
from service.domain.personal_ids import masked
from service.domain.regulations import has_digital
from service.printing.layout import shipped_layouts
from service.printing.vector import MODULE_MM
from service.problems import FieldError
from service.texts import CONSOLE_ACTIONS, Text
from service.web.console_forms import shown
from service.web.render import render
from service.web.staff_pages import Frame, errors_in, when
from service.web.texts import kind_title, text
from verifier.result import Lang

PREVIEW_ROWS: Final = 100  # the preview shows this many graduates, then a count of the rest
TYPED_ROWS: Final = 5  # the typed form's rows, and how many "add rows" adds
MAX_TYPED_ROWS: Final = 50  # more is a file's work


def day(value: date | str | None) -> str:
    """A date as dd/mm/yyyy (an ISO string too, as a stored answer holds it)."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value:%d/%m/%Y}"


def kind_name(kind: str, lang: Lang) -> str:
    try:
        return kind_title(DiplomaKind(kind), lang)
    except ValueError:
        return kind


def _state(state: str, lang: Lang) -> str:
    try:
        return str(text(f"state_{state}", lang))
    except KeyError:
        return state


def home_page(frame: Frame, home: Any) -> str:
    lang = frame.lang
    deadline_labels = {
        Deadline.PAST: text("deadline_past", lang),
        Deadline.NEAR: text("deadline_near", lang),
        Deadline.AHEAD: "",
    }
    return render(
        "console/home.html",
        lang,
        **frame.context(),
        year=home.today.year,
        issuers=[f"{r['name']} ({r['code']})" for r in home.issuers],
        counts=[
            {
                "kind": kind_name(r["kind"], lang),
                "diplomas": r["diplomas"],
                "decisions": r["decisions"],
            }
            for r in home.counts
        ],
        recent=[_decision_row(r, lang) for r in home.recent],
        pending=[
            {
                "href": f"/quan-ly/dang-ky/{p.row['id']}{frame.lang_query}",
                "number": p.row["decision_number"],
                "date": day(p.row["decided_on"]),
                "kind": kind_name(p.row["kind"], lang),
                "graduates": p.row["graduate_count"],
                "deadline": day(p.row["deadline"]),
                "flag": deadline_labels[p.deadline],
                "past": p.deadline is Deadline.PAST,
                "by": p.row["display_name"],
            }
            for p in home.pending
        ],
        late=[_decision_row(r, lang) for r in home.late],
        low_blanks=[
            {
                "kind": kind_name(b.kind, lang),
                "issuer": b.issuer_code,
                "line": text("low_blanks_line", lang).format(
                    on_hand=b.on_hand, used=b.used_last_year
                ),
            }
            for b in home.low_blanks
        ],
        needs_attention=home.needs_attention,
        writes=frame.person is not None and frame.person.writes,
        awaiting_handover=_awaiting_handover(frame, home),
        digital_due=[
            {
                "href": f"/quan-ly/quyet-dinh/{d.row['id']}{frame.lang_query}",
                "number": d.row["number"],
                "date": day(d.row["decided_on"]),
                "kind": kind_name(d.row["kind"], lang),
                "line": text("digital_due_line", lang).format(
                    missing=d.row["missing"], in_force=d.row["in_force"], due=day(d.due)
                ),
                "flag": deadline_labels[d.deadline],
                "past": d.deadline is Deadline.PAST,
            }
            for d in home.digital_due
        ],
    )


def _awaiting_handover(frame: Frame, home: Any) -> dict[str, str] | None:
    """The line of diplomas still to hand over, linked to the search that lists them."""
    if not home.awaiting_handover:
        return None
    before = day(home.overdue_before)
    href = f"/quan-ly/van-bang?handed_over=false&registered_before={before}"
    return {
        "href": href + ("" if frame.lang == "vi" else "&lang=en"),
        "line": text("awaiting_handover_line", frame.lang).format(
            count=home.awaiting_handover, days=home.handover_days
        ),
    }


def _decision_row(r: Any, lang: Lang) -> dict[str, Any]:
    return {
        "href": f"/quan-ly/quyet-dinh/{r['id']}" + ("" if lang == "vi" else "?lang=en"),
        "number": r["number"],
        "date": day(r["decided_on"]),
        "kind": kind_name(r["kind"], lang),
        "graduates": r["graduate_count"],
        "registered": when(r["created_at"], lang),
        "late": r.get("late", True),
        "deadline": day(r["deadline"]),
    }


@dataclass
class ListError:
    """One problem of an uploaded list, as the error table shows it."""

    row: str
    column: str
    cell: str
    value: str
    message: str


def list_errors(errors: Sequence[FieldError], data: Any, lang: Lang) -> list[ListError]:
    """The errors of a list by row, with the clerk's own column header and the value as the
    file had it."""
    found = [
        ListError(
            row="" if e.row is None else str(e.row),
            column=e.column or "",
            cell=e.cell or "",
            value=_value_at(data, e.loc),
            message=e.message_vi if lang == "vi" else e.message_en,
        )
        for e in errors
    ]
    found.sort(key=lambda e: (int(e.row) if e.row.isdigit() else 0, e.cell))
    return found


def _value_at(data: Any, loc: tuple[str | int, ...]) -> str:
    value = data
    for part in loc:
        if isinstance(value, dict) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            return ""
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, datetime):
        return day(value.date()) if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return day(value)
    return str(value)[:200]


@dataclass
class TypedForm:
    """The typed form's values by field id ("decision-number", "g0-full_name"...)."""

    values: dict[str, str] = field(default_factory=dict)
    rows: int = TYPED_ROWS

    def get(self, name: str) -> str:
        return self.values.get(name, "")


GRADUATE_FIELDS: Final = (
    "serial",
    "full_name",
    "date_of_birth",
    "place_of_birth",
    "gender",
    "classification",
)


DECISION_FIELDS: Final = {
    "decision-number": ("decision", "number"),
    "decision-date": ("decision", "date"),
    "decision-signer-name": ("decision", "signer", "name"),
    "decision-signer-title": ("decision", "signer", "title"),
    "diploma-kind": ("diploma", "kind"),
    "diploma-graduation_year": ("diploma", "graduation_year"),
    "diploma-issued_on": ("diploma", "issued_on"),
    "diploma-place_of_issue": ("diploma", "place_of_issue"),
    "diploma-signer-name": ("diploma", "signer", "name"),
    "diploma-signer-title": ("diploma", "signer", "title"),
    "diploma-signer-on_behalf_of": ("diploma", "signer", "on_behalf_of"),
}


def typed_form(form: Mapping[str, str]) -> TypedForm:
    """The typed form's values as posted (only its own fields, each at most 200 characters)."""
    try:
        rows = int(form.get("rows", ""))
    except ValueError:
        rows = TYPED_ROWS
    rows = max(TYPED_ROWS, min(rows, MAX_TYPED_ROWS))
    names = set(DECISION_FIELDS) | {f"g{i}-{name}" for i in range(rows) for name in GRADUATE_FIELDS}
    values = {k: v.strip()[:200] for k, v in form.items() if k in names and v.strip()}
    return TypedForm(values=values, rows=rows)


def typed_request(typed: TypedForm) -> tuple[dict[str, Any], list[int]]:
    """The request the typed form makes (the JSON API's form), and the form's row of each
    graduate: the rows left empty are not graduates."""
    data: dict[str, Any] = {"decision": {"signer": {}}, "diploma": {"signer": {}}}
    for name, path in DECISION_FIELDS.items():
        value = typed.get(name)
        if value:
            target = data
            for part in path[:-1]:
                target = target.setdefault(part, {})
            target[path[-1]] = value
    graduates = []
    rows = []
    for i in range(typed.rows):
        graduate = {name: typed.get(f"g{i}-{name}") for name in GRADUATE_FIELDS}
        graduate = {k: v for k, v in graduate.items() if v}
        if graduate:
            graduates.append(graduate)
            rows.append(i)
    data["graduates"] = graduates
    return data, rows


def typed_errors(errors: Sequence[FieldError], rows: Sequence[int]) -> dict[str, Text]:
    """A problem's field errors by the typed form's field ids (the first per field)."""
    by_path = {path: name for name, path in DECISION_FIELDS.items()}
    found: dict[str, Text] = {}
    for error in errors:
        loc = error.loc
        if len(loc) >= 2 and loc[0] == "graduates" and isinstance(loc[1], int):
            row = rows[loc[1]] if loc[1] < len(rows) else loc[1]
            name = str(loc[2]) if len(loc) > 2 else "full_name"
            field_id = f"g{row}-{name}" if name in GRADUATE_FIELDS else f"g{row}-full_name"
        else:
            field_id = by_path.get(tuple(str(p) for p in loc), "decision-number")
        found.setdefault(field_id, Text(error.message_vi, error.message_en))
    return found


def register_page(
    frame: Frame,
    *,
    max_rows: int,
    kinds: Sequence[tuple[str, str]],
    upload_errors: Sequence[ListError] = (),
    upload_message: str | None = None,
    file_name: str | None = None,
    typed: TypedForm | None = None,
    typed_errors: Mapping[str, Text] | None = None,
    typed_message: str | None = None,
    notice: Text | None = None,
) -> str:
    lang = frame.lang
    return render(
        "console/register.html",
        lang,
        **frame.context(),
        notice=None if notice is None else notice[0 if lang == "vi" else 1],
        upload_hint=text("upload_hint", lang).format(max_rows=f"{max_rows:,}".replace(",", ".")),
        upload_errors=list(upload_errors),
        errors_count=text("errors_count", lang).format(count=len(upload_errors)),
        upload_message=upload_message,
        file_name=file_name,
        kinds=kinds,
        typed=typed or TypedForm(),
        row_numbers=list(range((typed or TypedForm()).rows)),
        typed_errors=errors_in(lang, typed_errors or {}),
        typed_message=typed_message,
        graduate_fields=[(name, text(name, lang)) for name in GRADUATE_FIELDS],
    )


def preview_page(frame: Frame, staged: Any) -> str:
    lang = frame.lang
    request = staged.request
    count = len(request.graduates)
    preview = staged.preview
    graduates = [
        {
            "serial": g.serial,
            "full_name": g.full_name,
            "date_of_birth": day(g.date_of_birth),
            "place_of_birth": g.place_of_birth or "",
            "gender": text("male" if g.gender.value == "male" else "female", lang),
            "classification": g.classification or "",
        }
        for g in request.graduates[:PREVIEW_ROWS]
    ]
    diploma = request.diploma
    facts = [
        (text("decision_number", lang), request.decision.number),
        (text("decision_date", lang), day(request.decision.date)),
        (text("decision_signer_name", lang), _signer(request.decision.signer)),
        (text("kind", lang), kind_name(diploma.kind.value, lang)),
        (text("graduation_year", lang), str(diploma.graduation_year)),
        (text("issued_on", lang), day(diploma.issued_on)),
        (text("place_of_issue", lang), diploma.place_of_issue),
        (text("signer_name", lang), _signer(diploma.signer)),
        (text("deadline", lang), day(staged.deadline)),
        (
            text("numbers_to_take", lang),
            f"{preview['first_register_number']} – {preview['last_register_number']}",
        ),
        (text("file", lang), staged.file_name or text("typed_list", lang)),
    ]
    return render(
        "console/preview.html",
        lang,
        **frame.context(),
        staged_id=str(staged.id),
        facts=facts,
        late=preview["late"],
        late_note=text("late_note", lang).format(deadline=day(staged.deadline)),
        graduates=graduates,
        more=text("more_rows", lang).format(count=count - len(graduates))
        if count > len(graduates)
        else None,
        count=count,
        warnings=_warnings(preview.get("warnings", []), request.graduates, lang),
        confirm_warning=text("confirm_warning", lang).format(count=count),
        confirm_label=text("confirm_register", lang).format(count=count),
    )


def _warnings(found: Sequence[Any], graduates: Sequence[Any], lang: Lang) -> list[dict[str, Any]]:
    """The preview's probable duplicates: the row, who, and the row or diploma it repeats
    (checked lists kept before warnings existed have none)."""
    shown = []
    for w in found:
        graduate = graduates[w["graduate"]]
        existing = w["existing"]
        other = None
        if w["other_graduate"] is not None:
            other_row = w["other_row"] or w["other_graduate"] + 1
            other = f"{text('row', lang)} {other_row}"
        shown.append(
            {
                "row": w["row"] or w["graduate"] + 1,
                "full_name": graduate.full_name,
                "date_of_birth": day(graduate.date_of_birth),
                "other": other,
                "existing": existing,
                "message": w["message_vi"] if lang == "vi" else w["message_en"],
            }
        )
    return shown


def _signer(signer: Any) -> str:
    title = signer.title
    if getattr(signer, "on_behalf_of", None):
        title = f"KT. {signer.on_behalf_of}, {title}"
    return f"{signer.name} ({title})"


JOB_REFRESH_SECONDS: Final = 3  # how often a job's page reloads itself while it runs


def _job_state(job: Any, lang: Lang) -> str:
    return text(f"job_{job.state}", lang)


def _job_rows(job: Any, lang: Lang) -> str:
    def number(n: int) -> str:  # 5.000 in Vietnamese, 5,000 in English
        return f"{n:,}".replace(",", ".") if lang == "vi" else f"{n:,}"

    return text("job_rows", lang).format(done=number(job.done_rows), total=number(job.total_rows))


def _job_title(job: Any) -> str:
    if job.kind != "print_decision":
        return "job_title"
    return "print_blank_job_title" if job.document == "blank" else "print_job_title"


def job_page(frame: Frame, job: Any) -> str:
    """A background job's progress: a bar, rows done of total, and when done the decision;
    reloaded by the browser itself (a meta refresh) until it is finished."""
    lang = frame.lang
    finished = job.state in ("done", "failed")
    extra = {} if finished else {"refresh": str(JOB_REFRESH_SECONDS)}
    return render(
        "console/job.html",
        lang,
        **frame.context(),
        **extra,
        title=text(_job_title(job), lang),
        state=_job_state(job, lang),
        done=job.done_rows,
        total=job.total_rows,
        rows=_job_rows(job, lang),
        finished=finished,
        error=(job.error_vi if lang == "vi" else job.error_en) if job.state == "failed" else None,
        decision_href=None
        if job.decision_id is None
        else f"/quan-ly/quyet-dinh/{job.decision_id}{frame.lang_query}",
        file_href=f"/quan-ly/viec/{job.id}/tep"
        if job.kind == "print_decision" and job.state == "done"
        else None,
        printing=job.kind == "print_decision",
    )


def _digital_progress(progress: Any, lang: Lang) -> Markup:
    """The decision's digital diplomas line, escaped once (the rule's source is plain text
    from regulations.toml; the page's words are markup already)."""
    rule = progress.rule
    source = Markup("{}").format(rule.source.text)
    if not rule.source.confirmed:
        source = Markup("{}, {}").format(source, text("unconfirmed", lang))
    counted = text("digital_rule" if rule.working_days else "digital_rule_days", lang)
    line = text("digital_progress", lang).format(
        made=progress.made,
        in_force=progress.in_force,
        due=day(progress.due),
        rule=counted.format(count=rule.count, source=source),
    )
    return Markup("{} · {}").format(line, text("deadline_past", lang)) if progress.late else line


def decision_page(
    frame: Frame,
    decision: Any,
    states: Mapping[str, str],
    *,
    registered: bool = False,
    job: Any = None,
    print_as_job: bool = False,
    digital: Any = None,
) -> str:
    """A decision and its diplomas; a large one's sheet is printed by a background job (a
    button that queues it), a small one's opened at once (a link). `digital`: how far its
    digital diplomas are (usecases/digital.Progress), where its regulation has them."""
    lang = frame.lang
    facts = [
        (text("decision_date", lang), day(decision.date)),
        (text("signer", lang), f"{decision.signer.name} ({decision.signer.title})"),
        (text("kind", lang), kind_name(decision.kind, lang)),
        (text("regulation", lang), decision.regulation),
        (text("graduates", lang), str(decision.graduate_count)),
        (text("registered_at", lang), when(decision.registered_at, lang)),
        (text("deadline", lang), day(decision.deadline)),
    ]
    if digital is not None:
        facts.append((text("digital_diplomas", lang), _digital_progress(digital, lang)))
    return render(
        "console/decision.html",
        lang,
        **frame.context(),
        title=text("decision_title", lang).format(number=decision.number),
        decision_id=str(decision.id),
        facts=facts,
        late=decision.late,
        print_as_job=print_as_job,
        digital=bool(frame.person and frame.person.writes)
        and has_digital(decision.regulation, decision.kind, decision.date),
        diplomas=[
            {
                "href": f"/quan-ly/van-bang/{d.id}{frame.lang_query}",
                "serial": d.serial,
                "register_number": d.register_number,
                "full_name": d.full_name,
                "state": _state(states.get(str(d.id), "in_force"), lang),
            }
            for d in decision.diplomas
        ],
        registered=text("registered_notice", lang).format(count=decision.graduate_count)
        if registered
        else None,
        job=None
        if job is None
        else {
            "text": text("job_on_decision", lang).format(state=_job_state(job, lang))
            + f" ({_job_rows(job, lang)})",
            "href": f"/quan-ly/viec/{job.id}{frame.lang_query}",
        },
    )


# The lifecycle forms a diploma's page offers, by its state (the use cases refuse the rest).
_OFFERED: Final = {
    "in_force": ("ban-giao", "chinh-sua", "ban-sao", "cap-lai", "thu-hoi"),
    "corrected": ("ban-giao", "chinh-sua", "ban-sao", "cap-lai", "thu-hoi"),
    "replaced": ("ban-sao",),
    "revoked": (),
}


def diploma_page(
    frame: Frame,
    diploma: Any,
    *,
    qr_svg: Markup | None,
    notice: Text | None = None,
    log_proof: dict[str, Any] | None = None,  # service/web/log_pages.py: diploma_proof
) -> str:
    lang = frame.lang
    i = 0 if lang == "vi" else 1
    lifecycle = diploma.lifecycle
    # The civil status as it stands now: the registered values, then each correction's.
    current = {
        "full_name": diploma.full_name,
        "date_of_birth": diploma.date_of_birth.isoformat(),
        "place_of_birth": diploma.place_of_birth,
        "gender": diploma.gender,
    }
    for correction in lifecycle.corrections:
        current.update({k: c.new for k, c in correction.changes.items() if k in current})
    facts = [
        (text("serial", lang), diploma.serial),
        (text("register_number", lang), diploma.register_number),
        (text("full_name", lang), current["full_name"]),
        (text("date_of_birth", lang), day(current["date_of_birth"])),
        (text("place_of_birth", lang), current["place_of_birth"] or ""),
        (text("gender", lang), text("male" if current["gender"] == "male" else "female", lang)),
        (text("kind", lang), kind_name(diploma.kind, lang)),
        (text("graduation_year", lang), str(diploma.graduation_year)),
        (text("classification", lang), diploma.classification or ""),
        (text("major", lang), diploma.major or ""),
        (text("issued_on", lang), day(diploma.issued_on)),
        (text("signer", lang), diploma.signer.name),
        (text("state", lang), _state(str(lifecycle.state.value), lang)),
    ]
    kind = DiplomaKind(diploma.kind)
    layouts = [(n, x.title) for n, x in shipped_layouts(MODULE_MM).items() if kind in x.kinds]
    return render(
        "console/diploma.html",
        lang,
        **frame.context(),
        title=text("diploma_title", lang).format(serial=diploma.serial),
        print_layouts=layouts,
        digital=has_digital(diploma.regulation, diploma.kind, diploma.issued_on),
        diploma_id=str(diploma.id),
        decision_href=f"/quan-ly/quyet-dinh/{diploma.decision.id}{frame.lang_query}",
        decision_number=diploma.decision.number,
        facts=facts,
        history=_history(diploma, lang),
        qr_svg=qr_svg,
        actions=[
            (f"/quan-ly/van-bang/{diploma.id}/{slug}{frame.lang_query}", CONSOLE_ACTIONS[slug][i])
            for slug in _OFFERED.get(str(lifecycle.state.value), ())
            if slug != "ban-giao" or lifecycle.handover is None
        ]
        if frame.person is not None and frame.person.writes
        else [],
        notice=None if notice is None else notice[i],
        log_proof=log_proof,
        personal_id=None if diploma.personal_id is None else diploma.personal_id.masked,
    )


def _history(diploma: Any, lang: Lang) -> list[dict[str, Any]]:
    lifecycle = diploma.lifecycle
    events: list[dict[str, Any]] = [
        {
            "when": when(diploma.issued_at, lang),
            "what": text("event_registered", lang),
            "changes": [],
        }
    ]
    for c in lifecycle.corrections:
        events.append(
            {
                "when": when(c.recorded_at, lang),
                "what": text("event_corrected", lang).format(number=c.decision_number),
                "changes": [
                    (
                        column_label(name, lang),
                        shown_value(name, change.old, lang),
                        shown_value(name, change.new, lang),
                    )
                    for name, change in c.changes.items()
                ],
            }
        )
    if lifecycle.replaces is not None:
        events.append(
            {
                "when": when(lifecycle.replaces.recorded_at, lang),
                "what": text("event_replaces", lang).format(serial=lifecycle.replaces.serial),
                "changes": [],
            }
        )
    for copy in lifecycle.copies:
        extract = copy.form == "extract"
        events.append(
            {
                "when": when(copy.recorded_at, lang),
                "what": (
                    text("event_extract", lang).format(number=copy.number)
                    if extract
                    else text("event_copy", lang).format(copies=copy.copies, number=copy.number)
                ),
                "changes": [],
                # Printed again exactly as issued, from what the copy register keeps.
                **(
                    {
                        "href": f"/quan-ly/van-bang/{diploma.id}/ban-sao/{copy.id}.pdf",
                        "link": text("download_extract" if extract else "print_copy", lang),
                    }
                    if copy.printable
                    else {}
                ),
            }
        )
    if lifecycle.handover is not None:
        h = lifecycle.handover
        events.append(
            {
                "when": when(h.recorded_at, lang),
                "what": text("event_handover", lang).format(
                    name=h.recipient_name, date=day(h.handed_over_on), by=h.handed_over_by
                ),
                "changes": [],
            }
        )
    if lifecycle.revocation is not None:
        r = lifecycle.revocation
        events.append(
            {
                "when": when(r.recorded_at, lang),
                "what": text("event_revoked", lang).format(number=r.decision_number),
                "changes": [],
            }
        )
    if lifecycle.replaced_by is not None:
        events.append(
            {
                "when": when(lifecycle.replaced_by.recorded_at, lang),
                "what": text("event_replaced", lang).format(serial=lifecycle.replaced_by.serial),
                "changes": [],
            }
        )
    return events


_COLUMN_TEXTS: Final = {"holder_name": "full_name"}
_COLUMNS_SHOWN: Final = frozenset(
    {"full_name", "date_of_birth", "place_of_birth", "gender", "ethnicity", "nationality"}
    | {"major", "classification", "mode_of_study"}
)


def column_label(column: str, lang: Lang) -> str:
    """A register column's label ("holder_name" -> "Họ và tên")."""
    key = _COLUMN_TEXTS.get(column, column)
    return str(text(key, lang)) if key in _COLUMNS_SHOWN else column


def shown_value(column: str, value: object, lang: Lang) -> str:
    """A register value as a page shows it: a date as dd/mm/yyyy, a gender in words."""
    if column == "gender" and value in ("male", "female"):
        return str(text(str(value), lang))
    return _shown(value)


def _shown(value: object) -> str:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return day(value)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Subject:
    """What a lifecycle form is about: a diploma, or an issuer's blanks."""

    facts: list[tuple[Any, str]]
    back_href: str
    back_label: str
    post_path: str


def diploma_subject(frame: Frame, diploma: Any, slug: str) -> Subject:
    lang = frame.lang
    return Subject(
        facts=[
            (text("serial", lang), diploma.serial),
            (text("register_number", lang), diploma.register_number),
            (text("full_name", lang), diploma.full_name),
            (text("date_of_birth", lang), day(diploma.date_of_birth)),
            (text("kind", lang), kind_name(diploma.kind, lang)),
        ],
        back_href=f"/quan-ly/van-bang/{diploma.id}{frame.lang_query}",
        back_label=str(text("the_diploma_back", lang)),
        post_path=f"/quan-ly/van-bang/{diploma.id}/{slug}",
    )


def blanks_subject(frame: Frame, issuer: str, slug: str) -> Subject:
    lang = frame.lang
    return Subject(
        facts=[(text("issuer_unit", lang), issuer)],
        back_href=f"/quan-ly/phoi{frame.lang_query}",
        back_label=str(text("nav_blanks", lang)),
        post_path=f"/quan-ly/phoi/{slug}",
    )


def action_page(
    frame: Frame,
    action: Any,
    subject: Subject,
    values: Mapping[str, str],
    *,
    errors: Mapping[str, Text],
    message: str | None,
    other_href: str,
) -> str:
    """A lifecycle form: what it is about, its fields (choices in Vietnamese), each error
    beside its field."""
    lang = frame.lang
    fields = [
        {
            "id": f.id,
            "label": CONSOLE_ACTIONS[f.label][0 if lang == "vi" else 1],
            "kind": f.kind,
            "choices": [(v, t[0 if lang == "vi" else 1]) for v, t in f.choices],
            "required": f.required,
            "maxlength": f.maxlength,
            "value": values.get(f.id, ""),
            "hint": text("date_hint", lang)
            if f.kind == "date"
            else CONSOLE_ACTIONS["lines_hint"][0 if lang == "vi" else 1]
            if f.kind == "lines"
            else None,
            # A choice of long titles (the grounds in law) takes the form's whole width.
            "wide": any(len(t[0]) > 30 for _, t in f.choices),
        }
        for f in action.fields
    ]
    return render(
        "console/action.html",
        lang,
        **{**frame.context(), "other_href": other_href},
        title=action.title(lang),
        intro=action.intro(lang),
        subject=subject,
        fields=fields,
        errors=errors_in(lang, errors),
        message=message,
    )


def action_confirm_page(
    frame: Frame,
    action: Any,
    subject: Subject,
    values: Mapping[str, str],
    *,
    answer: Any,
    key: str,
    other_href: str,
) -> str:
    """The confirmation: exactly what will be signed, that it cannot be undone, the values
    carried in hidden fields, and the key that makes a second click harmless."""
    lang = frame.lang
    changes = answer.get("changes") if isinstance(answer, dict) else None
    changed = [
        (
            column_label(c, lang),
            shown_value(c, v.get("old"), lang),
            shown_value(c, v.get("new"), lang),
        )
        for c, v in (changes or {}).items()
        if isinstance(v, dict)
    ]
    return render(
        "console/action_confirm.html",
        lang,
        **{**frame.context(), "other_href": other_href},
        title=action.title(lang),
        subject=subject,
        rows=shown(action, values, lang),
        changed=changed,
        hidden=sorted(values.items()),
        key=key,
    )


def blanks_page(frame: Frame, report: Any, *, notice: Text | None) -> str:
    lang = frame.lang
    return render(
        "console/blanks.html",
        lang,
        **frame.context(),
        title=text("nav_blanks", lang),
        issuer=f"{report.name} ({report.issuer})",
        year=report.year,
        previous=f"/quan-ly/phoi?nam={report.year - 1}" + ("" if lang == "vi" else "&lang=en"),
        next_year=f"/quan-ly/phoi?nam={report.year + 1}" + ("" if lang == "vi" else "&lang=en"),
        tracks=report.tracks_blanks,
        kinds=[
            {"kind": kind_name(k.kind, lang), **k.model_dump(exclude={"kind"})}
            for k in report.kinds
        ],
        forms=[
            (
                f"/quan-ly/phoi/{slug}{frame.lang_query}",
                CONSOLE_ACTIONS[slug][0 if lang == "vi" else 1],
            )
            for slug in ("nhan-phoi", "phoi-hong", "huy-phoi")
        ]
        if frame.person is not None and frame.person.writes
        else [],
        notice=None if notice is None else notice[0 if lang == "vi" else 1],
    )


def bulk_lookup_page(
    frame: Frame,
    *,
    most: int,
    purpose: str = "",
    errors: dict[str, str] | None = None,
) -> str:
    """The bulk lookup's form: the purpose, the file; what was wrong beside its field."""
    lang = frame.lang
    return render(
        "console/bulk_lookup.html",
        lang,
        **frame.context(),
        title=text("bl_title", lang),
        intro=str(text("bl_intro", lang)).format(most=most),
        purpose=purpose,
        errors=errors or {},
    )


def personal_id_lookup_page(
    frame: Frame, *, query: str | None = None, found: Any = None, error: str | None = None
) -> str:
    """Finding a person's diplomas by their personal identification number: the form, and
    what it found within the reader's scope. The number typed is never shown back whole
    (the page could stay on a screen), nor put in the form again."""
    lang = frame.lang
    rows = [
        {
            "href": f"{m.links['page']}{frame.lang_query}",
            "serial": m.serial,
            "register_number": m.register_number,
            "full_name": m.full_name,
            "date_of_birth": day(m.date_of_birth),
            "kind": kind_name(m.kind, lang),
            "issuer": m.issuer_name,
            "issued_on": day(m.issued_on),
        }
        for m in (found.items if found is not None else [])
    ]
    found_title = ""
    if query is not None:
        found_title = str(text("pi_found", lang)).format(count=len(rows), number=masked(query))
    return render(
        "console/personal_id_lookup.html",
        lang,
        **frame.context(),
        title=text("pi_title", lang),
        errors={} if error is None else {"personal_id": error},
        searched=query is not None,
        found_title=found_title,
        rows=rows,
    )


def personal_id_shown_page(frame: Frame, shown: Any) -> str:
    """One diploma's whole number, after the reader asked for it (journalled)."""
    lang = frame.lang
    return render(
        "console/personal_id_shown.html",
        lang,
        **frame.context(),
        title=str(text("pi_shown_title", lang)).format(serial=shown.serial),
        number=shown.personal_id,
        back_href=f"/quan-ly/van-bang/{shown.diploma_id}{frame.lang_query}",
    )
