"""Long texts in bounded pieces, so analysis cost stays linear in the text.

spaCy's Doc and the extractors hold about 3.5 KB of memory per character of text (a 0.2 MB
text peaked at 0.8 GB, a 1 MB one at 4.2 GB), so a long text is parsed as a series of chunks
cut at paragraph breaks, and the spans found in each chunk are shifted back into the whole
text (model.shifted). An ordinary article (under CHUNK_CHARS) is one chunk: its results
do not change. Entity names are resolved within a chunk ("Power" -> "Samantha Power" needs
the full name in the same chunk), which only long texts can notice.
"""
from __future__ import annotations

import re

# 50,000 characters: longer than 99% of news articles (PTC train: 5,600 on average, the
# longest 32,000), and about 200 MB of parser memory.
CHUNK_CHARS = 50_000
# The longest text analysed at all: about 2 minutes on 2 cores with every component
# (bench/long_input.py: 2 MB in ~100 s), memory bounded by the chunk size. A longer
# "article" is a corpus in one string; split it into records (.jsonl) instead.
MAX_TEXT_CHARS = 2 * 2**20

# Where to cut, best first: a paragraph break, a line break, a sentence end, any space.
_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"'\u201d\u2019)]*\s"), re.compile(r"\s"))


def chunk_bounds(text: str, max_chars: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """[start, end) pieces covering `text` in order, each at most `max_chars` long, cut at
    the best break in the second half of each piece (a hard cut only in a 25,000-character
    word)."""
    bounds, start = [], 0
    while len(text) - start > max_chars:
        end = _cut(text, start + max_chars // 2, start + max_chars)
        bounds.append((start, end))
        start = end
    bounds.append((start, len(text)))
    return bounds


def _cut(text: str, lowest: int, highest: int) -> int:
    for pattern in _CUTS:
        last = None
        for last in pattern.finditer(text, lowest, highest):
            pass
        if last is not None:
            return last.end()
    return highest


__all__ = ["CHUNK_CHARS", "MAX_TEXT_CHARS", "chunk_bounds"]
