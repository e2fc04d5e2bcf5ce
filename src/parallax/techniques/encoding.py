"""From article text to model windows and back: pure functions, no torch.

An article is tokenised once (fast tokenizer, character offsets). Its tokens are cut into
windows of at most `max_len - 2` tokens (room for [CLS] and [SEP]), preferably at a sentence
or line end so no sentence loses its context. Windows do not overlap, so every token is
encoded exactly once (this keeps inference fast).

Token probabilities come back per token; `decode_spans` turns them into character spans at
word level (a word's probability is the mean over its word pieces).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

# A window may end early (at a sentence end) only in its second half; earlier cuts would
# waste most of the window on padding.
MIN_WINDOW_FILL = 0.5
SENTENCE_END = (".", "!", "?", "\u201d", '"')
# Neighbouring words are at most this far apart (a space, a comma and a space).
WORD_GAP = 3
# Two runs of propaganda words on one line separated by at most this many characters (a
# few weak words) form one span: gold spans are phrases (mean 47 chars), and on the dev
# slice joining fragments raised SI F1 by ~0.01 (MiniLM top-2 model, epoch 2).
MERGE_GAP = 25
# Shorter spans are dropped: mostly lone emotive words the annotators did not mark
# (+0.01 SI F1 on the dev slice, same measurement).
MIN_SPAN_CHARS = 10

SPAN_FEATURES = ("log_chars", "log_repeats", "has_question", "has_exclamation", "line_cover")


@dataclass(frozen=True)
class Tokens:
    """The article's tokens: ids, character offsets, and the word index of each token."""

    ids: list[int]
    offsets: list[tuple[int, int]]
    words: list[int]


def tokenize(text: str, tokenizer) -> Tokens:
    """Tokenise the whole text (no special tokens) with character offsets into `text`."""
    encoding = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    words = encoding.word_ids()
    return Tokens(list(encoding["input_ids"]), [tuple(o) for o in encoding["offset_mapping"]],
                  [w if w is not None else -1 for w in words])


def _is_break(text: str, tokens: Tokens, i: int) -> bool:
    """True when a window may start at token i: a line break or sentence end precedes it."""
    previous_end = tokens.offsets[i - 1][1]
    gap = text[previous_end:tokens.offsets[i][0]]
    return "\n" in gap or text[tokens.offsets[i - 1][0]:previous_end].endswith(SENTENCE_END)


def make_windows(text: str, tokens: Tokens, max_len: int) -> list[tuple[int, int]]:
    """Token ranges [start, end) covering all tokens, each at most max_len - 2 long."""
    body = max_len - 2
    windows: list[tuple[int, int]] = []
    start, n = 0, len(tokens.ids)
    while start < n:
        end = min(start + body, n)
        if end < n:
            earliest = start + int(body * MIN_WINDOW_FILL)
            for cut in range(end, earliest, -1):
                if _is_break(text, tokens, cut):
                    end = cut
                    break
            # never cut inside a word: move back to the word's first piece if possible
            while end > earliest and tokens.words[end] == tokens.words[end - 1] != -1:
                end -= 1
        windows.append((start, end))
        start = end
    return windows


def token_targets(tokens: Tokens, spans: list[tuple[int, int]]) -> list[int]:
    """1 for each token whose characters intersect one of `spans`, else 0."""
    marks = [0] * len(tokens.ids)
    if not spans:
        return marks
    ordered = sorted(spans)
    for i, (ts, te) in enumerate(tokens.offsets):
        for ss, se in ordered:
            if ss >= te:
                break
            if se > ts:
                marks[i] = 1
                break
    return marks


def tokens_in_span(tokens: Tokens, start: int, end: int) -> list[int]:
    """Indices of the tokens whose characters intersect [start, end)."""
    return [i for i, (ts, te) in enumerate(tokens.offsets) if ts < end and te > start]


def decode_spans(text: str, tokens: Tokens, probs: list[float], threshold: float,
                 word_threshold: float | None = None, merge_gap: int = MERGE_GAP,
                 min_chars: int = MIN_SPAN_CHARS) -> list[tuple[int, int, float]]:
    """Character spans (start, end, score) from per-token propaganda probabilities.

    Neighbouring words (a word's probability is the mean over its pieces) of at least
    `word_threshold` (default: `threshold`) form runs; a run is kept when its best word
    reaches `threshold` (that probability is its score): the lower word threshold lets a
    confident core grow to the phrase around it (hysteresis). Kept runs on one line at
    most `merge_gap` characters apart join; spans under `min_chars` are dropped.
    """
    low = threshold if word_threshold is None else min(word_threshold, threshold)
    words: list[tuple[int, int, float]] = []  # (start, end, prob) per word
    i, n = 0, len(tokens.ids)
    while i < n:
        j = i + 1
        while j < n and tokens.words[j] == tokens.words[i] != -1:
            j += 1
        words.append((tokens.offsets[i][0], tokens.offsets[j - 1][1], sum(probs[i:j]) / (j - i)))
        i = j
    runs = _join(text, [w for w in words if w[2] >= low], WORD_GAP)
    confident = [run for run in runs if run[2] >= threshold]
    return [(s, e, p) for s, e, p in _join(text, confident, merge_gap) if e - s >= min_chars]


def _join(text: str, pieces: list[tuple[int, int, float]], max_gap: int) -> list[tuple[int, int, float]]:
    """Join (start, end, peak) pieces on one line at most `max_gap` characters apart."""
    joined: list[tuple[int, int, float]] = []
    for start, end, peak in pieces:
        if joined and start - joined[-1][1] <= max_gap and "\n" not in text[joined[-1][1]:start]:
            joined[-1] = (joined[-1][0], end, max(joined[-1][2], peak))
        else:
            joined.append((start, end, peak))
    return joined


def span_features(text: str, start: int, end: int) -> list[float]:
    """Cheap surface features of a span, in the order of SPAN_FEATURES.

    Repetition is an article-level property no window sees, so the number of other
    occurrences of the span's text in the article is given explicitly.
    """
    fragment = text[start:end]
    key = fragment.strip().lower()
    repeats = max(text.lower().count(key) - 1, 0) if key else 0
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_len = (len(text) if line_end < 0 else line_end) - line_start
    return [
        math.log1p(len(fragment)) / 6.0,
        math.log1p(repeats),
        float("?" in fragment),
        float("!" in fragment),
        min(len(fragment) / line_len, 1.0) if line_len > 0 else 0.0,
    ]
