"""The legal bases diplomas are issued under, read from regulations.toml.

Who may issue which kind, the issuing deadline and the fields a kind requires differ by
regulation; they are data in one file, not conditions spread through the code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType

from service.domain.kinds import DiplomaKind, IssuerKind

DEFAULT_REGULATION = "TT21/2019"


@dataclass(frozen=True)
class KindRule:
    issuers: frozenset[IssuerKind]
    deadline_days: int
    requires: tuple[str, ...]


@dataclass(frozen=True)
class Regulation:
    code: str
    title: str
    in_force_from: date
    confirmed: bool
    kinds: MappingProxyType[DiplomaKind, KindRule]

    def rule(self, kind: DiplomaKind) -> KindRule | None:
        """The rule for `kind`, or None when this regulation has no such diploma."""
        return self.kinds.get(kind)


def load_regulations(path: Path) -> MappingProxyType[str, Regulation]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    regulations = {}
    for code, body in raw.items():
        kinds = {
            DiplomaKind(kind): KindRule(
                issuers=frozenset(IssuerKind(i) for i in rule["issuers"]),
                deadline_days=int(rule["deadline_days"]),
                requires=tuple(rule["requires"]),
            )
            for kind, rule in body["kinds"].items()
        }
        regulations[code] = Regulation(
            code=code,
            title=body["title"],
            in_force_from=body["in_force_from"],
            confirmed=bool(body["confirmed"]),
            kinds=MappingProxyType(kinds),
        )
    return MappingProxyType(regulations)


REGULATIONS = load_regulations(Path(__file__).with_name("regulations.toml"))
