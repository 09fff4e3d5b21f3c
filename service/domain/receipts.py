"""Verification receipts (docs/verification.md, "Biên nhận kiểm tra"): the code a receipt is
found by, and what a receipt keeps of a check.

A code is 12 characters of Crockford's base32 (60 random bits from `secrets`: unguessable,
and too many to try at the QR checks' rate), shown in three groups of four, "ABCD-EFGH-JKMN".
It has no I, L, O or U, so it reads aloud and types without doubt; what a person types is
taken in either case, with or without dashes or spaces, I and L read as 1 and O as 0."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, Final

from verifier.result import Lang, Verdict, VerificationResult

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH: Final = 12
GROUP: Final = 4
PATH: Final = "/bien-nhan/"
# What a person may type for a letter the alphabet lacks.
_READ_AS: Final = str.maketrans({"I": "1", "L": "1", "O": "0"})
_DROPPED: Final = str.maketrans("", "", "- \u00a0\t")
_LETTERS: Final = frozenset(ALPHABET)


def new_code() -> str:
    """A fresh code, without dashes (as it is stored)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalised(typed: str) -> str | None:
    """The stored form of a code as a person typed or read it, or None when it cannot be
    one: "abcd-efgh-jkmn", "ABCDEFGHJKMN" and "ABCD EFGH JKMN" are the same code, and so
    are "1O..." and "10...". A code with a U, or of another length, is none."""
    code = typed.strip().upper().translate(_DROPPED).translate(_READ_AS)
    if len(code) != LENGTH or not set(code) <= _LETTERS:
        return None
    return code


def grouped(code: str) -> str:
    """ "ABCDEFGHJKMN" -> "ABCD-EFGH-JKMN", the way a receipt shows its code."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def receipt_url(public_url: str, code: str) -> str:
    """The receipt's address, as its page prints it."""
    return public_url.rstrip("/") + PATH + grouped(code)


def receipt_qr_text(public_url: str, code: str) -> str:
    """The text of the QR code printed on a receipt: its address in upper case, so that the
    QR code is in alphanumeric mode (small), as the diplomas' own are; the service answers
    /BIEN-NHAN/ as /bien-nhan/."""
    return receipt_url(public_url, code).upper()


def valid_until(created_at: datetime, days: int) -> datetime:
    return created_at + timedelta(days=days)


def expired(until: datetime, now: datetime) -> bool:
    return now >= until


def public_answer(result: VerificationResult, lang: Lang = "vi") -> dict[str, Any]:
    """What a receipt keeps of a check: the answer the public API gives (in Vietnamese), with
    no field of a code that is not genuine, as the public page shows none of them. The
    token's fields are the printed ones only (kind, name, date and place of birth, major,
    classification, year, serial, register number, issuer, issue date); the status is the
    public one (a correction's decision and current name, never its ground)."""
    answer = result.to_dict(lang)
    if result.verdict == Verdict.NOT_GENUINE:
        answer["fields"] = {}
    return answer


def changed(then: dict[str, Any], now: dict[str, Any]) -> bool:
    """Whether the answer now differs from the one kept: another verdict, or another status
    (a second correction, say)."""
    return (then.get("verdict"), then.get("status")) != (now.get("verdict"), now.get("status"))
