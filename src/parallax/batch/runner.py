"""Run a batch tier on a Dask cluster: plan, skip what is finished, run the rest, report.

    report = run_batch(BatchRequest("analyze", ["corpus/*.jsonl"], "out/"), log=print)

    analyze   partitions -> `analyze` tasks (deep tier)
    ingest    partitions -> `sketch` tasks (cheap tier) -> duplicates decided on the client
              -> `articles` tasks (the articles rows, with their duplicates)
    stories   ingest, then the signatures grouped on the client in publication order

Every task is a future of distributed (no scheduler of ours): the scheduler places it, a
worker that dies is replaced by its nanny and the scheduler reruns its tasks elsewhere,
and a task that fails with an exception is retried TASK_RETRIES times, then reported
(its partition stays unfinished, for the next run).
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from parallax.batch import rows as tables
from parallax.batch.cluster import LOCAL, connect
from parallax.batch.inputs import DEFAULT_RECORDS, Partition, expand, plan
from parallax.batch.output import MANIFEST_VERSION, Output
from parallax.batch.worker import ANALYZE, ARTICLES, SKETCH, Job, ModelsPlugin, analyze_task, articles_task, sketch_task
from parallax.config import Config
from parallax.corpus.dedup import EXACT, NEAR
from parallax.corpus.sources import ColumnMap
from parallax.errors import InputError, UsageError

if TYPE_CHECKING:
    from distributed import Client

TIERS = ("analyze", "ingest", "stories")
# Retries of a task that raised (a flaky object store, say): a deterministic failure
# repeats once more and is reported. A worker that dies is another matter: the scheduler
# reruns its tasks up to distributed's `allowed-failures` (3) times.
TASK_RETRIES = 1
# The Config settings that change results: a resumed run must have the same ones.
RESULT_SETTINGS = ("spacy_model", "encoder", "technique_model", "techniques", "threshold")
# The name of the client-side errors file (whole files that cannot be read).
INPUT_ERRORS_PART = "inputs"

Log = Callable[[str], None]


@dataclass(frozen=True)
class BatchRequest:
    """One `parallax batch` command."""

    tier: str
    inputs: list[str]
    out: str
    config: Config = field(default_factory=Config)
    column_map: ColumnMap = ColumnMap()
    outlet: str | None = None
    partition_size: int = DEFAULT_RECORDS
    scheduler: str = LOCAL
    workers: int | None = None
    threads_per_worker: int = 1


@dataclass
class BatchReport:
    """What a run did; `skipped` partitions were finished by an earlier run."""

    tier: str
    out: str
    partitions: int = 0
    skipped: int = 0
    records: int = 0
    errors: int = 0  # bad records and unreadable files
    not_english: int = 0  # ingest: records skipped, as `parallax ingest` skips them
    failed: list[str] = field(default_factory=list)  # partitions whose task failed
    rows: dict[str, int] = field(default_factory=dict)
    exact: int = 0
    near: int = 0
    stories: int = 0
    seconds: float = 0.0
    task_seconds: float = 0.0  # wall time inside tasks, summed
    cpu_seconds: float = 0.0  # CPU time of the worker processes inside tasks, summed
    grouping_seconds: float = 0.0  # the client's online grouping (stories)
    duplicate_seconds: float = 0.0  # the duplicate pass: value counts on the cluster, decisions here

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.failed else 0


def run_batch(request: BatchRequest, log: Log | None = None) -> BatchReport:
    """Run `request` (see the module docstring); `log` gets the cluster, progress-free notes
    and each error as it is found. Raises UsageError for arguments that cannot work."""
    if request.tier not in TIERS:
        raise UsageError(f"unknown batch tier {request.tier!r}; valid: {', '.join(TIERS)}")
    if request.partition_size < 1:
        raise UsageError("--partition-size must be at least 1")
    say = log or (lambda message: None)
    started = time.monotonic()
    report = BatchReport(request.tier, request.out)
    out = Output(request.out)
    partitions = _prepare(request, out, report, say)
    if not partitions:  # every input failed to read (each reported): nothing to run
        report.seconds = time.monotonic() - started
        return report
    config = request.config.replace(cache=False, store=None, threads=request.config.threads or 1)
    deep = request.tier == "analyze"
    job = Job(request.out, config, f"parallax-{'deep' if deep else 'cheap'}-{uuid.uuid4().hex[:8]}",
              request.column_map, request.outlet)
    pending = _pending(out, ANALYZE if deep else SKETCH, partitions)
    if deep and not pending:  # all finished before: nothing needs a cluster
        _step(None, ANALYZE, analyze_task, partitions, job, out, report, say)
    else:
        with connect(request.scheduler, request.workers, request.threads_per_worker, log=say) as client, \
                _models(client, ModelsPlugin(config, deep), job.plugin, load=bool(pending)):
            if deep:
                _step(client, ANALYZE, analyze_task, partitions, job, out, report, say)
            else:
                _ingest(client, partitions, job, out, report, say)
    report.seconds = time.monotonic() - started
    return report


def _prepare(request: BatchRequest, out: Output, report: BatchReport, say: Log) -> list[Partition]:
    """The partitions of the inputs, the manifest checked (a resumed run) or written, and
    the files that cannot be read reported and tabled."""
    out.create()
    files, errors = expand(list(request.inputs))
    partitions, unreadable = plan(files, request.partition_size, request.column_map)
    errors += unreadable
    settings = {name: getattr(request.config, name) for name in RESULT_SETTINGS}
    manifest = {"version": MANIFEST_VERSION, "family": "analyze" if request.tier == "analyze" else "ingest",
                "settings": {**settings, "map": dict(request.column_map.columns), "outlet": request.outlet},
                "partitions": [[p.pid, p.url, p.start, p.stop, p.records] for p in partitions]}
    if not out.check_manifest(manifest):
        out.write_manifest(manifest)
    out.remove_temporaries()
    for error in errors:
        say(f"parallax: error: {error}")
    out.write_table(tables.ERRORS, INPUT_ERRORS_PART, [tables.error_row(None, e.source, None, e.problem) for e in errors],
                    tables.schemas()[tables.ERRORS])
    report.errors += len(errors)
    report.rows[tables.ERRORS] = len(errors)
    report.partitions = len(partitions)
    if not partitions and not errors:
        raise UsageError("the inputs hold no records")
    return partitions


def _pending(out: Output, step: str, partitions: list[Partition]) -> list[Partition]:
    done = out.done(step)
    return [p for p in partitions if p.pid not in done]


@contextmanager
def _models(client: Client, plugin: ModelsPlugin, name: str, load: bool) -> Iterator[None]:
    """The models loaded on every worker (and each worker that joins later) while the
    tasks that need them run; `load` False: no task does."""
    if not load:
        yield
        return
    try:
        client.register_plugin(plugin, name=name)
    except Exception as error:  # noqa: BLE001 - a worker's failure comes back as its own type
        raise UsageError(f"the Dask workers cannot load parallax's models ({type(error).__name__}: {error}); "
                         "every worker needs parallax with the pinned requirements.lock and the model "
                         "packages installed (see README, Batch on a cluster)") from None
    try:
        yield
    finally:
        try:
            client.unregister_worker_plugin(name)
        except Exception:  # noqa: BLE001 - a cluster going away must not hide the run's own error
            pass


def _ingest(client: Client, partitions: list[Partition], job: Job, out: Output, report: BatchReport,
            say: Log) -> None:
    from parallax.batch.duplicates import resolve

    _step(client, SKETCH, sketch_task, partitions, job, out, report, say)
    if report.failed:
        say(f"parallax: error: {len(report.failed)} partitions failed; duplicates and stories need every "
            "partition: fix the cause and run the same command again (finished partitions are kept)")
        return
    if not partitions:
        return
    started = time.monotonic()
    resolution = resolve(out)
    report.duplicate_seconds = time.monotonic() - started
    report.exact, report.near = resolution.count(EXACT), resolution.count(NEAR)
    copies = {p.pid: resolution.for_range(p.position, p.position + p.records) for p in partitions}
    _step(client, ARTICLES, articles_task, partitions, job, out, report, say,
          extra=lambda p: dict(zip(("copies", "repeated"), copies[p.pid])), count_records=False)
    if report.tier == "stories" and not report.failed:
        from parallax.batch.stories import group_stories

        grouping = group_stories(out, resolution.repeated)
        report.stories, report.grouping_seconds = grouping.stories, grouping.seconds
        report.rows["stories"], report.rows["story_articles"] = grouping.stories, grouping.articles


def _step(client: Client | None, step: str, task: Callable[..., dict[str, Any]], partitions: list[Partition], job: Job,
          out: Output, report: BatchReport, say: Log, extra: Callable[[Partition], dict[str, Any]] | None = None,
          count_records: bool = True) -> None:
    """Run `task` over the partitions not finished yet, with progress; fold the summaries
    (also those of partitions finished before) into `report`."""
    from distributed import as_completed

    from parallax.progress import Progress

    done = out.done(step)
    todo = [p for p in partitions if p.pid not in done]
    assert client is not None or not todo
    if count_records:
        report.skipped = len(partitions) - len(todo)
    for summary in done.values():
        _fold(report, summary, count_records)
    token = uuid.uuid4().hex[:8]
    futures = {client.submit(task, part, job, **(extra(part) if extra else {}), key=f"parallax-{step}-{part.pid}-{token}",
                             pure=False, retries=TASK_RETRIES): part for part in todo}
    with Progress(_VERBS[step], total=sum(p.records for p in todo)) as progress:
        for future in as_completed(futures):
            part = futures[future]
            try:
                summary = future.result()
            except Exception as error:  # noqa: BLE001 - reported per partition; the others go on
                report.failed.append(part.pid)
                progress.log(f"parallax: error: {part.describe()}: {step} failed: {_failure(error)}")
                _advance(progress, part.records, part.records)
                continue
            _fold(report, summary, count_records)
            _advance(progress, summary["records"], summary["errors"])


_VERBS = {ANALYZE: "analyzed", SKETCH: "ingested", ARTICLES: "written"}


def _fold(report: BatchReport, summary: dict[str, Any], count_records: bool) -> None:
    if count_records:
        report.records += summary["records"]
        report.errors += summary["errors"]
        report.not_english += summary.get("not_english", 0)
    report.task_seconds += summary["seconds"]
    report.cpu_seconds += summary["cpu_seconds"]
    for table, rows in summary["rows"].items():
        report.rows[table] = report.rows.get(table, 0) + rows


def _advance(progress: Any, records: int, errors: int) -> None:
    for number in range(records):
        progress.advance(ok=number >= errors)


def _failure(error: BaseException) -> str:
    from distributed.scheduler import KilledWorker

    if isinstance(error, KilledWorker):
        return "its workers died every time it ran (out of memory? see the worker logs)"
    if isinstance(error, InputError):
        return error.problem
    return f"{type(error).__name__}: {error}"


__all__ = ["BatchReport", "BatchRequest", "TASK_RETRIES", "TIERS", "run_batch"]
