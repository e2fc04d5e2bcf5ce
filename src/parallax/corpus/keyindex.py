"""Compact numpy structures for corpus indexes that grow article by article.

`KeyIndex`: a multimap from 32-bit keys to 32-bit values (8 bytes an entry), found by binary
search in a few sorted runs, never by a scan; provenance maps bigram hashes to passages
with it, quote tracking maps stems to quotes. `GrowingArray`: a column that grows at the
end. Both hold plain numbers only: their owners store rows, and rebuild them by adding the
rows again in order.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class KeyIndex:
    """A multimap from uint32 keys to int32 values, each key's values in insertion order,
    at 8 bytes an entry, with no scan to find a key.

    Each `add` is sorted into a run (a sorted key array and its values), and the newest run
    is merged into the one before it while that is no larger (a log-structured merge tree):
    there are about log2(entries / entries per add) runs, a look-up is a binary search in
    each, and an entry is rewritten that many times over its life."""

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []  # oldest first

    def __len__(self) -> int:
        return sum(len(keys) for keys, _ in self._runs)

    @property
    def nbytes(self) -> int:
        return sum(keys.nbytes + values.nbytes for keys, values in self._runs)

    def add(self, keys: Sequence[int] | np.ndarray, values: Sequence[int] | np.ndarray) -> None:
        """Map keys[i] to values[i], for each i."""
        keys, values = np.asarray(keys, dtype=np.uint32), np.asarray(values, dtype=np.int32)
        if not len(keys):
            return
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], values[order]))
        while len(self._runs) >= 2 and len(self._runs[-2][0]) <= len(self._runs[-1][0]):
            newer = self._runs.pop()
            self._runs[-1] = _merge(self._runs[-1], newer)

    def lookup(self, keys: Sequence[int] | np.ndarray, limit: int,
               newest: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (i, value) for the first `limit` values of each keys[i] in insertion order
        (the last `limit`, newest first, with `newest`): two arrays, sorted by i."""
        query = np.asarray(keys, dtype=np.uint32)
        asked, found = [], []
        for run_keys, run_values in (reversed(self._runs) if newest else self._runs):
            low = np.searchsorted(run_keys, query, "left")
            high = np.searchsorted(run_keys, query, "right")
            counts = np.minimum(high - low, limit)
            hit = np.flatnonzero(counts)
            if len(hit):
                counts = counts[hit]
                step = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
                positions = np.repeat(high[hit] - 1, counts) - step if newest else np.repeat(low[hit], counts) + step
                asked.append(np.repeat(hit, counts))
                found.append(run_values[positions])
        if not asked:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        # by key, in the order visited (runs oldest or newest first): then keep `limit`
        asked_all, found_all = np.concatenate(asked), np.concatenate(found)
        order = np.argsort(asked_all, kind="stable")
        asked_all, found_all = asked_all[order], found_all[order]
        rank = np.arange(len(asked_all)) - np.searchsorted(asked_all, asked_all, "left")
        keep = rank < limit
        return asked_all[keep], found_all[keep]


def _merge(older: tuple[np.ndarray, np.ndarray], newer: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Two sorted runs as one; for equal keys the older run's values come first."""
    (old_keys, old_values), (new_keys, new_values) = older, newer
    slots = np.searchsorted(old_keys, new_keys, "right") + np.arange(len(new_keys))
    is_new = np.zeros(len(old_keys) + len(new_keys), dtype=bool)
    is_new[slots] = True
    keys = np.empty(len(is_new), dtype=np.uint32)
    values = np.empty(len(is_new), dtype=np.int32)
    keys[is_new], keys[~is_new] = new_keys, old_keys
    values[is_new], values[~is_new] = new_values, old_values
    return keys, values


class GrowingArray:
    """A numpy array that grows at the end (appends amortised by 1.5x growth)."""

    def __init__(self, dtype: type) -> None:
        self._data = np.zeros(1024, dtype=dtype)
        self.size = 0

    def extend(self, values: Sequence[int] | np.ndarray) -> None:
        need = self.size + len(values)
        if need > len(self._data):
            grown = np.zeros(max(need, len(self._data) * 3 // 2), dtype=self._data.dtype)
            grown[:self.size] = self._data[:self.size]
            self._data = grown
        self._data[self.size:need] = values
        self.size = need

    @property
    def values(self) -> np.ndarray:
        return self._data[:self.size]

    @property
    def nbytes(self) -> int:
        return self._data.nbytes


__all__ = ["GrowingArray", "KeyIndex"]
