"""Quantities in text, normalised to a numeric range and the noun they count.

"hundreds of civilians" -> low 200, high 999, approximate, unit "civilian"
"between 26 and 43 civilians" -> low 26, high 43, unit "civilian"
"over 60 soldiers" -> low 61, high None (open-ended), unit "soldier"
"close to half a million people" -> low = high = 500000, approximate, unit "people"

Conventions (chosen so that two outlets' figures can be compared as ranges):
  * `high` is None when the text gives no upper bound ("over 60", "at least 5",
    "more than 100"); JSON has no infinity, and None says "unbounded" plainly.
  * "over N" / "more than N" of whole numbers start at N + 1; "at least N" at N.
    "fewer than N" / "under N" / "up to N" have low 0 and high N - 1 (or N for "up to").
  * Hedged point values ("about", "nearly", "close to", "some") keep low = high = N and
    set `approximate`: the caller chooses its own tolerance.
  * Vague plurals are ranges of what they can mean: "dozens" 24..99, "hundreds"
    200..999, "thousands" 2000..9999, "tens of thousands" 20000..99999, "millions"
    2e6..(1e9 - 1); all approximate.
  * Dates are not quantities: "September 9", "26 September 2016", "in 2011" and bare
    years 1800..2100 without a counted noun are skipped.
  * "one" on its own is skipped (mostly a pronoun: "one of them", "no one"), and so are
    numbers inside names and codes ("F-16", "COVID-19", "9/11", "Resolution 2254").
  * Shares of a whole are percent: "two-thirds of voters" -> 66.7, "more than half of
    the population" -> 50..100.
`unit` is the counted noun in singular ("civilian", "soldier", "people", "percent",
"member" in "15-member"), or "" when no noun follows.
"""
from __future__ import annotations

import re

from parallax.model import Quantity

UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
FRACTIONS = {"half a": 0.5, "a quarter of a": 0.25, "quarter of a": 0.25, "a": 1.0}

# Shares of a whole, counted as percent ("two-thirds of voters" -> 66.7 percent).
SHARES = {"half": 50.0, "a third": 100 / 3, "one third": 100 / 3, "two thirds": 200 / 3,
          "a quarter": 25.0, "one quarter": 25.0, "three quarters": 75.0}
SHARE = r"half|(?:a|one|two)[\s-]thirds?|(?:a|one|three)[\s-]quarters?"

# Vague plural amounts: (low, high) of what a writer can mean by them.
VAGUE = {
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999),
    "thousands": (2_000, 9_999), "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999), "millions": (2_000_000, 999_999_999),
}

MONTHS = ("january february march april may june july august september october november "
          "december jan feb mar apr jun jul aug sep sept oct nov dec").split()

# A bare year in this range without a counted noun is a date, not a quantity.
YEAR_RANGE = (1800, 2100)

# Words that stop the search for the counted noun: verbs, function words.
STOP_WORDS = frozenset("""
a an the and or but of in on at to from by with for as than that which who whom whose
is are was were be been being have has had do does did will would could should may
might must can shall not no more less also this these those there their its his her
our your my they them he she it we you i more most many much per each every into about
over under after before during since until while when where while if so such said says
""".split())

# Irregular plurals of counted nouns; the rest lose a regular -s/-es/-ies.
IRREGULAR = {"people": "people", "men": "man", "women": "woman", "children": "child",
             "persons": "person", "police": "police", "staff": "staff", "troops": "troop",
             "feet": "foot", "series": "series", "news": "news", "percent": "percent"}

NUMBER_WORD = "|".join(sorted((re.escape(w) for w in UNITS), key=len, reverse=True))
SCALE_WORD = "|".join(SCALES)
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# One number: digits or words, an optional scale ("1.2 million", "five hundred",
# "half a million").
NUMBER = (rf"(?:(?:half\s+a|a\s+quarter\s+of\s+a|quarter\s+of\s+a|a)\s+(?:{SCALE_WORD})"
          rf"|(?:{DIGITS}|{NUMBER_WORD})(?:[\s-]+(?:{NUMBER_WORD}))?(?:\s+(?:{SCALE_WORD}))*)(?![A-Za-z0-9])")

