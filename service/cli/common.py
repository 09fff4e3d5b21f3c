"""What every `vanbang` command shares."""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Awaitable, Callable

import asyncpg

from service.domain.accounts import Principal, Role
from service.settings import Settings

# The operator running `vanbang import` on the server: an admin with no token.
OPERATOR = Principal(token_id=uuid.UUID(int=0), role=Role.ADMIN, issuer_code=None)


class CommandError(Exception):
    """A command could not do what was asked; the message says why."""


Action = Callable[[Settings, asyncpg.Connection, argparse.Namespace], Awaitable[int]]
