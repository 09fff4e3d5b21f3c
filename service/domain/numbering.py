"""Register numbers (số vào sổ gốc, Art. 13): consecutive natural numbers per issuer, kind and
calendar year, written with the issuer's own pattern such as `{n}/{year}` or
`{n:04d}/{kind}-{year}`."""

from __future__ import annotations

import re
import string

from service.domain.kinds import DiplomaKind

DEFAULT_PATTERN = "{n}/{year}"
_FIELDS = {"n", "year", "kind"}
_WIDTH = re.compile(r"0?[1-9]d?")


class PatternError(ValueError):
    """A register-number pattern that cannot number diplomas."""


def check_pattern(pattern: str) -> str:
    if not 1 <= len(pattern) <= 64:
        raise PatternError("a register-number pattern is 1 to 64 characters")
    seen = set()
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise PatternError(f"bad pattern {pattern!r}: {exc}") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in _FIELDS or conversion:
            raise PatternError(f"unknown field {{{name}}}; use {{n}}, {{year}} and {{kind}}")
        if spec and (name != "n" or not _WIDTH.fullmatch(spec)):
            raise PatternError("only {n} takes a width, as in {n:05d}")
        seen.add(name)
    if "n" not in seen:
        raise PatternError("the pattern must contain {n}")
    format_register_number(pattern, 1, 2026, DiplomaKind.THPT)
    return pattern


def format_register_number(pattern: str, n: int, year: int, kind: DiplomaKind) -> str:
    return pattern.format(n=n, year=year, kind=kind.code)
