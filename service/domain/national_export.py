"""The national diploma database export (docs/national-export.md): the mapping, kept as data
in national.toml and read here only; the cursor, a position in the issuance log; and each
export record, built from the register's rows of one log leaf. Pure: the rows come in as
plain values, the records go out as answer models.

The cursor is the index of the next leaf to read, so it is stable (leaves are never
rewritten), gapless (the sequencer numbers leaves in one transaction at a time, under a
lock) and only ever covers what is committed and sequenced: a page read from a cursor is the
same page however often it is read, and no record is skipped however writes interleave.
"""

from __future__ import annotations

import base64
import binascii
import re
import tomllib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from pydantic import Field

from service import texts
from service.domain.clock import VIETNAM
from service.domain.events import Answer, Hex
from service.domain.lifecycle import CIVIL_STATUS_FIELDS
from service.domain.regulations import regulation_on

# Where a field's value may come from (national.toml's header says what each one is).
NAMESPACES: Final = ("diploma", "content", "decision", "issuer", "event", "log", "computed")
COMPUTED: Final = frozenset({"kind_name", "act_regulation", "personal_id"})
CONTENT_COLUMNS: Final = frozenset(CIVIL_STATUS_FIELDS.values())
# Columns the export never reads, whatever the mapping says: signatures and salts (the log
# proves them, the national database does not need them) and identity documents' numbers
# (kept in the register, never answered).
NEVER_EXPORTED: Final = frozenset({"signed", "record_signed", "salt", "id_document_number"})
# What the export's query adds to an event's own row (sql/queries/national_export.sql).
EVENT_EXTRAS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {"reissue": frozenset({"new_serial", "new_register_number", "new_issued_on"})}
)
# The log's leaf, as the export reads it.
LOG_COLUMNS: Final = frozenset({"idx", "event_type", "issuer_code", "event_time"})
TYPES: Final = frozenset({"string", "date", "datetime", "integer", "boolean", "object"})
_NAME: Final = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
# Content may only be read where a record sets the holder's civil status.
_CONTENT_RECORDS: Final = frozenset({"registration", "correction"})

MAX_LIMIT: Final = 1000  # records in one page
DEFAULT_LIMIT: Final = 500
SCAN: Final = 50_000  # leaves one page reads at most, so a page's work is bounded
_CURSOR_PREFIX: Final = "national:1:"


class MappingError(ValueError):
    """national.toml says something the export cannot do; the message says what."""


@dataclass(frozen=True)
class Source:
    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.namespace}.{self.name}"


def parse_source(text: str) -> Source:
    namespace, _, name = text.partition(".")
    if namespace not in NAMESPACES or not _NAME.match(name):
        raise MappingError(f"source {text!r}: not <{'|'.join(NAMESPACES)}>.<name>")
    if name in NEVER_EXPORTED:
        raise MappingError(f"source {text!r}: this column is never exported")
    if namespace == "computed" and name not in COMPUTED:
        raise MappingError(f"source {text!r}: no such computed value ({sorted(COMPUTED)})")
    if namespace == "content" and name not in CONTENT_COLUMNS:
        raise MappingError(f"source {text!r}: not a civil-status column")
    if namespace == "log" and name not in LOG_COLUMNS:
        raise MappingError(f"source {text!r}: the export reads {sorted(LOG_COLUMNS)} of a leaf")
    return Source(namespace, name)


@dataclass(frozen=True)
class RecordType:
    name: str
    label: str
    description: str
    log_event: str
    table: str
    id: Source
    act_date: Source


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    description: str
    source: Source
    type: str
    required: bool
    confirmed: bool
    records: tuple[str, ...]
    values: Mapping[str, str] | None


@dataclass(frozen=True)
class NationalMapping:
    name: str
    version: str
    confirmed: bool
    basis: str
    record_types: Mapping[str, RecordType]
    fields: tuple[FieldSpec, ...]
    not_exported: frozenset[str]

    @property
    def by_log_event(self) -> dict[str, RecordType]:
        return {r.log_event: r for r in self.record_types.values()}

    @property
    def exported_events(self) -> list[str]:
        return sorted(self.by_log_event)

    def fields_of(self, record_type: str) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if record_type in f.records)


