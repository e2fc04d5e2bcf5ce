"""BCubed precision, recall and F1 of a clustering against gold clusters (Bagga & Baldwin 1998).

Per item: precision is the share of its predicted cluster that shares its gold cluster,
recall the share of its gold cluster that shares its predicted cluster. Both are averaged
over items (every item weighs the same), and F1 is their harmonic mean.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float
    f1: float


def bcubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> BCubed:
    """Scores of `predicted` (item -> cluster label) against `gold` (item -> cluster label).

    Both must label the same items; cluster labels are only compared for equality.
    """
    if set(predicted) != set(gold):
        raise ValueError("predicted and gold clusterings must cover the same items")
    if not gold:
        raise ValueError("no items to score")
    pair_counts = Counter((predicted[item], gold[item]) for item in gold)
    predicted_sizes = Counter(predicted.values())
    gold_sizes = Counter(gold.values())
    # Items with the same (predicted, gold) pair share their per-item scores: each of the
    # `together` items sees `together` correct neighbours, itself included.
    precision = sum(together * together / predicted_sizes[p] for (p, _), together in pair_counts.items())
    recall = sum(together * together / gold_sizes[g] for (_, g), together in pair_counts.items())
    precision /= len(gold)
    recall /= len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1)


__all__ = ["BCubed", "bcubed"]
