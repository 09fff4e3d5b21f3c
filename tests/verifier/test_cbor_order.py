"""RFC 8949 section 4.2.1's deterministic encoding: map keys sorted in the bytewise
lexicographic order of their encodings, by the encoder and enforced by the decoder. Before,
both used RFC 7049's length-first order, which agrees on every key vanbang signs but not in
general: `{100: 1, -1: 2}` in RFC 8949 order was refused."""

from __future__ import annotations

import pytest

from verifier._cbor import canonical, decode
from verifier.errors import MalformedError

# The example of RFC 8949 4.2.1, in its order: 10, 100, -1, "z", "aa", [100], [-1], false.
RFC_KEYS = ["0a", "1864", "20", "617a", "626161", "811864", "8120", "f4"]
RFC_MAP = {10: 0, 100: 1, -1: 2, "z": 3, "aa": 4, (100,): 5, (-1,): 6, False: 7}


def test_the_rfc_example_order() -> None:
    expected = bytes.fromhex("a8" + "".join(f"{k}{v:02x}" for v, k in enumerate(RFC_KEYS)))
    shuffled = dict(reversed(list(RFC_MAP.items())))
    assert canonical(RFC_MAP) == canonical(shuffled) == expected
    assert decode(expected, what="the map") == {
        10: 0, 100: 1, -1: 2, "z": 3, "aa": 4, (100,): 5, (-1,): 6, False: 7
    }  # fmt: skip


def test_an_integer_key_of_24_or_more_before_a_negative_one() -> None:
    rfc = bytes.fromhex("a2 1864 01 20 02")  # {100: 1, -1: 2}
    length_first = bytes.fromhex("a2 20 02 1864 01")  # {-1: 2, 100: 1}
    assert canonical({-1: 2, 100: 1}) == rfc
    assert decode(rfc, what="the map") == {100: 1, -1: 2}
    with pytest.raises(MalformedError, match="deterministically"):
        decode(length_first, what="the map")


def test_keys_of_different_types_and_long_text() -> None:
    long_key = "x" * 24  # a two-byte head: still after every shorter text key
    assert list(decode(canonical({long_key: 1, "b": 2, 1000: 3}), what="m")) == [
        1000, "b", long_key,
    ]  # fmt: skip
    assert list(decode(canonical({b"\x00": 1, "a": 2, -1000: 3}), what="m")) == [
        -1000, b"\x00", "a",
    ]  # fmt: skip


def test_nested_maps_and_tags_are_held_to_it() -> None:
    inner = bytes.fromhex("a2 20 02 1864 01")
    with pytest.raises(MalformedError):
        decode(bytes.fromhex("81") + inner, what="a list")  # [ {-1: 2, 100: 1} ]
    with pytest.raises(MalformedError):
        decode(bytes.fromhex("d862") + inner, what="a tag")  # 98({-1: 2, 100: 1})
    assert decode(bytes.fromhex("d862 a2 1864 01 20 02"), what="a tag").tag == 98


def test_other_encodings_that_are_not_deterministic() -> None:
    for data in (
        "a2 01 01 01 02",  # a key twice
        "18 17",  # 23 in two bytes
        "bf 01 02 ff",  # an indefinite-length map
        "5f 41 00 ff",  # an indefinite-length byte string
        "fa 3f800000",  # 1.0 as a single-precision float, not the shortest form
    ):
        with pytest.raises(MalformedError):
            decode(bytes.fromhex(data), what="the item")


def test_floats_are_refused_even_in_their_shortest_form() -> None:
    # What `canonical` refuses to write, `decode` refuses to read (hypothesis found a mutated
    # item decoding to a half-precision float that could not be encoded again).
    for data in ("f9 0000", "f9 3e00", "82 01 f9 3c00", "a1 01 f9 7e00"):
        with pytest.raises(MalformedError):
            decode(bytes.fromhex(data), what="the item")
