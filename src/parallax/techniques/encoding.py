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
# Words separated by at most this many characters of gap (spaces, a comma) join one span
# when both are above threshold; wider gaps (a line break) split spans.
MAX_JOIN_GAP = 3

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


def decode_spans(text: str, tokens: Tokens, probs: list[float], threshold: float) -> list[tuple[int, int, float]]:
    """Character spans (start, end, mean word probability) of runs of words >= threshold."""
    words: list[tuple[int, int, float]] = []  # (start, end, prob) per word
    i, n = 0, len(tokens.ids)
    while i < n:
        j = i + 1
        while j < n and tokens.words[j] == tokens.words[i] != -1:
            j += 1
        words.append((tokens.offsets[i][0], tokens.offsets[j - 1][1], sum(probs[i:j]) / (j - i)))
        i = j
    spans: list[tuple[int, int, float]] = []
    run: list[tuple[int, int, float]] = []
    for word in words + [(math.inf, math.inf, -1.0)]:
        joins = run and word[0] - run[-1][1] <= MAX_JOIN_GAP and "\n" not in text[run[-1][1]:int(min(word[0], len(text)))]
        if word[2] >= threshold and (not run or joins):
            run.append(word)
            continue
        if run:
            spans.append((run[0][0], run[-1][1], sum(w[2] for w in run) / len(run)))
        run = [word] if word[2] >= threshold else []
    return spans


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
