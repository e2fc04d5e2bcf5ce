"""What runs on the Dask workers: the models plugin and one task function per step.

Each task gets a Partition and a Job (plain, picklable settings: where to write, how to
read, the Config) and nothing else; the models come from the worker's ModelsPlugin, which
loads them once per worker process when the run registers it (and again in a worker the
nanny restarts), never from the task graph. A task reads its records, computes, writes its
tables through batch.output (whole files under temporary names, then renamed), writes its
done marker last and returns a small summary.

    analyze    the deep tier: Pipeline.analyze_many -> articles, quotes, claims, techniques, errors
    sketch     the cheap tier: language, duplicate fingerprint, story signature -> signatures,
               _fingerprints, errors
    articles   the articles rows of an ingest, with the duplicates the client resolved
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from distributed import WorkerPlugin, get_worker

from parallax.batch import rows as tables
from parallax.batch.inputs import Partition
from parallax.batch.output import Output
from parallax.batch.records import Record, read_partition
from parallax.config import Config
from parallax.corpus.sources import ColumnMap
from parallax.errors import InputError
from parallax.model import Article

if TYPE_CHECKING:
    from parallax.pipeline import Pipeline

ANALYZE, SKETCH, ARTICLES = "analyze", "sketch", "articles"
# Text used to load the signature encoder when a worker starts (any short English text).
WARM_UP_TEXT = "The council met on Monday."


@dataclass(frozen=True)
class Job:
    """Everything a task needs besides its partition: small and picklable."""

    out: str
    config: Config
    plugin: str  # the name the ModelsPlugin is registered under
    column_map: ColumnMap = ColumnMap()
    outlet: str | None = None


class ModelsPlugin(WorkerPlugin):
    """Loads the models of a Config once per worker process. The deep tier gets one
    Pipeline per Dask thread (the models themselves are loaded once per process and
    shared: parallax's loaders cache them), the cheap tier the signature encoder."""

    def __init__(self, config: Config, deep: bool) -> None:
        self.config, self.deep = config, deep  # all that is pickled to the workers

    def setup(self, worker: Any = None) -> None:
        self._pipelines: dict[int, Pipeline] = {}
        self._lock = threading.Lock()
        if self.deep:
            self.pipeline().load()
        else:
            from parallax.corpus.signatures import lead_vectors

            lead_vectors([Article(WARM_UP_TEXT)], self.config.encoder, self.config.thread_count())

    def pipeline(self) -> Pipeline:
        """This thread's Pipeline, built on first use."""
        from parallax.pipeline import Pipeline

        key = threading.get_ident()
        with self._lock:
            if key not in self._pipelines:
                self._pipelines[key] = Pipeline(self.config)
            return self._pipelines[key]

    def teardown(self, worker: Any = None) -> None:
        with self._lock:
            for pipeline in self._pipelines.values():
                pipeline.close()
            self._pipelines.clear()


def models(job: Job) -> ModelsPlugin:
    """The ModelsPlugin of this worker for `job` (registered by the run before any task)."""
    try:
        plugin = get_worker().plugins[job.plugin]
    except (KeyError, ValueError):
        raise RuntimeError(f"worker plugin {job.plugin} is not registered on this worker") from None
    return plugin  # type: ignore[return-value]


class _Tally:
    """A task's rows per table and its counts, turned into its summary."""

    def __init__(self, step: str, part: Partition) -> None:
        self.step, self.part = step, part
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.counts = {"records": 0, "errors": 0}
        self.started, self.cpu, self.clock = time.monotonic(), time.process_time(), time.time()

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)

    def error(self, record: Record, error: InputError) -> None:
        row = None if error.source == self.part.url else record.row  # None: the whole file
        self.add(tables.ERRORS, tables.error_row(self.part.pid, self.part.url, row, error.problem))
        self.counts["errors"] += 1

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def finish(self, job: Job, written: tuple[str, ...]) -> dict[str, Any]:
        """Write every table of `written` (an empty one too: the dataset keeps its columns),
        then the done marker; return the summary."""
        out, schemas = Output(job.out), tables.schemas()
        counts = {table: out.write_table(table, self.part.pid, self.rows.get(table, []), schemas[table])
                  for table in written}
        summary = {"pid": self.part.pid, "step": self.step, **self.counts, "rows": counts,
                   "seconds": time.monotonic() - self.started, "cpu_seconds": time.process_time() - self.cpu,
                   "began": self.clock, "ended": time.time()}  # wall clock: a run's makespan across workers
        out.mark_done(self.step, self.part.pid, summary)
        return summary


