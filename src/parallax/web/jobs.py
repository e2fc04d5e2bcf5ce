"""A bounded queue of heavy work (analyses, comparisons) run on one worker thread.

The Pipeline is not shared between threads (its store connection and spaCy are not meant
for it), so each app process runs its jobs one at a time on one thread, with the models
already loaded. At most `limit` jobs wait or run; one more is refused with QueueFull, which
the app turns into 503 with Retry-After, so a flood costs the client a retry and never the
server its memory or an accepted result: a job once accepted always finishes (its result in
the store, or its error on the job).

A job has an id: the same work submitted twice (two tabs, a double click) is one job.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from parallax.errors import ParallaxError

JobState = Literal["queued", "running", "done", "failed"]
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"

# A first guess of a job's seconds before any has run (a warm two-article comparison).
FIRST_ESTIMATE_S = 3.0
# Weight of the newest job in the running mean of job seconds (Retry-After's estimate).
ESTIMATE_WEIGHT = 0.3


class QueueFull(ParallaxError):
    """Every place in the queue is taken; retry after `retry_after` seconds."""

    http_status = 503

    def __init__(self, limit: int, retry_after: int) -> None:
        super().__init__(f"the server is busy: {limit} analyses are already queued; retry in {retry_after} s")
        self.retry_after = retry_after


@dataclass
class Job:
    """One piece of heavy work and how far it got (what the progress page shows)."""

    id: str
    total: int  # articles to analyse
    state: JobState = QUEUED
    done: int = 0  # articles analysed so far
    stage: str = "waiting for the worker"
    error: str | None = None
    result: Any = None
    future: Future = field(default_factory=Future, repr=False)

    def advance(self, stage: str | None = None) -> None:
        """Called by the work as it goes: one more article analysed, or a new stage."""
        if stage is None:
            self.done += 1
            self.stage = f"analysed {self.done} of {self.total} articles"
        else:
            self.stage = stage

    def status(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "done": self.done, "total": self.total,
                "stage": self.stage, "error": self.error}


Work = Callable[[Job], Any]


class JobQueue:
    """Runs submitted work on one thread, at most `limit` jobs queued or running."""

    def __init__(self, limit: int, memory: int) -> None:
        self.limit = limit
        self.memory = memory
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parallax-web-worker")
        self._mean_seconds = FIRST_ESTIMATE_S

    def submit(self, job_id: str, total: int, work: Work) -> Job:
        """The job `job_id`: the one already queued, running or done, else a new one
        running `work(job)`. Raises QueueFull when `limit` jobs are unfinished."""
        with self._lock:
            known = self._jobs.get(job_id)
            if known is not None and known.state != FAILED:
                return known
            pending = self.pending()
            if pending >= self.limit:
                raise QueueFull(self.limit, max(1, round(self._mean_seconds * pending)))
            job = Job(job_id, total)
            self._jobs[job_id] = job
            self._jobs.move_to_end(job_id)
            job.future = self._executor.submit(self._run, job, work)
            self._forget_old()
            return job

    def finished(self, job_id: str, total: int, result: Any = None) -> Job:
        """A job that is already done (its result was stored before): no queue place taken,
        so a cached comparison is answered at once however busy the worker is."""
        job = Job(job_id, total, state=DONE, done=total, stage="done", result=result)
        job.future.set_result(result)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def pending(self) -> int:
        return sum(job.state in (QUEUED, RUNNING) for job in self._jobs.values())

    def close(self, last: Callable[[], None] | None = None) -> None:
        """Finish what was accepted, run `last` on the worker thread (what the work opened
        there is closed there: SQLite connections stay on their thread), then stop."""
        if last is not None:
            self._executor.submit(last)
        self._executor.shutdown(wait=True)

    def _run(self, job: Job, work: Work) -> Any:
        job.state, job.stage = RUNNING, "starting"
        started = time.monotonic()
        try:
            job.result = work(job)
        except Exception as error:  # noqa: BLE001 - reported on the job, the worker goes on
            job.state, job.error, job.stage = FAILED, _message(error), "failed"
            return None
        finally:
            self._mean_seconds += ESTIMATE_WEIGHT * (time.monotonic() - started - self._mean_seconds)
        job.state, job.stage = DONE, "done"
        return job.result

    def _forget_old(self) -> None:
        """Keep at most `memory` finished jobs (their results are in the store)."""
        finished = [key for key, job in self._jobs.items() if job.state in (DONE, FAILED)]
        for key in finished[:max(0, len(finished) - self.memory)]:
            del self._jobs[key]


def _message(error: Exception) -> str:
    if isinstance(error, ParallaxError):
        return str(error)
    return f"the analysis failed ({type(error).__name__}: {error})"


__all__ = ["DONE", "FAILED", "Job", "JobQueue", "JobState", "QUEUED", "QueueFull", "RUNNING"]
