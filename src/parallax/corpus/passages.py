"""Passages of an article and their word-bigram shingles: what provenance indexes.

A passage is a paragraph (`parallax.text.paragraph_bounds`), or a sentence of a paragraph
longer than MAX_PASSAGE_WORDS; short lines and boilerplate are skipped. A passage is kept
as the sorted set of 32-bit hashes of its word bigrams (`shingles`), compared by exact
Jaccard (`jaccard`). parallax.corpus.provenance builds the copy index on these.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

from parallax.comparison.units import STOPWORDS
from parallax.corpus.dedup import text_hash
from parallax.text import WORD, paragraph_bounds

# Passages of fewer words are not indexed: datelines, bylines, captions, "Read more" links
# and stock lines ("X did not immediately respond to a request for comment", 10-12 words)
# recur across outlets without anybody copying anybody.
MIN_PASSAGE_WORDS = 10
# A paragraph longer than this is indexed sentence by sentence: a copied paragraph merged
# into a long one of the outlet's own shares too little of the whole to pass
# provenance.NEAR_JACCARD.
# PolNeAR's paragraphs: median 34 words, 97% under 100.
MAX_PASSAGE_WORDS = 100
# Lines that are the site's furniture, not its reporting (shared by many unrelated sites).
BOILERPLATE = re.compile(
    r"\b(all rights reserved|copyright|sign up for|subscribe to|follow us on|click here|"
    r"share this (article|story)|newsletter|this field is for validation)\b", re.IGNORECASE)
# Furniture is a line or two: longer passages are not searched for it.
BOILERPLATE_MAX_CHARS = 300
# Sentence ends inside a long paragraph: . ! ? (and closing quotes) before a capital.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")

# Shingles are word bigrams (`tagged_shingles`). Measured on PolNeAR paragraphs (10+
# words): with 10% of the words replaced, 99% of copies keep a bigram Jaccard of 0.64 (0.45
# with 3-grams), while the most similar paragraph of another outlet stays under 0.18 for
# 99% of paragraphs (0.14 with 3-grams): bigrams keep a wider gap between light edits and
# unrelated text.

# Words whose hash code is cached (a news vocabulary; the cache is emptied when full).
MAX_CACHED_WORDS = 200_000
_CODES: dict[str, int] = {}

# Odd 64-bit constants that weigh the words of a bigram by position ("a b" != "b a").
_FIRST, _SECOND = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
_U32, _U30 = np.uint64(32), np.uint64(30)


def _sentence_bounds(text: str, start: int, end: int) -> list[tuple[int, int]]:
    bounds, begin = [], start
    for match in SENTENCE_END.finditer(text, start, end):
        bounds.append((begin, match.start()))
        begin = match.end()
    return bounds + [(begin, end)]


def passages(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, lower-case words) of each passage of `text` worth indexing."""
    found = []
    for start, end in paragraph_bounds(text):
        words = WORD.findall(text[start:end].lower())
        pieces = [(start, end, words)]
        if len(words) > MAX_PASSAGE_WORDS:
            pieces = [(s, e, WORD.findall(text[s:e].lower())) for s, e in _sentence_bounds(text, start, end)]
        found += [(s, e, w) for s, e, w in pieces if len(w) >= MIN_PASSAGE_WORDS
                  and (e - s > BOILERPLATE_MAX_CHARS or not BOILERPLATE.search(text, s, e))]
    return found


def passage_bounds(text: str) -> list[tuple[int, int]]:
    """[start, end) of the passages of `text` worth indexing."""
    return [(start, end) for start, end, _ in passages(text)]


def normalised_hash(passage: str) -> int:
    """`dedup.text_hash` of the passage as `model.normalise_text` normalises it (spaces
    collapsed, lower case), by str.split, which splits where that regex does, 5x faster."""
    return text_hash(" ".join(passage.split()).lower())


def _word_code(word: str) -> int:
    """CRC-32 of the word, shifted left one bit, the low bit set for a function word."""
    if len(_CODES) >= MAX_CACHED_WORDS:
        _CODES.clear()
    code = _CODES[word] = zlib.crc32(word.encode("utf-8")) << 1 | (word in STOPWORDS)
    return code


def tagged_shingles(words: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """The bigram hashes of several passages in one numpy pass: a sorted uint64 array of
    passage number << 32 | hash, and where each passage's run of it starts (and the end).

    A hash is 30 bits under 2 bits of tier (0: two content words, 1: one, 2: two function
    words), so a passage's smallest hashes are its most telling bigrams. Only the first
    MAX_PASSAGE_WORDS words of a passage count: a passage costs at most that many hashes."""
    words = [w[:MAX_PASSAGE_WORDS] for w in words]
    cached = _CODES.get  # (a code of 0 is just computed again)
    codes = np.array([cached(w) or _word_code(w) for ws in words for w in ws], dtype=np.uint64)
    passage = np.repeat(np.arange(len(words), dtype=np.uint64), [len(ws) for ws in words])
    inside = passage[:-1] == passage[1:]  # the bigram does not straddle two passages
    first, second = codes[:-1][inside], codes[1:][inside]
    hashes = ((first >> np.uint64(1)) * _FIRST + (second >> np.uint64(1)) * _SECOND) >> np.uint64(34)
    tiers = (first & np.uint64(1)) + (second & np.uint64(1))
    tagged = np.unique(passage[:-1][inside] << _U32 | tiers << _U30 | hashes)
    offsets = np.searchsorted(tagged >> _U32, np.arange(len(words) + 1, dtype=np.uint64))
    return tagged, offsets


def shingles(text: str, start: int = 0, end: int | None = None) -> np.ndarray:
    """The sorted distinct bigram hashes (uint32) of the passage text[start:end]."""
    tagged, _ = tagged_shingles([WORD.findall(text[start:end].lower())])
    return tagged.astype(np.uint32)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard index of two sorted sets of hashes."""
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared) if len(a) + len(b) else 0.0


__all__ = ["BOILERPLATE", "MAX_PASSAGE_WORDS", "MIN_PASSAGE_WORDS", "jaccard", "normalised_hash", "passage_bounds",
           "passages", "shingles", "tagged_shingles"]
