"""The staff journal's vocabulary: what was done (an action, dotted: the family first), and
the privacy-preserving form of a client address it keeps."""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from typing import Final


class Action(StrEnum):
    # (Names of actions, not secrets: ruff S105 reads "PASSWORD" and "TOKEN" as such.)
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in.failed"
    SECOND_FACTOR_FAILED = "sign_in.second_factor_failed"
    RECOVERY_CODE_USED = "sign_in.recovery_code"
    SIGN_OUT = "sign_out"
    SIGN_OUT_EVERYWHERE = "sign_out.everywhere"
    PASSWORD_CHANGED = "password.changed"  # noqa: S105
    SECOND_FACTOR_ENROLLED = "second_factor.enrolled"
    SECOND_FACTOR_REMOVED = "second_factor.removed"
    DECISION_REGISTERED = "register.decision"
    REVOCATION = "register.revocation"
    CORRECTION = "register.correction"
    REISSUE = "register.reissue"
    COPY = "register.copy"
    HANDOVER = "register.handover"
    BLANKS_RECEIVED = "blanks.received"
    BLANKS_SPOILED = "blanks.spoiled"
    BLANKS_DESTROYED = "blanks.destroyed"
    BLANKS_TRACKING = "blanks.tracking"
    CUSTODY_TRANSFER = "custody.transfer"
    PRINTER_CALIBRATED = "printer.calibrated"
    EXPORT_REGISTER = "export.register"
    EXPORT_BUNDLE = "export.bundle"
    EXPORT_NATIONAL = "export.national"  # a page sent to the national diploma database
    # The holder's personal identification number shown in full, or searched by (its value
    # is never in the journal).
    PERSONAL_ID_REVEALED = "personal_id.revealed"
    PERSONAL_ID_LOOKUP = "personal_id.lookup"
    ANOMALY_REVIEWED = "anomaly.reviewed"
    BULK_LOOKUP = "lookup.bulk"  # serials and dates of birth looked up from a file
    TOKEN_CREATED = "token.created"  # noqa: S105
    TOKEN_REVOKED = "token.revoked"  # noqa: S105
    ACCOUNT_CREATED = "account.created"
    ACCOUNT_DISABLED = "account.disabled"
    ACCOUNT_ENABLED = "account.enabled"
    ACCOUNT_PASSWORD_RESET = "account.password_reset"  # noqa: S105
    KEY_GENERATED = "key.generated"
    KEY_ROTATED = "key.rotated"
    KEY_COMPROMISED = "key.compromised"
    ROOT_KEY_GENERATED = "key.root"
    LOG_KEY_GENERATED = "key.log"
    PERSONAL_ID_KEY_GENERATED = "key.personal_id"
    CERTIFICATE_PUBLISHED = "key.certificate"


# The register event each signed event type is journaled as (service/domain/events.py).
EVENT_ACTIONS: Final = {
    "revocation": Action.REVOCATION,
    "correction": Action.CORRECTION,
    "reissue": Action.REISSUE,
    "copy": Action.COPY,
    "handover": Action.HANDOVER,
    "blanks_received": Action.BLANKS_RECEIVED,
    "blanks_spoiled": Action.BLANKS_SPOILED,
    "blanks_destroyed": Action.BLANKS_DESTROYED,
    "custody_transfer": Action.CUSTODY_TRANSFER,
}

# Enough of an address to tell an office from another, not a person's device: an IPv4 /24
# (the common unit of assignment to a site) and an IPv6 /48 (a site's prefix).
_IPV4_PREFIX: Final = 24
_IPV6_PREFIX: Final = 48


def client_network(address: str | None) -> str | None:
    """The network an address belongs to, as the journal keeps it ("203.0.113.0/24")."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = _IPV4_PREFIX if ip.version == 4 else _IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
