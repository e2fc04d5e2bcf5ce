"""Hand-built Analysis fixtures for the compare tests (no spaCy needed).

Offsets are found by searching the text, so each fixture reads as plain sentences.
"""
from __future__ import annotations

import re

from parallax.model import Analysis, Article, Span


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


def make(text: str, outlet: str = "A", quotes=(), entities=(), claims=(), techniques=()) -> Analysis:
    """quotes: (content, kind, speaker|None, cue|None); entities: (surface, type, name);
    claims: (sentence substring, attrs) where attrs quantities/causal give substrings
    in place of offsets; techniques: (substring, technique)."""
    analysis = Analysis(Article(text=text, title=f"{outlet} story", outlet=outlet))
    analysis["sentences"] = sentences(text)
    analysis["entities"] = [Span(m.start(), m.end(), kind, attrs={"name": name, "entity_id": name.lower()})
                            for surface, kind, name in entities
                            for m in re.finditer(re.escape(surface), text)]
    quote_spans = []
    for content, kind, speaker, cue in quotes:
        start, end = _find(text, content)
        attrs = {"speaker": None, "cue": None}
        if speaker:
            s_start, s_end = _find(text, speaker.split()[-1])
            attrs["speaker"] = {"name": speaker, "start": s_start, "end": s_end}
        if cue:
            c_start, c_end = _find(text, cue, max(0, start - 80))
            attrs["cue"] = {"text": cue, "start": c_start, "end": c_end}
        quote_spans.append(Span(start, end, kind, attrs=attrs))
    analysis["quotes"] = quote_spans
    claim_spans = []
    for needle, attrs in claims:  # a claim is the sentence holding `needle`
        at = _find(text, needle)[0]
        start, end = next((s.start, s.end) for s in analysis["sentences"] if s.start <= at < s.end)
        full = dict(attrs)
        full["quantities"] = [dict(q, start=_find(text, q["text"])[0], end=_find(text, q["text"])[1])
                              for q in attrs.get("quantities", [])]
        if "causal" in attrs:
            full["causal"] = {part: {"text": phrase, "start": _find(text, phrase)[0], "end": _find(text, phrase)[1]}
                              for part, phrase in attrs["causal"].items()}
        claim_spans.append(Span(start, end, "claim", score=attrs.get("score", 0.6), attrs=full))
    analysis["claims"] = claim_spans
    analysis["techniques"] = [Span(*_find(text, needle), technique) for needle, technique in techniques]
    return analysis
