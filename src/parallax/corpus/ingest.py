"""Ingest: a corpus's files into the store, with the cheap tier of analysis.

    with Store(path) as store:
        report = ingest(["corpus/"], store, config=Config.resolve(threads=2),
                        column_map=ColumnMap.parse("text=body"), on_error=print)

For each record, in input order:
  1. read it (parallax.corpus.sources): a bad record is an InputError passed to
     `on_error` and counted; the rest go on;
  2. skip it when ingest has stored its id before (a re-run, or a resumed killed run);
  3. skip it, with a note, when it is not English (parallax.corpus.language);
  4. find the earlier article it copies, exactly or nearly (parallax.corpus.dedup, on the
     store's own index): a copy is stored too, with the original it copies;
  5. trace its passages (parallax.corpus.provenance): which copy an earlier article of
     another outlet, against one copy index for the run, built from the stored passages;
  6. store it with its bookkeeping, story signature (title+lead vector, entity keys,
     terms: parallax.corpus.signatures), passages and copies, all in one transaction.
Every stored article is traced, exact copies too: their text may differ from the
original's in case and spacing (so offsets differ), and the outlets that republish a
passage are its carriers. Passages are traced in the order articles are stored: "the
earliest source" is the earliest ingested, so ingest a corpus in publication order.
With `deep`, every stored article that is not an exact copy (and every known one still
lacking it) also gets the full analysis, stored by the Pipeline.

Memory stays flat whatever the corpus size, the copy index aside (below): records are read
as a stream, INGEST_BATCH at a time (one encoder call per batch, on a thread while the batch
before is stored), and the duplicate index lives in the store's tables.
Each article is its own transaction: 0.33 ms an article measured in WAL mode, against 0.13
ms for the same rows grouped in one transaction, so grouping would save about 3% of the
cheap tier (~12 ms of CPU an article, 5 of them the title+lead encoder) and is not done. So kill -9 leaves every
article whole or absent and a re-run resumes; Ctrl-C stops at once (the article in flight
is stored whole or not at all) and returns the counts so far (`interrupted`).

The copy index is the one part that lives in memory: about 5 KB an article (250 bytes a
passage, corpus.provenance), built from the stored passages when the first new article
comes (~0.3 s per 1,000 stored articles; a re-run of known articles never builds it).
Tracing costs ~2.8 ms an article (PolNeAR, 924 articles: 2.4 ms to trace, 0.4 ms to
write its passages and copies), under a fifth of the cheap tier.
"""
from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from parallax.config import Config
from parallax.corpus.dedup import EXACT, NEAR, find_duplicate, fingerprint
from parallax.corpus.language import check_language
from parallax.corpus.signatures import StorySignature, lead_vectors, signature_of
from parallax.corpus.sources import NO_MAP, ColumnMap, iter_sources, published_timestamp
from parallax.errors import InputError
from parallax.model import Analysis, Article
from parallax.store import corpus as tables
from parallax.store.provenance import StaleIndex, StoreCopyIndex

if TYPE_CHECKING:
    import numpy as np
    from parallax.pipeline import Pipeline
    from parallax.progress import Progress
    from parallax.store import Store

# Records per batch: one encoder call for their titles and leads (64 short texts fill
# MiniLM's batches well) while a batch of long articles still holds only a few MB.
INGEST_BATCH = 64

# Writes retried when another ingest into the same store wrote passages between tracing an
# article and storing it (each retry traces it again against the caught-up index).
STALE_RETRIES = 3

# How a note about a skipped non-English record begins, after its source.
NOT_ENGLISH_NOTE = "skipped, not English"

ErrorCallback = Callable[[InputError], None]
NoteCallback = Callable[[str], None]


