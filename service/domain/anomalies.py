"""When an issuer's figures are out of line with its peers' (the anomaly report auditors
read): the thresholds, in one place."""

from __future__ import annotations

from datetime import datetime, time
from typing import Final

from service.domain.clock import VIETNAM

# A rate is out of line when it is at least this many times the peers' and this far above,
# over at least this many events (one correction in three diplomas is no pattern).
RATE_FACTOR: Final = 3.0
RATE_MARGIN: Final = 0.01
RATE_MIN_EVENTS: Final = 3
# Spoiled blanks are expected to be destroyed, with minutes, within this many days.
SPOILED_DESTRUCTION_DAYS: Final = 90


def rate_out_of_line(events: int, rate: float, peer_rate: float) -> bool:
    """Is an issuer's rate of corrections (or revocations) out of line with its peers'?"""
    return (
        events >= RATE_MIN_EVENTS
        and rate >= RATE_FACTOR * peer_rate
        and rate - peer_rate >= RATE_MARGIN
    )


# Registrations made when offices are closed (the unusual_hours anomaly): a decision, or a
# further list of one, registered between 22:00 and 06:00 Vietnam time, on a Sunday, or on a
# public holiday (service/domain/holidays.py). A clerk has no reason to register then; a
# registration then may be someone using a clerk's account.
NIGHT_FROM: Final = time(22, 0)
NIGHT_UNTIL: Final = time(6, 0)
SUNDAY: Final = 7  # ISO day of the week
HOLIDAYS_FROM: Final = 2000  # the first year whose holidays are looked for
# Registrations in unusual bulk (unusual_bulk): an issuer registering, in one day (Vietnam
# time), more than BULK_FACTOR times its median day over the BULK_WINDOW_DAYS before it (the
# days on which it registered anything), and at least BULK_MIN_DIPLOMAS diplomas. An issuer's
# first day, with nothing before it to compare, is never unusual.
BULK_FACTOR: Final = 5.0
BULK_MIN_DIPLOMAS: Final = 200
BULK_WINDOW_DAYS: Final = 365
# Two registrations of one person (same_person_other_issuer): the same kind of diploma for the
# same folded full name, date of birth and place of birth (service/domain/duplicates.folded)
# from two different issuers, neither revoked. At most this many pairs are listed.
SAME_PERSON_MAX_PAIRS: Final = 500


def unusual_times(registered_at: datetime, holiday: bool) -> list[str]:
    """Why a registration's time (Vietnam time) is unusual: "night", "sunday", "holiday";
    none when it is an ordinary working hour."""
    local = registered_at.astimezone(VIETNAM)
    found = []
    if local.time() >= NIGHT_FROM or local.time() < NIGHT_UNTIL:
        found.append("night")
    if local.isoweekday() == SUNDAY:
        found.append("sunday")
    if holiday:
        found.append("holiday")
    return found


def bulk_out_of_line(diplomas: int, median: float | None) -> bool:
    """Is a day's count of diplomas far beyond the issuer's usual day (its median)?"""
    return median is not None and diplomas >= BULK_MIN_DIPLOMAS and diplomas > BULK_FACTOR * median
