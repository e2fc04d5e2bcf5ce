"""The SQL of provenance (schema versions 3 and 4, see parallax.store.schema): passages and copies.

    StoreCopyIndex(store)                  the run's corpus.provenance.CopyIndex, rebuilt from
                                           the passages rows on first use; trace(article)
    put_provenance_in_transaction(...)     an article's passages and copies, inside the
                                           transaction that stores the article (put_ingested)
    iter_passages / count_passages         every indexed passage, in the order indexed
    get_copies / get_copies_with_carriers  an article's copied passages
    is_traced(store, article_id)           whether ingest indexed its passages
    copy_summary(store, article)           "3 of 9 paragraphs copied from Reuters"
    carriers(store, article_id, start)     how many outlets carry a passage

Passage numbers (`ord`) are those of the CopyIndex that wrote them, so the rows rebuild it
exactly. Two ingests into one store still leave one consistent index: before tracing an
article, an index catches up with the passages another writer stored; and inside its write
transaction each writer checks that its numbers follow the stored ones (StaleIndex if one
more write landed in between: the caller traces the article again).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from parallax.corpus.provenance import Copy, CopyIndex, CopySummary, PassageRow, summarise
from parallax.errors import InputError
from parallax.model import Article
from parallax.store.codec import CorruptRow

if TYPE_CHECKING:
    from parallax.store.store import Store

# Rows fetched per query by iter_passages (keyset pages keep no statement open long, so a
# writer is never blocked by a slow reader).
PAGE_ROWS = 2000
_SHINGLE_DTYPE = np.dtype("<u4")
_COPY_FIELDS = ("article_id", "start", "end", "source_article_id", "source_outlet", "source_start",
                "source_end", "similarity", "kind")  # Copy's fields, in order
_COPY_COLUMNS = ", ".join(_COPY_FIELDS)
# Distinct outlets of a set of passages; passages of no named outlet each count as one (as
# CopyIndex counts them: nothing says two unnamed ones are one outlet).
_OUTLETS = "count(DISTINCT nullif(outlet, '')) + count(DISTINCT CASE WHEN outlet = '' THEN article_id END)"


class StaleIndex(RuntimeError):
    """The passages to write do not follow the stored ones: another writer added passages
    since this index was built. Rebuild it (StoreCopyIndex.reload) and trace again."""


# ------------------------------------------------------------------------- writing

def put_provenance_in_transaction(store: Store, passages: Sequence[PassageRow], copies: Sequence[Copy]) -> None:
    """Write an article's passages and copies inside the caller's write transaction (the one
    that stores the article, so kill -9 leaves the article with all its rows or none).
    Raises StaleIndex when the passages do not number on from the stored ones."""
    if not passages:
        return
    following = next_order(store)
    if passages[0].order != following:
        raise StaleIndex(f"passage {passages[0].order} to write, but the store holds {following} passages")
    store.db.executemany(
        "INSERT INTO passages (ord, article_id, outlet, start, end, text_hash, grp, shingles) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(p.order, p.article_id, p.outlet, p.start, p.end, p.text_hash, p.group,
          np.asarray(p.shingles, dtype=_SHINGLE_DTYPE).tobytes()) for p in passages])
    store.db.executemany(
        f"INSERT INTO copies ({_COPY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(c.article_id, c.start, c.end, c.source_article_id, c.source_outlet, c.source_start,
          c.source_end, c.similarity, c.kind) for c in copies])


class StoreCopyIndex:
    """The CopyIndex of a store's passages, for one ingest run: built from the rows when the
    first new article is traced (a re-run that only skips known articles never builds it),
    then extended article by article."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: CopyIndex | None = None

    def trace(self, article: Article) -> tuple[list[PassageRow], list[Copy]]:
        """Index `article` (published after every article traced before it): its new
        passage rows and the copies among them, to write with the article. Nothing for an
        article this index holds already."""
        index = self._loaded()
        before = len(index)
        copies = index.add(article)
        return (index.rows(article.id) if len(index) > before else []), copies

    def reload(self) -> None:
        """Forget the index: the next trace rebuilds it from the stored rows (after
        StaleIndex, or after tracing an article that was then not stored)."""
        self._index = None

    def _loaded(self) -> CopyIndex:
        """The index, level with the store: built from the rows the first time; after that,
        when another ingest stored passages meanwhile, their articles are traced again (the
        index is deterministic, so that gives the rows they wrote) rather than rebuilt."""
        if self._index is not None:
            stored = next_order(self.store)
            if stored > len(self._index):
                for article in _articles_from(self.store, len(self._index)):
                    self._index.add(article)
            if stored != len(self._index):  # ahead (a traced article was not stored), or lost
                self._index = None
        if self._index is None:
            try:
                self._index = CopyIndex.from_rows(iter_passages(self.store))
            except ValueError as exc:  # CorruptRow, or numbers that do not run 0, 1, 2, ...
                raise InputError(str(self.store.path), f"the passages table is damaged ({exc}); "
                                                       "ingest into a new store") from exc
        return self._index


