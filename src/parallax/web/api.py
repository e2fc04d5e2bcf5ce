"""The JSON API: the same documents as the CLI's JSON (one schema, `parallax schema`).

    GET  /api/health              models loaded, queue, corpus
    POST /api/analyze             {"articles": [{"text", "title"?, "outlet"?, "published"?}]}
    POST /api/compare             the same, 2..10 articles; the permalink in Content-Location
    GET  /api/jobs/{id}           a job's progress (the progress page polls it)
    GET  /api/stories             `parallax stories --format json` (q, since, until, outlet, sort)
    GET  /api/stories/{id}        `parallax story ID --format json`
    GET  /api/outlets             `parallax outlets --format json`

Analyses and comparisons go through the bounded job queue like the pages' (503 with
Retry-After when it is full); the request waits for its job without holding a thread.
"""
from __future__ import annotations

import asyncio
import secrets
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from parallax import __version__
from parallax.errors import UsageError
from parallax.model import Article
from parallax.store.comparisons import ID_CHARS, get_comparison
from parallax.web.corpus_views import (
    MAX_QUERY_CHARS,
    StoryQuery,
    corpus_store,
    outlet_profiles_cached,
    story_comparison_articles,
    story_record,
    story_rows,
)
from parallax.web.forms import AnalyzeRequest, CompareRequest, api_articles
from parallax.web.jobs import FAILED, Job
from parallax.web.pages import PERMALINK, submit_comparison
from parallax.web.state import AppState, state

router = APIRouter(prefix="/api", tags=["api"])

NOT_FOUND = {404: {"description": "no such item"}}
BUSY = {503: {"description": "the queue is full; retry after Retry-After seconds"}}
BAD = {400: {"description": "an article or field cannot be used; the message says which and why"}}


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    app = state(request)
    return {"status": "ok", "version": __version__, "models_loaded": True,
            "queue": {"pending": app.queue.pending(), "limit": app.queue.limit},
            "corpus": app.settings.corpus is not None}


@router.post("/analyze", responses={**BAD, **BUSY})
async def analyze(request: Request, body: AnalyzeRequest) -> JSONResponse:
    app = state(request)
    articles = _articles(body.articles)
    job = app.queue.submit(_fresh_id(), len(articles), lambda job: app.worker.analyze(job, articles))
    return JSONResponse(await _result(job))


@router.post("/compare", responses={**BAD, **BUSY})
async def compare(request: Request, body: CompareRequest) -> Response:
    app = state(request)
    job = submit_comparison(app, _articles(body.articles))
    return await _comparison_response(app, job)


@router.get("/jobs/{job_id}", responses=NOT_FOUND)
def job_status(request: Request, job_id: str) -> JSONResponse:
    app = state(request)
    job = app.queue.get(job_id) if PERMALINK.fullmatch(job_id) else None
    if job is not None:
        return JSONResponse(job.status())
    with app.store() as store:
        if PERMALINK.fullmatch(job_id) and get_comparison(store, job_id) is not None:
            return JSONResponse({"id": job_id, "state": "done", "stage": "done"})
    return JSONResponse({"detail": f"no job {job_id[:40]!r}"}, status_code=404)


@router.get("/stories", responses={**BAD, 404: NOT_FOUND[404]})
def stories(request: Request, q: str = Query("", max_length=MAX_QUERY_CHARS), since: str = "", until: str = "",
            outlet: str = "", sort: str = "size") -> JSONResponse:
    app = state(request)
    _need_corpus(app)
    query = StoryQuery.checked(q, since, until, outlet, sort)
    with corpus_store(app) as store:
        return JSONResponse([story_record(store, row) for row in story_rows(store, query)])


@router.get("/stories/{story_id}", responses={**NOT_FOUND, **BUSY})
async def story(request: Request, story_id: str) -> Response:
    app = state(request)
    _need_corpus(app)
    try:
        with corpus_store(app) as store:
            _, compared = story_comparison_articles(store, story_id)
    except UsageError as error:
        return JSONResponse({"detail": str(error)}, status_code=404)
    if len(compared) < 2:
        return JSONResponse({"detail": f"story {story_id} has {len(compared)} outlet(s); a comparison needs 2"},
                            status_code=404)
    return await _comparison_response(app, submit_comparison(app, compared, one_story=True))


@router.get("/outlets", responses=NOT_FOUND)
def outlets(request: Request) -> JSONResponse:
    app = state(request)
    _need_corpus(app)
    return JSONResponse([asdict(profile) for profile in outlet_profiles_cached(app)])


def _articles(items) -> list[Article]:
    parsed = api_articles(items)
    if parsed.errors:
        raise UsageError("; ".join(parsed.errors))
    return parsed.articles


def _need_corpus(app: AppState) -> None:
    if app.settings.corpus is None:
        raise CorpusMissing()


class CorpusMissing(UsageError):
    http_status = 404

    def __init__(self) -> None:
        super().__init__("this server was started without a corpus store (`parallax serve --store DB`)")


async def _result(job: Job) -> Any:
    """The job's result, once it is done; its error as a 400 naming the article."""
    if not job.future.done():
        await asyncio.wrap_future(job.future)
    if job.state == FAILED:
        raise UsageError(job.error or "the analysis failed")
    return job.result


async def _comparison_response(app: AppState, job: Job) -> Response:
    await _result(job)
    with app.store() as store:
        stored = get_comparison(store, job.id)
    if stored is None:  # stored by another process (--workers) a moment ago, or lost: say so
        return JSONResponse({"detail": "the comparison was not stored; retry"}, status_code=503,
                            headers={"retry-after": "1"})
    return Response(stored.document, media_type="application/json",
                    headers={"content-location": f"/compare/{stored.id}"})


def _fresh_id() -> str:
    return secrets.token_hex(ID_CHARS // 2)


__all__ = ["router"]
