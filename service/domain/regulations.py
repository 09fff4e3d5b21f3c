"""The legal bases diplomas are issued under, read from regulations.toml.

Who may issue which kind, the issuing deadline, who signs and the fields a kind requires
differ by regulation and, within one, by date (an amendment changes a rule from its own
date on); they are data in one file, not conditions spread through the code. Every rule
carries its source and whether it is confirmed.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from service import texts
from service.domain.holidays import holidays_between
from service.domain.kinds import DiplomaKind, IssuerKind

# The regulation a record names when nothing else says (rows registered before the
# regulation followed from the date, and tests' fixtures).
DEFAULT_REGULATION = "TT21/2019"


@dataclass(frozen=True)
class Source:
    """Where a rule comes from (circular and article) and whether it is confirmed."""

    text: str
    confirmed: bool


@dataclass(frozen=True)
class Deadline:
    """A time limit counted from the graduation decision."""

    count: int
    working_days: bool  # False: calendar days
    source: Source

    def due(self, start: date) -> date:
        """The last day of the limit that starts the day after `start`."""
        if not self.working_days:
            return start + timedelta(days=self.count)
        closed = holidays_between(start.year, start.year + 1)
        day, left = start, self.count
        while left:
            day += timedelta(days=1)
            if day.weekday() < 5 and day not in closed:
                left -= 1
        return day


@dataclass(frozen=True)
class Signers:
    """Who signs: the head of the issuer (`heads`, any of these titles), or a deputy on the
    head's behalf ("KT.") where `deputy`. Titles compare without case or a leading "KT."."""

    heads: tuple[str, ...]
    deputy: bool
    source: Source

    def is_head(self, title: str, *, on_behalf: bool = False) -> bool:
        """Whether `title` is a head's: one of `heads`, alone or followed by the body's name
        ("Giám đốc Sở Giáo dục và Đào tạo"); "Phó Giám đốc" is not "Giám đốc". A leading
        "KT." is allowed `on_behalf` only (the head's title a deputy signs for)."""
        wanted = _title(title, on_behalf=on_behalf)
        return any(_starts(wanted, head) for head in map(_title, self.heads))

    def is_deputy(self, title: str) -> bool:
        """Whether `title` is a deputy's: "Phó" and a head's title ("Phó Hiệu trưởng")."""
        wanted = _title(title)
        deputy = texts.DEPUTY_PREFIX.casefold()
        return any(_starts(wanted, f"{deputy} {head}") for head in map(_title, self.heads))


def _title(title: str, *, on_behalf: bool = False) -> str:
    """A title as compared: without case and runs of spaces (and, `on_behalf`, a leading
    "KT.")."""
    words = title.casefold().split()
    if on_behalf and words and words[0] in ("kt.", "kt"):
        words = words[1:]
    return " ".join(words)


def _starts(title: str, head: str) -> bool:
    return title == head or title.startswith(head + " ")


@dataclass(frozen=True)
class KindRule:
    issuers: frozenset[IssuerKind]
    issuers_source: Source
    deadline: Deadline
    requires: tuple[str, ...]
    requires_source: Source
    signers: Signers | None = None
    digital_deadline: Deadline | None = None

    @property
    def deadline_days(self) -> int:
        return self.deadline.count


@dataclass(frozen=True)
class Absent:
    """The kind does not exist under the regulation: `reason` keys texts.KIND_ABSENT."""

    reason: str
    source: Source


@dataclass(frozen=True)
class Amendment:
    code: str
    title: str
    in_force_from: date
    source: Source
    kinds: Mapping[DiplomaKind, Mapping[str, Any]]  # the rule fields it replaces
    absent: Mapping[DiplomaKind, Absent] = field(default_factory=dict)  # kinds it abolishes


@dataclass(frozen=True)
class Transition:
    """The regulation may be named after it ceased, for decisions made before `decided_before`."""

    decided_before: date
    source: Source


@dataclass(frozen=True)
class Regulation:
    code: str
    title: str
    in_force_from: date
    in_force_from_source: Source
    in_force_until: date | None
    in_force_until_source: Source | None
    kinds: Mapping[DiplomaKind, KindRule]
    absent: Mapping[DiplomaKind, Absent] = field(default_factory=dict)
    amendments: tuple[Amendment, ...] = ()
    transition: Transition | None = None

    @property
    def confirmed(self) -> bool:
        return self.in_force_from_source.confirmed

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )

    def amendments_on(self, day: date) -> tuple[Amendment, ...]:
        return tuple(a for a in self.amendments if a.in_force_from <= day)

    def absent_on(self, kind: DiplomaKind, on: date | None = None) -> Absent | None:
        """Why the regulation has no `kind` on `on` (as made when None), or None if it has."""
        found = self.absent.get(kind)
        for amendment in self.amendments_on(on) if on is not None else ():
            found = amendment.absent.get(kind, found)
        return found

    def rule(self, kind: DiplomaKind, on: date | None = None) -> KindRule | None:
        """The rule for `kind` in force on `on` (the regulation as made when None), or None
        when this regulation has no such diploma (that day)."""
        rule = self.kinds.get(kind)
        if rule is None or on is None:
            return rule
        if self.absent_on(kind, on) is not None:
            return None
        for amendment in self.amendments_on(on):
            changes = amendment.kinds.get(kind)
            if changes:
                rule = replace(rule, **changes)
        return rule

    def basis(self, on: date) -> texts.Text:
        """The regulation's title with the amendments in force on `on`, as a law is cited."""
        amended = ", ".join(a.title for a in self.amendments_on(on))
        if not amended:
            return texts.Text(self.title, self.title)
        return texts.AMENDED_BY.format(regulation=self.title, amendments=amended)


