"""Free-text dates as lists print them -> model.py date strings.

Handles "31 May 1960", "1 Jan. 1964", "11.4.1963", "00/00/1961", "dd/mm/1968",
"1960-05-31", "circa 1957" -> "~1957", "Between 1959 and 1965" / "1959 to 1962"
-> "1959..1965", and several of them in one cell ("(a) ...; (b) ..." / " or ").
"""

from __future__ import annotations

import re
from functools import lru_cache

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

_MON = r"(?P<mon>[A-Za-z]{3,9})\.?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_DATE_RES = [
    re.compile(r"(?<!\d)(?P<year>(?:1[89]|20)\d\d)-(?P<m>\d\d)(?:-(?P<d>\d\d))?(?!\d)"),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2}|[dD]{2}|00)[./](?P<m>\d{1,2}|[mM]{2}|00)[./]" + _YEAR),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)? " + _MON + r",? ?" + _YEAR),
    re.compile(r"\b" + _MON + r",? (?:(?P<d>\d{1,2}),? )?" + _YEAR),
    re.compile(r"(?<![\d/.])(?P<m>\d{1,2})/" + _YEAR + r"(?![\d/])"),  # "05/1973"
    re.compile(r"(?<![\d.\-/])" + _YEAR + r"(?![\d\-/])"),
]
_RANGE_RE = re.compile(
    r"(?:between\s+)?(?P<a>(?:1[89]|20)\d\d)\s*(?:and|to|-|–|—|/)\s*(?P<b>(?:1[89]|20)\d\d)"
    r"(?![\d\-/]|\.\d)",
    re.I,
)
_CIRCA_RE = re.compile(r"(?:\b(?:circa|approx\w*|about|around|ca?\.)|~)\s*", re.I)
_SPLIT_RE = re.compile(r";|\s+or\s+|\(\s*[a-z]\s*\)|\n", re.I)


def _fmt(year: str, month: int | None, day: int | None) -> str | None:
    if month is None or not 1 <= month <= 12:
        return year
    if day is None or not 1 <= day <= 31:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{day:02d}"


def _num(text: str | None) -> int | None:
    if text is None or not text.isdigit():
        return None
    value = int(text)
    return value or None


def _one(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    year = parts["year"]
    month: int | None
    if parts.get("mon") is not None:
        month = MONTHS.get(parts["mon"].lower())
        if month is None:
            return None
    else:
        month = _num(parts.get("m"))
    return _fmt(year, month, _num(parts.get("d")))


def parse_date(text: str) -> str | None:
    """The first single date in `text` (no circa/range handling), or None."""
    dates = parse_dates(text)
    return dates[0].lstrip("~") if dates and ".." not in dates[0] else None


def _parse_segment(seg: str) -> list[str]:
    circa = bool(_CIRCA_RE.search(seg))
    rng = _RANGE_RE.search(seg)
    if rng and (rng.group(0).lower().startswith("between") or not _DATE_RES[0].search(seg)):
        a, b = rng.group("a"), rng.group("b")
        if a <= b:
            return [f"{a}..{b}"]
    out: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for rx in _DATE_RES:
        for m in rx.finditer(seg):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value = _one(m)
            if value:
                taken.append((m.start(), m.end()))
                out.append((m.start(), value))
    ordered = [v for _, v in sorted(out)]
    if len(ordered) == 2 and not circa and re.search(r"\bbetween\b|\bto\b|\buntil\b", seg, re.I):
        return [f"{ordered[0]}..{ordered[1]}"]  # "1 Jan 1960 to 31 Dec 1965"
    return [("~" + v if circa else v) for v in ordered]


def parse_dates(text: str | None) -> list[str]:
    """All dates in a free-text cell, in order, without duplicates."""
    if not text:
        return []
    return list(_parse_cached(text))


@lru_cache(maxsize=65536)
def _parse_cached(text: str) -> tuple[str, ...]:
    # Lists repeat the same cells on many rows (UK ConList: one row per name variant).
    result: list[str] = []
    for seg in _SPLIT_RE.split(text):
        if seg and seg.strip():
            for value in _parse_segment(seg):
                if value not in result:
                    result.append(value)
    return tuple(result)
