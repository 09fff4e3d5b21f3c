"""What names an anomaly across reports (service/usecases/audit.anomalies computes them anew
each time), so that an auditor's review of it is found again: its type and what identifies
it, joined by ":"."""

from __future__ import annotations

from typing import Any


def anomaly_key(anomaly: Any) -> str:
    """What grows is part of the key (a gap's missing numbers, the blanks or events counted),
    so an anomaly that grows after its review is open again; the old review stays on record."""
    t = anomaly.type
    parts: list[object]
    if t == "register_gap":
        first = ",".join(str(n) for n in anomaly.first_missing)
        parts = [anomaly.issuer, anomaly.kind, anomaly.year, anomaly.missing, first]
    elif t == "late_issuance":
        parts = [anomaly.decision_id]
    elif t in ("signed_by_compromised_key", "signed_by_retired_key"):
        parts = [anomaly.diploma_id]
    elif t == "blanks_unaccounted":
        parts = [
            anomaly.issuer,
            anomaly.diplomas_without_blank,
            anomaly.spoiled_not_destroyed_after_90_days,
        ]
    elif t == "same_person_other_issuer":  # the pair, in either order
        parts = [*sorted(str(i) for i in (anomaly.diploma_id, anomaly.other_diploma_id))]
    elif t == "unusual_hours":
        parts = [anomaly.decision_id, anomaly.part]
    elif t == "unusual_bulk":  # a day that grows after its review is open again
        parts = [anomaly.issuer, anomaly.day.isoformat(), anomaly.diplomas]
    else:  # the rates: of an issuer, at a count of events
        parts = [anomaly.issuer, anomaly.events]
    return ":".join(str(p) for p in [t, *parts])[:300]
