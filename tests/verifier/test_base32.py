"""verifier.token.b32decode against the standard library's RFC 4648 decoder."""

from __future__ import annotations

import base64
import binascii
import os
import random

import pytest

from verifier.errors import MalformedError
from verifier.token import b32decode, token_from_text

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _stdlib(encoded: str) -> bytes | None:
    try:
        return base64.b32decode(encoded + "=" * (-len(encoded) % 8))
    except (binascii.Error, ValueError):
        return None


def test_every_length_of_random_bytes_round_trips() -> None:
    for size in range(1, 400):
        data = os.urandom(size)
        encoded = base64.b32encode(data).decode().rstrip("=")
        assert b32decode(encoded) == data
    # Leading zero bytes are kept: the number's width comes from the text's length.
    assert b32decode(base64.b32encode(b"\0\0\1").decode().rstrip("=")) == b"\0\0\1"


def test_it_agrees_with_the_standard_library_on_any_text() -> None:
    rng = random.Random(32)
    texts = [
        "".join(rng.choice(ALPHABET) for _ in range(n)) for n in range(1, 64) for _ in range(20)
    ]
    # Outside the alphabet: what int() would take in a number (signs, underscores, spaces,
    # lower case, digits 0, 1, 8 and 9) and what it would not.
    texts += ["A_B", "+AB", "-AB", " AB", "AB ", "ab", "A0", "A1", "A8", "A9", "ÄB", "A\nB"]
    # Padding, right and wrong.
    texts += [
        "AB==",
        "AB======",
        "ABCD====",
        "ABCDEFG=",
        "ABC=====",
        "A=B",
        "=",
        "ABCDEFGH========",
    ]
    for text in texts:
        assert b32decode(text) == _stdlib(text), text


@pytest.mark.parametrize("text", ["A", "ABC", "ABCDEF", "ABCDEFGHI", "A_BCDEFGH", "0AAAAAAA"])
def test_a_token_that_is_not_base32_is_malformed(text: str) -> None:
    with pytest.raises(MalformedError, match="base32"):
        token_from_text("HTTPS://VANBANG.EXAMPLE/V/" + text)
