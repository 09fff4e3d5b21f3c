"""A result in words, as the public page shows it: the diploma's fields by their labels, the
kind by its name, the issuer by its name in the trust list, days as dd/mm/yyyy, what the
register says of it now (corrected, re-issued, revoked: by which decision), and when it said
so, in Vietnam time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from verifier.result import (
    CUSTODIAN_LABEL,
    CUSTODIAN_VALUE,
    FIELD_LABELS,
    KIND_LABELS,
    Lang,
    VerificationResult,
)
from verifier.trust_list import TrustList

VIETNAM = timezone(timedelta(hours=7), "ICT")

_STATUS: dict[str, tuple[str, str]] = {
    "corrected": (
        "Đã chỉnh sửa theo quyết định {decision_number} ngày {decided_on}",
        "Corrected by decision {decision_number} of {decided_on}",
    ),
    "replaced": (
        "Đã được cấp lại: số hiệu {serial}, số vào sổ {register_number}, ngày cấp {issued_on}",
        "Re-issued: serial {serial}, register number {register_number}, issued on {issued_on}",
    ),
    "revoked": (
        "Đã bị thu hồi theo quyết định {decision_number} ngày {decided_on} của {authority}",
        "Revoked by decision {decision_number} of {decided_on} by {authority}",
    ),
}
_NOW: tuple[str, str] = ("{label} (hiện nay)", "{label} (now)")
_CHECKED: tuple[str, str] = (
    "Tình trạng đọc từ sổ gốc lúc {when} (giờ Việt Nam, UTC+7)",
    "Status read from the register at {when} (Vietnam time, UTC+7)",
)


def day(value: Any) -> str:
    """A day (or an ISO date text) as dd/mm/yyyy; anything else as it is."""
    if isinstance(value, str) and len(value) >= 10:
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return str(value)


def vietnam_time(moment: datetime) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time."""
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(VIETNAM)
    return f"{day(local.date())} {local:%H:%M}"


def shown_value(name: str, value: Any, trust: TrustList | None, lang: Lang) -> str:
    """A field's value as a person reads it."""
    pick = 0 if lang == "vi" else 1
    if name == "kind" and value in KIND_LABELS:
        return KIND_LABELS[value][pick]
    if name == "issuer" and trust is not None and value in trust.issuers:
        return f"{trust.issuers[value].name} ({value})"
    if name in ("date_of_birth", "issued_on", "copied_on"):
        return day(value)
    return str(value)


def field_lines(
    result: VerificationResult, trust: TrustList | None, lang: Lang
) -> list[tuple[str, str]]:
    """(label, value) of each field the token carries, in the order a diploma shows them,
    and after the issuer the body holding its register now, when it passed to another."""
    pick = 0 if lang == "vi" else 1
    lines = []
    for name, labels in FIELD_LABELS.items():
        if result.fields.get(name) is not None:
            lines.append((labels[pick], shown_value(name, result.fields[name], trust, lang)))
            if name == "issuer" and result.custodian is not None:
                lines.append(custodian_line(result.custodian, lang))
    return lines


def custodian_line(custodian: dict[str, Any], lang: Lang) -> tuple[str, str]:
    """(label, value) of the current custodian of the issuer's register."""
    pick = 0 if lang == "vi" else 1
    value = CUSTODIAN_VALUE[pick].format(
        name=custodian["name"],
        code=custodian["code"],
        since=day(custodian["since"]),
        legal_basis=custodian["legal_basis"],
    )
    return CUSTODIAN_LABEL[pick], value


def status_lines(result: VerificationResult, lang: Lang, *, when: bool = True) -> list[str]:
    """What the register says of the diploma now, and (`when`) when it said so; none
    offline."""
    pick = 0 if lang == "vi" else 1
    lines: list[str] = []
    status = result.status or {}
    text = _STATUS.get(str(status.get("state")))
    if text is not None:
        values = {k: day(v) if k in ("decided_on", "issued_on") else v for k, v in status.items()}
        lines.append(text[pick].format_map(_Blank(values)))
    for name, value in (status.get("current") or {}).items():
        labels = FIELD_LABELS.get(name)
        if labels is not None:
            shown = day(value) if name == "date_of_birth" else str(value)
            lines.append(f"{_NOW[pick].format(label=labels[pick])}: {shown}")
    if when and result.status_checked_at is not None and result.status is not None:
        lines.append(_CHECKED[pick].format(when=vietnam_time(result.status_checked_at)))
    return lines


class _Blank(dict[str, Any]):
    """Formats a missing value as nothing, rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""
