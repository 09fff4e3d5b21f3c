"""Vietnam's public holidays (Bộ luật Lao động 2019, Điều 112), for the anomaly of a
registration made when offices are closed: the fixed days of the solar calendar and the
lunar ones, Tết and the Hùng Kings' day, found from the lunar calendar as Vietnam reckons it
(new moons and solar terms at UTC+7).

The lunar calendar follows Hồ Ngọc Đức's published algorithm ("Thuật toán tính âm lịch",
after Jean Meeus, Astronomical Algorithms), the one Vietnamese calendars are printed from.
The days a Prime Minister's decision adds each year (the day beside 2/9, working days moved to
make a bridge) are not known in advance and are not counted.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import lru_cache
from typing import Final, Literal

HolidayName = Literal["new_year", "tet", "hung_kings", "reunification", "labour", "national"]

TIME_ZONE: Final = 7.0  # hours east of UTC

# The days of the solar calendar (Art. 112.1 a, c, d, đ), by their name in service/texts.py.
SOLAR_HOLIDAYS: Final[tuple[tuple[tuple[int, int], HolidayName], ...]] = (
    ((1, 1), "new_year"),
    ((4, 30), "reunification"),
    ((5, 1), "labour"),
    ((9, 2), "national"),
)
# Tết's five days (Art. 112.1 b) are taken as the last day of the lunar year and the first
# four of the new one, as most years' decisions set them.
TET_DAYS_BEFORE: Final = 1
TET_DAYS_FROM: Final = 4


def _jd(day: date) -> int:
    """The Julian day number of a Gregorian date."""
    return day.toordinal() + 1_721_425


def _date(jd: int) -> date:
    return date.fromordinal(jd - 1_721_425)


def _new_moon_day(k: int) -> int:
    """The Julian day (local) of the k-th new moon after 1 January 1900."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 = c1 - 0.4068 * math.sin(mpr * dr) + 0.0161 * math.sin(dr * 2 * mpr)
    c1 = c1 - 0.0004 * math.sin(dr * 3 * mpr)
    c1 = c1 + 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 = c1 - 0.0074 * math.sin(dr * (m - mpr)) + 0.0004 * math.sin(dr * (2 * f + m))
    c1 = c1 - 0.0004 * math.sin(dr * (2 * f - m)) - 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 = c1 + 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return math.floor(jd1 + c1 - delta_t + 0.5 + TIME_ZONE / 24)


def _sun_longitude(jdn: int) -> int:
    """The sun's longitude at the start of a (local) day, in twelfths of the circle: the
    solar term the day falls in."""
    t = (jdn - 2451545.5 - TIME_ZONE / 24) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    longitude = (280.46645 + 36000.76983 * t + 0.0003032 * t2 + dl) * dr
    longitude -= 2 * math.pi * math.floor(longitude / (2 * math.pi))
    return math.floor(longitude / math.pi * 6)


def _month_11(year: int) -> int:
    """The Julian day the 11th lunar month (the one with the winter solstice) of a year
    starts."""
    k = math.floor((_jd(date(year, 12, 31)) - 2415021) / 29.530588853)
    new_moon = _new_moon_day(k)
    if _sun_longitude(new_moon) >= 9:
        new_moon = _new_moon_day(k - 1)
    return new_moon


def _leap_month_offset(a11: int) -> int:
    k = math.floor((a11 - 2415021.076998695) / 29.530588853 + 0.5)
    i = 1
    arc = _sun_longitude(_new_moon_day(k + i))
    while True:
        last = arc
        i += 1
        arc = _sun_longitude(_new_moon_day(k + i))
        if arc == last or i >= 14:
            return i - 1


def lunar_to_solar(day: int, month: int, year: int) -> date:
    """The solar date of a lunar day (of an ordinary, not leap, month)."""
    if month < 11:
        a11, b11 = _month_11(year - 1), _month_11(year)
    else:
        a11, b11 = _month_11(year), _month_11(year + 1)
    k = math.floor(0.5 + (a11 - 2415021.076998695) / 29.530588853)
    offset = (month - 11) % 12
    if b11 - a11 > 365:  # a year of 13 months: past the leap month, one more
        leap_offset = _leap_month_offset(a11)
        if offset >= leap_offset:
            offset += 1
    return _date(_new_moon_day(k + offset) + day - 1)


@lru_cache(maxsize=64)
def holidays(year: int) -> dict[date, HolidayName]:
    """The public holidays of a solar year, each named (service/texts.HOLIDAYS)."""
    found: dict[date, HolidayName] = {date(year, m, d): name for (m, d), name in SOLAR_HOLIDAYS}
    new_year = lunar_to_solar(1, 1, year)  # from 21 January to 20 February
    for n in range(-TET_DAYS_BEFORE, TET_DAYS_FROM):
        found[new_year + timedelta(days=n)] = "tet"
    found[lunar_to_solar(10, 3, year)] = "hung_kings"
    return dict(sorted(found.items()))


def holidays_between(first: int, last: int) -> dict[date, HolidayName]:
    """The public holidays of the solar years first..last."""
    found: dict[date, HolidayName] = {}
    for year in range(first, last + 1):
        found.update(holidays(year))
    return found
