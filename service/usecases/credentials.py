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
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # argon2id


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


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_executor(), _HASHER.hash, password)


async def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches `stored`; with None (no such account) the same work is
    done against a hash nobody's password matches."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor(), _verify, stored, password)


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
