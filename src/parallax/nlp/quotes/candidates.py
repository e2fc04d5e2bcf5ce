"""Candidate contents for the learned ranker (stage 5, `ranked`), and their features.

    content_candidates(doc, found, head_low, head_threshold) -> list[Candidate]
    content_features(doc, candidates, found, tags) -> np.ndarray [n, len(CONTENT_FEATURES)]

A candidate is a span some source proposes as what was said, believed or planned:
  - the rules' contents (with their cue and kind);
  - the attribution head's contents (nlp.attribution.head), decoded at two thresholds;
  - every complement the parse offers: each clause, object, predicate, prepositional
    object or subordinate clause of a verb, noun or adjective, and each sentence.
Together they hold a content at Jaccard >= 0.5 for 95% of PolNeAR train's attributions
(the rules alone 63%, the head's 59%): the parse gives the boundaries annotators draw
and the head's tag probabilities say where speech is, so a ranker can take the best of
each. The features read the head's per-word-piece tag probabilities (nlp.attribution
.tags: O, B/I content, source, cue) over and around the span, its length and place in
the sentence, and the word that governs it (a verb of saying, believing, wanting).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from spacy.tokens import Doc, Token

from parallax.model import Quote
from parallax.nlp.attribution.ranker import CANDIDATE_DEPS, GOVERNOR_POS, KINDS
from parallax.nlp.attribution.tags import TagProbs
from parallax.nlp.quotes.cues import BELIEF_LEMMAS, is_cue, subject_of
from parallax.nlp.quotes.found import Found
from parallax.nlp.quotes.indirect import ACCUSE_LEMMAS, INTENT_LEMMAS, OBJECT_LEMMAS, PREP_CUES
from parallax.nlp.quotes.tokens import strip_edges
from parallax.nlp.spacy_model import doc_text, lemma

# A candidate shorter than this (characters) is never content.
MIN_CANDIDATE_CHARS = 3
# Word pieces either side of a span in which a cue or a source is looked for.
CUE_WINDOW = 8
SOURCE_WINDOW = 15


@dataclass
class Candidate:
    """One candidate content [start, end) and what proposed it."""

    start: int
    end: int
    deps: set[str] = field(default_factory=set)
    governor: Token | None = None
    rule: Found | None = None
    head: Quote | None = None  # the head's content at its own threshold
    head_score: float = 0.0
    head_low_score: float = 0.0  # the head's content at the low threshold


def _parse_spans(doc: Doc) -> list[tuple[int, int, str, Token | None]]:
    """(start, end, dependency, governor) of each parse candidate. A subtree's characters
    run from its left edge to its right edge."""
    spans = []

    def add(first: Token, last: Token, dep: str, governor: Token | None) -> None:
        spans.append((first.idx, last.idx + len(last), dep, governor))

    for token in doc:
        if token.pos_ not in ("VERB", "AUX", "NOUN", "ADJ"):
            continue
        for child in token.children:
            if child.dep_ in CANDIDATE_DEPS:
                add(child.left_edge, child.right_edge, child.dep_, token)
                if child.dep_ == "dobj":
                    tail = [c for c in token.children if c.i > child.i and c.dep_ in ("oprd", "prep", "xcomp", "ccomp")]
                    add(min([child.left_edge] + [c.left_edge for c in tail], key=lambda t: t.i),
                        max([child.right_edge] + [c.right_edge for c in tail], key=lambda t: t.i), "dobj+", token)
            elif child.dep_ == "prep":
                for obj in child.children:
                    if obj.dep_ in ("pobj", "pcomp"):
                        add(obj.left_edge, obj.right_edge, "pobj", token)
    for sent in doc.sents:
        spans.append((sent.start_char, sent.end_char, "sent", None))
    return spans


def content_candidates(doc: Doc, found: list[Found], head_low: Sequence[Quote],
                       head_threshold: float) -> list[Candidate]:
    """Every candidate of `doc`, one per distinct span (sources merged): the parse's, the
    rules' `found` and the head's contents decoded down to a low mean P(content)
    (`head_low`; those reaching `head_threshold` are the head's own)."""
    by_span: dict[tuple[int, int], Candidate] = {}

    def at(start: int, end: int) -> Candidate:
        key = strip_edges(doc, start, end)
        return by_span.setdefault(key, Candidate(*key))

    for start, end, dep, governor in _parse_spans(doc):
        candidate = at(start, end)
        candidate.deps.add(dep)
        if candidate.governor is None:
            candidate.governor = governor
    for item in found:
        candidate = by_span.setdefault(item.extent, Candidate(*item.extent))
        candidate.rule = candidate.rule or item
        if item.cue is not None:
            candidate.governor = item.cue
    for quote in head_low:
        candidate = by_span.setdefault((quote.start, quote.end), Candidate(quote.start, quote.end))
        candidate.head_low_score = quote.score
        if quote.score >= head_threshold:
            candidate.head, candidate.head_score = quote, quote.score
    return [c for c in by_span.values() if c.end - c.start >= MIN_CANDIDATE_CHARS]


def _interval_jaccard(starts: np.ndarray, ends: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """Best character Jaccard of each [start, end) with any of `spans`."""
    if not spans:
        return np.zeros(len(starts))
    other = np.array(spans, dtype=np.float64)
    inter = np.clip(np.minimum(ends[:, None], other[None, :, 1]) - np.maximum(starts[:, None], other[None, :, 0]), 0, None)
    union = (ends - starts)[:, None] + (other[:, 1] - other[:, 0])[None, :] - inter
    return (inter / np.maximum(union, 1)).max(axis=1)


def _window_max(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """max(values[lo:hi]) per row (0 for an empty window) for windows of a few pieces:
    one vectorised step per piece of the widest window."""
    out = np.zeros(len(lo))
    width = int((hi - lo).max(initial=0))
    padded = np.concatenate([values, [0.0]])
    for step in range(width):
        at = lo + step
        out = np.maximum(out, np.where(at < hi, padded[np.minimum(at, len(values))], 0.0))
    return out


def _governor_features(governor: Token | None, cache: dict[int, list[float]]) -> list[float]:
    if governor is not None and governor.i in cache:
        return cache[governor.i]
    if governor is None:
        return [0.0] * (9 + len(GOVERNOR_POS))
    base = lemma(governor)
    subject = subject_of(governor) if governor.pos_ in ("VERB", "AUX") else None
    pos = governor.pos_ if governor.pos_ in GOVERNOR_POS else "OTHER"
    features = cache[governor.i] = [
        is_cue(governor, for_quote=False), base in BELIEF_LEMMAS, base in OBJECT_LEMMAS,
        base in INTENT_LEMMAS, base in PREP_CUES, base in ACCUSE_LEMMAS, subject is not None,
        subject is not None and subject.pos_ == "PRON",
        subject is not None and subject.ent_type_ in ("PERSON", "ORG", "NORP"),
        *(pos == p for p in GOVERNOR_POS)]
    return features


def _text_features(doc: Doc, candidate: Candidate, sentence: tuple[int, int]) -> list[float]:
    text = doc_text(doc)[candidate.start:candidate.end]
    words = text.split()
    first = words[0].lower() if words else ""
    length = max(1, sentence[1] - sentence[0])
    rule = candidate.rule
    return [np.log1p(len(words)), (candidate.end - candidate.start) / length,
            candidate.start <= sentence[0] + 1, candidate.end >= sentence[1] - 2,
            text.count("“") + text.count("”") + text.count('"') + text.count("''"),
            first in ("that", "whether", "if"), first == "to",
            candidate.head_score, candidate.head_low_score, rule is not None,
            rule is not None and rule.found_by != "rules"]


def _pieces(candidates: list[Candidate], tags: TagProbs) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate, its first word piece and the first piece at or after its end."""
    piece_starts = np.array([s for s, _ in tags.offsets], dtype=np.int64)
    piece_ends = np.array([e for _, e in tags.offsets], dtype=np.int64)
    starts = np.array([c.start for c in candidates], dtype=np.int64)
    ends = np.array([c.end for c in candidates], dtype=np.int64)
    return np.searchsorted(piece_ends, starts, side="right"), np.searchsorted(piece_starts, ends, side="left")


def with_pieces(candidates: list[Candidate], tags: TagProbs) -> list[Candidate]:
    """The candidates that cover at least one of the head's word pieces."""
    if not candidates or not len(tags.offsets):
        return []
    first, after = _pieces(candidates, tags)
    return [c for c, keep in zip(candidates, (after > first).tolist()) if keep]


def content_features(doc: Doc, candidates: list[Candidate], found: list[Found], tags: TagProbs) -> np.ndarray:
    """One row of CONTENT_FEATURES per candidate (each covering a word piece: with_pieces)."""
    probs = np.asarray(tags.probs, dtype=np.float64)
    n = len(probs)
    starts = np.array([c.start for c in candidates], dtype=np.int64)
    ends = np.array([c.end for c in candidates], dtype=np.int64)
    first, after = _pieces(candidates, tags)  # first < after <= n (with_pieces)
    content = probs[:, 1] + probs[:, 2]
    cue = probs[:, 5] + probs[:, 6]
    source = probs[:, 3] + probs[:, 4]
    cum = np.concatenate([[0.0], np.cumsum(content)])
    cue_cum = np.concatenate([[0.0], np.cumsum(cue)])
    count = after - first
    bounds = np.column_stack([first, after]).ravel()
    padded = np.concatenate([content, [0.0]])  # reduceat's indices must stay below the length
    seg_min = np.minimum.reduceat(padded, bounds)[::2]
    seg_max = np.maximum.reduceat(padded, bounds)[::2]
    above = np.concatenate([[0], np.cumsum(content > 0.5)])
    share = (above[after] - above[first]) / count
    before, nxt = first - 1, np.minimum(after, n - 1)
    has_before, has_after = first > 0, after < n
    probe = np.column_stack([
        (cum[after] - cum[first]) / count, seg_min, seg_max, share,
        probs[first, 1], probs[first, 2],
        np.where(has_before, content[np.maximum(before, 0)], 0), np.where(has_before, probs[np.maximum(before, 0), 0], 1),
        np.where(has_after, content[nxt], 0), np.where(has_after, probs[nxt, 1], 0), np.where(has_after, probs[nxt, 0], 1),
        _window_max(cue, np.maximum(first - CUE_WINDOW, 0), first), _window_max(cue, after, np.minimum(after + CUE_WINDOW, n)),
        (cue_cum[after] - cue_cum[first]) / count,
        _window_max(source, np.maximum(first - SOURCE_WINDOW, 0), first),
        _window_max(source, after, np.minimum(after + SOURCE_WINDOW, n))])
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    sentence_starts = np.array([s for s, _ in sentences])
    holding = np.maximum(np.searchsorted(sentence_starts, starts, side="right") - 1, 0)
    text = np.array([_text_features(doc, c, sentences[k]) for c, k in zip(candidates, holding.tolist())], dtype=np.float64)
    rule_spans = [f.extent for f in found if f.kind != "scare"]
    head_spans = [(c.head.start, c.head.end) for c in candidates if c.head is not None]
    overlap = np.column_stack([_interval_jaccard(starts, ends, rule_spans), _interval_jaccard(starts, ends, head_spans)])
    governors: dict[int, list[float]] = {}
    parse = np.array([[c.rule is not None and c.rule.kind == kind for kind in KINDS]
                      + [dep in c.deps for dep in CANDIDATE_DEPS] + _governor_features(c.governor, governors)
                      for c in candidates], dtype=np.float64)
    return np.hstack([probe, text, overlap, parse])


__all__ = ["Candidate", "content_candidates", "content_features", "with_pieces"]
