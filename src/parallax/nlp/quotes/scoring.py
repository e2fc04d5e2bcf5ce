"""Scoring extracted attributions against PolNeAR-style gold annotations.

A predicted content span matches a gold content when their character Jaccard
(gold content = the union of its fragments) reaches a threshold; pairs are matched
one-to-one, greedily by best Jaccard. Precision/recall/F1 are micro-averaged over
the records of each annotator, then averaged over annotators; the pooled figure
sums every record. Speaker accuracy is measured on matched pairs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from parallax.model import SPEECH_KINDS, Quote

Fragments = list[tuple[int, int]]


@dataclass(frozen=True)
class Predicted:
    """One predicted attribution: content fragments and speaker mention (or None)."""

    content: Fragments
    speaker: tuple[int, int] | None = None
    speaker_text: str = ""
    speaker_name: str = ""  # the resolved name ("Sergei Lavrov" for a "he")


@dataclass(frozen=True)
class Gold:
    """One gold attribution: content and source fragments, source text."""

    content: Fragments
    source: Fragments = field(default_factory=list)
    source_text: str = ""


@dataclass
class Counts:
    """Matching counts, addable across records."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    speaker_ok: int = 0

    def __iadd__(self, other: "Counts") -> "Counts":
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.speaker_ok += other.speaker_ok
        return self

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def speaker_accuracy(self) -> float:
        return self.speaker_ok / self.tp if self.tp else 0.0


def _merged(fragments: Fragments) -> Fragments:
    """Sorted, non-overlapping, non-empty ranges covering the same characters."""
    merged: Fragments = []
    for start, end in sorted(f for f in fragments if f[1] > f[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def jaccard(a: Fragments, b: Fragments) -> float:
    """Character Jaccard of two unions of [start, end) ranges."""
    ma, mb = _merged(a), _merged(b)
    inter = sum(max(0, min(ea, eb) - max(sa, sb)) for sa, ea in ma for sb, eb in mb)
    union = sum(e - s for s, e in ma) + sum(e - s for s, e in mb) - inter
    return inter / union if union else 0.0


def greedy_match(predicted: list[Fragments], gold: list[Fragments],
                 threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one (predicted index, gold index, jaccard) pairs at or above
    `threshold`, taking the best remaining pair first."""
    pairs = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            score = jaccard(p, g)
            if score >= threshold and score > 0:
                pairs.append((score, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_p, used_g, matched = set(), set(), []
    for score, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        matched.append((i, j, score))
    return matched


def _last_word(text: str) -> str:
    words = [w.strip(".,;:'\"“”’()").lower() for w in text.split()]
    words = [w for w in words if w]
    return words[-1] if words else ""


def speaker_correct(pred: Predicted, gold: Gold) -> bool:
    """The predicted speaker overlaps a gold source fragment, or the head (last word)
    of one is contained in the other (case-insensitive; the predicted mention text
    or its resolved name). A gold attribution without a
    source is matched by a prediction without a speaker."""
    if not gold.source:
        return pred.speaker is None
    if pred.speaker is None:
        return False
    start, end = pred.speaker
    if any(start < g_end and g_start < end for g_start, g_end in gold.source):
        return True
    gold_text = gold.source_text.lower()
    gold_head = _last_word(gold_text)
    for pred_text in (pred.speaker_text.lower(), pred.speaker_name.lower()):
        pred_head = _last_word(pred_text)
        if (pred_head and pred_head in gold_text) or (gold_head and gold_head in pred_text):
            return True
    return False


def gold_attributions(record: dict) -> list[Gold]:
    """The gold attributions of a PolNeAR-style record (those with a content)."""
    return [Gold([tuple(f) for f in a["content"]], [tuple(f) for f in a["source"]], a.get("source_text", ""))
            for a in record["attributions"] if a["content"]]


def score_record(predicted: list[Predicted], gold: list[Gold], threshold: float) -> Counts:
    """Counts for one (article, annotator) record."""
    matched = greedy_match([p.content for p in predicted],
                           [g.content for g in gold], threshold)
    speaker_ok = sum(speaker_correct(predicted[i], gold[j]) for i, j, _ in matched)
    return Counts(tp=len(matched), fp=len(predicted) - len(matched),
                  fn=len(gold) - len(matched), speaker_ok=speaker_ok)


def average_over_annotators(per_annotator: dict[str, Counts]) -> tuple[float, float, float, float]:
    """Mean of each annotator's micro P, R, F1 and speaker accuracy."""
    if not per_annotator:
        return 0.0, 0.0, 0.0, 0.0
    rows = [(*c.prf(), c.speaker_accuracy()) for c in per_annotator.values()]
    n = len(rows)
    return tuple(sum(row[k] for row in rows) / n for k in range(4))  # type: ignore[return-value]


def pooled(per_annotator: dict[str, Counts]) -> Counts:
    total = Counts()
    for counts in per_annotator.values():
        total += counts
    return total


def attributions_from_spans(quotes: list[Quote], text: str, extent: str = "attribution",
                            kinds: tuple[str, ...] = SPEECH_KINDS) -> list[Predicted]:
    """Group Quote spans into attributions: the quotes sharing one cue are one
    attribution with several fragments (“A,” he said. “B.” is one statement, as
    PolNeAR annotates it). With extent "attribution", a partial quote counts as its
    reported clause (`Quote.clause`) when it has one."""
    groups: dict[object, list[Quote]] = {}
    for index, quote in enumerate(quotes):
        if quote.label not in kinds:
            continue
        key = (quote.cue.start, quote.cue.end) if quote.cue else ("alone", index)
        groups.setdefault(key, []).append(quote)
    predicted = []
    for members in groups.values():
        fragments = []
        for quote in members:
            if extent == "attribution" and quote.clause:
                fragments.append((quote.clause.start, quote.clause.end))
            else:
                fragments.append((quote.start, quote.end))
        speaker = next((q.speaker for q in members if q.speaker), None)
        predicted.append(Predicted(
            _merged(fragments),
            (speaker.start, speaker.end) if speaker else None,
            text[speaker.start:speaker.end] if speaker else "",
            speaker.name if speaker else ""))
    return predicted


__all__ = [
    "Counts", "Fragments", "Gold", "Predicted", "attributions_from_spans", "average_over_annotators", "gold_attributions",
    "greedy_match", "jaccard", "pooled", "score_record", "speaker_correct",
]
