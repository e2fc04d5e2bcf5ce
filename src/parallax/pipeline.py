"""Pipeline: one Config, the models loaded once, components that declare what they need and add.

    pipeline = Pipeline(Config.resolve(threads=2))
    analysis = pipeline.analyze(parallax.from_text("..."))
    for result in pipeline.analyze_many(articles):   # Analysis or InputError, in input order
        ...
    comparison = pipeline.compare([analysis_a, analysis_b])

The same object runs in the CLI, a web worker and a Dask worker: it pickles as its Config and
component names, and the receiving process rebuilds it and loads its own models.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np

from parallax.config import Config
from parallax.errors import InputError, ModelError
from parallax.ingest import from_text
from parallax.chunks import CHUNK_CHARS, MAX_TEXT_CHARS, chunk_bounds
from parallax.components import COMPONENTS, Component, Layers, checked, default_components, register
from parallax.model import Analysis, Article, Comparison, Vectors, shifted

if TYPE_CHECKING:
    from parallax.store import Store

log = logging.getLogger(__name__)

# Characters parsed in one nlp.pipe batch: 16 ordinary articles, or two chunks of a long
# text (spaCy's Docs take ~3.5 KB per character until the batch is done).
PARSE_BATCH_CHARS = 2 * CHUNK_CHARS
# What analyze/compare take: an Article, an Analysis (kept as it is) or plain text (always
# text: a string is never opened as a file; parallax.load_path reads files).
Item = Article | Analysis | str


class Pipeline:
    """Loads the models once and runs the components over articles."""

    def __init__(self, config: Config | None = None, components: Sequence[str] | None = None) -> None:
        self.config = config if config is not None else Config.resolve()
        self.component_names = list(components if components is not None else default_components(self.config))
        self.components = checked(self.component_names)
        # Three phases, from the declarations: components that read the Doc run per chunk;
        # text-only ones that need no layer run beside the parse; the rest (vectors) after
        # all layers are whole.
        self._doc_components = [c for c in self.components if c.uses_doc]
        self._text_components = [c for c in self.components if not c.uses_doc and not c.needs]
        self._after = [c for c in self.components if not c.uses_doc and c.needs]
        self._store: Store | None = None
        self._no_store = False
        self._fingerprint: str | None = None
        self._pool: ThreadPoolExecutor | None = None

    def __reduce__(self):  # models are never pickled: the receiver rebuilds from the Config
        return (Pipeline, (self.config, self.component_names))

    def __repr__(self) -> str:
        return f"Pipeline({', '.join(self.component_names)})"

    # ------------------------------------------------------------------ models

    @property
    def nlp(self):
        from parallax.nlp.spacy_model import load_nlp

        return load_nlp(self.config.spacy_model)

    @property
    def detector(self):
        from parallax.techniques import load_detector

        return load_detector(self.config.technique_model, self.config.thread_count())

    def load(self) -> Pipeline:
        """Load every model now (a warm pipeline), instead of on first use."""
        from parallax import embeddings

        if self._doc_components:
            _ = self.nlp
        if "techniques" in self.component_names:
            _ = self.detector
        embeddings.load(self.config.encoder, self.config.thread_count())
        return self

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length sentence vectors, one row per text."""
        from parallax import embeddings

        return embeddings.encode(texts, self.config.encoder, self.config.thread_count())

    # ------------------------------------------------------------------ store

    @property
    def fingerprint(self) -> str:
        """What stored layers depend on besides the text: code, models, settings, components."""
        if self._fingerprint is None:
            from parallax.store.fingerprint import fingerprint

            self._fingerprint = f"{fingerprint(self.config)}:{'+'.join(self.component_names)}"
        return self._fingerprint

    @property
    def store(self) -> Store | None:
        """The store of analyses, or None when caching is off (Config.cache = False) or the
        default store cannot be opened (a read-only home: warned once, nothing is stored).
        A store the user named that cannot be opened is an error."""
        if self._store is None and self.config.cache and not self._no_store:
            from parallax.store import Store

            try:
                self._store = Store(self.config.store_path(), max_bytes=self.config.store_max_bytes)
            except InputError as error:
                if self.config.store:
                    raise
                log.warning("analyses are not stored: %s", error)
                self._no_store = True
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ analysis

    def analyze(self, item: Item) -> Analysis:
        """One article's layers (an Analysis is returned as it is; text is always text)."""
        [result] = list(self.analyze_many([item]))
        if isinstance(result, InputError):
            raise result
        return result

    def analyze_many(self, items: Iterable[Item | InputError]) -> Iterator[Analysis | InputError]:
        """Analyses of a stream of items, in input order, one batch in memory at a time.
        An item that fails yields its InputError (InputErrors in the input pass through) and
        the rest go on."""
        iterator = iter(items)
        while batch := list(itertools.islice(iterator, self.config.batch_size)):
            yield from self._analyze_batch([_as_article(item) for item in batch])

    def _analyze_batch(self, batch: list[Article | Analysis | InputError]) -> list[Analysis | InputError]:
        results: list[Analysis | InputError | None] = [
            item if isinstance(item, (Analysis, InputError)) else self._stored(item) for item in batch]
        todo = [i for i, result in enumerate(results) if result is None]
        for index, result in zip(todo, self._compute([batch[i] for i in todo])):  # type: ignore[misc]
            results[index] = result
            if isinstance(result, Analysis):
                self._keep(result)
        return results  # type: ignore[return-value]

    def _stored(self, article: Article) -> Analysis | None:
        store = self.store
        if store is None:
            return None
        analysis = store.get_analysis(article, self.fingerprint)
        if analysis is None:
            return None
        if self._after:
            vectors = store.get_vectors(article.id, self.fingerprint)
            if vectors is None:
                return None
            analysis.vectors = Vectors(*vectors)
        return analysis

    def _keep(self, analysis: Analysis) -> None:
        store = self.store
        if store is not None:  # one transaction: the article, its layers and vectors
            vectors = (analysis.vectors.texts, analysis.vectors.array) if analysis.vectors else None
            store.put_analysis(analysis, self.fingerprint, vectors=vectors)

    def _compute(self, articles: list[Article]) -> list[Analysis | InputError]:
        """Run the components over `articles`: spaCy's parse batched with nlp.pipe, the
        text-only components beside it on a thread, long texts in chunks."""
        failed: dict[int, InputError] = {i: e for i, a in enumerate(articles) if (e := _too_long(a))}
        pieces = [(index, start, end) for index, article in enumerate(articles) if index not in failed
                  for start, end in chunk_bounds(article.text)]
        texts = [articles[index].text[start:end] for index, start, end in pieces]
        beside = [self._beside(text) for text in texts] if self._text_components else []
        parts: list[list[Layers]] = [[] for _ in articles]
        docs = self._parse(texts) if self._doc_components else iter([None] * len(texts))
        for number, ((index, start, _), doc) in enumerate(zip(pieces, docs)):
            if index in failed:
                continue
            try:
                layers = self._run(self._doc_components, doc, Article(texts[number]),
                                   beside[number] if beside else None)
            except Exception as error:  # one article's failure must not lose the batch
                failed[index] = _failure(articles[index], error)
                continue
            parts[index].append({name: [shifted(s, start) for s in spans] for name, spans in layers.items()})
        return [failed.get(index) or self._finish(article, parts[index]) for index, article in enumerate(articles)]

    def _parse(self, texts: list[str]) -> Iterator[Any]:
        """spaCy Docs of `texts`, parsed with nlp.pipe in batches of at most batch_size texts
        and PARSE_BATCH_CHARS characters (a batch's Docs are in memory together)."""
        group: list[str] = []
        for text in texts:
            if group and (len(group) == self.config.batch_size
                          or sum(map(len, group)) + len(text) > PARSE_BATCH_CHARS):
                yield from self.nlp.pipe(group, batch_size=len(group))
                group = []
            group.append(text)
        if group:
            yield from self.nlp.pipe(group, batch_size=len(group))

    def _run(self, components: list[Component], doc: Any, article: Article, beside: Future | None = None) -> Layers:
        """The layers `components` add, and those of `beside` (the text-only components' run
        on the same text), waited for only by the first component that `reads` one of them
        (quotes reads the attribution head's candidates from the technique pass)."""
        analysis = Analysis(article)
        for component in components:
            if beside is not None and component.reads:
                analysis.layers.update(beside.result())
                beside = None
            for name, spans in component.run(self, doc, analysis).items():
                analysis[name] = spans
        if beside is not None:
            analysis.layers.update(beside.result())
        return analysis.layers

    def _beside(self, text: str) -> Future:
        if self._pool is None:
            # One thread: ONNX Runtime releases the GIL, so the technique detector runs
            # while spaCy parses (seeds: 2.0 -> 1.6 s).
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parallax-beside")
        return self._pool.submit(self._run, self._text_components, None, Article(text))

    def _finish(self, article: Article, parts: list[Layers]) -> Analysis | InputError:
        analysis = Analysis(article)
        for name in (layer for c in self._doc_components + self._text_components for layer in c.adds):
            analysis[name] = [span for part in parts for span in part.get(name, [])]
        try:
            for component in self._after:
                component.run(self, None, analysis)
        except Exception as error:  # as in _compute
            return _failure(article, error)
        return analysis

    # ------------------------------------------------------------------ comparison

    def story_groups(self, analyses: Sequence[Analysis]) -> list[list[int]]:
        """The analyses' indices grouped into stories by the corpus's story grouping (their
        title + lead vectors are kept in the store, so a re-run encodes nothing)."""
        from parallax.corpus.same_story import story_groups

        vectors = _StoredVectors(self, list(analyses))
        groups = story_groups(analyses, vectors.encode_for)
        vectors.save()
        return groups

    def compare(self, items: Sequence[Item], stories: list[list[int]] | None = None) -> Comparison:
        """Compare 2..N articles on one story. Conflicts and omissions are only reported
        between articles of one story: `stories` groups the items' indices (a caller that
        grouped them already, or a corpus story: `[list(range(n))]`), else they are grouped
        here as `story_groups` does."""
        from parallax.comparison import compare_analyses
        from parallax.corpus.same_story import story_groups

        analyses = []
        for result in self.analyze_many(items):
            if isinstance(result, InputError):
                raise result
            analyses.append(result)
        vectors = _StoredVectors(self, analyses)
        if stories is None:  # title + lead vectors kept with the articles, like the sentences'
            stories = story_groups(analyses, vectors.encode_for)
        comparison = compare_analyses(analyses, encode=vectors.encode, stories=stories)
        vectors.save()
        return comparison


