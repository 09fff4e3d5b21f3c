"""What the clerk's console home flags for attention: a checked list whose Art. 17 deadline
is near or past, blanks running low, diplomas waiting too long to be handed over, and
decisions whose digital diplomas are not all made as their deadline nears or passes."""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum
from typing import Final

NEAR_DAYS: Final = 14  # a deadline this close is flagged
# Blanks run low below a tenth of what the last 365 days used, and never fewer than this.
LOW_BLANKS_FLOOR: Final = 20
# A diploma in force and not handed over this long after it was registered is flagged: Art. 13
# has the issuer hand diplomas over, and one left waiting a month is likely forgotten (or
# its holder never came; either way someone should look).
HANDOVER_DAYS: Final = 30
# Digital diplomas are due within days of the decision (TT10/2026: 5 working days, draft):
# a deadline this close is flagged, and decisions of this many days back are looked at.
DIGITAL_NEAR_DAYS: Final = 2
DIGITAL_LOOKBACK_DAYS: Final = 60


class Deadline(Enum):
    PAST = "past"
    NEAR = "near"
    AHEAD = "ahead"


def deadline_state(deadline: date, today: date, near_days: int = NEAR_DAYS) -> Deadline:
    if deadline < today:
        return Deadline.PAST
    if (deadline - today).days <= near_days:
        return Deadline.NEAR
    return Deadline.AHEAD


def blanks_low(on_hand: int, used_last_year: int) -> bool:
    """Whether an issuer's stock of one kind of blank is running low: below a tenth of what
    the last 365 days used, or below LOW_BLANKS_FLOOR for a kind it issues at all."""
    if used_last_year == 0:
        return False
    return on_hand < max(LOW_BLANKS_FLOOR, used_last_year // 10)


def handover_overdue_before(today: date) -> date:
    """Diplomas registered before this day (Vietnam time), still in force and not handed
    over, are overdue for their handover."""
    return today - timedelta(days=HANDOVER_DAYS)
