"""The named queries kept in sql/queries/*.sql.

Each query starts at a line `-- name: NAME` and runs to the next such line. Names are unique
across files; `Q.NAME` gives the SQL text.
"""

from __future__ import annotations

import re
from pathlib import Path

from service.resources import sql_dir

_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


def parse_queries(text: str, source: str) -> dict[str, str]:
    parts = _NAME.split(text)
    found: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        sql = body.strip()
        if not sql:
            raise ValueError(f"{source}: query {name} is empty")
        if name in found:
            raise ValueError(f"{source}: query {name} is defined twice")
        found[name] = sql
    return found


def load_queries(directory: Path) -> dict[str, str]:
    queries: dict[str, str] = {}
    for path in sorted(directory.glob("*.sql")):
        for name, sql in parse_queries(path.read_text(encoding="utf-8"), path.name).items():
            if name in queries:
                raise ValueError(f"{path.name}: query {name} is already defined elsewhere")
            queries[name] = sql
    return queries


class _Queries:
    def __init__(self, queries: dict[str, str]) -> None:
        self._queries = queries

    def __getattr__(self, name: str) -> str:
        try:
            return self._queries[name]
        except KeyError:
            raise AttributeError(f"no named query {name!r} in sql/queries/") from None

    def items(self) -> list[tuple[str, str]]:
        return sorted(self._queries.items())


Q = _Queries(load_queries(sql_dir() / "queries"))