def regulation_on(day: date) -> Regulation:
    """The regulation in force on `day` (the latest to come into force by then)."""
    candidates = [r for r in REGULATIONS.values() if r.in_force_on(day)]
    if not candidates:
        candidates = [min(REGULATIONS.values(), key=lambda r: r.in_force_from)]
    return max(candidates, key=lambda r: r.in_force_from)


def may_name(regulation: Regulation, *, issued_on: date, decided_on: date) -> bool:
    """Whether a request may name `regulation` for a diploma issued on `issued_on` from a
    decision of `decided_on`: in force that day, or within a transition the law allows."""
    if regulation.in_force_on(issued_on):
        return True
    transition = regulation.transition
    return (
        transition is not None
        and issued_on >= regulation.in_force_from
        and decided_on < transition.decided_before
    )


@dataclass(frozen=True)
class RuleLine:
    """One rule as listed by `vanbang rules`."""

    regulation: str
    amendment: str | None
    kind: str | None
    name: str
    value: str
    source: Source


def rule_lines(regulations: Mapping[str, Regulation] | None = None) -> Iterator[RuleLine]:
    """Every rule with its source, in the file's order."""
    for reg in (regulations or REGULATIONS).values():
        code = reg.code
        yield RuleLine(
            code, None, None, "in_force_from", f"{reg.in_force_from:%d/%m/%Y}",
            reg.in_force_from_source,
        )  # fmt: skip
        if reg.in_force_until is not None and reg.in_force_until_source is not None:
            until = f"{reg.in_force_until:%d/%m/%Y}"
            yield RuleLine(code, None, None, "in_force_until", until, reg.in_force_until_source)
        if reg.transition is not None:
            t = reg.transition
            value = f"decided_before {t.decided_before:%d/%m/%Y}"
            yield RuleLine(code, None, None, "named_for", value, t.source)
        for kind, absent in reg.absent.items():
            yield RuleLine(code, None, kind.value, "absent", absent.reason, absent.source)
        for kind, rule in reg.kinds.items():
            yield from _kind_lines(code, None, kind.value, _fields(rule))
        for amendment in reg.amendments:
            since = f"{amendment.in_force_from:%d/%m/%Y}"
            yield RuleLine(code, amendment.code, None, "in_force_from", since, amendment.source)
            for kind, changes in amendment.kinds.items():
                yield from _kind_lines(code, amendment.code, kind.value, changes)
            for kind, gone in amendment.absent.items():
                yield RuleLine(code, amendment.code, kind.value, "absent", gone.reason, gone.source)


def _fields(rule: KindRule) -> dict[str, Any]:
    return {f.name: getattr(rule, f.name) for f in dataclass_fields(rule)}


def _kind_lines(
    code: str, amendment: str | None, kind: str, fields: Mapping[str, Any]
) -> Iterator[RuleLine]:
    if "issuers" in fields:
        value = ", ".join(sorted(fields["issuers"]))
        yield RuleLine(code, amendment, kind, "issuers", value, fields["issuers_source"])
    for name in ("deadline", "digital_deadline"):
        deadline = fields.get(name)
        if deadline is not None:
            unit = "working_days" if deadline.working_days else "days"
            value = f"{deadline.count} {unit}"
            yield RuleLine(code, amendment, kind, name, value, deadline.source)
    if "requires" in fields:
        value = ", ".join(fields["requires"]) or "-"
        yield RuleLine(code, amendment, kind, "requires", value, fields["requires_source"])
    signers = fields.get("signers")
    if signers is not None:
        value = " / ".join(signers.heads) + (" (KT.)" if signers.deputy else "")
        yield RuleLine(code, amendment, kind, "signers", value, signers.source)


# Loading ------------------------------------------------------------------------------


def _source(entry: Mapping[str, Any]) -> Source:
    return Source(str(entry["source"]), bool(entry["confirmed"]))


def _deadline(entry: Mapping[str, Any]) -> Deadline:
    working = "working_days" in entry
    return Deadline(int(entry["working_days" if working else "days"]), working, _source(entry))


