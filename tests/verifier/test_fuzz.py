"""Property tests of the verifier's parsers on arbitrary input (hypothesis), each bounded to a
few seconds: the QR token's text and payload, the deterministic CBOR decoder and the signed
note. Whatever they are given, they answer or raise their own error family, never another
exception."""

from __future__ import annotations

import base64
import contextlib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier._cbor import canonical, decode
from verifier.errors import MalformedError, NoteError, VerificationError
from verifier.note import parse_checkpoint, parse_note, parse_verifier_key
from verifier.token import b32decode, decode_token, token_from_text

BOUNDED = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@BOUNDED
@given(st.text(max_size=600))
def test_token_from_text_gives_bytes_or_a_malformed_error(text: str) -> None:
    try:
        token = token_from_text(text)
    except MalformedError:
        return
    assert isinstance(token, bytes)


@BOUNDED
@given(st.text(alphabet=_ALPHABET + "=ab1!é", max_size=200))
def test_b32decode_agrees_with_the_standard_library(text: str) -> None:
    ours = b32decode(text)
    digits = text.rstrip("=")
    padded = digits + "=" * (-len(digits) % 8)
    try:
        theirs: bytes | None = base64.b32decode(padded) if text in (padded, digits) else None
    except ValueError:
        theirs = None
    if theirs is not None and ours is not None:
        assert ours == theirs
    if ours is not None:  # what was decoded encodes to as many digits again
        assert len(base64.b32encode(ours).decode().rstrip("=")) == len(digits)


@BOUNDED
@given(st.binary(min_size=1, max_size=64))
def test_b32_round_trip(data: bytes) -> None:
    encoded = base64.b32encode(data).decode()
    assert b32decode(encoded) == data
    assert b32decode(encoded.rstrip("=")) == data


@BOUNDED
@given(st.binary(max_size=300))
def test_decode_token_raises_only_malformed_on_any_bytes(data: bytes) -> None:
    try:
        fields = decode_token(data)
    except MalformedError:
        return
    assert isinstance(fields, dict)


@BOUNDED
@given(st.binary(max_size=300))
def test_cbor_decode_raises_only_malformed_on_any_bytes(data: bytes) -> None:
    try:
        decode(data, what="the fuzzed item")
    except MalformedError:
        return


# The values canonical() encodes: maps, lists, text, bytes, ints, booleans and None.
_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(1 << 64), max_value=(1 << 64) - 1)
    | st.text(max_size=20)
    | st.binary(max_size=20)
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.integers(-30, 30) | st.text(max_size=5), inner, max_size=5),
    max_leaves=20,
)


@BOUNDED
@given(_VALUES)
def test_canonical_round_trips_through_the_strict_decoder(value: Any) -> None:
    encoded = canonical(value)
    assert decode(encoded, what="the item") == value
    assert canonical(decode(encoded, what="the item")) == encoded


@BOUNDED
@given(_VALUES, st.data())
def test_a_mutated_canonical_item_decodes_or_is_malformed(value: Any, data: st.DataObject) -> None:
    encoded = bytearray(canonical(value))
    at = data.draw(st.integers(0, len(encoded) - 1))
    encoded[at] = data.draw(st.integers(0, 255))
    try:
        decoded = decode(bytes(encoded), what="the item")
    except MalformedError:
        return
    assert canonical(decoded) == bytes(encoded)


_NOTE_LINES = st.lists(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)
    | st.sampled_from(["— vanbang.example+0a1b2c3d+AAAA", "— a " + "A" * 88, "", "1", "x"]),
    max_size=8,
)


@BOUNDED
@given(st.text(max_size=500))
def test_parse_note_raises_only_note_errors_on_any_text(text: str) -> None:
    try:
        parse_note(text)
    except NoteError:
        return


@BOUNDED
@given(_NOTE_LINES)
def test_parse_note_raises_only_note_errors_on_note_like_text(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    for candidate in (text, text.replace("\n\n", "\n", 1), "origin\n1\nroot\n\n" + text):
        with contextlib.suppress(NoteError):
            parse_note(candidate)


@BOUNDED
@given(_NOTE_LINES)
def test_parse_checkpoint_raises_only_note_errors(lines: list[str]) -> None:
    try:
        parse_checkpoint("\n".join(lines) + "\n")
    except NoteError:
        return


@BOUNDED
@given(st.text(max_size=200))
def test_parse_verifier_key_raises_only_verification_errors(text: str) -> None:
    try:
        parse_verifier_key(text)
    except VerificationError:
        return