# Modifiers before a number, mapped to how they change the range.
MODIFIERS = {
    "more than": "above", "over": "above", "upwards of": "above", "in excess of": "above",
    "at least": "min", "no fewer than": "min", "no less than": "min", "a minimum of": "min",
    "fewer than": "below", "less than": "below", "under": "below",
    "up to": "max", "as many as": "max", "at most": "max", "a maximum of": "max",
    "about": "approx", "around": "approx", "approximately": "approx", "roughly": "approx",
    "some": "approx", "nearly": "approx", "almost": "approx", "close to": "approx",
    "an estimated": "approx", "estimated": "approx", "circa": "approx",
}
MODIFIER = "|".join(sorted((re.escape(m) for m in MODIFIERS), key=len, reverse=True))
VAGUE_WORD = "|".join(sorted((re.escape(v) for v in VAGUE), key=len, reverse=True))

QUANTITY = re.compile(
    rf"\b(?:(?P<mod>{MODIFIER})\s+)?"
    rf"(?:between\s+(?P<b_low>{NUMBER})\s+and\s+(?P<b_high>{NUMBER})"
    rf"|(?P<share>{SHARE})(?=\s+of\b)"
    rf"|(?P<vague>{VAGUE_WORD})(?:\s+(?:and|of|upon)\s+(?:{VAGUE_WORD}))?"
    rf"|(?P<low>{NUMBER})(?:-(?=\s+or\b))?(?:\s*(?:to|-|–|or)\s*(?P<high>{NUMBER}))?)"
    rf"(?P<pct>\s*%|\s+percent\b|\s+per\s+cent\b)?",
    re.IGNORECASE,
)

DATE_NEAR = re.compile(rf"\b(?:{'|'.join(MONTHS)})\.?\s*$", re.IGNORECASE)
DATE_AFTER = re.compile(rf"^\s*(?:{'|'.join(MONTHS)})\b|^(?:st|nd|rd|th)\b|^:\d|^\s*[ap]\.?m\b",
                        re.IGNORECASE)
# "... 60 soldiers and injured over 100 more": the second figure counts the same noun.
MORE_OF_THE_SAME = re.compile(r"^\s+(?:more|others|other)\b", re.IGNORECASE)
# Capitalised plurals that count people ("Syrians", "Palestinians", "Kurds", "Americans").
PEOPLE_NAME = re.compile(r"[A-Z][a-z]+(?:ans|ese|is|ds|ks|s)")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def parse_number(text: str) -> float | None:
    """Value of one number in digits or words ("1,200", "1.2 million", "twenty-five")."""
    words = re.sub(r"[\s-]+", " ", text.lower().replace(",", "")).strip()
    for fraction, value in FRACTIONS.items():
        scale = SCALES.get(words[len(fraction) + 1:]) if words.startswith(fraction + " ") else None
        if scale:
            return value * scale  # "half a million", "a thousand"
    total, current = 0.0, None
    i, parts = 0, words.split(" ")
    while i < len(parts):
        part = parts[i]
        if part == "a" and i + 1 < len(parts) and parts[i + 1] == "dozen":
            current, i = (current or 0) + 12, i + 2
            continue
        if re.fullmatch(r"\d+(?:\.\d+)?", part):
            current = (current or 0) + float(part)
        elif part in UNITS:
            current = (current or 0) + UNITS[part]
        elif part in SCALES:
            current = (current or 1) * SCALES[part]
            if SCALES[part] >= 1000:
                total, current = total + current, None
        else:
            return None
        i += 1
    value = total + (current or 0)
    return value if (current is not None or total) else None


