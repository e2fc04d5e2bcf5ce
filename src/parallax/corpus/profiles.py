"""Outlet profiles of a stored corpus: corpus.outlets over what the store holds.

Every ingested article counts for coverage; its deep analysis (store.analyses: the current
code's, with or without techniques) for the writing figures; its `copies` rows for the
copied share when its passages were traced at ingest. The corpus is read one article at a
time (store.analyses.iter_corpus), as `parallax export` reads it.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from parallax.config import Config
from parallax.corpus.outlets import ArticleFacts, OutletProfile, article_facts, outlet_profiles

if TYPE_CHECKING:
    from parallax.store.store import Store


def iter_facts(store: Store, config: Config | None = None) -> Iterator[ArticleFacts]:
    from parallax.store.analyses import deep_fingerprint, iter_corpus, read_snapshot
    from parallax.store.provenance import copy_summary, is_traced

    config = config or Config.resolve(store=str(store.path))
    with read_snapshot(store):
        for item in iter_corpus(store, deep_fingerprint(store, config)):
            article = item.article
            summary = copy_summary(store, article) if is_traced(store, article.id) else None
            yield article_facts(article.id, article.outlet, item.story_id, item.analysis, summary)


def store_profiles(store: Store, config: Config | None = None) -> list[OutletProfile]:
    """One profile per outlet of the store's ingested articles."""
    from parallax.store.stories import story_titles

    return outlet_profiles(iter_facts(store, config), story_titles(store))


__all__ = ["iter_facts", "store_profiles"]
