"""Accounts: roles, opaque bearer tokens and who may do what.

A token is `vb_` followed by 32 random bytes in base32; only its SHA-256 is stored.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum

TOKEN_PREFIX = "vb_"  # noqa: S105  # a prefix that marks tokens in logs and leaks, no secret


class Role(StrEnum):
    CLERK = "clerk"  # registers and reads for one issuer
    AUDITOR = "auditor"  # reads an issuer and everything under it
    ADMIN = "admin"  # everything, every issuer


@dataclass(frozen=True)
class Principal:
    token_id: uuid.UUID
    role: Role
    issuer_code: str | None  # None for admin


def new_token() -> str:
    raw = base64.b32encode(secrets.token_bytes(32)).decode().rstrip("=").lower()
    return TOKEN_PREFIX + raw


def hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def looks_like_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX) and 8 <= len(token) <= 128 and token.isascii()


def may_register(principal: Principal) -> bool:
    return principal.role in (Role.CLERK, Role.ADMIN)


def register_issuer_for(principal: Principal, requested: str | None) -> str | None:
    """The issuer a registration is for, or None when the principal may not register for
    the requested issuer. Clerks register for their own issuer only; admins name one."""
    if principal.role == Role.CLERK:
        if requested is None or requested == principal.issuer_code:
            return principal.issuer_code
        return None
    if principal.role == Role.ADMIN:
        return requested
    return None
