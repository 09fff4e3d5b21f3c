"""What every `vanbang` command shares."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable

import asyncpg

from service.domain.accounts import Principal, Role
from service.settings import Settings

# The operator running `vanbang import` on the server: an admin of every issuer, with no
# token and no account (its Idempotency-Keys are the nil UUID's, its journal entries nobody's).
OPERATOR = Principal(role=Role.ADMIN, issuer_code=None)


class CommandError(Exception):
    """A command could not do what was asked; the message says why."""


Action = Callable[[Settings, asyncpg.Connection, argparse.Namespace], Awaitable[int]]
