"""The console's lifecycle forms (docs/console.md): handover, correction, revocation,
re-issue, certified copy. Each is a list of fields; a posted form becomes the request its API
takes (the same JSON), and a problem's field errors come back beside the form's fields.

A field's id is its path in the request joined by "-" ("signer-name", "changes-full_name"),
so an error's `loc` names its field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, Literal

from service.domain.kinds import DiplomaKind
from service.problems import FieldError
from service.texts import (
    CONSOLE_ACTIONS,
    CONSOLE_PAGE,
    CORRECTION_GROUNDS,
    KINDS,
    REVOCATION_GROUNDS,
    Text,
)
from verifier.result import Lang

Kind = Literal["text", "date", "select", "textarea", "number", "lines"]


@dataclass(frozen=True)
class Field:
    id: str
    label: str  # a key of CONSOLE_ACTIONS
    kind: Kind = "text"
    choices: tuple[tuple[str, Text], ...] = ()
    required: bool = True
    maxlength: int = 200


@dataclass(frozen=True)
class Action:
    slug: str  # the page's path segment, and the key of its title and intro
    name: str  # the use case's (service/usecases/actions.py)
    fields: tuple[Field, ...]
    defaults: Mapping[str, str] = field(default_factory=dict)
    on: Literal["diploma", "issuer"] = "diploma"  # one diploma, or the issuer's blanks

    def title(self, lang: Lang) -> str:
        return _in(lang, CONSOLE_ACTIONS[self.slug])

    def intro(self, lang: Lang) -> str:
        return _in(lang, CONSOLE_ACTIONS[f"{self.slug}-intro"])


def _in(lang: Lang, pair: Text) -> str:
    return pair.vi if lang == "vi" else pair.en


def _choices(prefix: str, values: Sequence[str]) -> tuple[tuple[str, Text], ...]:
    return tuple((v, CONSOLE_ACTIONS[f"{prefix}-{v}"]) for v in values)


_DOCUMENTS: Final = _choices("document", ("citizen_id", "identity_card", "passport", "other"))
_GENDERS: Final = (("male", CONSOLE_PAGE["male"]), ("female", CONSOLE_PAGE["female"]))
_DECISION: Final = (
    Field("decision_number", "decision_number", maxlength=64),
    Field("decided_on", "decided_on", "date"),
)
_CIVIL_STATUS: Final = (
    Field("changes-full_name", "changes-full_name", required=False, maxlength=100),
    Field("changes-date_of_birth", "changes-date_of_birth", "date", required=False),
    Field("changes-place_of_birth", "changes-place_of_birth", required=False),
    Field("changes-gender", "changes-gender", "select", _GENDERS, required=False),
    Field("changes-ethnicity", "changes-ethnicity", required=False, maxlength=64),
    Field("changes-nationality", "changes-nationality", required=False, maxlength=64),
)

_KIND: Final = Field(
    "kind", "kind", "select", tuple((k.value, KINDS[k.value]) for k in DiplomaKind)
)

ACTIONS: Final[Mapping[str, Action]] = {
    a.slug: a
    for a in (
        Action(
            "ban-giao",
            "handover",
            (
                Field("recipient_name", "recipient_name", maxlength=100),
                Field(
                    "relation",
                    "relation",
                    "select",
                    _choices("relation", ("holder", "representative")),
                ),
                Field("id_document_type", "id_document_type", "select", _DOCUMENTS, False),
                Field("id_document_number", "id_document_number", required=False, maxlength=32),
                Field("authorisation", "authorisation", required=False),
                Field("handed_over_on", "handed_over_on", "date"),
                Field("handed_over_by", "handed_over_by", maxlength=100),
                Field("note", "note", "textarea", required=False, maxlength=2000),
            ),
            {"relation": "holder"},
        ),
        Action(
            "chinh-sua",
            "correction",
            (
                *_DECISION,
                Field("signer-name", "signer-name", maxlength=100),
                Field("signer-title", "signer-title"),
                Field(
                    "ground",
                    "ground",
                    "select",
                    tuple((k, v) for k, v in CORRECTION_GROUNDS.items()),
                ),
                Field("reason", "reason", "textarea", maxlength=2000),
                *_CIVIL_STATUS,
            ),
        ),
        Action(
            "thu-hoi",
            "revocation",
            (
                *_DECISION,
                Field("authority", "authority"),
                Field(
                    "ground",
                    "ground",
                    "select",
                    tuple((k, v) for k, v in REVOCATION_GROUNDS.items()),
                ),
                Field("reason", "reason", "textarea", maxlength=2000),
            ),
        ),
        Action(
            "cap-lai",
            "reissue",
            (
                Field("serial", "serial", maxlength=40),
                Field("issued_on", "reissued_on", "date"),
                Field("reason", "reason", "textarea", maxlength=2000),
                *_CIVIL_STATUS,
                Field("changes-major", "changes-major", required=False),
                Field("changes-classification", "changes-classification", required=False),
                Field("changes-mode_of_study", "changes-mode_of_study", required=False),
            ),
        ),
        Action(
            "ban-sao",
            "copy",
            (
                Field("requester_name", "requester_name", maxlength=100),
                Field(
                    "relation",
                    "requester_relation",
                    "select",
                    _choices("relation", ("holder", "representative", "relative", "heir")),
                ),
                Field("id_document_type", "id_document_type", "select", _DOCUMENTS),
                Field("id_document_number", "id_document_number", maxlength=32),
                Field("copies", "copies", "number", maxlength=2),
                Field("issued_on", "copied_on", "date"),
                Field("signer-name", "copy_signer-name", maxlength=100),
                Field("signer-title", "copy_signer-title"),
                Field("signer-on_behalf_of", "signer-on_behalf_of", required=False),
                Field("form", "copy_form", "select", _choices("form", ("paper", "extract"))),
            ),
            {
                "copies": "1",
                "relation": "holder",
                "id_document_type": "citizen_id",
                "form": "paper",
            },
        ),
        Action(
            "nhan-phoi",
            "blanks_receive",
            (
                _KIND,
                Field("first_serial", "first_serial", maxlength=40),
                Field("last_serial", "last_serial", maxlength=40),
                Field("received_on", "received_on", "date"),
                Field("reference", "reference"),
            ),
            on="issuer",
        ),
        Action(
            "phoi-hong",
            "blanks_spoil",
            (
                _KIND,
                Field("serials", "serials", "lines", maxlength=50_000),
                Field("occurred_on", "occurred_on", "date"),
                Field("reason", "reason", "textarea", maxlength=2000),
            ),
            on="issuer",
        ),
        Action(
            "huy-phoi",
            "blanks_destroy",
            (
                _KIND,
                Field("serials", "serials", "lines", maxlength=500_000),
                Field("minutes_number", "minutes_number", maxlength=64),
                Field("council", "council", "lines", maxlength=2000),
                Field("method", "method"),
                Field("destroyed_on", "destroyed_on", "date"),
                Field("reason", "reason", "textarea", maxlength=2000),
            ),
            on="issuer",
        ),
    )
}
_LIST_FIELDS: Final = frozenset({"serials", "council"})


def values_of(action: Action, form: Mapping[str, str]) -> dict[str, str]:
    """The action's own fields as posted, trimmed to their length (empty ones left out)."""
    values = {}
    for f in action.fields:
        value = form.get(f.id, "").strip()
        if value:
            values[f.id] = value[: f.maxlength]
    return values