class _StoredVectors:
    """compare's encoder: vectors the analyses carry or the store keeps, the rest encoded
    (and then stored per article, so the next comparison of these articles encodes nothing)."""

    def __init__(self, pipeline: Pipeline, analyses: list[Analysis]) -> None:
        self.pipeline, self.analyses = pipeline, analyses
        self.known: dict[str, np.ndarray] = {}
        self.new: dict[str, np.ndarray] = {}
        self.owner: dict[str, Analysis] = {}  # texts not in any article's text (a title + lead)
        self.stored: list[dict[str, np.ndarray]] = []  # per analysis: what the store holds
        store = pipeline.store
        for analysis in analyses:
            found = store.get_vectors(analysis.article.id, pipeline.fingerprint) if store is not None else None
            self.stored.append(Vectors(*found).as_dict() if found else {})
            self.known.update(self.stored[-1])
            if analysis.vectors is not None:
                self.known.update(analysis.vectors.as_dict())

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in self.known]
        if missing:
            encoded = dict(zip(missing, self.pipeline.encode(missing)))
            self.new.update(encoded)
            self.known.update(encoded)
        return np.stack([self.known[text] for text in texts]) if texts else np.zeros((0, 1), np.float32)

    def encode_for(self, analysis: Analysis, texts: list[str]) -> np.ndarray:
        """encode(), keeping the vectors with `analysis` even when the texts are not in its text."""
        for text in texts:
            self.owner.setdefault(text, analysis)
        return self.encode(texts)

    def save(self) -> None:
        store = self.pipeline.store
        if store is None or not self.new:
            return
        for analysis, kept in zip(self.analyses, self.stored):
            mine = [text for text in self.new if text in analysis.text or self.owner.get(text) is analysis]
            if not mine:
                continue
            kept.update((text, self.new[text]) for text in mine)
            store.put_vectors(analysis.article.id, self.pipeline.fingerprint, list(kept), np.stack(list(kept.values())))


