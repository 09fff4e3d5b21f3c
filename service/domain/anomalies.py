"""When an issuer's figures are out of line with its peers' (the anomaly report auditors
read): the thresholds, in one place."""

from __future__ import annotations

# A rate is out of line when it is at least this many times the peers' and this far above,
# over at least this many events (one correction in three diplomas is no pattern).
RATE_FACTOR = 3.0
RATE_MARGIN = 0.01
RATE_MIN_EVENTS = 3
# Spoiled blanks are expected to be destroyed, with minutes, within this many days.
SPOILED_DESTRUCTION_DAYS = 90


def rate_out_of_line(events: int, rate: float, peer_rate: float) -> bool:
    """Is an issuer's rate of corrections (or revocations) out of line with its peers'?"""
    return (
        events >= RATE_MIN_EVENTS
        and rate >= RATE_FACTOR * peer_rate
        and rate - peer_rate >= RATE_MARGIN
    )
