"""Token tags for attributions and their decoding back into character spans.

One tag per word piece, BIO over three roles (content, source, cue). A discontinuous
gold role ("A," he said. "B.") is tagged B on its first fragment's first token and I on
every other token of every fragment, so an I that follows a short run of other tags
continues the previous span as a new fragment instead of starting a new span: PolNeAR
scores the union of the fragments as one attribution.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

Offsets = list[tuple[int, int]]
Fragments = list[tuple[int, int]]

ROLES = ("content", "source", "cue")
OUTSIDE = 0
TAG_NAMES = ("O",) + tuple(f"{bio}-{role}" for role in ROLES for bio in ("B", "I"))
# An I this many tokens or fewer after its role's last span continues it as a fragment
# (", he said. " between two quoted sentences is 4-6 word pieces; a longer gap is
# more likely an untagged B than a continuation).
MAX_FRAGMENT_GAP = 12


def begin(role: str) -> int:
    return 1 + 2 * ROLES.index(role)


def inside(role: str) -> int:
    return 2 + 2 * ROLES.index(role)


def role_of(tag: int) -> str | None:
    return None if tag == OUTSIDE else ROLES[(tag - 1) // 2]


def is_begin(tag: int) -> bool:
    return tag != OUTSIDE and (tag - 1) % 2 == 0


@dataclass(frozen=True)
class TagProbs:
    """A text's tag probabilities [n_pieces, len(TAG_NAMES)] and the pieces' character
    offsets: what the head leaves for the quote extractor's ranker."""

    offsets: Offsets
    probs: np.ndarray


@dataclass
class Span:
    """A decoded role span: token index ranges [start, end) and their character fragments."""

    role: str
    tokens: list[tuple[int, int]] = field(default_factory=list)
    fragments: Fragments = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


def _tokens_of(offsets: Offsets, fragment: tuple[int, int]) -> list[int]:
    start, end = fragment
    return [i for i, (ts, te) in enumerate(offsets) if ts < end and te > start]


def encode_tags(offsets: Offsets, attributions: list[dict]) -> list[int]:
    """One tag per token from PolNeAR attributions ({"content"|"source"|"cue": [[s, e], ...]}).
    Where attributions nest, the longer content wins (tagged first; a token keeps its
    first tag), and contents win over sources and cues."""
    tags = [OUTSIDE] * len(offsets)
    by_length = sorted(attributions, key=lambda a: -sum(e - s for s, e in a.get("content", [])))
    for role in ROLES:
        for attribution in by_length:
            indices = sorted({i for f in attribution.get(role, []) for i in _tokens_of(offsets, tuple(f))})
            if not indices or any(tags[i] != OUTSIDE for i in indices):
                continue  # nested in (or clashing with) a span already tagged
            tags[indices[0]] = begin(role)
            for i in indices[1:]:
                tags[i] = inside(role)
    return tags


def decode_spans(tags: list[int], offsets: Offsets, max_gap: int = MAX_FRAGMENT_GAP) -> dict[str, list[Span]]:
    """Spans per role. B opens a span; I extends the open span of its role, or (after at
    most `max_gap` other tokens) adds a fragment to that role's last span, or else
    opens a span (an I with no B before it)."""
    spans: dict[str, list[Span]] = {role: [] for role in ROLES}
    last_token: dict[str, int] = {}
    for i, tag in enumerate(tags):
        role = role_of(tag)
        if role is None:
            continue
        previous = last_token.get(role)
        if is_begin(tag) or previous is None or i - previous - 1 > max_gap:
            spans[role].append(Span(role, [(i, i + 1)]))
        elif previous == i - 1:
            span = spans[role][-1]
            span.tokens[-1] = (span.tokens[-1][0], i + 1)
        else:
            spans[role][-1].tokens.append((i, i + 1))
        last_token[role] = i
    for role_spans in spans.values():
        for span in role_spans:
            span.fragments = [(offsets[s][0], offsets[e - 1][1]) for s, e in span.tokens]
    return spans


