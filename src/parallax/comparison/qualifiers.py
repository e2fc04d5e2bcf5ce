"""Time, place and population qualifiers of a figure: what bounds what it counts.

"hundreds of civilians have been killed since a cease-fire fell apart last week" counts a
week; "Clashes intensified throughout the country Sunday. Between 26 and 43 civilians were
reported killed in bombing raids on eastern Aleppo" counts one day in one part of a city.
Each qualifier is a span of the article's text with a `key` the verdict compares:
  time        the period's granularity ("since", "span", "day", "week", "month", "season",
              "year", "event"), with its value where the text names one ("year 2015",
              "month march"): relative words ("last week", "Sunday") are not compared by
              value, because two articles published on different days name one day differently;
  place       the canonical name of a place entity that a locative preposition introduces
              ("in eastern Aleppo" -> "Aleppo");
  population  a word between the figure and the noun it counts ("700,000 young undocumented
              immigrants" -> "young", "undocumented").
Plain regular expressions over the text and the entity layer: no parse is needed at
comparison time.
"""
from __future__ import annotations

import re

from parallax.comparison.units import stem
from parallax.model import (
    PLACE_TYPES, QUALIFIER_PLACE, QUALIFIER_POPULATION, QUALIFIER_TIME, Analysis, Quantity, Qualifier, Span,
)

WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# "May" only before a day or a year: otherwise it is the verb.
MONTH = (r"(?:January|February|March|April|May(?=\s+\d)|June|July|August|September|October|November|December|"
         r"Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
YEAR = r"(?:19|20)\d{2}"
UNIT_WORD = r"(?:hours?|days?|weeks?|months?|years?|decades?)"
# A "since ..." clause runs to the next punctuation or clause word, at most this many characters.
SINCE_MAX_CHARS = 60
CLAUSE_END = r"(?=[,;:.!?)\u2014]|\s+(?:and|but|when|while|as|after|because|which|who)\b|$)"

# (granularity, pattern): where two matches overlap the longer is kept, so "since a
# cease-fire fell apart last week" is one "since" period, not also a week. Month, weekday
# and "Election Day" patterns are case-sensitive: "march" and "may" are verbs.
TIME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(pattern)) for name, pattern in (
    ("since", rf"(?i)\bsince\s+[^,;:.!?]{{2,{SINCE_MAX_CHARS}}}?{CLAUSE_END}"),
    ("span", rf"(?i)\b(?:so far|to date|(?:over|in|during|for|within) the (?:past|last|previous|next|coming) "
             rf"(?:\w+ )?{UNIT_WORD}|(?:over|for) (?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten) "
             rf"{UNIT_WORD}|between {YEAR} and {YEAR}|from {YEAR} (?:to|until|through) {YEAR})\b"),
    ("event", r"\b(?:on )?Election Day\b|\b(?:in |during )?(?:this|last|next|the past|the previous) "
              r"(?:election(?: cycle)?|cycle|midterms?|session|term)\b"),
    ("date", rf"\b(?:(?:on|in|by|since|until|through|during) )?(?:early |late |mid-)?{MONTH}"
             rf"(?: \d{{1,2}}(?:st|nd|rd|th)?)?(?:,? {YEAR})?\b"),
    ("year", rf"\b(?:in|during|by|since|until|through|before|after|from) (?:the )?{YEAR}\b(?!-)"),
    ("relative", r"(?i)\b(?:(?:earlier|later) )?(?:last|this|next|past|previous|coming) "
                 r"(?:week(?:end)?|month|year|decade|fall|autumn|spring|summer|winter)\b"),
    ("ago", rf"(?i)\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few) {UNIT_WORD} ago\b"),
    ("day", rf"\b(?:(?:[Oo]n|[Ll]ast|[Tt]his|[Nn]ext|[Ee]arly|[Ll]ate) )?{WEEKDAY}"
            r"(?: (?:morning|afternoon|evening|night))?\b"
            r"|(?i:\b(?:yesterday|today|tonight|a day earlier|the previous day|the day before)\b)"),
))
SEASONS = frozenset("fall autumn spring summer winter".split())
UNIT_GRANULARITY = {"hour": "day", "day": "day", "week": "week", "weekend": "day", "month": "month",
                    "year": "year", "decade": "year"}

# A place entity counts as where a figure happened when one of these introduces it, with at
# most PLACE_GAP_WORDS words between ("on eastern Aleppo", "in an Alexandria, Virginia, park").
LOCATIVE = r"(?:in|on|at|across|near|around|outside|inside|throughout|within|over)"
PLACE_GAP_WORDS = 3
# Words between a figure and its noun that say nothing about whom it counts.
POPULATION_IGNORED = frozenset("""
of the a an other more additional separate total such those these its their his her our some just only about
roughly nearly almost than fewer less least at most or and to up new further extra
""".split())
# The counted noun is looked for this many words after the figure.
POPULATION_WINDOW_WORDS = 5


