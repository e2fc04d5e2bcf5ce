"""Text measures every stage shares: paragraphs and words, each defined once.

A figure such as "techniques per 1,000 words" must be the same number in the terminal,
the JSON and the HTML, so every stage counts words and paragraphs with these functions.
"""
from __future__ import annotations

import re

# A paragraph is a line with some non-space text: ingest separates paragraphs with "\n\n",
# and JSONL texts with single line breaks are read the same way.
PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
# A paragraph break in the strict sense: a newline, optional spaces, another newline. No
# sentence crosses one (nlp.sentences, and the parse itself: nlp.spacy_model).
PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
# A word: letters or digits, with inner apostrophes and hyphens ("don't", "U.N.-backed"
# counts "U", "N", "backed"; "well-known" is one word).
WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
# Rates are per this many words, the usual unit in media-bias studies.
RATE_WORDS = 1000


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """[start, end) of each paragraph (non-blank line) of `text`, without its outer spaces."""
    bounds = []
    for match in PARAGRAPH.finditer(text):
        line = match.group()
        start = match.start() + len(line) - len(line.lstrip())
        bounds.append((start, match.start() + len(line.rstrip())))
    return bounds


def word_count(text: str) -> int:
    """The number of words in `text` (see WORD)."""
    return sum(1 for _ in WORD.finditer(text))


def per_thousand_words(count: int, words: int) -> float:
    """`count` per RATE_WORDS words, rounded to 2 decimals (0.0 for an empty text)."""
    return round(count * RATE_WORDS / words, 2) if words else 0.0


__all__ = ["PARAGRAPH", "PARAGRAPH_BREAK", "RATE_WORDS", "WORD", "paragraph_bounds", "per_thousand_words", "word_count"]