def _check_source(source: Source, record_type: str, what: str) -> None:
    if source.namespace == "event" and record_type == "registration":
        raise MappingError(f"{what}: a registration has no event row ({source})")
    if source.namespace == "content" and record_type not in _CONTENT_RECORDS:
        raise MappingError(f"{what}: a {record_type} sets no civil status ({source})")


def load_mapping(path: Path) -> NationalMapping:
    """The mapping in `path`, checked; raises MappingError naming what is wrong."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    head = raw["mapping"]
    record_types: dict[str, RecordType] = {}
    for name, body in raw["record_types"].items():
        record_types[name] = RecordType(
            name=name,
            label=body["label"],
            description=body["description"],
            log_event=body["log_event"],
            table=body["table"],
            id=parse_source(body["id"]),
            act_date=parse_source(body["act_date"]),
        )
        _check_source(record_types[name].id, name, f"record type {name}")
        _check_source(record_types[name].act_date, name, f"record type {name}")
    events = [r.log_event for r in record_types.values()]
    not_exported = frozenset(raw["not_exported"]["log_events"])
    if len(set(events)) != len(events) or not_exported & set(events):
        raise MappingError("each log event is exported by one record type or not at all")
    fields: list[FieldSpec] = []
    for body in raw["fields"]:
        name = body["name"]
        if not _NAME.match(name) or name in {f.name for f in fields}:
            raise MappingError(f"field {name!r}: not a unique snake_case ASCII name")
        if body["type"] not in TYPES:
            raise MappingError(f"field {name}: type {body['type']!r} is not one of {TYPES}")
        unknown = set(body["records"]) - record_types.keys()
        if unknown or not body["records"]:
            raise MappingError(f"field {name}: unknown record types {sorted(unknown)}")
        spec = FieldSpec(
            name=name,
            label=body["label"],
            description=body["description"],
            source=parse_source(body["source"]),
            type=body["type"],
            required=bool(body["required"]),
            confirmed=bool(body["confirmed"]),
            records=tuple(body["records"]),
            values=MappingProxyType(dict(body["values"])) if "values" in body else None,
        )
        for record_type in spec.records:
            _check_source(spec.source, record_type, f"field {name}")
        fields.append(spec)
    return NationalMapping(
        name=head["name"],
        version=head["version"],
        confirmed=bool(head["confirmed"]),
        basis=head["basis"],
        record_types=MappingProxyType(record_types),
        fields=tuple(fields),
        not_exported=not_exported,
    )


MAPPING: Final = load_mapping(Path(__file__).with_name("national.toml"))


# The cursor ----------------------------------------------------------------------------------


def encode_cursor(index: int) -> str:
    """The position of the next leaf to read, opaque to clients (base64url, no padding)."""
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{index}".encode()).decode().rstrip("=")


def decode_cursor(text: str) -> int | None:
    """The leaf index a cursor names, or None when it is not one this export gave."""
    try:
        raw = base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode("ascii")).decode()
    except (ValueError, binascii.Error, UnicodeError):
        return None
    number = raw.removeprefix(_CURSOR_PREFIX)
    if number == raw or not (number.isascii() and number.isdigit()) or len(number) > 19:
        return None
    return int(number)


# The records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeafRows:
    """One leaf of the page and the register's rows it stands for, as the export's query
    reads them (jsonb decoded: dates are yyyy-mm-dd strings). `diploma` is None, or `event`
    is None for a lifecycle record, when the register lacks the row the leaf was made of
    (deleted behind the database's back: the audit's orphan leaves)."""

    index: int
    event_type: str
    issuer_code: str
    leaf_hash: bytes
    event_time: datetime
    diploma: dict[str, Any] | None
    decision: dict[str, Any] | None
    issuer: dict[str, Any] | None
    event: dict[str, Any] | None

    @property
    def complete(self) -> bool:
        return self.diploma is not None and (self.event_type == "issue" or self.event is not None)


class NationalRecord(Answer):
    """One export record: an entry registered or a lifecycle event, in the mapping's fields.
    `record_id` is stable (the receiver de-duplicates on it); `log_index` and `leaf_hash`
    name its leaf in the issuance log, whose inclusion proof anyone can ask for."""

    record_id: uuid.UUID
    record_type: str
    mapping_version: str
    log_index: int
    leaf_hash: Hex
    issuer: str
    diploma_id: uuid.UUID
    fields: dict[str, Any]


class NationalMappingInfo(Answer):
    name: str
    version: str
    confirmed: bool


class NationalExportPage(Answer):
    """A page of the export. `next` is the cursor to ask with next time; `more` says whether
    leaves are already waiting after it. `log_size` is the size of the log's latest signed
    checkpoint, which the page never reads beyond. `unmatched` lists leaves in scope whose
    register row is missing (`vanbang audit verify` names them): no record is made of them."""

    mapping: NationalMappingInfo
    scope: str | None = Field(description="the issuer whose subtree is exported; null: all")
    after: str | None
    next: str
    more: bool
    log_size: int
    records: list[NationalRecord]
    unmatched: list[int]


def act_regulation(day: date) -> str:
    """The code of the regulation in force on the act's day (regulations.regulation_on; its
    amendments in force then, e.g. TT13/2025, are not named)."""
    return regulation_on(day).code


def _raw(spec_source: Source, rows: LeafRows, personal_id: str | None) -> Any:
    namespace, name = spec_source.namespace, spec_source.name
    diploma = rows.diploma or {}
    if namespace == "diploma":
        return diploma.get(name)
    if namespace == "content":
        if rows.event_type == "correction" and rows.event is not None:
            return rows.event["current"].get(name)
        return diploma.get(name)
    if namespace == "decision":
        return (rows.decision or {}).get(name)
    if namespace == "issuer":
        return (rows.issuer or {}).get(name)
    if namespace == "event":
        return (rows.event or {}).get(name)
    if namespace == "log":
        return {
            "idx": rows.index,
            "event_type": rows.event_type,
            "issuer_code": rows.issuer_code,
            "event_time": rows.event_time,
        }[name]
    if name == "kind_name":
        kind = texts.KINDS.get(diploma.get("kind", ""))
        return None if kind is None else kind.vi
    if name == "personal_id":
        return personal_id
    assert name == "act_regulation"
    record_type = MAPPING.by_log_event[rows.event_type]
    day = _raw(record_type.act_date, rows, personal_id)
    return None if day is None else act_regulation(date.fromisoformat(str(day)))


def _typed(spec: FieldSpec, value: Any) -> Any:
    """The value as the export writes it; raises ValueError when it is not of the type."""
    if value is None:
        return None
    if spec.values is not None:
        if str(value) not in spec.values:
            # Never the value itself: it may be personal (the error reaches the logs).
            raise ValueError(f"{spec.name}: no export value for this {type(value).__name__}")
        return spec.values[str(value)]
    if spec.type == "date":
        return date.fromisoformat(str(value)[:10]).isoformat()
    if spec.type == "datetime":
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return moment.astimezone(VIETNAM).isoformat()
    expected: dict[str, type | tuple[type, ...]] = {
        "string": str,
        "integer": int,
        "boolean": bool,
        "object": dict,
    }
    kind = expected[spec.type]
    if not isinstance(value, kind) or (spec.type == "integer" and isinstance(value, bool)):
        raise ValueError(f"{spec.name}: a {type(value).__name__} is not of type {spec.type}")
    return value


def build_record(
    rows: LeafRows, personal_id: str | None, mapping: NationalMapping = MAPPING
) -> NationalRecord:
    """The export record of one complete leaf; raises ValueError when a required field has
    no value or a value is not of its type (the mapping and the register disagree)."""
    record_type = mapping.by_log_event[rows.event_type]
    assert rows.diploma is not None
    fields: dict[str, Any] = {}
    for spec in mapping.fields_of(record_type.name):
        value = _typed(spec, _raw(spec.source, rows, personal_id))
        if value is None and spec.required:
            raise ValueError(f"{spec.name}: required, and leaf {rows.index} has no value")
        fields[spec.name] = value
    return NationalRecord(
        record_id=uuid.UUID(str(_raw(record_type.id, rows, personal_id))),
        record_type=record_type.name,
        mapping_version=mapping.version,
        log_index=rows.index,
        leaf_hash=rows.leaf_hash,
        issuer=rows.issuer_code,
        diploma_id=uuid.UUID(str(rows.diploma["id"])),
        fields=fields,
    )
