"""Hand-built typed Analysis fixtures for the compare tests (no spaCy needed).

Offsets are found by searching the text, so each fixture reads as plain sentences.
"""
from __future__ import annotations

import re

from parallax.model import Analysis, Article, Causal, Claim, Cue, Entity, Phrase, Quantity, Quote, Span, Speaker, Technique


def _find(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def sentences(text: str) -> list[Span]:
    spans, start = [], 0
    for match in re.finditer(r"(?<=[.!?])[\"”]?\s+", text):
        end = match.start() + (1 if text[match.start()] in "\"”" else 0)
        spans.append(Span(start, end, "sentence"))
        start = match.end()
    if text[start:].strip():
        spans.append(Span(start, len(text.rstrip()), "sentence"))
    return spans


def phrase(text: str, needle: str) -> Phrase:
    return Phrase(*_find(text, needle), needle)


def quantity(text: str, needle: str, low: float | None, high: float | None, unit: str,
             approximate: bool = False) -> Quantity:
    return Quantity(*_find(text, needle), needle, low, high, approximate, unit)


def quote(text: str, content: str, kind: str = "direct", speaker: str | None = None, cue: str | None = None) -> Quote:
    """A quote of `content`; the speaker's mention is the first occurrence of their last name,
    the cue the first occurrence of `cue` from 80 characters before the quote on."""
    start, end = _find(text, content)
    mention = Speaker(speaker, *_find(text, speaker.split()[-1])) if speaker else None
    verb = Cue(cue, *_find(text, cue, max(0, start - 80))) if cue else None
    return Quote(start, end, kind, speaker=mention, cue=verb)


def make(text: str, outlet: str = "A", quotes=(), entities=(), claims=(), techniques=()) -> Analysis:
    """quotes: (content, kind, speaker|None, cue|None); entities: (surface, type, name);
    claims: (sentence substring, fields) where fields are Claim fields, quantities given as
    {"text", "low", "high", "unit"} and causal as {"cause", "effect"} (substrings in place of
    offsets); techniques: (substring, technique)."""
    analysis = Analysis(Article(text=text, title=f"{outlet} story", outlet=outlet))
    analysis["sentences"] = sentences(text)
    analysis["entities"] = [Entity(m.start(), m.end(), kind, name=name, entity_id=name.lower())
                            for surface, kind, name in entities
                            for m in re.finditer(re.escape(surface), text)]
    analysis["quotes"] = [quote(text, *item) for item in quotes]
    analysis["claims"] = [_claim(analysis, needle, dict(fields)) for needle, fields in claims]
    analysis["techniques"] = [Technique(*_find(text, needle), technique) for needle, technique in techniques]
    return analysis


def _claim(analysis: Analysis, needle: str, fields: dict) -> Claim:
    """The sentence holding `needle` as a claim."""
    at = _find(analysis.text, needle)[0]
    start, end = next((s.start, s.end) for s in analysis.sentences if s.start <= at < s.end)
    fields["quantities"] = [quantity(analysis.text, q["text"], q["low"], q.get("high"), q["unit"],
                                     q.get("approximate", False)) for q in fields.get("quantities", [])]
    causal = fields.pop("causal", None)
    if causal:
        fields["causal"] = Causal("because", phrase(analysis.text, causal["cause"]),
                                  phrase(analysis.text, causal["effect"]))
    return Claim(start, end, "claim", fields.pop("score", 0.6), **fields)
