"""Cross-validation folds over articles: every record of an article lands in one fold,
so an article's several annotators never sit on both sides of a split."""
from __future__ import annotations

import random
from collections.abc import Iterable

# Fixed so the rules and the model are scored on the very same folds, run after run.
DEFAULT_SEED = 13


def article_folds(articles: Iterable[str], k: int = 5, seed: int = DEFAULT_SEED) -> list[list[str]]:
    """`k` disjoint lists of distinct article ids (round-robin over a seeded shuffle,
    so fold sizes differ by at most one)."""
    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    unique = sorted(set(articles))
    random.Random(seed).shuffle(unique)
    return [unique[i::k] for i in range(k)]
