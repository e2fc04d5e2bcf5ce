"""The corpus as corpus results read it: each ingested article with its duplicate row, story
and stored deep analysis, in publication order (parallax quotes, parallax export).

    fingerprint = deep_fingerprint(store, config)       None: nothing deep-analysed
    with read_snapshot(store):
        for item in iter_corpus(store, fingerprint):    CorpusArticle, oldest first
            ...

Publication order is corpus_articles.published_at (dated articles by time), then ingest
order; undated articles come last, in ingest order. Only the sort keys are sorted (SQLite
spills them to a temporary file past its cache), each article is then read by its key:
memory stays flat whatever the corpus size.

Reads never mark analyses as used: exporting a corpus reads every analysis once, which
says nothing about which are worth keeping in the LRU cache.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parallax.corpus.dedup import EXACT, Duplicate
from parallax.errors import UsageError
from parallax.model import Analysis, Article
from parallax.store import codec
from parallax.store.codec import CorruptRow

if TYPE_CHECKING:
    from parallax.config import Config
    from parallax.store.store import Store

_ORDER = "ORDER BY c.published_at IS NULL, c.published_at, c.key"
_OWN = "EXISTS (SELECT 1 FROM analyses x WHERE x.article_id = c.article_id AND x.fingerprint = :fp)"
_ORIGINALS = ("EXISTS (SELECT 1 FROM duplicates d JOIN analyses x ON x.article_id = d.original_id "
              f"AND x.fingerprint = :fp WHERE d.article_id = c.article_id AND d.kind = '{EXACT}')")
_ROW = (f"SELECT {', '.join('a.' + c for c in codec.ARTICLE_COLUMNS)}, c.published_at, d.original_id, d.kind, "
        "d.similarity, s.story_id, x.layers FROM corpus_articles c JOIN articles a ON a.id = c.article_id "
        "LEFT JOIN duplicates d ON d.article_id = c.article_id "
        "LEFT JOIN story_articles s ON s.article_id = c.article_id "
        "LEFT JOIN analyses x ON x.article_id = c.article_id AND x.fingerprint = ? WHERE c.key = ?")


@dataclass
class CorpusArticle:
    """One ingested article as corpus results read it."""

    article: Article
    published_at: float | None  # Unix seconds; None: undated
    duplicate: Duplicate | None  # the original it copies; None: an original
    story_id: str | None  # None: not grouped (`parallax stories` has not seen it)
    analysis: Analysis | None  # its own deep analysis under the fingerprint
    # What it carries: its own analysis, or for an exact copy whose text is the original's
    # up to case, the original's layers (which then index this text too); None otherwise.
    carried: Analysis | None


def deep_fingerprint(store: Store, config: Config) -> str | None:
    """The fingerprint `parallax ingest --deep` with `config` stored analyses under, if any
    ingested article has one: the Pipeline's own, else (when `config` runs techniques) the
    one without techniques, since `ingest --deep --no-techniques` is the cheap way to get
    quotes and claims. None when neither has analyses."""
    from parallax.pipeline import Pipeline

    candidates = [Pipeline(config).fingerprint]
    if config.techniques:
        candidates.append(Pipeline(config.replace(techniques=False)).fingerprint)
    for fingerprint in candidates:
        if store.db.execute(f"SELECT 1 FROM corpus_articles c WHERE {_OWN} LIMIT 1", {"fp": fingerprint}).fetchone():
            return fingerprint
    return None


def no_analyses_error(store: Store) -> UsageError:
    """The error for a command that needs deep analyses where the store has none usable."""
    other = store.db.execute("SELECT count(DISTINCT x.article_id) FROM analyses x "
                             "JOIN corpus_articles c ON c.article_id = x.article_id").fetchone()[0]
    why = f" ({other} articles were analysed by another version of Parallax or with other settings)" if other else ""
    return UsageError(f"no deep analyses by this Parallax in {store.path}{why}; run "
                      f"`parallax ingest SOURCES --store {store.path} --deep` to analyse the corpus")


@contextmanager
def read_snapshot(store: Store) -> Iterator[None]:
    """Reads inside see the store as it was at the first of them (one read transaction),
    however long they take and whatever other processes write meanwhile."""
    store.db.execute("BEGIN")
    try:
        yield
    finally:
        store.db.execute("COMMIT")


def iter_corpus(store: Store, fingerprint: str | None, deep_only: bool = False) -> Iterator[CorpusArticle]:
    """Every ingested article in publication order; with `deep_only`, only those that carry
    an analysis under `fingerprint` (their own, or an exact original's). Rows that do not
    decode are skipped, as Store skips them."""
    where = f"WHERE {_OWN} OR {_ORIGINALS}" if deep_only else ""
    keys = store.db.execute(f"SELECT c.key FROM corpus_articles c {where} {_ORDER}", {"fp": fingerprint})
    try:
        for (key,) in keys:
            row = store.db.execute(_ROW, (fingerprint, key)).fetchone()
            if row is not None:
                try:
                    yield _corpus_article(store, fingerprint, row)
                except CorruptRow:
                    continue
    finally:
        keys.close()


def _corpus_article(store: Store, fingerprint: str | None, row: tuple) -> CorpusArticle:
    columns = len(codec.ARTICLE_COLUMNS)
    article = codec.article_from_row(row[:columns])
    published_at, original_id, kind, similarity, story_id, layers = row[columns:]
    duplicate = Duplicate(original_id, kind, similarity) if original_id is not None else None
    analysis = Analysis(article, codec.decode_layers(layers)) if layers is not None else None
    carried = analysis
    if carried is None and duplicate is not None and duplicate.kind == EXACT:
        carried = _original_layers(store, fingerprint, article, duplicate.original_id)
    return CorpusArticle(article, published_at, duplicate, story_id, analysis, carried)


def _original_layers(store: Store, fingerprint: str | None, copy: Article, original_id: str) -> Analysis | None:
    """The original's analysis on the copy's text, when its offsets index that text too
    (the same characters up to case; spacing that differs would shift them)."""
    row = store.db.execute("SELECT a.text, x.layers FROM articles a JOIN analyses x ON x.article_id = a.id "
                           "AND x.fingerprint = ? WHERE a.id = ?", (fingerprint, original_id)).fetchone()
    if row is None or len(row[0]) != len(copy.text) or row[0].lower() != copy.text.lower():
        return None
    try:
        return Analysis(copy, codec.decode_layers(row[1]))
    except CorruptRow:
        return None


__all__ = ["CorpusArticle", "deep_fingerprint", "iter_corpus", "no_analyses_error", "read_snapshot"]
