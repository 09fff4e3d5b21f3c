"""Token buckets per client for the public endpoints, one budget per kind of path
(docs/verification.md, "Rate limits"):

- `lookup`: the serial + date-of-birth lookup, strict, since a lookup could be a guess;
- `qr`: QR checks (the /V/ page and /api/v1/verify), moderate;
- `open`: what holds no personal data (the log, its key, the trust list, the revocation
  lists), generous: a client following the log never waits on anyone's lookups.

The client is the connecting address, or, when that address is a configured trusted proxy,
the rightmost address in X-Forwarded-For that is not one (the one the proxy saw). Without
Redis the buckets are per process, kept for the most recent clients only, so memory stays
bounded; with VANBANG_REDIS_URL they are shared by every process and machine, each decision
one atomic script in Redis. When Redis cannot be reached, the process's own buckets decide
(and a warning is logged): a limit still holds, never none.
"""

from __future__ import annotations

import enum
import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog

from service import metrics

log = structlog.get_logger()

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[Network, ...]:
    """`10.0.0.1, 192.168.0.0/16` -> networks; raises ValueError on a bad entry."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()
    )


def _trusted(address: str, proxies: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(
    peer: str | None, forwarded_for: str | None, proxies: tuple[Network, ...]
) -> str:
    peer = peer or "unknown"
    if not forwarded_for or not _trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop
    return hops[0] if hops else peer


class RateLimiter:
    def __init__(self, per_minute: float, burst: int, *, max_clients: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str, now: float | None = None) -> float:
        """0 when the request may go ahead; else the seconds until it may."""
        now = time.monotonic() if now is None else now
        tokens, stamp = self._buckets.pop(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - stamp) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self._buckets[client] = (tokens, now)
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return wait

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))


class Budget(enum.StrEnum):
    LOOKUP = "lookup"
    QR = "qr"
    OPEN = "open"
    BULK_LOOKUP = "bulk_lookup"  # a signed-in account's files of serials and dates of birth
    PERSONAL_ID = "personal_id"  # staff showing or looking up personal identification numbers


@dataclass(frozen=True)
class Rate:
    per_minute: float
    burst: int


# One atomic decision: the bucket's tokens refilled since its last use, one taken if there is
# one; the wait in milliseconds otherwise (0: go ahead). Redis's own clock, so that every
# machine agrees; the key expires once the bucket would be full again.
_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local kept = redis.call('HMGET', KEYS[1], 't', 's')
local tokens = tonumber(kept[1]) or burst
local stamp = tonumber(kept[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / rate * 1000)
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 's', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return wait
"""


class Limits:
    """Every budget's limiter: in Redis when given a client, else in this process."""

    def __init__(
        self, rates: Mapping[Budget, Rate], redis: Any = None, prefix: str = "vanbang:rate"
    ) -> None:
        self.rates = dict(rates)
        self.local = {b: RateLimiter(r.per_minute, r.burst) for b, r in self.rates.items()}
        self.redis = redis
        self.prefix = prefix
        self._script = redis.register_script(_TAKE) if redis is not None else None
        self._warned = False

    async def take(self, budget: Budget, client: str) -> float:
        """0 when the request may go ahead; else the seconds until it may (and the refusal
        counted, by bucket)."""
        wait = await self._take(budget, client)
        if wait:
            metrics.RATE_LIMITED.labels(budget.value).inc()
        return wait

    async def _take(self, budget: Budget, client: str) -> float:
        if self._script is not None:
            rate = self.rates[budget]
            try:
                waited = await self._script(
                    keys=[f"{self.prefix}:{budget}:{client}"],
                    args=[rate.per_minute / 60.0, rate.burst],
                )
                return int(waited) / 1000.0
            except Exception as exc:
                if not self._warned:
                    log.warning("rate_limit_redis_unavailable", error=str(exc))
                    self._warned = True
        return self.local[budget].take(client)

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