def _time_key(granularity: str, text: str) -> str:
    """The comparable key of a time match: granularity, and a value where the text names one."""
    lower = text.lower()
    if granularity == "date":
        month = re.search(MONTH, text)
        name = month.group(0).rstrip(".").lower()[:3] if month else ""
        day = re.search(rf"{MONTH} (\d{{1,2}})\b", text)
        return f"day {name} {day.group(1)}" if day else f"month {name}"
    if granularity == "year":
        return "year " + re.search(YEAR, text).group(0)  # type: ignore[union-attr]
    if granularity in ("relative", "ago"):
        unit = re.search(r"(week(?:end)?|month|year|decade|hour|day)s?\b", lower)
        if unit is None:
            return "season" if any(season in lower for season in SEASONS) else "year"
        return UNIT_GRANULARITY[unit.group(1)]
    return granularity


def _without_overlaps(found: list[Qualifier]) -> list[Qualifier]:
    """Longest first, each kept only where it overlaps none kept before; in text order."""
    kept: list[Qualifier] = []
    for item in sorted(found, key=lambda q: (-(q.end - q.start), q.start)):
        if all(item.end <= k.start or k.end <= item.start for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda q: q.start)


def time_qualifiers(text: str, start: int, end: int, inherited: bool = False) -> list[Qualifier]:
    """The time phrases in text[start:end]."""
    found = []
    for granularity, pattern in TIME_PATTERNS:
        for match in pattern.finditer(text, start, end):
            found.append(Qualifier(match.start(), match.end(), match.group(0), QUALIFIER_TIME,
                                   _time_key(granularity, match.group(0)), inherited))
    return _without_overlaps(found)


def previous_sentence(analysis: Analysis, sentence: Span) -> Span | None:
    """The sentence before `sentence` in the same paragraph, if any."""
    before = [s for s in analysis.sentences if s.end <= sentence.start]
    if not before or "\n" in analysis.text[before[-1].end:sentence.start]:
        return None
    return before[-1]


def place_qualifiers(analysis: Analysis, sentence: Span) -> list[Qualifier]:
    """Place entities of the sentence that a locative preposition introduces."""
    text, found = analysis.text, []
    lead = re.compile(rf"\b{LOCATIVE}\s+(?:[\w'\u2019.-]+,?\s+){{0,{PLACE_GAP_WORDS}}}$", re.I)
    for entity in analysis.entities:
        if entity.label not in PLACE_TYPES or not (sentence.start <= entity.start and entity.end <= sentence.end):
            continue
        window = text[max(sentence.start, entity.start - 60):entity.start]
        match = lead.search(window)
        if match:
            start = entity.start - (len(window) - match.start())
            found.append(Qualifier(start, entity.end, text[start:entity.end], QUALIFIER_PLACE,
                                   entity.name or text[entity.start:entity.end]))
    return _without_overlaps(found)


def population_qualifiers(analysis: Analysis, quantity: Quantity, sentence: Span) -> list[Qualifier]:
    """Words between the figure and the noun it counts ("700,000 young undocumented immigrants")."""
    text = analysis.text
    unit = quantity.unit.lower()
    forms = {stem(unit), stem(unit + "s")}  # the lemma and its plural ("employee", "employees")
    words = list(re.finditer(r"[A-Za-z][\w'\u2019-]*", text[quantity.end:sentence.end]))[:POPULATION_WINDOW_WORDS]
    noun = next((i for i, w in enumerate(words) if stem(w.group(0).lower()) in forms), None)
    if noun is None:
        return []
    found = []
    for word in words[:noun]:
        lower = word.group(0).lower()
        if lower not in POPULATION_IGNORED:
            start, end = quantity.end + word.start(), quantity.end + word.end()
            found.append(Qualifier(start, end, text[start:end], QUALIFIER_POPULATION, lower))
    return found


def qualifiers(analysis: Analysis, quantity: Quantity, sentence: Span) -> list[Qualifier]:
    """Time, place and population qualifiers of a figure in its sentence. A sentence that
    names no time takes the time of the sentence before it in the paragraph (marked
    inherited): news text often dates a scene once ("Clashes intensified Sunday.")."""
    times = time_qualifiers(analysis.text, sentence.start, sentence.end)
    before = previous_sentence(analysis, sentence) if not times else None
    if before is not None:
        times = time_qualifiers(analysis.text, before.start, before.end, inherited=True)
    found = times + place_qualifiers(analysis, sentence) + population_qualifiers(analysis, quantity, sentence)
    return sorted(found, key=lambda q: q.start)


__all__ = ["previous_sentence", "qualifiers", "time_qualifiers"]
