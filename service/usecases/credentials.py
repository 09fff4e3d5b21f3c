"""Password hashes: argon2id with argon2-cffi's parameters (RFC 9106's second recommended
option: 64 MiB, 3 passes, 4 lanes), computed in threads of their own so that the event loop
keeps serving and a flood of sign-ins queues here instead of starving the other work of the
default thread pool (exports); and a hash for nobody, so that an unknown account costs the
same time as a wrong password."""

from __future__ import annotations

import asyncio
import functools
import os
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from service import texts
from service.problems import UNAVAILABLE, Problem

_HASHER = PasswordHasher()  # argon2id
T = TypeVar("T")


@functools.cache
def _nobody() -> str:
    return _HASHER.hash(secrets.token_hex(16))


# Two at once: each takes 64 MiB and about a core for a tenth of a second.
_THREADS = 2
_executors: dict[int, ThreadPoolExecutor] = {}


def _executor() -> ThreadPoolExecutor:
    """This process's executor: `vanbang serve --workers` forks after the demo's hashes, and
    a forked child must not use threads its parent started."""
    pid = os.getpid()
    executor = _executors.get(pid)
    if executor is None:
        executor = ThreadPoolExecutor(_THREADS, thread_name_prefix="argon2")
        _executors[pid] = executor
    return executor


# At most this many hashes waiting per process (a few seconds' work); past it, a sign-in is
# refused at once with "busy, try again": a flood of guesses from many networks must not
# queue hours of work in front of the staff's own sign-ins.
MAX_WAITING = 32
_waiting = 0


BUSY_SECONDS = 5


def _busy() -> Problem:
    return Problem(
        UNAVAILABLE, *texts.PASSWORD_CHECKS_BUSY, headers={"Retry-After": str(BUSY_SECONDS)}
    )


async def _run(work: Callable[..., T], *args: Any) -> T:
    global _waiting
    if _waiting >= MAX_WAITING:
        raise _busy()
    _waiting += 1
    try:
        return await asyncio.get_running_loop().run_in_executor(_executor(), work, *args)
    finally:
        _waiting -= 1


async def hash_password(password: str) -> str:
    return await _run(_HASHER.hash, password)


async def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches `stored`; with None (no such account) the same work is
    done against a hash nobody's password matches. Raises a 503 problem when too many wait."""
    return await _run(_verify, stored, password)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _nobody(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


def temporary_password() -> str:
    """A password someone else gives a person for their first sign-in: 16 of 31 letters and
    digits that read aloud without confusion (79 bits), in four groups."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))