def _rule_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The KindRule fields a kind's table gives (all of them, or an amendment's few)."""
    known = {"issuers", "deadline", "digital_deadline", "requires", "signers"}
    unknown = set(body) - known
    if unknown:
        raise ValueError(f"regulations.toml: unknown rule {sorted(unknown)}")
    fields: dict[str, Any] = {}
    if "issuers" in body:
        fields["issuers"] = frozenset(IssuerKind(i) for i in body["issuers"]["value"])
        fields["issuers_source"] = _source(body["issuers"])
    if "deadline" in body:
        fields["deadline"] = _deadline(body["deadline"])
    if "digital_deadline" in body:
        fields["digital_deadline"] = _deadline(body["digital_deadline"])
    if "requires" in body:
        fields["requires"] = tuple(body["requires"]["value"])
        fields["requires_source"] = _source(body["requires"])
    if "signers" in body:
        s = body["signers"]
        fields["signers"] = Signers(tuple(s["heads"]), bool(s["deputy"]), _source(s))
    return fields


def _regulation(code: str, body: Mapping[str, Any]) -> Regulation:
    kinds: dict[DiplomaKind, KindRule] = {}
    absent: dict[DiplomaKind, Absent] = {}
    for name, rule in body["kinds"].items():
        if "absent" in rule:
            absent[DiplomaKind(name)] = Absent(rule["absent"]["value"], _source(rule["absent"]))
        else:
            kinds[DiplomaKind(name)] = KindRule(**_rule_fields(rule))
    amendments = tuple(
        Amendment(
            code=amendment_code,
            title=a["title"],
            in_force_from=a["in_force_from"]["value"],
            source=_source(a["in_force_from"]),
            kinds=MappingProxyType(
                {
                    DiplomaKind(k): _rule_fields(v)
                    for k, v in a.get("kinds", {}).items()
                    if "absent" not in v
                }
            ),
            absent=MappingProxyType(
                {
                    DiplomaKind(k): Absent(v["absent"]["value"], _source(v["absent"]))
                    for k, v in a.get("kinds", {}).items()
                    if "absent" in v
                }
            ),
        )
        for amendment_code, a in body.get("amended_by", {}).items()
    )
    until = body.get("in_force_until")
    named_for = body.get("named_for")
    return Regulation(
        code=code,
        title=body["title"],
        in_force_from=body["in_force_from"]["value"],
        in_force_from_source=_source(body["in_force_from"]),
        in_force_until=until["value"] if until else None,
        in_force_until_source=_source(until) if until else None,
        kinds=MappingProxyType(kinds),
        absent=MappingProxyType(absent),
        amendments=tuple(sorted(amendments, key=lambda a: a.in_force_from)),
        transition=(
            Transition(named_for["decided_before"], _source(named_for)) if named_for else None
        ),
    )


def load_regulations(path: Path) -> MappingProxyType[str, Regulation]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return MappingProxyType({code: _regulation(code, body) for code, body in raw.items()})


REGULATIONS = load_regulations(Path(__file__).with_name("regulations.toml"))


def digital_rule(regulation: str, kind: str, on: date) -> Deadline | None:
    """The regulation's time limit for the kind's digital diploma on `on`, or None where it
    gives the kind none (TT10/2026 gives one; TT21/2019 none)."""
    from service.domain.kinds import DiplomaKind

    found = REGULATIONS.get(regulation)
    try:
        rule = None if found is None else found.rule(DiplomaKind(kind), on=on)
    except ValueError:
        return None
    return None if rule is None else rule.digital_deadline


def has_digital(regulation: str, kind: str, issued_on: date) -> bool:
    """Whether the regulation gives the kind a digital diploma (TT10/2026 does)."""
    return digital_rule(regulation, kind, issued_on) is not None


def digital_due(regulation: str, kind: str, decided_on: date) -> date | None:
    """The last day for a decision's digital diplomas (counted from the decision), or None
    where the regulation gives the kind none."""
    limit = digital_rule(regulation, kind, decided_on)
    return None if limit is None else limit.due(decided_on)


def _digital_limits() -> Iterator[tuple[str, Deadline]]:
    """Every digital diplomas' limit of every regulation, its own or an amendment's, with
    the regulation's code."""
    for code, reg in REGULATIONS.items():
        for rule in reg.kinds.values():
            if rule.digital_deadline is not None:
                yield code, rule.digital_deadline
        for amendment in reg.amendments:
            for changes in amendment.kinds.values():
                if changes.get("digital_deadline") is not None:
                    yield code, changes["digital_deadline"]


@functools.cache  # the regulations are read once, at import
def fewest_digital_days() -> int:
    """The fewest calendar days any digital diplomas' limit can run (a limit of working days
    runs at least as many calendar days): a decision younger than this is not yet due."""
    return min((limit.count for _, limit in _digital_limits()), default=0)


@functools.cache
def _with_digital_diplomas() -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for code, _ in _digital_limits()))


def with_digital_diplomas() -> list[str]:
    """The regulations that give some kind a digital diploma, with an amendment or not."""
    return list(_with_digital_diplomas())
