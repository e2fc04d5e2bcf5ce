"""The web app's bounded job queue: one job per id, 503 when full, errors kept on the job."""
from __future__ import annotations

import threading

import pytest

from parallax.errors import InputError
from parallax.web.jobs import DONE, FAILED, JobQueue, QueueFull


def test_the_same_id_submitted_twice_is_one_job() -> None:
    queue = JobQueue(limit=4, memory=10)
    release = threading.Event()
    runs = []

    def work(job):
        runs.append(job.id)
        release.wait(5)
        return "result"

    first = queue.submit("a", 1, work)
    second = queue.submit("a", 1, work)
    release.set()
    assert first is second and first.future.result(5) == "result"
    queue.close()
    assert runs == ["a"] and first.state == DONE


def test_a_full_queue_refuses_with_a_retry_time_and_keeps_what_it_accepted() -> None:
    queue = JobQueue(limit=2, memory=10)
    release = threading.Event()
    accepted = [queue.submit(name, 1, lambda job: release.wait(5) and job.id) for name in ("a", "b")]
    with pytest.raises(QueueFull) as refused:
        queue.submit("c", 1, lambda job: job.id)
    assert refused.value.retry_after >= 1 and "retry in" in str(refused.value)
    assert refused.value.http_status == 503
    release.set()
    assert [job.future.result(5) for job in accepted] == ["a", "b"]
    queue.submit("c", 1, lambda job: job.id).future.result(5)  # room again
    queue.close()


def test_a_failed_job_keeps_its_message_and_the_worker_goes_on() -> None:
    queue = JobQueue(limit=4, memory=10)

    def broken(job):
        raise InputError("article 2", "the text is empty; expected an article body")

    failed = queue.submit("bad", 2, broken)
    good = queue.submit("good", 1, lambda job: 42)
    assert good.future.result(5) == 42
    assert failed.state == FAILED and failed.error == "article 2: the text is empty; expected an article body"
    again = queue.submit("bad", 2, lambda job: "fixed")  # a failed id may be retried
    assert again is not failed and again.future.result(5) == "fixed"
    queue.close()


def test_progress_counts_articles_then_names_the_stage() -> None:
    queue = JobQueue(limit=1, memory=10)
    seen = []

    def work(job):
        job.advance()
        job.advance()
        seen.append(job.status()["stage"])
        job.advance("comparing the articles")
        seen.append(job.status()["stage"])

    job = queue.submit("p", 2, work)
    job.future.result(5)
    queue.close()
    assert seen == ["analysed 2 of 2 articles", "comparing the articles"]
    assert job.status() == {"id": "p", "state": DONE, "done": 2, "total": 2, "stage": "done", "error": None}


def test_only_the_newest_finished_jobs_are_remembered() -> None:
    queue = JobQueue(limit=1, memory=2)
    for name in "abcd":
        queue.submit(name, 1, lambda job: None).future.result(5)
    queue.submit("e", 1, lambda job: None).future.result(5)
    queue.close()
    assert queue.get("a") is None and queue.get("b") is None and queue.get("d") is not None


def test_close_runs_the_last_step_on_the_worker_thread() -> None:
    queue = JobQueue(limit=1, memory=2)
    worker = queue.submit("w", 1, lambda job: threading.get_ident()).future.result(5)
    closed_on = []
    queue.close(last=lambda: closed_on.append(threading.get_ident()))
    assert closed_on == [worker]


def test_a_finished_job_takes_no_place_in_a_full_queue() -> None:
    queue = JobQueue(limit=0, memory=2)
    job = queue.finished("stored", 2, "stored")
    assert job.state == DONE and job.future.result(0) == "stored" and queue.pending() == 0
    queue.close()