def _as_article(item: Item | InputError) -> Article | Analysis | InputError:
    if isinstance(item, (Article, Analysis, InputError)):
        return item
    if isinstance(item, str):
        try:
            return from_text(item)
        except InputError as error:
            return error
    return InputError(type(item).__name__, f"got a {type(item).__name__}; expected an Article, an Analysis or text")


def _too_long(article: Article) -> InputError | None:
    if len(article.text) <= MAX_TEXT_CHARS:
        return None
    return InputError(_name(article), f"text is {len(article.text):,} characters; the limit is "
                                      f"{MAX_TEXT_CHARS:,} (about 2 minutes of analysis on 2 cores)")


def _name(article: Article) -> str:
    return article.source or article.title or f"article {article.id}"


def _failure(article: Article, error: Exception) -> InputError:
    if isinstance(error, InputError):
        return error
    if isinstance(error, ModelError):
        raise error  # a broken model fails every article: stop, do not report each one
    return InputError(_name(article), f"analysis failed: {type(error).__name__}: {error}")


# ----------------------------------------------------------------- module-level API

_DEFAULT: dict[Config, Pipeline] = {}


def default_pipeline(**settings: Any) -> Pipeline:
    """The shared Pipeline of this process for these settings (Config.resolve(**settings))."""
    config = Config.resolve(**settings)
    if config not in _DEFAULT:
        _DEFAULT[config] = Pipeline(config)
    return _DEFAULT[config]


def analyze(item: Item, techniques: bool | None = None, threshold: float | None = None,
            cache: bool | None = None) -> Analysis:
    """Annotate one article (Article, or text taken verbatim) with the default Pipeline."""
    return default_pipeline(techniques=techniques, threshold=threshold, cache=cache).analyze(item)


def compare(items: Sequence[Item], cache: bool | None = None) -> Comparison:
    """Compare 2..N articles (Analyses, Articles or texts) on one story with the default Pipeline."""
    return default_pipeline(cache=cache).compare(items)


__all__ = ["COMPONENTS", "Component", "Pipeline", "analyze", "compare", "default_pipeline", "register"]
