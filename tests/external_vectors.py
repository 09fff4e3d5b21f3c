"""The external test vectors of ../shared/vectors (relative to the repository's root): data
written by others (transparency-dev/merkle, golang.org/x/mod sumdb/note, the C2SP
specifications, cose-wg/Examples), read where they are and never copied into the project.
When the folder is absent, every test that reads it is skipped, saying so."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1] / ".." / "shared" / "vectors"
ABSENT = f"the external vectors are not at {ROOT.resolve()} (see its README.md)"


def present() -> bool:
    return (ROOT / "README.md").is_file()


def load(name: str) -> Any:
    """A JSON file of the vectors; skips the test when the folder is absent."""
    if not present():
        pytest.skip(ABSENT)
    return json.loads((ROOT / name).read_text("utf-8"))


def files(folder: str) -> list[Any]:
    """pytest parameters for every JSON file under `folder`, by its relative path; a single
    skipped one when the vectors are absent (so the skip says why)."""
    if not present():
        return [pytest.param(None, id="absent", marks=pytest.mark.skip(reason=ABSENT))]
    base = ROOT / folder
    found = sorted(base.rglob("*.json"))
    assert found, f"no vectors under {base}"
    return [pytest.param(p, id=p.relative_to(base).as_posix()) for p in found]
