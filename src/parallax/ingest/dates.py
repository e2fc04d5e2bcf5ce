"""Find and normalise the publication dates that page captures print in their headers.

"September 26, 2016", "Sep. 26, 2016", "26 September 2016" and "2016-09-26" all become
"2016-09-26". Anything else is not a date to us (`parse_date` returns None).
"""
from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
# A month name or its abbreviation ("Sep", "Sept.", "September"); checked in _month_number.
_MONTH_WORD = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"

# The three shapes, each with named groups; tried in order.
_DATE_SHAPES = (
    rf"(?P<month>{_MONTH_WORD})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})",
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH_WORD}),?\s+(?P<year>\d{{4}})",
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})",
)
_WHOLE = tuple(re.compile(shape, re.IGNORECASE) for shape in _DATE_SHAPES)
_AT_END = tuple(re.compile(rf"\b(?:{shape})$", re.IGNORECASE) for shape in _DATE_SHAPES)


def _month_number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    word = word.lower().rstrip(".")
    for name, number in _MONTHS.items():
        if name.startswith(word):
            return number
    return None  # a word like "Septembre" that only begins like a month


def _iso(match: re.Match[str]) -> str | None:
    month = _month_number(match["month"])
    if month is None:
        return None
    try:
        return date(int(match["year"]), month, int(match["day"])).isoformat()
    except ValueError:  # e.g. "February 30, 2016"
        return None


def parse_date(text: str) -> str | None:
    """The ISO date ("2016-09-26") that makes up all of `text`, or None."""
    text = text.strip()
    for pattern in _WHOLE:
        match = pattern.fullmatch(text)
        if match:
            return _iso(match)
    return None


def split_dated_line(line: str) -> tuple[str, str] | None:
    """Split "Global Research, September 26, 2016" into ("Global Research", "2016-09-26").

    The date must end the line; the name before it may be empty ("26 September 2016").
    Returns None when the line does not end in a date.
    """
    line = line.strip()
    for pattern in _AT_END:
        match = pattern.search(line)
        iso = _iso(match) if match else None
        if match and iso:
            name = line[:match.start()].strip().rstrip(",|-–—").strip()
            return name, iso
    return None
