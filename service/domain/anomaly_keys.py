"""What names an anomaly across reports (service/usecases/audit.anomalies computes them anew
each time), so that an auditor's review of it is found again: its type and what identifies
it, joined by ":"."""

from __future__ import annotations

from typing import Any


def anomaly_key(anomaly: Any) -> str:
    t = anomaly.type
    if t == "register_gap":
        parts = [anomaly.issuer, anomaly.kind, anomaly.year, anomaly.first_missing[:1]]
    elif t == "late_issuance":
        parts = [anomaly.decision_id]
    elif t in ("signed_by_compromised_key", "signed_by_retired_key"):
        parts = [anomaly.diploma_id]
    else:  # blanks_unaccounted, the rates: one per issuer
        parts = [anomaly.issuer]
    return ":".join(str(p) for p in [t, *parts])
