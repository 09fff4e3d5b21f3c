"""Accounts: roles, who acts (a Principal), opaque bearer tokens and who may do what.

A token is `vb_` followed by 32 random bytes in base32; only its SHA-256 is stored.
Roles and scopes (docs/accounts.md):
- a clerk registers and reads for its own issuer;
- an auditor reads its issuer and everything under it;
- an admin registers, reads and manages accounts for its issuer and everything under it, or
  for every issuer when it has none (the operator's kind of admin).
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

TOKEN_PREFIX = "vb_"  # noqa: S105  # a prefix that marks tokens in logs and leaks, no secret
NIL: Final = uuid.UUID(int=0)

# A personal token lives 90 days unless its person asks otherwise, and never more than a year.
TOKEN_DEFAULT_DAYS: Final = 90
TOKEN_MAX_DAYS: Final = 366

USERNAME: Final = re.compile(r"^[a-z0-9][a-z0-9._@+-]{2,99}$")


class Role(StrEnum):
    CLERK = "clerk"  # registers and reads for one issuer
    AUDITOR = "auditor"  # reads an issuer and everything under it
    ADMIN = "admin"  # everything for an issuer and everything under it, or for every issuer


class AccountState(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


@dataclass(frozen=True)
class Principal:
    """Who acts: a person (an account, signed in or through a personal token), an operator
    token, or the operator on the server (no account, no token)."""

    role: Role
    issuer_code: str | None  # None only for an admin of every issuer
    token_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None
    username: str | None = None

    @property
    def owner(self) -> uuid.UUID:
        """Whose Idempotency-Keys these are: the token's, else the person's, else the
        operator's (the nil UUID)."""
        return self.token_id or self.account_id or NIL

    @property
    def everywhere(self) -> bool:
        """An admin of every issuer."""
        return self.role == Role.ADMIN and self.issuer_code is None


def new_token() -> str:
    raw = base64.b32encode(secrets.token_bytes(32)).decode().rstrip("=").lower()
    return TOKEN_PREFIX + raw


def hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def looks_like_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX) and 8 <= len(token) <= 128 and token.isascii()


def token_expiry(now: datetime, days: int | None) -> datetime:
    """When a personal token asked for now expires: `days` from now (the default when None),
    at most TOKEN_MAX_DAYS. Raises ValueError outside 1..TOKEN_MAX_DAYS."""
    days = TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise ValueError(days)
    return now + timedelta(days=days)


def normal_username(raw: str) -> str:
    """A username as stored: trimmed and lower case (an e-mail address is one too)."""
    return raw.strip().lower()


def may_register(principal: Principal) -> bool:
    return principal.role in (Role.CLERK, Role.ADMIN)


def may_read_journal(principal: Principal) -> bool:
    return principal.role in (Role.AUDITOR, Role.ADMIN)


def may_manage_accounts(principal: Principal) -> bool:
    return principal.role == Role.ADMIN


def register_issuer_for(principal: Principal, requested: str | None) -> str | None:
    """The issuer a registration is for, or None when the principal may not register for
    the requested issuer. Clerks register for their own issuer only; admins name one (a
    scoped admin's choice is checked against its subtree by the write path)."""
    if principal.role == Role.CLERK:
        if requested is None or requested == principal.issuer_code:
            return principal.issuer_code
        return None
    if principal.role == Role.ADMIN:
        return requested
    return None


@dataclass(frozen=True)
class Account:
    """A person's account as stored (its password only as a hash)."""

    id: uuid.UUID
    username: str
    display_name: str
    role: Role
    issuer_code: str | None
    state: AccountState
    password_hash: str
    password_temporary: bool
    totp_secret: str | None
    totp_last_step: int | None
    created_by: uuid.UUID | None
    created_at: datetime
    demo: bool

    @property
    def active(self) -> bool:
        return self.state == AccountState.ACTIVE

    def principal(self, token_id: uuid.UUID | None = None) -> Principal:
        return Principal(
            role=self.role,
            issuer_code=self.issuer_code,
            token_id=token_id,
            account_id=self.id,
            username=self.username,
        )
