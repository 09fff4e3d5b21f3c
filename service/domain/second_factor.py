"""The second factor: TOTP codes (RFC 6238: SHA-1, 6 digits, 30-second steps, as every
authenticator app reads them) and one-time recovery codes.

A code is accepted for the current step or the one before or after (clocks drift), and only
for a step later than the last one accepted, so a code overheard is good for nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Final

import pyotp

STEP_SECONDS: Final = 30
DIGITS: Final = 6
RECOVERY_CODES: Final = 10
ISSUER_NAME: Final = "vanbang"
_CODE: Final = re.compile(r"^\d{6}$")


def new_secret() -> str:
    """160 random bits in base32 (RFC 4226 recommends at least 128)."""
    return pyotp.random_base32(32)


def looks_like_secret(raw: str) -> bool:
    """A secret as new_secret makes it (what an enrolment form sends back)."""
    return re.fullmatch(r"[A-Z2-7]{32}", raw) is not None


def provisioning_uri(secret: str, username: str, label: str = ISSUER_NAME) -> str:
    """The otpauth:// URI an authenticator app reads from the enrolment QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=username, issuer_name=label
    )


def normal_code(raw: str) -> str:
    """What people type, without spaces and dashes."""
    return re.sub(r"[\s-]", "", raw)


def accepted_step(secret: str, code: str, *, now: float, last_step: int | None) -> int | None:
    """The time step `code` is right for, or None when it is wrong or already used."""
    code = normal_code(code)
    if not _CODE.match(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = int(now) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


@dataclass(frozen=True)
class RecoveryCodes:
    """Codes shown once, and the hashes kept."""

    codes: tuple[str, ...]

    @classmethod
    def new(cls) -> RecoveryCodes:
        codes = []
        for _ in range(RECOVERY_CODES):
            raw = base64.b32encode(secrets.token_bytes(10)).decode()[:10].lower()
            codes.append(f"{raw[:5]}-{raw[5:]}")
        return cls(tuple(codes))

    @property
    def hashes(self) -> list[bytes]:
        return [hash_recovery_code(code) for code in self.codes]


def hash_recovery_code(code: str) -> bytes:
    return hashlib.sha256(normal_code(code).lower().encode()).digest()


def looks_like_recovery_code(raw: str) -> bool:
    return re.fullmatch(r"[a-z2-7]{10}", normal_code(raw).lower()) is not None
