"""The SQL of the corpus tables (schema version 2, see parallax.store.schema).

    put_ingested(store, item)           one ingested article, all its rows (its passages and
                                        copies too: parallax.store.provenance) in one transaction
    is_ingested(store, article_id)      whether ingest has stored it (re-runs skip it)
    StoreIndex(store)                   the dedup.DuplicateIndex of the store's originals
    get_duplicate / iter_duplicates     which article copies which
    put_signature / get_signature / iter_signatures   story signatures, in publication order

Every write is one transaction per article, as in Store: a process killed at any moment
leaves each article with all of its corpus rows or none of them.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from parallax.corpus.dedup import BANDS, MAX_BUCKET_CANDIDATES, NUM_PERM, Candidate, Duplicate, Fingerprint
from parallax.errors import UsageError
from parallax.model import Article, normalise_text
from parallax.store.codec import VECTOR_DTYPES, CorruptRow
from parallax.store.provenance import put_provenance_in_transaction

if TYPE_CHECKING:
    from parallax.corpus.provenance import Copy, PassageRow
    from parallax.corpus.signatures import StorySignature
    from parallax.store.store import Store

# Rows fetched per query by iter_signatures and iter_duplicates (keyset pages keep no
# statement open long, so a writer is never blocked by a slow reader).
PAGE_ROWS = 500
_MINHASH_DTYPE = np.dtype("<u4")


@dataclass(frozen=True)
class IngestedArticle:
    """What ingest stores for one article besides its row in `articles`."""

    article: Article
    fingerprint: Fingerprint
    duplicate: Duplicate | None  # None: an original
    english: float  # share of English function words
    published_at: float | None  # Unix seconds of article.published, None: undated
    signature: StorySignature | None = None
    passages: Sequence[PassageRow] = ()  # its indexed passages (corpus.provenance) ...
    copies: Sequence[Copy] = ()  # ... and those that copy another outlet's


# ------------------------------------------------------------------ ingested articles

def is_ingested(store: Store, article_id: str) -> bool:
    return store.db.execute("SELECT 1 FROM corpus_articles WHERE article_id = ?", (article_id,)).fetchone() is not None


def count_ingested(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM corpus_articles").fetchone()[0]


def put_ingested(store: Store, item: IngestedArticle) -> bool:
    """Store the article, its bookkeeping, its LSH buckets (originals only), its duplicate
    row (copies only), its signature and its passages and copies, in one transaction. False
    (nothing written) when it was ingested already. Raises provenance.StaleIndex (nothing
    written) when the passages were numbered by an index that is behind the store."""
    article, fp, original = item.article, item.fingerprint, item.duplicate is None
    minhash = np.ascontiguousarray(fp.minhash, dtype=_MINHASH_DTYPE).tobytes() if original else None
    with store.transaction() as db:
        if is_ingested(store, article.id):
            return False
        store.put_article_in_transaction(article)
        key = db.execute("INSERT INTO corpus_articles (article_id, text_hash, minhash, published_at, english, "
                         "ingested_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING key",
                         (article.id, fp.text_hash, minhash, item.published_at, item.english, time.time())
                         ).fetchone()[0]
        if original:
            db.executemany("INSERT OR IGNORE INTO near_buckets (bucket, key) VALUES (?, ?)",
                           [(band, key) for band in fp.bands()])
        else:
            duplicate = item.duplicate
            db.execute("INSERT INTO duplicates (article_id, original_id, kind, similarity) VALUES (?, ?, ?, ?)",
                       (article.id, duplicate.original_id, duplicate.kind, duplicate.similarity))
        if item.signature is not None:
            _put_signature(store, item.signature, item.published_at)
        put_provenance_in_transaction(store, item.passages, item.copies)
    return True


class StoreIndex:
    """The store's originals as a dedup.DuplicateIndex: exact keys and LSH buckets are
    indexed rows, so a look-up reads a few pages whatever the corpus size."""

    # One statement for all bands, each capped at MAX_BUCKET_CANDIDATES articles.
    _NEAR = ("SELECT DISTINCT c.key, c.article_id, c.published_at, c.minhash FROM corpus_articles c JOIN ("
             + " UNION ALL ".join(["SELECT * FROM (SELECT key FROM near_buckets WHERE bucket = ? "
                                   f"LIMIT {MAX_BUCKET_CANDIDATES})"] * BANDS)
             + ") b ON b.key = c.key WHERE c.minhash IS NOT NULL")

    def __init__(self, store: Store) -> None:
        self.store = store

    def exact_original(self, text_hash: int, normalised: str) -> str | None:
        rows = self.store.db.execute(
            "SELECT c.article_id, a.text FROM corpus_articles c JOIN articles a ON a.id = c.article_id "
            "WHERE c.text_hash = ? ORDER BY c.key", (text_hash,))
        for article_id, text in rows:
            if normalise_text(text) == normalised:  # the same text, not a hash collision
                rows.close()
                return article_id
        return None

    def near_candidates(self, bands: Sequence[int]) -> list[Candidate]:
        if len(bands) != BANDS:
            raise UsageError(f"expected {BANDS} band keys, got {len(bands)}")
        rows = self.store.db.execute(self._NEAR, list(bands)).fetchall()
        return [Candidate(article_id, published_at, key, _minhash(blob, article_id))
                for key, article_id, published_at, blob in rows]


def _minhash(blob: bytes, article_id: str) -> np.ndarray:
    if len(blob) != NUM_PERM * _MINHASH_DTYPE.itemsize:
        raise CorruptRow(f"article {article_id}: MinHash of {len(blob)} bytes; expected {NUM_PERM * 4}")
    return np.frombuffer(blob, dtype=_MINHASH_DTYPE).astype(np.uint32)


# ------------------------------------------------------------------------ duplicates

def get_duplicate(store: Store, article_id: str) -> Duplicate | None:
    """What the article copies, or None for an original (or an article not ingested)."""
    row = store.db.execute("SELECT original_id, kind, similarity FROM duplicates WHERE article_id = ?",
                           (article_id,)).fetchone()
    return Duplicate(*row) if row else None


def iter_duplicates(store: Store) -> Iterator[tuple[str, Duplicate]]:
    """(copy's id, Duplicate) for every copy, in the order they were stored."""
    last = 0
    while True:
        rows = store.db.execute("SELECT rowid, article_id, original_id, kind, similarity FROM duplicates "
                                f"WHERE rowid > ? ORDER BY rowid LIMIT {PAGE_ROWS}", (last,)).fetchall()
        for rowid, article_id, *duplicate in rows:
            last = rowid
            yield article_id, Duplicate(*duplicate)
        if len(rows) < PAGE_ROWS:
            return


# ------------------------------------------------------------------------ signatures

def put_signature(store: Store, signature: StorySignature, published_at: float | None) -> None:
    """Store (or replace) the story signature of a stored article, in its own transaction."""
    with store.transaction():
        if not store.has_article(signature.article_id):
            raise UsageError(f"article {signature.article_id} is not in the store {store.path}; put it first")
        _put_signature(store, signature, published_at)


def _put_signature(store: Store, signature: StorySignature, published_at: float | None) -> None:
    data, vector, dtype, dims = _encode_signature(signature)
    store.db.execute("INSERT INTO signatures (article_id, published_at, data, vector, dtype, dims) "
                     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET published_at = "
                     "excluded.published_at, data = excluded.data, vector = excluded.vector, "
                     "dtype = excluded.dtype, dims = excluded.dims",
                     (signature.article_id, published_at, data, vector, dtype, dims))


def get_signature(store: Store, article_id: str) -> StorySignature | None:
    row = store.db.execute("SELECT article_id, data, vector, dtype, dims FROM signatures WHERE article_id = ?",
                           (article_id,)).fetchone()
    return _decode_signature(*row) if row else None


def count_signatures(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM signatures").fetchone()[0]


def iter_signatures(store: Store, ungrouped: bool = False) -> Iterator[StorySignature]:
    """Every stored signature in publication order: dated ones by time (ties in ingest
    order), then the undated ones in ingest order; read a page at a time. Rows that do
    not decode are skipped. `ungrouped`: only articles no story holds yet (story_articles)."""
    columns = "rowid, published_at, article_id, data, vector, dtype, dims"
    only = " AND article_id NOT IN (SELECT article_id FROM story_articles)" if ungrouped else ""
    after: tuple[float, int] = (-float("inf"), 0)
    while True:  # dated, by (published_at, rowid)
        rows = store.db.execute(f"SELECT {columns} FROM signatures WHERE published_at IS NOT NULL{only} AND "
                                f"(published_at, rowid) > (?, ?) ORDER BY published_at, rowid LIMIT {PAGE_ROWS}",
                                after).fetchall()
        yield from _decoded(rows)
        if len(rows) < PAGE_ROWS:
            break
        after = (rows[-1][1], rows[-1][0])
    last = 0
    while True:  # undated, by rowid
        rows = store.db.execute(f"SELECT {columns} FROM signatures WHERE published_at IS NULL{only} AND rowid > ? "
                                f"ORDER BY rowid LIMIT {PAGE_ROWS}", (last,)).fetchall()
        yield from _decoded(rows)
        if len(rows) < PAGE_ROWS:
            return
        last = rows[-1][0]


def _decoded(rows: list[tuple[Any, ...]]) -> Iterator[StorySignature]:
    for row in rows:
        try:
            yield _decode_signature(*row[2:])
        except CorruptRow:
            continue


def _encode_signature(signature: StorySignature) -> tuple[str, bytes, str, int]:
    """(JSON of the plain fields, vector bytes, dtype, dims): JSON and raw numbers, never pickle."""
    data = {key: value for key, value in signature.as_dict().items() if key not in ("article_id", "vector")}
    vector = np.asarray(signature.vector)
    dtype = vector.dtype.newbyteorder("<")
    if vector.ndim != 1 or dtype.str not in VECTOR_DTYPES:
        raise UsageError(f"signature {signature.article_id}: the vector must be 1-D float32 (got {vector.dtype}, "
                         f"shape {vector.shape})")
    raw = np.ascontiguousarray(vector, dtype=dtype).tobytes()
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")), raw, dtype.str, vector.shape[0]


def _decode_signature(article_id: str, data: str, vector: bytes, dtype: str, dims: int) -> StorySignature:
    from parallax.corpus.signatures import StorySignature

    if dtype not in VECTOR_DTYPES:
        raise CorruptRow(f"signature {article_id}: dtype {dtype!r} is not one of {', '.join(VECTOR_DTYPES)}")
    try:
        fields = json.loads(data)
        array = np.frombuffer(vector, dtype=np.dtype(dtype)).reshape(dims).astype(np.float32)
        return StorySignature.from_dict({**fields, "article_id": article_id, "vector": array})
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise CorruptRow(f"signature {article_id}: {exc}") from exc


__all__ = ["IngestedArticle", "StoreIndex", "count_ingested", "count_signatures", "get_duplicate",
           "get_signature", "is_ingested", "iter_duplicates", "iter_signatures", "put_ingested",
           "put_signature"]
