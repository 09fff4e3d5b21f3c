"""How long failed sign-ins make the next attempt wait: nothing for the first few, then a
doubling delay up to a ceiling. Never a lock: a clerk whose account someone attacks can
still sign in, a minute at worst after the last failure; an address that fails for many
accounts waits longer (a quarter of an hour at most)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final


@dataclass(frozen=True)
class Curve:
    free: int  # failures that cost nothing
    ceiling_seconds: int

    def delay(self, failures: int) -> timedelta:
        if failures < self.free:
            return timedelta(0)
        return timedelta(seconds=min(self.ceiling_seconds, 2 ** (failures - self.free + 1)))


ACCOUNT: Final = Curve(free=5, ceiling_seconds=60)
CLIENT: Final = Curve(free=20, ceiling_seconds=900)
SECOND_FACTOR: Final = Curve(free=5, ceiling_seconds=300)


def account_key(username: str) -> str:
    # Every name typed is throttled, known or not, so that the answers cannot tell them apart.
    return "account:" + hashlib.sha256(username.encode()).hexdigest()[:32]


def client_key(address: str | None) -> str:
    return "client:" + hashlib.sha256((address or "").encode()).hexdigest()[:32]


def second_factor_key(account: str) -> str:
    return "second_factor:" + account


def wait(now: datetime, failures: dict[str, tuple[int, datetime]], curves: dict[str, Curve]) -> int:
    """Whole seconds to wait before the next attempt (0: go ahead)."""
    longest = timedelta(0)
    for key, (count, last) in failures.items():
        remaining = last + curves[key].delay(count) - now
        longest = max(longest, remaining)
    seconds = longest.total_seconds()
    return int(seconds) + (1 if seconds > int(seconds) else 0)
