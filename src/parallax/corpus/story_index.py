"""The story grouper's data structures: online document frequencies, sparse unit vectors
and their sums, and the open stories' vectors (parallax.corpus.stories uses them).

Sparse vectors are dicts of key -> weight; a story keeps the sum of its members' unit
vectors and that sum's squared norm, so its cosine to a new article costs one pass over
the keys they share.
"""
from __future__ import annotations

import math

import numpy as np


class Idf:
    """Document frequencies counted online: idf(k) = ln((1 + n) / (1 + df)) + 1."""

    def __init__(self, counts: dict[str, int] | None = None, docs: int = 0) -> None:
        self.counts: dict[str, int] = dict(counts or {})
        self.docs = docs

    def add(self, keys: dict[str, int]) -> None:
        self.docs += 1
        for key in keys:
            self.counts[key] = self.counts.get(key, 0) + 1

    def unit_vector(self, counts: dict[str, int]) -> dict[str, float]:
        """Sublinear tf times idf, scaled to unit length."""
        log_docs = math.log(1 + self.docs)
        weights = {key: (1.0 + math.log(n)) * (log_docs - math.log(1 + self.counts.get(key, 0)) + 1.0)
                   for key, n in counts.items() if n > 0}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {key: w / norm for key, w in weights.items()} if norm else {}


def cosine_to_sum(vector: dict[str, float], total: dict[str, float], norm2: float) -> float:
    """Cosine of a unit vector and a sum of unit vectors whose squared norm is `norm2`."""
    if not vector or norm2 <= 0:
        return 0.0
    common = vector.keys() & total.keys()  # a C-level set intersection: most keys miss
    return sum(vector[key] * total[key] for key in common) / math.sqrt(norm2)


def add_sparse(total: dict[str, float], vector: dict[str, float], norm2: float,
                keep: int) -> float:
    """Add `vector` into `total` in place; return the new squared norm (pruned to `keep`)."""
    dot = sum(w * total.get(key, 0.0) for key, w in vector.items())
    for key, w in vector.items():
        total[key] = total.get(key, 0.0) + w
    norm2 += 2 * dot + sum(w * w for w in vector.values())
    if len(total) > 2 * keep:  # prune rarely, to the strongest `keep` keys
        strongest = sorted(total.items(), key=lambda item: -item[1])[:keep]
        total.clear()
        total.update(strongest)
        norm2 = sum(w * w for w in total.values())
    return norm2


class OpenSet:
    """The open stories' ids and unit mean vectors in contiguous arrays, so that one matrix
    product scores them all without copying rows out of the per-story arrays."""

    def __init__(self) -> None:
        self.ids = np.zeros(0, dtype=np.int64)
        self.vectors = np.zeros((0, 0), dtype=np.float32)
        self.size = 0
        self._row: dict[int, int] = {}

    def put(self, story: int, vector: np.ndarray) -> None:
        """Set an open story's unit mean vector (appending the story if it is new)."""
        row = self._row.get(story)
        if row is None:
            if self.size == len(self.ids):  # double the arrays: O(1) per story
                rows = max(64, 2 * self.size)
                self.ids = np.resize(self.ids, rows)
                grown = np.zeros((rows, len(vector)), dtype=np.float32)
                if self.size:
                    grown[:self.size] = self.vectors[:self.size]
                self.vectors = grown
            row, self.size = self.size, self.size + 1
            self._row[story] = row
            self.ids[row] = story
        self.vectors[row] = vector

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the open stories where `mask` (over the current rows) is true."""
        kept = int(mask.sum())
        self.ids[:kept] = self.ids[:self.size][mask]
        self.vectors[:kept] = self.vectors[:self.size][mask]
        self.size = kept
        self._row = {int(story): row for row, story in enumerate(self.ids[:kept])}


__all__ = ["Idf", "OpenSet", "add_sparse", "cosine_to_sum"]
