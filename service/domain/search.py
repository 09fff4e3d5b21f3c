"""Finding decisions and diplomas (docs/console.md): the filters a search takes, as the API's
query parameters and the console's forms give them, checked into one value; the search box's
three readings (a name without diacritics from its start, a serial, a register number); and
the keyset cursor, the last row's sort key in base64url, opaque to clients. The answers'
models are here too; /openapi.json takes its schemas from them."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Final

from pydantic import BaseModel, ConfigDict

from service import texts
from service.domain.clock import VIETNAM
from service.domain.events import Answer, IsoDateTime
from service.domain.folding import fold
from service.domain.kinds import DiplomaKind
from service.domain.standing import State
from service.problems import INVALID_PARAMETER, FieldError, Problem

PAGE: Final = 50  # a page's rows unless `limit` asks for others
MAX_PAGE: Final = 200
MAX_QUERY: Final = 200  # characters of the search box
_VN_DATE: Final = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_start(day: date) -> datetime:
    """The moment a day begins in Vietnam (a "registered before" day's bound)."""
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


def _bad(name: str, message: texts.Text) -> Problem:
    return Problem(INVALID_PARAMETER, errors=[FieldError((name,), "invalid", *message)])


def parse_day(raw: str) -> date | None:
    """A date as people type it, dd/mm/yyyy (d/m too), or yyyy-mm-dd; None if it is none."""
    text = raw.strip()
    try:
        if found := _VN_DATE.fullmatch(text):
            day, month, year = (int(g) for g in found.groups())
            return date(year, month, day)
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


def _day(query: Mapping[str, str], name: str) -> date | None:
    raw = query.get(name, "").strip()
    if not raw:
        return None
    found = parse_day(raw)
    if found is None or not 1900 <= found.year <= 2100:
        raise _bad(name, texts.SEARCH_BAD_DATE)
    return found


def _kind(query: Mapping[str, str]) -> str | None:
    kind = query.get("kind", "").strip()
    if not kind:
        return None
    if kind not in DiplomaKind.__members__.values():
        raise _bad("kind", texts.UNKNOWN_KIND_FILTER)
    return kind


def _number(query: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    raw = query.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9) or not low <= int(raw) <= high:
        raise _bad(name, texts.NUMBER_OUT_OF_RANGE.format(low=low, high=high))
    return int(raw)


def _search_box(query: Mapping[str, str]) -> str | None:
    raw = unicodedata.normalize("NFC", " ".join(query.get("q", "").split()))
    if len(raw) > MAX_QUERY:
        raise _bad("q", texts.SEARCH_TOO_LONG.format(max=MAX_QUERY))
    return raw or None


def _issuer(query: Mapping[str, str]) -> str | None:
    raw = query.get("issuer", "").strip().upper()
    return raw or None


def _limit(query: Mapping[str, str]) -> int:
    return _number(query, "limit", 1, MAX_PAGE) or PAGE


# The cursor -------------------------------------------------------------------------------


def encode_cursor(moment: date | datetime, row_id: uuid.UUID) -> str:
    """The last row's sort key ("<iso>|<id>"), base64url without padding."""
    raw = f"{moment.isoformat()}|{row_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(text: str) -> tuple[str, uuid.UUID]:
    try:
        padded = text + "=" * (-len(text) % 4)
        moment, row_id = base64.urlsafe_b64decode(padded.encode("ascii")).decode().split("|")
        return moment, uuid.UUID(row_id)
    except (ValueError, binascii.Error, UnicodeError):
        raise _bad("cursor", texts.BAD_CURSOR) from None


def _date_cursor(query: Mapping[str, str]) -> tuple[date, uuid.UUID] | None:
    raw = query.get("cursor", "").strip()
    if not raw:
        return None
    moment, row_id = _decode(raw)
    try:
        return date.fromisoformat(moment), row_id
    except ValueError:
        raise _bad("cursor", texts.BAD_CURSOR) from None


def _moment_cursor(query: Mapping[str, str]) -> tuple[datetime, uuid.UUID] | None:
    raw = query.get("cursor", "").strip()
    if not raw:
        return None
    moment, row_id = _decode(raw)
    try:
        found = datetime.fromisoformat(moment)
    except ValueError:
        raise _bad("cursor", texts.BAD_CURSOR) from None
    if found.tzinfo is None:
        raise _bad("cursor", texts.BAD_CURSOR)
    return found, row_id


# Decisions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionQuery:
    number: str | None  # lower case, found anywhere in the decision's number
    kind: str | None
    year: int | None  # of the decision's date
    issuer: str | None
    after: tuple[date, uuid.UUID] | None
    limit: int


def decision_query(query: Mapping[str, str]) -> DecisionQuery:
    """The decisions' filters (q, kind, year, issuer, cursor, limit); a bad one raises a
    problem naming it."""
    box = _search_box(query)
    return DecisionQuery(
        number=box.lower() if box else None,
        kind=_kind(query),
        year=_number(query, "year", 1900, 2100),
        issuer=_issuer(query),
        after=_date_cursor(query),
        limit=_limit(query),
    )


# Diplomas ---------------------------------------------------------------------------------

STATES: Final = tuple(state.value for state in State)


@dataclass(frozen=True)
class DiplomaQuery:
    text: str | None  # the search box as typed (spaces collapsed, NFC)
    born: date | None
    kind: str | None
    year: int | None  # graduation year
    state: str | None
    decision: uuid.UUID | None
    issuer: str | None
    handed_over: bool | None
    registered_before: date | None  # registered before this day began (Vietnam time)
    after: tuple[datetime, uuid.UUID] | None
    limit: int

    @property
    def name_range(self) -> tuple[str, str] | None:
        """The folded names the search box finds from their start, as [low, high) in byte
        order; None without a search."""
        if self.text is None:
            return None
        low = fold(self.text)
        return low, following(low)

    @property
    def number(self) -> str | None:
        """The search box as a serial or register number, compared in lower case."""
        return None if self.text is None else self.text.lower()


def following(prefix: str) -> str:
    """The least string greater, in byte order, than every string that starts with `prefix`:
    its last character's successor (UTF-8 keeps code point order), past the surrogates."""
    if not prefix:
        return "\U0010ffff"
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return prefix + "\U0010ffff"
    successor = last + 1 if last + 1 < 0xD800 or last + 1 > 0xDFFF else 0xE000
    return prefix[:-1] + chr(successor)


def _flag(query: Mapping[str, str], name: str) -> bool | None:
    raw = query.get(name, "").strip().lower()
    if not raw:
        return None
    if raw in ("true", "1", "yes"):
        return True
    if raw in ("false", "0", "no"):
        return False
    raise _bad(name, texts.FLAG_VALUE.format(name=name))


def diploma_query(query: Mapping[str, str]) -> DiplomaQuery:
    """The diplomas' filters (q, born, kind, year, state, decision, issuer, handed_over,
    registered_before, cursor, limit); a bad one raises a problem naming it."""
    state = query.get("state", "").strip() or None
    if state is not None and state not in STATES:
        raise _bad("state", texts.SEARCH_UNKNOWN_STATE.format(states=", ".join(STATES)))
    decision = None
    if raw := query.get("decision", "").strip():
        try:
            decision = uuid.UUID(raw)
        except ValueError:
            raise _bad("decision", texts.SEARCH_BAD_ID) from None
    return DiplomaQuery(
        text=_search_box(query),
        born=_day(query, "born"),
        kind=_kind(query),
        year=_number(query, "year", 1900, 2100),
        state=state,
        decision=decision,
        issuer=_issuer(query),
        handed_over=_flag(query, "handed_over"),
        registered_before=_day(query, "registered_before"),
        after=_moment_cursor(query),
        limit=_limit(query),
    )


# The answers ------------------------------------------------------------------------------


class _Item(BaseModel):
    model_config = ConfigDict(frozen=True)


class SearchLinks(_Item):
    self: str  # the API's own record
    page: str  # the console's page of it


class DecisionItem(_Item):
    id: uuid.UUID
    issuer: str
    number: str
    date: dt.date
    kind: str
    graduate_count: int
    registered_at: IsoDateTime
    deadline: dt.date | None
    late: bool
    links: SearchLinks


class DecisionList(Answer):
    """A page of decisions, newest decided first; `next` is the next page's URL, or null."""

    items: list[DecisionItem]
    next: str | None


class DiplomaItemDecision(_Item):
    id: uuid.UUID
    number: str
    date: dt.date


class DiplomaItem(_Item):
    id: uuid.UUID
    issuer: str
    kind: str
    serial: str
    register_number: str
    full_name: str  # as registered; a correction's is on the diploma's own record
    date_of_birth: date
    graduation_year: int
    issued_on: date
    registered_at: IsoDateTime
    state: State
    handed_over_on: date | None
    decision: DiplomaItemDecision
    links: SearchLinks


class DiplomaList(Answer):
    """A page of diplomas, newest registered first; `next` is the next page's URL, or null."""

    items: list[DiplomaItem]
    next: str | None
