"""Birth dates as customer files carry them -> "YYYY", "YYYY-MM" or "YYYY-MM-DD".

Accepted: 1967-2-1, 1960-05-31, 1960-05, 1960, 31.05.1960 (day first with dots, as
Russian, German and Korean-exported files write it), 1960.05.31, 1960/05/31,
1960년 5월 31일 (also 1960년 5월, 1960년). Slashes with the year last (05/31/1960 or
31/05/1960) are refused: day and month order is ambiguous. Impossible dates
(1960-02-31, year 0000) are refused with the reason."""

from __future__ import annotations

import calendar
import re

MIN_YEAR = 1800

_YMD = re.compile(r"^(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_KO = re.compile(r"^(\d{4})\s*년(?:\s*(\d{1,2})\s*월(?:\s*(\d{1,2})\s*일)?)?$")
FORMATS = (
    "YYYY, YYYY-MM, YYYY-MM-DD (also 1967-2-1, 31.05.1960, 1960.05.31, 1960/05/31, "
    "1960년 5월 31일)"
)


class BadDate(ValueError):
    """The text is not a date we can read, or an impossible one; str() says why."""


def parse_birth_date(text: str) -> str:
    t = text.strip()
    m = _YMD.match(t) or _KO.match(t)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
    else:
        m = _DMY.match(t)
        if not m:
            raise BadDate(f"{text!r} is not a date: use {FORMATS}")
        d, mo, y = m.group(1), m.group(2), m.group(3)
    year = int(y)
    if year < MIN_YEAR:
        raise BadDate(f"{text!r} has an impossible year {y}")
    if mo is None:
        return f"{year:04d}"
    month = int(mo)
    if not 1 <= month <= 12:
        raise BadDate(f"{text!r} has an impossible month {month}")
    if d is None:
        return f"{year:04d}-{month:02d}"
    day = int(d)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise BadDate(f"{text!r} is impossible: {name} {year} has {last} days")
    return f"{year:04d}-{month:02d}-{day:02d}"