def nearest(span: Span, candidates: list[Span], max_distance: int) -> Span | None:
    """The candidate closest to `span` in characters (0 when they touch), if within
    `max_distance`."""
    best, best_distance = None, max_distance + 1
    for candidate in candidates:
        distance = max(0, candidate.start - span.end, span.start - candidate.end)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


# Content decoding from probabilities, chosen on one fold of 200 train articles (a first
# sweep; see bench/attribution_cv.py): argmax BIO fragments long clauses (F1@0.5 0.29),
# thresholding P(inside) and bridging short holes gave 0.49 there.
INSIDE_THRESHOLD = 0.5  # P(B-content) + P(I-content) above which a token is content
CONTENT_GAP = 6  # holes of at most this many tokens inside one line are bridged
BEGIN_SPLIT = 0.3  # ... unless the token after the hole is likely a B (a new content)
MIN_CONTENT_TOKENS = 6  # shorter runs are dropped: gold contents are clauses


def decode_content(inside_probs: list[float], begin_probs: list[float], offsets: Offsets, text: str,
                   threshold: float = INSIDE_THRESHOLD, max_gap: int = CONTENT_GAP,
                   begin_split: float = BEGIN_SPLIT, min_tokens: int = MIN_CONTENT_TOKENS) -> list[Span]:
    """Content spans: runs of tokens with P(inside) > `threshold`, joined over holes of at
    most `max_gap` tokens that cross no line break and end on no likely B."""
    runs: list[list[int]] = []
    for i, probability in enumerate(inside_probs):
        if probability <= threshold:
            continue
        if runs and i - runs[-1][1] <= max_gap and begin_probs[i] <= begin_split \
                and "\n" not in text[offsets[runs[-1][1] - 1][1]:offsets[i][0]]:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    return [Span("content", [(s, e)], [(offsets[s][0], offsets[e - 1][1])])
            for s, e in runs if e - s >= min_tokens]


# A predicted source further than this from a content span (characters) is not its
# speaker: PolNeAR's source sits in the same sentence as its cue, next to the content.
SPEAKER_DISTANCE = 150


@dataclass(frozen=True)
class Decoding:
    """How per-token tag probabilities become contents, sources and cues."""

    threshold: float = INSIDE_THRESHOLD
    max_gap: int = CONTENT_GAP
    begin_split: float = BEGIN_SPLIT
    min_tokens: int = 4  # shorter content runs are dropped
    speaker_distance: int = SPEAKER_DISTANCE
    # Contents whose mean P(content) is lower are dropped: chosen on the out-of-fold
    # candidates of bench/attribution_cv.py (rules + head F1 0.664 with none, 0.670 / 0.673
    # / 0.674 / 0.673 at 0.55 / 0.6 / 0.65 / 0.7; speakers 0.868 -> 0.876 at 0.65).
    min_score: float = 0.0


@dataclass
class Decoded:
    """One content span with the nearest source and cue spans (None when there is none)."""

    content: Span
    source: Span | None
    cue: Span | None
    score: float  # mean P(inside content) over the content's tokens


def decode(probs: np.ndarray, offsets: Offsets, text: str, settings: Decoding = Decoding()) -> list[Decoded]:
    """Contents from P(inside content) (decode_content), each with the nearest source and
    cue spans (argmax BIO, decode_spans) within `speaker_distance` characters."""
    if not len(offsets):
        return []
    begin_p = probs[:, begin("content")]
    inside_p = begin_p + probs[:, inside("content")]
    argmax = decode_spans(probs.argmax(1).tolist(), offsets)
    contents = decode_content(inside_p.tolist(), begin_p.tolist(), offsets, text, settings.threshold,
                              settings.max_gap, settings.begin_split, settings.min_tokens)
    found = []
    for content in contents:
        first, last = content.tokens[0][0], content.tokens[-1][1]
        score = float(inside_p[first:last].mean())
        if score >= settings.min_score:
            found.append(Decoded(content, nearest(content, argmax["source"], settings.speaker_distance),
                                 nearest(content, argmax["cue"], settings.speaker_distance), score))
    return found
