"""Who gives a figure: the speaker of the speech it sits in, an "according to" source, or
the outlet itself.

"According to the WSJ, ... and residents said hundreds of civilians have been killed":
residents (the nearest cue before the figure), via the WSJ (an outer source). The cue words
are found in the sentence's text; the quotes layer resolves pronoun speakers ("he said" ->
"Vitaly Churkin") and credits figures inside a quote that has no cue in the sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from parallax.comparison.units import normalise, stem
from parallax.model import (
    BY_ACCORDING_TO, BY_OUTLET, BY_SPEAKER, Analysis, Attribution, AttributionKind, Phrase, Quote, Span,
)

# Verbs that credit what follows (or precedes) to their subject ("the poll found"). Forms
# that are mostly nouns in news text ("reports of bombs", "claims that", "15 other
# states") are left out; a passive "was found" credits nobody (PASSIVE_WORDS).
SPEECH_CUE = re.compile(r"\b(?:said|says|say|told|tell|tells|reported|estimated|estimates|claimed|stated|"
                        r"announced|announces|counted|confirmed|confirms|wrote|writes|added|noted|insisted|"
                        r"argued|alleged|warned|warns|testified|found|finds|showed|shows)\b")
ACCORDING_TO = re.compile(r"\baccording to\s+", re.I)
# A subject or source ends at punctuation or at one of these words ...
BOUNDARY_WORDS = frozenset("and but that which who whom while as when because so if though although where "
                           "whether after before".split())
# ... except a relative pronoun after a noun: "lawmakers who were briefed on the plan said".
RELATIVE_WORDS = frozenset("who that".split())
# Words between a subject and its verb ("officials also said", "he has said").
VERB_LEAD_WORDS = frozenset("also has have had would will reportedly previously later earlier then "
                            "again once repeatedly".split())
# A verb after one of these is passive ("26 civilians were reported killed"): it credits nobody.
PASSIVE_WORDS = frozenset("is are was were be been being".split())
PRONOUNS = frozenset("he she they it we i you this someone".split())
# Longest subject or source taken, in words ("The Center on Budget and Policy Priorities"); a
# relative clause may add up to RELATIVE_EXTRA_WORDS more.
MAX_SOURCE_WORDS = 8
RELATIVE_EXTRA_WORDS = 6
# "said Samantha Power", "said the State Department": a name right after the verb.
INVERTED_NAME = re.compile(r"\s+(?:the\s+|a\s+|an\s+)?[A-Z]")
PUNCTUATION = re.compile(r"[,;:()\"\u201c\u201d\u2014\u2013]|--")
# Words that say nothing about which source it is ("the", "Mr.", "senior").
NAME_IGNORED = frozenset("the a an mr mrs ms dr sen rep gov senior top local some many other".split())


@dataclass(frozen=True)
class Cue:
    """A credit found in the sentence: where its verb or "according to" is, and whom it names."""

    at: int
    kind: AttributionKind
    name: str
    mention: Phrase


def _inside_name(tokens: list[re.Match[str]], index: int) -> bool:
    """"and" between capitalised words is part of a name ("Center on Budget and Policy Priorities")."""
    return (tokens[index].group(0) == "and" and 0 < index < len(tokens) - 1
            and tokens[index - 1].group(0)[:1].isupper() and tokens[index + 1].group(0)[:1].isupper())


def _words_back(text: str, start: int, end: int) -> Phrase | None:
    """The words of text[start:end] back from its end to a clause word (at most
    MAX_SOURCE_WORDS), with a relative clause's head noun ("lawmakers who were briefed")."""
    tokens = list(re.finditer(r"\S+", text[start:end]))
    while tokens and tokens[-1].group(0).lower() in VERB_LEAD_WORDS:
        tokens.pop()
    if tokens and tokens[-1].group(0).lower() in PASSIVE_WORDS:
        return None
    kept: list[re.Match[str]] = []
    limit = MAX_SOURCE_WORDS
    for index in range(len(tokens) - 1, -1, -1):
        word = tokens[index].group(0).lower()
        if word in RELATIVE_WORDS and kept and limit == MAX_SOURCE_WORDS:
            limit += RELATIVE_EXTRA_WORDS  # the head noun comes before the relative clause
        elif (word in BOUNDARY_WORDS and not _inside_name(tokens, index)) or len(kept) >= limit:
            break
        kept.insert(0, tokens[index])
    while kept and kept[0].group(0).lower() in RELATIVE_WORDS:
        kept.pop(0)  # "... that officials said": no head noun before it
    if not kept:
        return None
    first, last = start + kept[0].start(), start + kept[-1].end()
    return Phrase(first, last, text[first:last])


def _subject(text: str, sentence: Span, verb_start: int, verb_end: int) -> Phrase | None:
    """Who a speech verb credits: the words before it back to punctuation; the name before
    an apposition ("Win Htein, a member of the NLD's committee, said"); or, inverted, the
    name after it ("..., said Samantha Power")."""
    marks = list(PUNCTUATION.finditer(text, sentence.start, verb_start))
    cut = marks[-1].end() if marks else sentence.start
    if text[cut:verb_start].strip():
        return _words_back(text, cut, verb_start)
    if len(marks) >= 2 and marks[-1].group(0) == "," and marks[-2].group(0) == ",":
        before = marks[-3].end() if len(marks) >= 3 else sentence.start
        named = _words_back(text, before, marks[-2].start())
        if named is not None:
            return named
    if INVERTED_NAME.match(text, verb_end):
        return _source_after(text, verb_end, sentence)
    return None


