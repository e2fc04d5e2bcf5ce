"""Duplicates over the whole corpus, from the fingerprints the partitions wrote.

One machine's ingest (parallax.corpus.ingest) decides in input order: an id stored before
is skipped; a text stored before is an exact copy of the first article with it; else the
earliest original sharing an LSH band whose MinHash agrees on half its values is the
original of a near copy; else the article is an original, indexed for those after it.
That order matters, so the decisions are made here, on the client, in input order, with
the same rules and functions (parallax.corpus.dedup) and so the same result; except that
an exact copy is known by its 64-bit text hash, where the store also compares the texts
(a false match among 10^7 articles has odds of about 3 in a million).

Only the articles that can take part are brought to the client: those whose id, text hash
or one of whose bands another article shares. The cluster finds them (Dask DataFrame
value counts over the `_fingerprints` table), so the client holds a few percent of the
corpus (its copies and their originals), not all of it: an article that shares nothing
is an original that no one copies.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from parallax.batch.rows import FINGERPRINTS
from parallax.corpus.dedup import EXACT, MAX_BUCKET_CANDIDATES, Candidate, Duplicate, near_original

if TYPE_CHECKING:
    import pandas as pd

    from parallax.batch.output import Output

COLUMNS = ["position", "article_id", "published_at", "text_hash", "minhash", "bands"]


@dataclass
class Resolution:
    """What the duplicate pass decided, by input position."""

    copies: dict[int, tuple[str, str, float]] = field(default_factory=dict)  # -> (original, kind, similarity)
    repeated: set[int] = field(default_factory=set)  # an id stored at an earlier position
    candidates: int = 0  # articles brought to the client

    def count(self, kind: str) -> int:
        return sum(1 for _, found, _ in self.copies.values() if found == kind)

    def for_range(self, start: int, stop: int) -> tuple[dict[int, tuple[str, str, float]], frozenset[int]]:
        """The copies and repeats of positions [start, stop): what one partition's task needs."""
        return ({p: c for p, c in self.copies.items() if start <= p < stop},
                frozenset(p for p in self.repeated if start <= p < stop))


def resolve(out: Output) -> Resolution:
    """Decide every duplicate of the ingest written under `out` (runs on the current Dask
    client: the value counts on the cluster, the decisions here)."""
    import dask.dataframe as dd
    from dask.dataframe.utils import make_meta

    table = dd.read_parquet(out.table_url(FINGERPRINTS), columns=COLUMNS,
                            storage_options=None if out.local else out.fs.storage_options)
    ids = _shared(table["article_id"])
    hashes = _shared(table["text_hash"])
    bands = _shared(table["bands"].explode())
    involved = table.map_partitions(_involved, ids, hashes, bands, meta=make_meta(table)).compute()
    return decide(involved.sort_values("position").itertuples(index=False))


def _shared(column: Any) -> set[Any]:
    """The values of a Dask column that occur more than once."""
    counts = column.value_counts()
    return set(counts[counts > 1].index.compute().tolist())


def _involved(frame: pd.DataFrame, ids: set[str], hashes: set[int], bands: set[int]) -> pd.DataFrame:
    keep = frame["article_id"].isin(ids) | frame["text_hash"].isin(hashes)
    if len(frame):
        keep |= np.array([not bands.isdisjoint(row.tolist()) for row in frame["bands"]], dtype=bool)
    return frame[keep]


def decide(rows: Iterable[Any]) -> Resolution:
    """The decisions of one machine's ingest over `rows` (fingerprint rows with the
    COLUMNS as attributes), taken in input (position) order."""
    result = Resolution()
    seen: set[str] = set()
    first_with_text: dict[int, str] = {}
    buckets: dict[int, list[Candidate]] = {}
    for row in rows:
        result.candidates += 1
        if row.article_id in seen:
            result.repeated.add(int(row.position))
            continue
        seen.add(row.article_id)
        duplicate = _duplicate(row, first_with_text, buckets)
        first_with_text.setdefault(int(row.text_hash), row.article_id)
        if duplicate is not None:
            result.copies[int(row.position)] = (duplicate.original_id, duplicate.kind, duplicate.similarity)
    return result


def _duplicate(row: Any, first_with_text: dict[int, str], buckets: dict[int, list[Candidate]]) -> Duplicate | None:
    original = first_with_text.get(int(row.text_hash))
    if original is not None:
        return Duplicate(original, EXACT, 1.0)
    minhash = np.frombuffer(row.minhash, dtype="<u4").astype(np.uint32)
    bands = [int(band) for band in row.bands]
    found: dict[str, Candidate] = {}
    for band in bands:
        for candidate in buckets.get(band, [])[:MAX_BUCKET_CANDIDATES]:
            found.setdefault(candidate.article_id, candidate)
    duplicate = near_original(minhash, found.values())
    if duplicate is None:  # an original: indexed for the articles after it
        published = None if row.published_at is None or np.isnan(row.published_at) else float(row.published_at)
        candidate = Candidate(row.article_id, published, int(row.position), minhash)
        for band in bands:
            buckets.setdefault(band, []).append(candidate)
    return duplicate


__all__ = ["Resolution", "decide", "resolve"]
