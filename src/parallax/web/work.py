"""The app's heavy work, run on the job queue's thread: analyses and comparisons.

`Worker` owns the warm Pipeline (models loaded at start-up, before the first request) and,
made on the worker thread itself, a connection to the store where comparisons are kept
(SQLite connections stay on the thread that made them).
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from parallax.errors import InputError
from parallax.model import Analysis, Article, Comparison
from parallax.pipeline import Pipeline
from parallax.report.html import render_body
from parallax.report.json_out import document, dumps
from parallax.store import Store
from parallax.store.comparisons import StoredComparison, comparison_id, get_comparison, put_comparison
from parallax.web.jobs import Job
from parallax.web.settings import WebSettings


# Marks the fingerprint part of a corpus story's permalink id.
ONE_STORY = "|one-story"


class Worker:
    """Runs analyses and comparisons with one warm Pipeline."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.pipeline = Pipeline(settings.config.replace(store=str(settings.store_path))).load()
        self._local = threading.local()

    @property
    def fingerprint(self) -> str:
        return self.pipeline.fingerprint

    def comparison_id(self, articles: Sequence[Article], one_story: bool = False) -> str:
        """The permalink id; a corpus story's comparison (`one_story`) is another result
        than the same articles pasted, whose conflicts the same-story test gates."""
        return comparison_id(self.fingerprint + (ONE_STORY if one_story else ""), articles)

    def store(self) -> Store:
        """This thread's connection to the comparisons' store."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.settings.store_path)
        return store

    def compare(self, job: Job, articles: list[Article], one_story: bool = False) -> str:
        """Compare `articles`, keep the result under its permalink id, return the id."""
        known = get_comparison(self.store(), job.id)
        if known is not None:
            return known.id
        analyses = self._analyses(job, articles)
        job.advance("comparing the articles")
        comparison = self.pipeline.compare(analyses, stories=[list(range(len(analyses)))] if one_story else None)
        job.advance("drawing the comparison")
        put_comparison(self.store(), stored_comparison(job.id, self.fingerprint, comparison))
        return job.id

    def analyze(self, job: Job, articles: list[Article]) -> dict[str, Any]:
        """The JSON document of `parallax analyze` for `articles`."""
        return document(self._analyses(job, articles))

    def _analyses(self, job: Job, articles: list[Article]) -> list[Analysis]:
        analyses = []
        for result in self.pipeline.analyze_many(articles):
            if isinstance(result, InputError):
                raise result
            analyses.append(result)
            job.advance()
        return analyses

    def close(self) -> None:
        self.pipeline.close()
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()


def stored_comparison(permalink: str, fingerprint: str, comparison: Comparison) -> StoredComparison:
    return StoredComparison(id=permalink, fingerprint=fingerprint,
                            article_ids=[a.article.id for a in comparison.analyses],
                            document=dumps(comparison), body=str(render_body(comparison)),
                            title=next((a.article.title for a in comparison.analyses if a.article.title), ""))


__all__ = ["ONE_STORY", "Worker", "stored_comparison"]
