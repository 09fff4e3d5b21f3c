"""Vietnam's calendar: the day a moment falls on where the register is kept (UTC+7, no
daylight saving). A date typed by a clerk (received on, handed over on...) is a Vietnamese
day, so "not in the future" compares it with the Vietnamese day, not the UTC one: between
17:00 and 24:00 UTC they differ."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Final

VIETNAM: Final = timezone(timedelta(hours=7), "ICT")


def vietnam_day(moment: datetime) -> date:
    """The day `moment` (aware) falls on in Vietnam."""
    return moment.astimezone(VIETNAM).date()