def _head(subject: Phrase) -> str:
    """A subject's name without its relative clause: "lawmakers who were briefed" -> "lawmakers"."""
    return re.split(r"\s+(?:who|that)\s+", subject.text, maxsplit=1)[0]


def _source_after(text: str, start: int, sentence: Span) -> Phrase | None:
    """The source named after "according to": up to punctuation or a clause word (a period
    inside a sentence is an abbreviation's: "U.S. officials")."""
    segment = text[start:sentence.end]
    stop = PUNCTUATION.search(segment)
    segment = segment[:stop.start()] if stop else segment.rstrip(".!? ")
    kept: list[re.Match[str]] = []
    for token in re.finditer(r"\S+", segment):
        if token.group(0).lower() in BOUNDARY_WORDS or len(kept) == MAX_SOURCE_WORDS:
            break
        kept.append(token)
    if not kept:
        return None
    first, last = start + kept[0].start(), start + kept[-1].end()
    return Phrase(first, last, text[first:last])


def _speaker_of_verb(analysis: Analysis, start: int, end: int) -> tuple[str, Phrase] | None:
    """A pronoun subject's speaker, from the quote whose cue is this verb."""
    for quote in analysis.quotes:
        if quote.cue and quote.cue.start < end and start < quote.cue.end and quote.speaker and quote.speaker_name:
            speaker = quote.speaker
            return quote.speaker_name, Phrase(speaker.start, speaker.end, analysis.text[speaker.start:speaker.end])
    return None


def cues(analysis: Analysis, sentence: Span, figure: Span | None = None) -> list[Cue]:
    """Speech verbs with their subjects and "according to" sources of the sentence, in
    order; a subject holding the figure is what is reported, not who reports it."""
    text, found = analysis.text, []
    for match in SPEECH_CUE.finditer(text, sentence.start, sentence.end):
        subject = _subject(text, sentence, match.start(), match.end())
        if subject is None or (figure is not None and subject.start < figure.end and figure.start < subject.end):
            continue
        if normalise(subject.text) in PRONOUNS:
            resolved = _speaker_of_verb(analysis, match.start(), match.end())
            if resolved is None:
                continue
            found.append(Cue(match.start(), BY_SPEAKER, *resolved))
        else:
            found.append(Cue(match.start(), BY_SPEAKER, _head(subject), subject))
    for match in ACCORDING_TO.finditer(text, sentence.start, sentence.end):
        source = _source_after(text, match.end(), sentence)
        if source is not None:
            found.append(Cue(match.start(), BY_ACCORDING_TO, source.text, source))
    return sorted(found, key=lambda cue: cue.at)


def _quote_holding(analysis: Analysis, start: int, end: int) -> Quote | None:
    """The shortest quote with a speaker that holds [start, end) (its content or reported clause)."""
    holding = [q for q in analysis.quotes if q.speaker_name and q.speaker is not None and (
        (q.start <= start and end <= q.end) or (q.clause and q.clause.start <= start and end <= q.clause.end))]
    return min(holding, key=len, default=None)


def attribution(analysis: Analysis, sentence: Span, start: int, end: int, outlet: str) -> Attribution:
    """Who gives the figure text[start:end] of `sentence`: the nearest credit before it
    (else the first after it), with an outer credit as `via`; else the speaker of a quote
    holding it; else the outlet."""
    found = cues(analysis, sentence, Span(start, end))
    before = [cue for cue in found if cue.at < start]
    # a credit after the figure only within its clause (", officials said."), not past a ";"
    after = [cue for cue in found if cue.at >= end and ";" not in analysis.text[end:cue.mention.start]]
    main = before[-1] if before else next(iter(after), None)
    quote = _quote_holding(analysis, start, end)
    quoted = None
    if quote is not None and quote.speaker is not None:
        mention = quote.speaker
        quoted = Cue(mention.start, BY_SPEAKER, quote.speaker_name or "",
                     Phrase(mention.start, mention.end, analysis.text[mention.start:mention.end]))
    main = main or quoted
    if main is None:
        return Attribution(outlet, BY_OUTLET)
    outer = [cue for cue in before if cue.at < main.at and not same_name(cue.name, main.name)]
    if quoted is not None and not same_name(quoted.name, main.name):
        outer.append(quoted)
    return Attribution(main.name, main.kind, main.mention, outer[0].mention if outer else None)


def _name_words(name: str) -> list[str]:
    return [stem(w) for w in normalise(name).split() if w not in NAME_IGNORED]


def same_name(a: str, b: str) -> bool:
    """One source named twice, or maybe: one name's words inside the other's ("Churkin" and
    "Vitaly Churkin", "officials" and "senior administration officials", "the poll" and
    "the latest Reuters/Ipsos poll"). Two named polls or agencies differ."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return normalise(a) == normalise(b)
    return set(wa) <= set(wb) or set(wb) <= set(wa)


def same_source(a: Attribution, b: Attribution) -> bool:
    """Two attributions that may be one source: any name of one (speaker or via) matches one of the other."""
    names_a = [a.name] + ([a.via.text] if a.via else [])
    names_b = [b.name] + ([b.via.text] if b.via else [])
    return any(same_name(x, y) for x in names_a for y in names_b)


__all__ = ["attribution", "cues", "same_name", "same_source"]