def request_of(values: Mapping[str, str]) -> dict[str, Any]:
    """The request the values make: each field at its path ("changes-full_name" in
    `changes`); a correction's or re-issue's changes always present."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        target = data
        *parents, last = name.split("-")
        for part in parents:
            target = target.setdefault(part, {})
        if name in _LIST_FIELDS:
            separators = "\n" if name == "council" else "\n,;"
            target[last] = _split(value, separators)
        elif name == "copies" and value.isdigit():
            target[last] = int(value)
        else:
            target[last] = value
    return data


def _split(value: str, separators: str) -> list[str]:
    for separator in separators[1:]:
        value = value.replace(separator, separators[0])
    return [item.strip() for item in value.split(separators[0]) if item.strip()]


def errors_by_field(action: Action, errors: Sequence[FieldError]) -> dict[str, Text]:
    """A problem's field errors by the form's field ids; an error the form has no field for
    (the changes as a whole: "nothing would change") goes to the first field it concerns."""
    ids = [f.id for f in action.fields]
    found: dict[str, Text] = {}
    for error in errors:
        # ("serials", 3) is the serials field's; ("changes",) the first field of changes.
        loc = [str(p) for p in error.loc]
        name = next(
            ("-".join(loc[:n]) for n in range(len(loc), 0, -1) if "-".join(loc[:n]) in ids),
            "",
        )
        if not name:
            prefix = "-".join(loc) + "-"
            name = next((i for i in ids if i.startswith(prefix)), ids[0])
        found.setdefault(name, Text(error.message_vi, error.message_en))
    return found


def shown(action: Action, values: Mapping[str, str], lang: Lang) -> list[tuple[str, str]]:
    """What will be signed, as the confirmation shows it: each filled field's label and its
    value (a choice by its title, a date as dd/mm/yyyy)."""
    rows = []
    for f in action.fields:
        value = values.get(f.id)
        if value is None:
            continue
        if f.kind == "select":
            titles = dict(f.choices)
            value = _in(lang, titles[value]) if value in titles else value
        elif f.kind == "date":
            value = _day(value)
        elif f.kind == "lines":
            items = _split(value, "\n" if f.id == "council" else "\n,;")
            value = (
                ", ".join(items)
                if len(items) <= 20
                else f"{', '.join(items[:20])}, … ({len(items)})"
            )
        rows.append((_in(lang, CONSOLE_ACTIONS[f.label]), value))
    return rows


def _day(value: str) -> str:
    try:
        return f"{date.fromisoformat(value):%d/%m/%Y}"
    except ValueError:
        return value  # as typed: dd/mm/yyyy already
