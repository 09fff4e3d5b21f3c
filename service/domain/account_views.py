"""What the accounts API takes and answers. One model per answer; /openapi.json takes its
schemas from them."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from service.domain.accounts import AccountState, Role
from service.domain.events import Answer, IsoDateTime


class AccountIn(BaseModel):
    """A new account: its username (or e-mail address), the name people know it by, its role
    and its issuer (an admin of every issuer has none)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    username: Annotated[str, StringConstraints(min_length=3, max_length=100)]
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    role: Role
    issuer: Annotated[str, StringConstraints(min_length=2, max_length=32)] | None = None


class PasswordResetIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # A lost phone: the second factor is removed too, and enrolled again at sign-in.
    reset_second_factor: bool = False


class AccountView(Answer):
    id: uuid.UUID
    username: str
    display_name: str
    role: Role
    issuer: str | None
    state: AccountState
    must_change_password: bool
    second_factor: bool
    created_by: str | None = Field(description="the creator's username; null: the operator")
    created_at: IsoDateTime
    state_changed_at: IsoDateTime | None
    last_seen_at: IsoDateTime | None


class Accounts(Answer):
    accounts: list[AccountView]


class AccountWithPassword(Answer):
    """A new account, or one whose password was reset: the temporary password is shown this
    once and must be changed at the first sign-in."""

    account: AccountView
    temporary_password: str


class Me(Answer):
    """Who a token or session acts as."""

    account_id: uuid.UUID | None
    username: str | None
    role: Role
    issuer: str | None
    token_id: uuid.UUID | None
