"""Session secrets: 32 random bytes in the cookie, their SHA-256 in the database, and the
form token (CSRF) derived from the secret, so that neither can be made from what the
database holds."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Final

SECRET_BYTES: Final = 32
# How long the password may wait for its second factor.
SECOND_FACTOR_MINUTES: Final = 10


def new_secret() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(SECRET_BYTES)).decode().rstrip("=")


def secret_hash(secret: str) -> bytes | None:
    """The stored form of a cookie's secret, or None when the cookie cannot be one."""
    if len(secret) != 43 or not secret.isascii():
        return None
    return hashlib.sha256(secret.encode()).digest()


def form_token(secret: str) -> str:
    """The token every form of this session carries (and that a forged form cannot know)."""
    digest = hmac.new(secret.encode(), b"vanbang form token", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def same_token(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