def next_order(store: Store) -> int:
    """The number the next indexed passage gets."""
    return store.db.execute("SELECT coalesce(max(ord) + 1, 0) FROM passages").fetchone()[0]


def _articles_from(store: Store, order: int) -> Iterator[Article]:
    """The articles of the passages numbered `order` and up, in the order they were indexed."""
    ids = [row[0] for row in store.db.execute(
        "SELECT article_id FROM passages WHERE ord >= ? GROUP BY article_id ORDER BY min(ord)", (order,))]
    for article_id in ids:
        article = store.get_article(article_id)
        if article is not None:
            yield article


# ------------------------------------------------------------------------- reading

def count_passages(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM passages").fetchone()[0]


def iter_passages(store: Store) -> Iterator[PassageRow]:
    """Every indexed passage, in the order indexed, a page at a time. Shingles come as
    uint32 arrays (what PassageRow.shingles holds as a list, at a tenth of the memory
    while CopyIndex.from_rows collects the rows)."""
    last = -1
    while True:
        rows = store.db.execute("SELECT ord, article_id, outlet, start, end, text_hash, grp, shingles FROM passages "
                                f"WHERE ord > ? ORDER BY ord LIMIT {PAGE_ROWS}", (last,)).fetchall()
        for order, passage_article, outlet, start, end, digest, group, blob in rows:
            if len(blob) % _SHINGLE_DTYPE.itemsize:
                raise CorruptRow(f"passage {order} of article {passage_article}: shingles of {len(blob)} bytes")
            yield PassageRow(order, passage_article, outlet, start, end, digest, group,
                             np.frombuffer(blob, dtype=_SHINGLE_DTYPE))  # type: ignore[arg-type]
        if len(rows) < PAGE_ROWS:
            return
        last = rows[-1][0]


def get_copies(store: Store, article_id: str) -> list[Copy]:
    """The article's copied passages, in text order."""
    rows = store.db.execute(f"SELECT {_COPY_COLUMNS} FROM copies WHERE article_id = ? ORDER BY start",
                            (article_id,)).fetchall()
    return [Copy(*row) for row in rows]


def count_copies(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM copies").fetchone()[0]


def is_traced(store: Store, article_id: str) -> bool:
    """Whether ingest indexed passages of the article (an article of only short lines has
    none, and neither has one ingested before provenance was traced)."""
    return store.db.execute("SELECT 1 FROM passages WHERE article_id = ? LIMIT 1", (article_id,)).fetchone() is not None


def get_copies_with_carriers(store: Store, article_id: str) -> list[tuple[Copy, int]]:
    """(copy, carriers) for each copied passage of the article, in text order: carriers as
    `carriers` counts them, in the same query."""
    rows = store.db.execute(
        f"SELECT {', '.join('c.' + name for name in _COPY_FIELDS)}, "
        f"(SELECT {_OUTLETS} FROM passages g WHERE g.grp = p.grp) "
        "FROM copies c JOIN passages p ON p.article_id = c.article_id AND p.start = c.start "
        "WHERE c.article_id = ? ORDER BY c.start", (article_id,)).fetchall()
    return [(Copy(*row[:-1]), row[-1]) for row in rows]


def carriers(store: Store, article_id: str, start: int) -> int:
    """How many outlets carry the indexed passage of the article that starts at `start`
    (its own outlet included); 0 when no indexed passage starts there."""
    row = store.db.execute(f"SELECT {_OUTLETS} FROM passages WHERE grp = (SELECT grp FROM passages "
                           "WHERE article_id = ? AND start = ?)", (article_id, start)).fetchone()
    return row[0] if row else 0


def copy_summary(store: Store, article: Article) -> CopySummary:
    """How many of the article's paragraphs are copied, and from whom (its stored copies)."""
    return summarise(article.text, get_copies(store, article.id))


__all__ = ["StaleIndex", "StoreCopyIndex", "carriers", "copy_summary", "count_copies", "count_passages",
           "get_copies", "get_copies_with_carriers", "is_traced", "iter_passages", "next_order",
           "put_provenance_in_transaction"]
