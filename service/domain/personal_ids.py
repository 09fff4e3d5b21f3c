"""The holder's personal identification number (số định danh cá nhân): 12 digits, for life,
printed on the citizen ID card (Law on Identification 2023). Its structure is set by
Circular 07/2016/TT-BCA, Art. 7 (kept by Circular 59/2021/TT-BCA, unconfirmed):

    digits 1-3  the province (or centrally-run city) where the birth was registered,
                Appendix 1 of the circular (001 Hà Nội ... 096 Cà Mau, with gaps);
    digit 4     century of birth and sex: 0/1 the 20th century (1900-1999), male/female,
                2/3 the 21st, 4/5 the 22nd, 6/7 the 23rd, 8/9 the 24th;
    digits 5-6  the last two digits of the year of birth;
    digits 7-12 a random number.

The checks here are plausibility, not proof: a number that passes may still belong to no
one. The number is personal data; nothing here logs or formats it for display beyond
`masked`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from service import texts

LENGTH = 12
_DIGITS = re.compile(r"^[0-9]{12}$")

# Circular 07/2016/TT-BCA, Appendix 1: the birth-registration province codes, 001 Hà Nội to
# 096 Cà Mau (63 provinces
# before the 2025 mergers; the merged provinces keep the numbers already given, so a number
# carries one of these). Read from a reproduction of the appendix (unconfirmed against the
# gazette), docs/register.md.
PROVINCES: frozenset[str] = frozenset(
    (
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    )
)


def normalise(value: Any) -> Any:
    """What a clerk typed, as the number: spaces, dots and hyphens between groups dropped
    ("001 308 012345"), full-width digits left for the check to refuse. A number a
    spreadsheet turned into an integer (leading zeros lost) comes back padded only when it
    is an int: a text cell is taken as typed."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:012d}" if 0 <= value < 10**LENGTH else str(value)
    if isinstance(value, float) and value.is_integer() and 0 <= value < 10**LENGTH:
        return f"{int(value):012d}"
    if isinstance(value, str):
        return re.sub(r"[\s.\-]", "", value)
    return value


def format_error(value: str) -> str | None:
    """The code of what makes `value` no personal identification number by its form alone
    (digits, province, century), or None. The codes are texts.FIELD_MESSAGES keys."""
    if not _DIGITS.match(value):
        return "personal_id_digits"
    if value[:3] not in PROVINCES:
        return "personal_id_province"
    return None


def century_from(value: str) -> int:
    """The first year of the century of birth the number gives (1900, 2000, ...)."""
    return 1900 + 100 * (int(value[3]) // 2)


def birth_year(value: str) -> int:
    return century_from(value) + int(value[4:6])


def sex(value: str) -> str:
    """ "male" or "female", as the register's gender."""
    return "male" if int(value[3]) % 2 == 0 else "female"


def holder_mismatches(value: str, date_of_birth: date, gender: str) -> list[texts.Text]:
    """What the number says of its holder that the register row does not: the century, the
    year of birth, the sex. A well-formed number (format_error None) only."""
    errors = []
    born = date_of_birth.year
    if century_from(value) != born - born % 100:
        errors.append(
            texts.PERSONAL_ID_CENTURY.format(digit=value[3], year=born, century=century_from(value))
        )
    elif birth_year(value) != born:
        errors.append(texts.PERSONAL_ID_YEAR.format(digits=value[4:6], year=born))
    if sex(value) != gender:
        printed = texts.Text(texts.GENDERS_PRINTED[gender], gender)
        errors.append(texts.PERSONAL_ID_SEX.format(digit=value[3], gender=printed))
    return errors


def masked(value: str) -> str:
    """The number as staff see it by default: only its last four digits."""
    return "•" * (LENGTH - 4) + value[-4:]
