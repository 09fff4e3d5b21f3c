"""What the clerk's console home flags for attention: a checked list whose Art. 17 deadline
is near or past, and blanks running low."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Final

NEAR_DAYS: Final = 14  # a deadline this close is flagged
# Blanks run low below a tenth of what the last 365 days used, and never fewer than this.
LOW_BLANKS_FLOOR: Final = 20


class Deadline(Enum):
    PAST = "past"
    NEAR = "near"
    AHEAD = "ahead"


def deadline_state(deadline: date, today: date) -> Deadline:
    if deadline < today:
        return Deadline.PAST
    if (deadline - today).days <= NEAR_DAYS:
        return Deadline.NEAR
    return Deadline.AHEAD


def blanks_low(on_hand: int, used_last_year: int) -> bool:
    """Whether an issuer's stock of one kind of blank is running low: below a tenth of what
    the last 365 days used, or below LOW_BLANKS_FLOOR for a kind it issues at all."""
    if used_last_year == 0:
        return False
    return on_hand < max(LOW_BLANKS_FLOOR, used_last_year // 10)
