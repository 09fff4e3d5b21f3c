"""`vanbang rules [--unconfirmed]`: the rules of regulations.toml with their sources, and
which of them rest on a press report, a draft or a secondary source (no database needed)."""

from __future__ import annotations

import argparse

from service import texts
from service.domain.regulations import rule_lines


def print_rules(args: argparse.Namespace) -> int:
    lines = [line for line in rule_lines() if not (args.unconfirmed and line.source.confirmed)]
    lang = args.lang
    labels = texts.RULES_CLI
    for line in lines:
        where = line.regulation + (f" / {line.amendment}" if line.amendment else "")
        kind = getattr(texts.KINDS[line.kind], lang) if line.kind else "-"
        state = getattr(labels["confirmed" if line.source.confirmed else "unconfirmed"], lang)
        print(f"{where}\t{kind}\t{line.name}\t{line.value}\t{line.source.text}\t{state}")
    unconfirmed = sum(not line.source.confirmed for line in lines)
    summary = labels["summary"].format(rules=len(lines), unconfirmed=unconfirmed)
    print(getattr(summary, lang))
    return 0
