"""How long failed sign-ins make the next attempt wait: nothing for the first few, then a
doubling delay up to a ceiling. Never a lock:
- a browser that signed in to the account before is throttled on its own failures only, so
  that nobody else's failures can keep the account's person out;
- any other attempt is throttled by the name typed (a minute at most after the last
  failure) and by the client's network, which fails for many names before it waits (a
  quarter of an hour at most); an IPv6 client is its /64, the unit a host is given.
An attempt waiting is refused without its password being checked, and does not count."""

from __future__ import annotations

import hashlib
import ipaddress
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
    return "client:" + hashlib.sha256((throttle_network(address) or "").encode()).hexdigest()[:32]


def device_key(id_hash: bytes) -> str:
    return "device:" + id_hash.hex()[:32]


def throttle_network(address: str | None) -> str | None:
    """What one client is, to the throttle: an IPv4 address, or an IPv6 /64."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped or ip) if isinstance(ip, ipaddress.IPv6Address) else str(ip)


def password_check_key(account: str) -> str:
    """A signed-in person's own password typed again (to change it, to turn a factor off)."""
    return "password_check:" + account


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
