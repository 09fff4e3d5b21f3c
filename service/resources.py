"""Where the SQL files and the demo keys are: inside the wheel, or beside a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def _find(packaged: str, checkout: str) -> Path:
    inside = _PACKAGE / packaged
    return inside if inside.is_dir() else _CHECKOUT / checkout


def sql_dir() -> Path:
    return _find("_sql", "sql")


def demo_dir() -> Path:
    return _find("_keys_example", "keys-example")


def examples_dir() -> Path:
    return _find("_examples", "docs/examples")
