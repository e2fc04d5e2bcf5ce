"""Sentence spans: spaCy's sentences, repaired where the small model splits badly.

Repairs, in order:
  1. a sentence never crosses a paragraph break (a blank line), so headlines, captions
     and bylines stay separate from the body;
  2. a piece that is only punctuation (a closing quote left at the start of the next
     sentence, a "* * *" separator) is glued back to the sentence before it, or dropped;
  3. a sentence that starts with a lower-case word after an abbreviation ("U.S.", "Gen.")
     or after no end punctuation at all continues the previous one, so the two are merged.
Each span is trimmed of surrounding whitespace.
"""
from __future__ import annotations

import re

from parallax.model import Span
from parallax.nlp.spacy_model import doc_text
from parallax.text import PARAGRAPH_BREAK

# Characters that close a quotation or a bracket and belong to the sentence they end.
CLOSERS = "\"'\u201d\u2019)]"

# A piece made only of these is not a sentence (separators like "* * *", stray quotes).
NON_SENTENCE = re.compile(r"^[\W_]*$")


# Abbreviations spaCy may take for a sentence end: initialisms ("U.S.", "U.N.") and
# common short titles and words.
ABBREVIATION_END = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Gen|Sen|Rep|Gov|Mr|Mrs|Ms|Dr|Prof|St|Lt|Col|Capt|Sgt|"
    r"Jr|Sr|No|vs|etc|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$")
# Characters that end a sentence.
END_PUNCT = ".!?\"'\u201d\u2019)]…:"


def _continues(text: str, prev_end: int, start: int, end: int) -> bool:
    """True when the piece at [start, end) is the rest of the sentence ending at prev_end."""
    if not _starts_lowercase(text, start, end) or not _same_paragraph(text, prev_end, start):
        return False
    before = text[max(0, prev_end - 12):prev_end]
    return bool(ABBREVIATION_END.search(before)) or before[-1:] not in END_PUNCT


def _paragraph_cuts(text: str) -> list[int]:
    """Offsets where a new paragraph starts (after each blank-line break)."""
    return [m.end() for m in PARAGRAPH_BREAK.finditer(text)]


def _raw_pieces(doc) -> list[tuple[int, int]]:
    """spaCy sentences cut again at every paragraph break, as (start, end) offsets."""
    text = doc_text(doc)
    cuts = _paragraph_cuts(text)
    pieces: list[tuple[int, int]] = []
    for sent in doc.sents:
        start = sent.start_char
        end = sent.end_char
        for cut in cuts:
            if start < cut < end:
                pieces.append((start, cut))
                start = cut
        pieces.append((start, end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _same_paragraph(text: str, end: int, start: int) -> bool:
    return PARAGRAPH_BREAK.search(text, end, start) is None if end < start else True


def _starts_lowercase(text: str, start: int, end: int) -> bool:
    """True when the first letter (after opening punctuation) is lower case."""
    for ch in text[start:end]:
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


def _split_leading_closer(text: str, start: int, end: int) -> int:
    """Length of a run of closing quotes at the start of a piece (a bad split after them)."""
    n = 0
    while start + n < end and text[start + n] in CLOSERS:
        n += 1
    # Only a closer that is followed by space or ends the piece was torn off the sentence
    # before; an opening apostrophe-quote ('Give us...) is followed by a letter.
    if n and (start + n == end or text[start + n].isspace()):
        return n
    return 0


def sentence_spans(doc) -> list[Span]:
    """Sentences of `doc` as Spans labelled "sentence" (offsets into `doc.text`)."""
    text = doc_text(doc)
    merged: list[list[int]] = []
    for raw_start, raw_end in _raw_pieces(doc):
        start, end = _trim(text, raw_start, raw_end)
        if start >= end:
            continue
        prev = merged[-1] if merged else None
        closer = _split_leading_closer(text, start, end)
        if closer and prev is not None and _same_paragraph(text, prev[1], start):
            prev[1] = start + closer
            start, end = _trim(text, start + closer, end)
            if start >= end:
                continue
        if NON_SENTENCE.match(text[start:end]):
            continue
        if prev is not None and _continues(text, prev[1], start, end):
            prev[1] = end
            continue
        merged.append([start, end])
    return [Span(start, end, "sentence") for start, end in merged]


__all__ = ["sentence_spans"]
