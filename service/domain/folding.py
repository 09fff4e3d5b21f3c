"""Text as people type it, compared without case or diacritics: "Nguyễn Đức" and
"nguyen duc" are the same to a search, a password check or a clerk's column value."""

from __future__ import annotations

import unicodedata
from typing import Final

# The one Vietnamese letter that Unicode does not decompose (U+0111, U+0110).
_D_WITH_STROKE: Final = {0x0111: "d", 0x0110: "D"}


def fold(value: str) -> str:
    """Lower case without diacritics ("Nguyễn Đức" -> "nguyen duc")."""
    decomposed = unicodedata.normalize("NFD", value.translate(_D_WITH_STROKE))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