def _singular(word: str) -> str:
    lower = word.lower()
    if lower in IRREGULAR:
        return IRREGULAR[lower]
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if lower.endswith(("ches", "shes", "sses", "xes")):
        return lower[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return lower[:-1]
    return lower


def counted_noun(after: str) -> str:
    """The noun a number counts, from the text right after it ("" if none)."""
    hyphen = re.match(r"^-(?:\s*or\s+\S+?-)?([A-Za-z]+)", after)  # "15-member", "three- or four-day"
    if hyphen:
        return _singular(hyphen.group(1))
    rest = after
    of = re.match(r"^\s+of\s+(?:the\s+)?", rest)
    if of:
        rest = rest[of.end():]
    words: list[str] = []
    previous_end = 0
    for match in WORD.finditer(rest[:60]):
        if rest[previous_end:match.start()].strip():
            break  # punctuation (or the start of another clause) ends the noun phrase
        word = match.group()
        if word.lower() in STOP_WORDS:
            break
        if word[:1].isupper() and not (not words and PEOPLE_NAME.fullmatch(word)):
            break  # a name ends the phrase, except a people word first ("2 million Syrians")
        words.append(match.group())
        previous_end = match.end()
        if len(words) == 3:
            break
    while words and words[-1].lower().endswith(("ed", "ing", "ly")) and len(words) > 1:
        words.pop()
    if not words or words[-1].lower().endswith(("ed", "ly")):
        return ""
    return _singular(words[-1])


def _is_date(text: str, start: int, end: int, low: float) -> bool:
    before, after = text[max(0, start - 12):start], text[end:end + 12]
    if DATE_NEAR.search(before) or DATE_AFTER.match(after) or re.search(r"\d:$", before):
        return True
    if not (low.is_integer() and YEAR_RANGE[0] <= low <= YEAR_RANGE[1]):
        return False
    if re.fullmatch(r"\d{4}", text[start:end].strip()) is None:
        return False
    # "the 2016 election" is a date; "2000 soldiers" (a plural noun) is a count.
    next_word = re.match(r"\s+([a-z]+)", after)
    return not (next_word and _singular(next_word.group(1)) != next_word.group(1))


def _is_identifier(text: str, start: int, end: int) -> bool:
    """Numbers inside names and codes: "F-16", "G20", "COVID-19", "9/11", "Resolution 2254"."""
    before, after = text[max(0, start - 20):start], text[end:end + 2]
    if re.search(r"[A-Za-z]-?$", before) or re.search(r"\d/$", before) or after.startswith("/"):
        return True
    return re.search(r"\b(?:Resolution|Article|Section|Chapter|Page|No\.|Number|Flight|Route|"
                     r"Highway|Room|Gate|Unit|Brigade|Division|Protocol)\s+$", before) is not None


def _range(match: re.Match, text: str) -> tuple[float, float | None, bool] | None:
    """(low, high, approximate) of a match before its modifier is applied."""
    if match.group("b_low"):
        low, high = parse_number(match.group("b_low")), parse_number(match.group("b_high"))
        return (low, high, False) if low is not None and high is not None else None
    if match.group("share"):
        share = re.sub(r"[\s-]+", " ", match.group("share").lower()).rstrip("s")
        share = share if share in SHARES else share + "s"
        value = round(SHARES[share], 1)
        return value, value, False
    if match.group("vague"):
        vague = re.sub(r"\s+", " ", match.group("vague").lower())
        if vague not in VAGUE:  # "dozens and dozens", "hundreds upon hundreds"
            vague = re.split(r" (?:and|of|upon) ", vague)[0]
        low, high = VAGUE[vague]
        return float(low), float(high), True
    low = parse_number(match.group("low"))
    if low is None:
        return None
    high = parse_number(match.group("high")) if match.group("high") else low
    return low, high, False


def _apply_modifier(mod: str | None, low: float, high: float | None,
                    approximate: bool, step: float) -> tuple[float, float | None, bool]:
    """The range after "over"/"at least"/"about"...; `step` is the next whole count (1) or 0."""
    kind = MODIFIERS.get((mod or "").lower())
    if kind == "above":
        return low + step, None, approximate
    if kind == "min":
        return low, None, approximate
    if kind == "below":
        return 0.0, (high or low) - step, approximate
    if kind == "max":
        return 0.0, high, approximate
    if kind == "approx":
        return low, high, True
    return low, high, approximate


def find_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Quantities in `text`, in text order (offsets + `offset`)."""
    found: list[Quantity] = []
    for match in QUANTITY.finditer(text):
        core = text[match.start():match.end()].strip()
        if not core or re.fullmatch(rf"(?:{MODIFIER})", core, re.I):
            continue
        parsed = _range(match, text)
        if parsed is None:
            continue
        low, high, approximate = parsed
        number = (match.group("low") or "").lower()
        if number == "one" and not match.group("high"):
            continue  # mostly a pronoun ("one of them"); see the module docstring
        if _is_date(text, match.start(), match.end(), low) or \
                _is_identifier(text, match.start(), match.end()):
            continue
        if match.group("pct") or match.group("share"):
            unit = "percent"
        else:
            unit = counted_noun(text[match.end():])
        if not unit and found and MORE_OF_THE_SAME.match(text[match.end():]):
            unit = found[-1].unit  # "killed 60 soldiers and injured 100 more"
        # "over 60" means 61 or more; "over 2.5 million" or "over half" has no next count.
        whole = low.is_integer() and re.fullmatch(r"[\d,]+|[a-z -]+", number or "-") \
            and not re.search(SCALE_WORD, number) and not match.group("share")
        low, high, approximate = _apply_modifier(match.group("mod"), low, high, approximate,
                                                 1.0 if whole else 0.0)
        if match.group("share") and high is None:
            high = 100.0  # "more than half" of a whole is at most all of it
        found.append(Quantity(offset + match.start(), offset + match.end(),
                              text[match.start():match.end()], low, high, approximate, unit))
    return found


__all__ = ["counted_noun", "find_quantities", "parse_number"]