def _articles(tally: _Tally, job: Job) -> list[tuple[Record, Article]]:
    """The partition's readable records; the others go to the errors table."""
    good = []
    for record in read_partition(tally.part, job.column_map, job.outlet):
        tally.count("records")
        if isinstance(record.item, InputError):
            tally.error(record, record.item)
        else:
            good.append((record, record.item))
    return good


# ------------------------------------------------------------------------ the tasks

def analyze_task(part: Partition, job: Job) -> dict[str, Any]:
    """The deep tier over one partition: the tables `parallax analyze` + export give."""
    tally = _Tally(ANALYZE, part)
    good = _articles(tally, job)
    pipeline = models(job).pipeline()
    for (record, article), result in zip(good, pipeline.analyze_many([article for _, article in good])):
        if isinstance(result, InputError):
            tally.error(record, result)
            continue
        tally.add("articles", tables.article_row(article, deep=True))
        for table, found in tables.span_rows(result).items():
            tally.rows.setdefault(table, []).extend(found)
        tally.count("analysed")
    return tally.finish(job, ("articles", *tables.SPAN_TABLES, tables.ERRORS))


def sketch_task(part: Partition, job: Job) -> dict[str, Any]:
    """The cheap tier over one partition: English check, duplicate fingerprint and story
    signature of each article (one batched encoder call for the titles and leads)."""
    from parallax.corpus.dedup import fingerprint
    from parallax.corpus.language import check_language
    from parallax.corpus.signatures import lead_vectors, signature_of

    tally = _Tally(SKETCH, part)
    models(job)  # the encoder is loaded: fail here, not in the middle, if it is not
    english = []
    for record, article in _articles(tally, job):
        if check_language(article.text).english:
            english.append((record, article))
        else:
            tally.count("not_english")
    leads, vectors = lead_vectors([article for _, article in english], job.config.encoder,
                                  job.config.thread_count())
    for (record, article), lead, vector in zip(english, leads, vectors):
        tally.add(tables.SIGNATURES, tables.signature_row(record.position, signature_of(article, lead, vector)))
        tally.add(tables.FINGERPRINTS, tables.fingerprint_row(record.position, article, fingerprint(article.text)))
        tally.count("english")
    return tally.finish(job, (tables.SIGNATURES, tables.FINGERPRINTS, tables.ERRORS))


def articles_task(part: Partition, job: Job, copies: dict[int, tuple[str, str, float]],
                  repeated: frozenset[int]) -> dict[str, Any]:
    """The articles rows of an ingest: the partition's English records (those with a
    fingerprint) but the repeats of an id seen earlier, with the original each copies
    (`copies`: position -> (original id, kind, similarity))."""
    import pyarrow.parquet as pq

    from parallax.corpus.dedup import Duplicate

    tally = _Tally(ARTICLES, part)
    out = Output(job.out)
    with out.fs.open(out.path(tables.FINGERPRINTS, f"part-{part.pid}.parquet"), "rb") as handle:
        english = set(pq.read_table(handle, columns=["position"]).column("position").to_pylist())
    for record in read_partition(part, job.column_map, job.outlet):
        if isinstance(record.item, Article) and record.position in english and record.position not in repeated:
            copy = copies.get(record.position)
            tally.add("articles", tables.article_row(record.item, Duplicate(*copy) if copy else None))
            tally.count("stored")
    return tally.finish(job, ("articles",))


def noop_task(number: int) -> int:
    """A task that does nothing: bench/dask_scale.py times the scheduler with it."""
    return number


__all__ = ["ANALYZE", "ARTICLES", "Job", "ModelsPlugin", "SKETCH", "analyze_task", "articles_task", "models",
           "noop_task", "sketch_task"]
