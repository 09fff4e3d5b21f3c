"""Signed notes and checkpoints read as strictly as C2SP signed-note and tlog-checkpoint say,
one test for each way an independent check found the reader too lenient."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from verifier.errors import NoteError
from verifier.note import (
    Checkpoint,
    open_note,
    parse_checkpoint,
    sign_note,
    verifier_key,
    verify_checkpoint,
)

KEY = Ed25519PrivateKey.generate()
ORIGIN = "vanbang.example/log"
ROOT = base64.b64encode(bytes(range(32))).decode()


def _note(body: str) -> str:
    return sign_note(body, ORIGIN, KEY)


def test_the_text_ends_at_the_last_blank_line() -> None:
    body = "first paragraph\n\nsecond paragraph\n"
    assert open_note(_note(body), ORIGIN, KEY.public_key()) == body
    # A checkpoint's lines are non-empty, so such a text is no checkpoint.
    with pytest.raises(NoteError, match="non-empty"):
        verify_checkpoint(
            _note(f"{ORIGIN}\n4\n{ROOT}\n\next\n"), verifier_key(ORIGIN, KEY.public_key())
        )


def test_junk_after_a_good_signature_is_refused() -> None:
    good = _note(Checkpoint(ORIGIN, 4, bytes(32)).body())
    for junk in ("junk\n", "\u2014 x\n", "\u2014 name not-base64!\n", "\u2014  AAAAAAA=\n"):
        with pytest.raises(NoteError):
            open_note(good + junk, ORIGIN, KEY.public_key())
    # A signature line by some other key is not junk: it is ignored.
    other = sign_note("x\n", "witness.example", Ed25519PrivateKey.generate()).split("\n\n")[1]
    assert open_note(good + other, ORIGIN, KEY.public_key()).startswith(ORIGIN)


def test_a_bad_signature_by_the_known_key_rejects_the_note() -> None:
    body = Checkpoint(ORIGIN, 4, bytes(32)).body()
    good = _note(body)
    forged = sign_note("another text\n", ORIGIN, KEY).split("\n\n")[1]  # same name and hash
    with pytest.raises(NoteError, match="does not verify"):
        open_note(good + forged, ORIGIN, KEY.public_key())
    with pytest.raises(NoteError, match="does not verify"):
        open_note(body + "\n" + forged + good.split("\n\n")[1], ORIGIN, KEY.public_key())


@pytest.mark.parametrize("control", ["\x00", "\t", "\r", "\x1b", "\x1f", "\x0b"])
def test_control_characters_are_refused(control: str) -> None:
    good = _note(f"{ORIGIN}\n4\n{ROOT}\n")
    with pytest.raises(NoteError, match="control character"):
        open_note(good.replace("\n4\n", f"\n4{control}\n"), ORIGIN, KEY.public_key())
    with pytest.raises(NoteError, match="control character"):
        open_note(good[:-1] + control + "\n", ORIGIN, KEY.public_key())
    with pytest.raises(NoteError, match="control character"):
        sign_note(f"text{control}\n", ORIGIN, KEY)


@pytest.mark.parametrize(
    "size",
    [
        "٥",
        "５",
        "²",
        "٠",
        "05",
        "00",
        "+5",
        "-0",
        " 5",
        "5 ",
        "1_000",
        "0x5",
        "",
        "18446744073709551616",
    ],
)
def test_tree_sizes_are_ascii_digits_without_leading_zeros(size: str) -> None:
    with pytest.raises(NoteError, match="size"):
        parse_checkpoint(f"{ORIGIN}\n{size}\n{ROOT}\n")


def test_good_tree_sizes() -> None:
    for size in (0, 1, 10, 20852163, 2**64 - 1):
        assert parse_checkpoint(f"{ORIGIN}\n{size}\n{ROOT}\n").size == size


def test_checkpoint_lines() -> None:
    assert parse_checkpoint(f"{ORIGIN}\n1\n{ROOT}\nextension\n").size == 1
    bad = [
        f"{ORIGIN}\n1\n{ROOT}",  # no final newline
        f"{ORIGIN}\n1\n",  # no root
        f"\n1\n{ROOT}\n",  # empty origin
        f"{ORIGIN}\n1\n{ROOT}\n\n",  # an empty extension line
        f"{ORIGIN}\n1\n{ROOT[:-1]}\n",  # not base64
        f"{ORIGIN}\n1\n{base64.b64encode(bytes(31)).decode()}\n",  # 31 bytes
        f"{ORIGIN}\n1\n{ROOT[:-2]}9=\n",  # non-canonical base64 (stray low bits)
    ]
    for body in bad:
        with pytest.raises(NoteError):
            parse_checkpoint(body)


def test_signing_refuses_what_a_reader_would() -> None:
    for body, name in (
        ("no newline", ORIGIN),
        ("text\n", "a name"),
        ("text\n", "a+b"),
        ("text\n", ""),
    ):
        with pytest.raises(NoteError):
            sign_note(body, name, KEY)
