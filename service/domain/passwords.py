"""The password policy, in the spirit of NIST SP 800-63B section 3.1.1.2: at least 12
characters (any characters: spaces, Vietnamese letters), at most 256, not built on the
account's own names, and not a common or easily guessed password; no composition rules and
no expiry. zxcvbn does the guessability check (common-password lists, dictionary words,
keyboard patterns, repetitions and sequences, with the account's names as context)."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from zxcvbn import zxcvbn

from service import texts
from service.domain.folding import fold
from service.texts import Text

MIN_LENGTH: Final = 12
MAX_LENGTH: Final = 256
# zxcvbn's score 3: "safely unguessable" (about 10^8 guesses and more); 4 would refuse many
# long passphrases people can remember.
MIN_SCORE: Final = 3
# zxcvbn's matching grows with the length; what lies beyond adds guesses anyway.
_CHECKED_PREFIX: Final = 64
# Vietnamese words and habits zxcvbn's English lists do not know.
_LOCAL_COMMON: Final = (
    "matkhau",
    "anhyeuem",
    "emyeuanh",
    "yeuem",
    "vietnam",
    "hanoi",
    "saigon",
    "vanbang",
    "quantri",
    "admin",
)


def _compact(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(value))


def _name_words(username: str, display_name: str) -> list[str]:
    local = username.split("@", 1)[0]
    words = re.split(r"[^a-z0-9]+", fold(f"{local} {display_name}"))
    return sorted({w for w in words if len(w) >= 3}, key=len, reverse=True)


def password_problems(password: str, *, username: str, display_name: str) -> list[Text]:
    """What is wrong with `password` for this account: empty when it is acceptable."""
    length = len(unicodedata.normalize("NFC", password))
    if length < MIN_LENGTH:
        return [texts.PASSWORD_TOO_SHORT.format(min=MIN_LENGTH, length=length)]
    if length > MAX_LENGTH:
        return [texts.PASSWORD_TOO_LONG.format(max=MAX_LENGTH)]
    compact = _compact(password)
    # The username or the whole name in it, or a password that is mostly the name's words
    # ("Nguyen Thi Hoa 2024"); a passphrase that merely has a word of the name in it is not
    # refused for that (Vietnamese given names are everyday words: hoa, lan, minh, nam).
    whole = [
        n for n in (_compact(username.split("@", 1)[0]), _compact(display_name)) if len(n) >= 4
    ]
    names = _name_words(username, display_name)
    rest = compact
    for word in names:
        rest = rest.replace(word, "")
    if any(n in compact for n in whole) or len(rest) < 8:
        return [texts.PASSWORD_HAS_NAME]
    for word in _LOCAL_COMMON:
        rest = rest.replace(word, "")
    if len(rest) < 6 or zxcvbn(password[:_CHECKED_PREFIX], user_inputs=names)["score"] < MIN_SCORE:
        return [texts.PASSWORD_COMMON]
    return []
