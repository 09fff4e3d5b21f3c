"""Checking many QR codes at once, as an HR system does (docs/verification.md, "Kiểm tra
hàng loạt"): where in a file the QR texts are, and how many one file may hold. The file comes
back as it was, with the verdict and what to compare beside each row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from service import texts
from service.domain.folding import fold
from verifier.display import shown_value, status_lines, vietnam_time
from verifier.result import VERDICTS, Lang, Verdict, VerificationResult
from verifier.trust_list import TrustList

MAX_ROWS: Final = 2_000  # QR texts in one file: checked while the request waits
MAX_LOOKUPS: Final = 500  # serial + date-of-birth lookups in one file (a signed-in account's)
PURPOSE_LENGTH: Final = (10, 500)  # the stated purpose of a bulk lookup, in characters
# The headings a lookup file names its columns by (folded: case and diacritics aside).
SERIAL_HEADINGS: Final = frozenset({"so hieu", "so hieu van bang", "serial", "so hieu bang"})
BIRTH_HEADINGS: Final = frozenset({"ngay sinh", "ngay thang nam sinh", "date of birth"})
_LOOK: Final = 50  # rows looked at to find the QR column
_MAX_TEXT: Final = 1_000


def looks_like_qr(value: object) -> bool:
    """A QR text of the register: a URL with /V/ and its token (any case)."""
    return isinstance(value, str) and len(value) <= _MAX_TEXT and "/V/" in value.upper()


def qr_column(rows: Sequence[Sequence[object]]) -> tuple[int, bool] | None:
    """The column holding QR texts (the leftmost of those holding any among the first rows),
    and whether the first row is a row of headings rather than a QR text; None without one."""
    seen = rows[:_LOOK]
    width = max((len(r) for r in seen), default=0)
    for column in range(width):
        if any(looks_like_qr(r[column]) for r in seen if column < len(r)):
            first = rows[0][column] if column < len(rows[0]) else None
            return column, not looks_like_qr(first)
    return None


def result_cells(
    result: VerificationResult | None, lang: Lang, trust: TrustList | None
) -> list[str]:
    """The cells a bulk check adds beside a row (texts.BULK_COLUMNS): the verdict in words
    and its code, what to compare with the paper, the current status, when it was read."""
    pick = 0 if lang == "vi" else 1
    if result is None:
        return [texts.BULK_ROW_EMPTY[pick], "", "", "", "", "", "", ""]
    fields = result.fields if result.verdict != Verdict.NOT_GENUINE else {}

    def field(name: str) -> str:
        value = fields.get(name)
        return "" if value is None else shown_value(name, value, trust, lang)

    standing = "; ".join(status_lines(result, lang, when=False))
    if not standing and result.status and result.status.get("state") == "in_force":
        standing = texts.BULK_IN_FORCE[pick]
    checked = result.status_checked_at
    return [
        VERDICTS[result.verdict][pick],
        result.verdict.value,
        field("holder_name"),
        field("serial"),
        field("kind"),
        field("issuer"),
        standing,
        vietnam_time(checked) if checked else "",
    ]


def lookup_columns(headings: Sequence[object]) -> tuple[int, int] | None:
    """The serial's and the date of birth's columns, by their headings in the first row."""
    folded = [fold(str(h)).strip().rstrip("*").strip() if h is not None else "" for h in headings]
    serial = next((n for n, h in enumerate(folded) if h in SERIAL_HEADINGS), None)
    birth = next((n for n, h in enumerate(folded) if h in BIRTH_HEADINGS), None)
    return None if serial is None or birth is None else (serial, birth)
