"""Windows, token targets, span decoding and span features: text -> expected, no model."""
from __future__ import annotations

import pytest

from parallax.techniques import encoding
from parallax.techniques.encoding import Tokens


def words_tokens(text: str) -> Tokens:
    """One token per whitespace-separated word (a stand-in tokenizer with exact offsets)."""
    offsets, start = [], None
    for i, ch in enumerate(text + " "):
        if not ch.isspace() and start is None:
            start = i
        elif ch.isspace() and start is not None:
            offsets.append((start, i))
            start = None
    return Tokens(list(range(len(offsets))), offsets, list(range(len(offsets))))


@pytest.mark.parametrize(
    "text, max_len, expected",
    [
        # 6 words, 4 per window (max_len 6 - 2 specials), no sentence end: cut at 4
        ("a b c d e f", 6, [(0, 4), (4, 6)]),
        # a sentence end after word 3 lets the first window end there
        ("a b c. d e f", 6, [(0, 3), (3, 6)]),
        # a line break after word 3 too
        ("a b c\nd e f", 6, [(0, 3), (3, 6)]),
        # a sentence end too early (before half the window) is not used
        ("a. b c d e f", 6, [(0, 4), (4, 6)]),
        ("", 6, []),
    ],
)
def test_make_windows(text: str, max_len: int, expected: list[tuple[int, int]]) -> None:
    assert encoding.make_windows(text, words_tokens(text), max_len) == expected


def test_make_windows_does_not_split_word_pieces() -> None:
    text = "a b cde f"
    # "cde" is three word pieces of word 2
    tokens = Tokens([1, 2, 3, 4, 5, 6], [(0, 1), (2, 3), (4, 5), (5, 6), (6, 7), (8, 9)], [0, 1, 2, 2, 2, 3])
    assert encoding.make_windows(text, tokens, 6) == [(0, 2), (2, 6)]


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        ("we are very evil people", [(7, 16)], [0, 0, 1, 1, 0]),
        ("we are very evil people", [], [0, 0, 0, 0, 0]),
        # a span touching only part of a word marks the word
        ("we are very evil people", [(13, 14)], [0, 0, 0, 1, 0]),
        ("we are very evil people", [(0, 2), (17, 23)], [1, 0, 0, 0, 1]),
    ],
)
def test_token_targets(text: str, spans: list[tuple[int, int]], expected: list[int]) -> None:
    assert encoding.token_targets(words_tokens(text), spans) == expected


@pytest.mark.parametrize(
    "text, probs, threshold, expected",
    [
        ("we are very evil people", [0.1, 0.1, 0.9, 0.8, 0.1], 0.5, [(7, 16)]),
        ("we are very evil people", [0.1] * 5, 0.5, []),
        ("we are very evil people", [0.9, 0.1, 0.9, 0.1, 0.9], 0.5, [(0, 2), (7, 11), (17, 23)]),
        # a line break splits a run
        ("very evil\npeople here", [0.9, 0.9, 0.9, 0.1], 0.5, [(0, 9), (10, 16)]),
        # a lower threshold takes more words
        ("we are very evil people", [0.1, 0.4, 0.9, 0.8, 0.1], 0.3, [(3, 16)]),
    ],
)
def test_decode_spans(text: str, probs: list[float], threshold: float, expected: list[tuple[int, int]]) -> None:
    found = encoding.decode_spans(text, words_tokens(text), probs, threshold, merge_gap=3, min_chars=0)
    assert [(s, e) for s, e, _ in found] == expected
    assert all(threshold <= p <= 1 for _, _, p in found)


@pytest.mark.parametrize(
    "probs, threshold, word_threshold, expected",
    [
        # a confident core grows over neighbours above the word threshold
        ([0.1, 0.35, 0.9, 0.1, 0.35], 0.5, 0.3, [(3, 11, 0.9)]),
        # a run whose best word stays below the span threshold is dropped
        ([0.1, 0.35, 0.4, 0.1, 0.1], 0.5, 0.3, []),
        # without a word threshold only words above the span threshold count
        ([0.1, 0.35, 0.9, 0.1, 0.35], 0.5, None, [(7, 11, 0.9)]),
    ],
)
def test_decode_spans_hysteresis(probs, threshold, word_threshold, expected) -> None:
    text = "we are very evil people"
    assert encoding.decode_spans(text, words_tokens(text), probs, threshold, word_threshold, 3, 0) == expected


def test_decode_spans_averages_word_pieces() -> None:
    text = "unbelievable lies"
    tokens = Tokens([1, 2, 3], [(0, 6), (6, 12), (13, 17)], [0, 0, 1])
    # word 0 = mean(0.9, 0.3) = 0.6 -> in; the whole word is returned, not a piece
    assert [(s, e) for s, e, _ in encoding.decode_spans(text, tokens, [0.9, 0.3, 0.2], 0.5, min_chars=0)] == [(0, 12)]


@pytest.mark.parametrize(
    "probs, merge_gap, min_chars, expected",
    [
        # "very" and "people" are 6 characters apart: one span with a gap of 6 or more
        ([0.1, 0.1, 0.9, 0.1, 0.9], 6, 0, [(7, 23)]),
        ([0.1, 0.1, 0.9, 0.1, 0.9], 5, 0, [(7, 11), (17, 23)]),
        # spans shorter than min_chars are dropped
        ([0.1, 0.1, 0.9, 0.1, 0.9], 5, 5, [(17, 23)]),
    ],
)
def test_decode_spans_merges_near_runs_and_drops_short_ones(probs, merge_gap, min_chars, expected) -> None:
    text = "we are very evil people"
    found = encoding.decode_spans(text, words_tokens(text), probs, 0.5, merge_gap=merge_gap, min_chars=min_chars)
    assert [(s, e) for s, e, _ in found] == expected


@pytest.mark.parametrize(
    "text, start, end, repeats, question, exclamation, line_cover",
    [
        ("Lock her up! Lock her up!", 0, 11, 1, 0.0, 0.0, 11 / 25),
        ("Who benefits?\nNobody.", 0, 13, 0, 1.0, 0.0, 1.0),
        ("A total disaster!", 2, 17, 0, 0.0, 1.0, 15 / 17),
    ],
)
def test_span_features(text, start, end, repeats, question, exclamation, line_cover) -> None:
    import math

    features = dict(zip(encoding.SPAN_FEATURES, encoding.span_features(text, start, end)))
    assert features["log_repeats"] == pytest.approx(math.log1p(repeats))
    assert features["has_question"] == question
    assert features["has_exclamation"] == exclamation
    assert features["line_cover"] == pytest.approx(line_cover)
