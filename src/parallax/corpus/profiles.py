"""Outlet profiles of a stored corpus: corpus.outlets over what the store holds.

Every ingested article counts for coverage; its stored analysis (the current code's, with
or without techniques, whichever exists) for the writing figures; its `copies` rows for the
copied share when its passages were traced at ingest. Articles are read one at a time.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from parallax.config import Config
from parallax.corpus.outlets import ArticleFacts, OutletProfile, article_facts, outlet_profiles
from parallax.corpus.provenance import Copy, summarise
from parallax.model import Analysis

if TYPE_CHECKING:
    from parallax.store.store import Store


def _fingerprints(store: Store) -> list[str]:
    """Fingerprints a deep analysis of this code may be stored under, the fullest first."""
    from parallax.pipeline import Pipeline

    config = Config.resolve(store=str(store.path))
    return [Pipeline(config.replace(techniques=True)).fingerprint, Pipeline(config.replace(techniques=False)).fingerprint]


def _copies(store: Store, article_id: str) -> list[Copy] | None:
    """The article's copies, or None when its passages were never traced."""
    traced = store.db.execute("SELECT 1 FROM passages WHERE article_id = ? LIMIT 1", (article_id,)).fetchone()
    if traced is None:
        return None
    rows = store.db.execute("SELECT article_id, start, end, source_article_id, source_outlet, source_start, "
                            "source_end, similarity, kind FROM copies WHERE article_id = ?", (article_id,))
    return [Copy(*row) for row in rows]


def iter_facts(store: Store) -> Iterator[ArticleFacts]:
    from parallax.store.stories import story_of

    stories = story_of(store)
    fingerprints = _fingerprints(store)
    ids = [row[0] for row in store.db.execute("SELECT article_id FROM corpus_articles ORDER BY key")]
    for article_id in ids:
        article = store.get_article(article_id)
        if article is None:
            continue
        analysis = None
        for fingerprint in fingerprints:
            layers = store.get_layers(article_id, fingerprint)
            if layers is not None:
                analysis = Analysis(article, layers)
                break
        copies = _copies(store, article_id)
        summary = summarise(article.text, copies) if copies is not None else None
        yield article_facts(article_id, article.outlet, stories.get(article_id), analysis, summary)


def store_profiles(store: Store) -> list[OutletProfile]:
    """One profile per outlet of the store's ingested articles."""
    from parallax.store.stories import story_titles

    return outlet_profiles(iter_facts(store), story_titles(store))


__all__ = ["iter_facts", "store_profiles"]
