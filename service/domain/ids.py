"""Identifiers: UUIDv7 (RFC 9562), time-ordered so that bulk inserts stay index-friendly."""

from __future__ import annotations

import os
import time
import uuid


def uuid7() -> uuid.UUID:
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= (rand >> 68) << 64 & (0xFFF << 64)  # 12 random bits (rand_a)
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # 62 random bits (rand_b)
    return uuid.UUID(int=value)


def uuid7s(count: int) -> list[uuid.UUID]:
    """`count` UUIDv7s of this millisecond, with one clock read and one read of randomness."""
    millis = time.time_ns() // 1_000_000
    head = (millis & ((1 << 48) - 1)) << 80 | 0x7 << 76 | 0b10 << 62
    rand = os.urandom(10 * count)
    out = []
    for i in range(count):
        r = int.from_bytes(rand[10 * i : 10 * i + 10], "big")
        out.append(uuid.UUID(int=head | (r >> 68) << 64 | (r & ((1 << 62) - 1))))
    return out