@dataclass
class IngestReport:
    """What one ingest did. `stored` includes the copies (`exact` + `near` of them)."""

    read: int = 0  # good records read
    stored: int = 0
    known: int = 0  # skipped: stored by an earlier ingest
    exact: int = 0
    near: int = 0
    non_english: int = 0  # skipped: not English
    errors: int = 0  # bad records and files (and, with deep, failed analyses)
    analysed: int = 0  # deep: articles with their full analysis in the store
    interrupted: bool = False  # stopped by Ctrl-C; the counts say how far it got
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Records read per second."""
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, float | int | bool]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# Encoder threads while ingest's own work (cleaning, duplicates, tracing, storing) runs
# beside it on the main thread: one core for each on 2 cores, where the int8 encoder (~5 ms
# an article on one core) and the rest (~7 ms) take about as long.
def encoder_threads(config: Config) -> int:
    return max(1, config.thread_count() - 1)


def ingest(sources: Iterable[str | Path], store: Store, config: Config | None = None,
           column_map: ColumnMap = NO_MAP, outlet: str | None = None, deep: bool = False,
           progress: Progress | None = None, on_error: ErrorCallback | None = None,
           on_note: NoteCallback | None = None) -> IngestReport:
    """Read `sources` (files and folders) into `store`; see the module docstring.

    `config` gives the encoder and threads (and, with `deep`, the Pipeline's settings);
    `outlet` overrides every record's outlet. Each bad record goes to `on_error` as it is
    found, each note (skipped files, non-English records) to `on_note`. Raises UsageError
    when `column_map` names a column a file lacks (what was ingested before stays)."""
    config = config if config is not None else Config.resolve()
    run = _Run(store, config, IngestReport(), progress, on_error or _ignore, on_note or _ignore)
    started = time.monotonic()
    encoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parallax-ingest-encoder")
    try:
        if deep:
            run.pipeline = _deep_pipeline(config, store)
        stream = iter_sources(sources, column_map, outlet, note=run.note)
        pending: _Batch | None = None
        # Batch N is stored while batch N+1's titles and leads are encoded on a thread.
        while items := list(itertools.islice(stream, INGEST_BATCH)):
            batch = run.screen(items)
            batch.vectors = encoder.submit(lead_vectors, [a for a, _ in batch.todo], config.encoder,
                                           encoder_threads(config))
            if pending is not None:
                run.store_batch(pending)
            pending = batch
        if pending is not None:
            run.store_batch(pending)
    except KeyboardInterrupt:
        run.report.interrupted = True
    finally:
        encoder.shutdown(wait=True, cancel_futures=True)
        if run.pipeline is not None:
            run.pipeline.close()
        run.report.seconds = time.monotonic() - started
    return run.report


def _ignore(_: object) -> None:
    pass


def _deep_pipeline(config: Config, store: Store) -> Pipeline:
    """A Pipeline that stores its analyses in the same store file."""
    from parallax.pipeline import Pipeline

    return Pipeline(config.replace(store=str(store.path), cache=True))


@dataclass
class _Batch:
    """Up to INGEST_BATCH records after screening: the articles to store (with their share
    of English), their titles' and leads' vectors (being encoded), and the articles due for
    deep analysis."""

    todo: list[tuple[Article, float]] = field(default_factory=list)
    vectors: Future[tuple[list[str], np.ndarray]] | None = None
    deep: list[Article] = field(default_factory=list)


@dataclass
class _Run:
    """The state of one ingest: where it writes, what it counts, whom it tells."""

    store: Store
    config: Config
    report: IngestReport
    progress: Progress | None
    error: ErrorCallback
    note: NoteCallback
    pipeline: Pipeline | None = None
    copy_index: StoreCopyIndex | None = None

    def screen(self, items: list[Article | InputError]) -> _Batch:
        """The articles of a batch still to store: what is known (or fails to read, or is
        not English) is counted and left out; known ones still lacking deep analysis are
        kept for it."""
        batch = _Batch()
        for item in items:
            if isinstance(item, InputError):
                self._failed(item)
                continue
            self.report.read += 1
            if tables.is_ingested(self.store, item.id):
                self.report.known += 1
                if self.pipeline is not None and not self._is_exact_copy(item.id):
                    batch.deep.append(item)
                self._advance()
                continue
            language = check_language(item.text)
            if not language.english:
                self.report.non_english += 1
                self.note(f"{item.source}: {NOT_ENGLISH_NOTE} ({language.reason})")
                self._advance()
                continue
            batch.todo.append((item, language.english_share))
        return batch

    def store_batch(self, batch: _Batch) -> None:
        """Store a screened batch one article per transaction, in input order, then
        deep-analyse when asked."""
        leads, vectors = batch.vectors.result() if batch.vectors is not None else ([], [])
        for (article, english), lead, vector in zip(batch.todo, leads, vectors):
            if self._store(article, english, signature_of(article, lead, vector)) and self.pipeline is not None:
                batch.deep.append(article)
            self._advance()
        if batch.deep:
            self._analyse(batch.deep)

    def _store(self, article: Article, english: float, signature: StorySignature) -> bool:
        """Store one article (a copy with its original); True when it is new and not an
        exact copy (so deep analysis has something to add)."""
        fp = fingerprint(article.text)
        duplicate = find_duplicate(article.text, fp, tables.StoreIndex(self.store))
        item = tables.IngestedArticle(article, fp, duplicate, english, published_timestamp(article.published),
                                      signature)
        if not self._put(item):  # the same id twice in one batch
            self.report.known += 1
            return False
        self.report.stored += 1
        if duplicate is not None:
            self.report.exact += duplicate.kind == EXACT
            self.report.near += duplicate.kind == NEAR
        return duplicate is None or duplicate.kind != EXACT

    def _put(self, item: tables.IngestedArticle) -> bool:
        """put_ingested with the article's passages and copies (see put_ingested)."""
        if self.copy_index is None:
            self.copy_index = StoreCopyIndex(self.store)
        for _ in range(STALE_RETRIES):
            passages, copies = self.copy_index.trace(item.article)
            try:
                stored = tables.put_ingested(self.store, replace(item, passages=passages, copies=copies))
            except StaleIndex:
                self.copy_index.reload()
                continue
            if not stored and passages:  # traced, but another ingest stored it first
                self.copy_index.reload()
            return stored
        raise InputError(str(self.store.path), f"another ingest kept writing passages while {item.article.source} "
                                               "was traced; run one ingest at a time into a store")

    def _is_exact_copy(self, article_id: str) -> bool:
        duplicate = tables.get_duplicate(self.store, article_id)
        return duplicate is not None and duplicate.kind == EXACT

    def _analyse(self, articles: list[Article]) -> None:
        assert self.pipeline is not None
        for result in self.pipeline.analyze_many(articles):
            if isinstance(result, Analysis):
                self.report.analysed += 1
            else:
                self._failed(result, advance=False)  # its record was counted when read

    def _failed(self, error: InputError, advance: bool = True) -> None:
        self.report.errors += 1
        self.error(error)
        if self.progress is not None and advance:
            self.progress.advance(ok=False)

    def _advance(self) -> None:
        if self.progress is not None:
            self.progress.advance()


__all__ = ["INGEST_BATCH", "IngestReport", "NOT_ENGLISH_NOTE", "encoder_threads", "ingest"]
