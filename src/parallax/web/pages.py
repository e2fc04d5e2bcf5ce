"""The paste-and-compare pages: `/`, `POST /compare`, `/compare/{id}` and its downloads.

A submitted comparison becomes a job (web.jobs) whose id is its permalink; the browser is
sent to `/compare/{id}` at once, which shows the job's progress (refreshing itself, and
polling /api/jobs/{id} when script runs) until the comparison is stored, then shows it.
"""
from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import UploadFile

from parallax.errors import InputError
from parallax.model import Article
from parallax.store.comparisons import ID_CHARS, StoredComparison, get_comparison
from parallax.web.forms import MAX_FIELD_CHARS, PastedArticle, Parsed, pasted_article, upload_articles
from parallax.web.jobs import FAILED, Job
from parallax.web.settings import MIN_ARTICLES
from parallax.web.state import AppState, state
from parallax.web.views import page, standalone_report

router = APIRouter(include_in_schema=False)

# A permalink id as comparison_id makes it; anything else is a 404 before any lookup.
PERMALINK = re.compile(rf"[0-9a-f]{{{ID_CHARS}}}")
# Seconds between refreshes of a progress page (without script; with it, polling is faster).
REFRESH_S = 2
# Article boxes shown open on the form; the rest, up to the limit, under "more articles".
OPEN_BOXES = 2


def message_page(title: str, message: str, status: int, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(page("message.html.j2", title=title, message=message), status_code=status, headers=headers)


def form_page(app: AppState, boxes: list[PastedArticle] | None = None, errors: list[str] | None = None,
              status: int = 200) -> HTMLResponse:
    limit = app.settings.max_articles
    boxes = (boxes or []) + [PastedArticle() for _ in range(limit)]
    return HTMLResponse(page("index.html.j2", boxes=boxes[:limit], open_boxes=OPEN_BOXES, errors=errors or [],
                             corpus=app.settings.corpus is not None, minimum=MIN_ARTICLES, limit=limit,
                             max_upload_mb=app.settings.max_upload_bytes // (1024 * 1024)),
                        status_code=status)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return form_page(state(request))


@router.post("/compare")
async def submit(request: Request) -> Response:
    app = state(request)
    form = await request.form(max_files=app.settings.max_articles, max_fields=4 * app.settings.max_articles + 8,
                              max_part_size=app.settings.max_body_bytes)
    boxes = [PastedArticle(_field(form, f"text_{n}", app.settings.max_body_bytes), _field(form, f"title_{n}"),
                           _field(form, f"outlet_{n}")) for n in range(1, app.settings.max_articles + 1)]
    parsed = Parsed()
    for number, box in enumerate(boxes, 1):
        if box.text.strip():
            parsed.add(lambda: [pasted_article(box, number)])
    for upload in form.getlist("files"):
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read(app.settings.max_upload_bytes + 1)
            parsed.add(lambda: upload_articles(upload.filename, data, app.settings.max_upload_bytes))
    problem = _count_problem(len(parsed.articles), app.settings.max_articles)
    if parsed.errors or problem:
        return form_page(app, boxes, parsed.errors + ([problem] if problem else []), status=400)
    job = submit_comparison(app, parsed.articles)
    return RedirectResponse(f"/compare/{job.id}", status_code=303)


def submit_comparison(app: AppState, articles: list[Article], one_story: bool = False) -> Job:
    """The comparison job of `articles` (the one already known, if any); `one_story`: they
    are a corpus story (see Pipeline.compare)."""
    permalink = app.worker.comparison_id(articles, one_story)
    with app.store() as store:
        if get_comparison(store, permalink) is not None:
            return app.queue.finished(permalink, len(articles), permalink)
    return app.queue.submit(permalink, len(articles), lambda job: app.worker.compare(job, articles, one_story))


@router.get("/compare/{permalink}", response_class=HTMLResponse)
def comparison(request: Request, permalink: str) -> Response:
    app = state(request)
    found = lookup(app, permalink)
    if isinstance(found, Response):
        return found
    return HTMLResponse(page("compare.html.j2", stored=found, body=Markup(found.body), title=_title(found)))


@router.get("/compare/{permalink}/download.json")
def download_json(request: Request, permalink: str) -> Response:
    found = lookup(state(request), permalink)
    if isinstance(found, Response):
        return found
    return Response(found.document, media_type="application/json",
                    headers={"content-disposition": f'attachment; filename="parallax-{found.id}.json"'})


@router.get("/compare/{permalink}/download.html")
def download_html(request: Request, permalink: str) -> Response:
    found = lookup(state(request), permalink)
    if isinstance(found, Response):
        return found
    return Response(standalone_report(found.body, _title(found)), media_type="text/html",
                    headers={"content-disposition": f'attachment; filename="parallax-{found.id}.html"'})


def lookup(app: AppState, permalink: str, what: str = "comparison") -> StoredComparison | Response:
    """The stored comparison, else the page to show instead: its progress while its job
    runs, its error when it failed, 404 when nothing of that id is known."""
    if not PERMALINK.fullmatch(permalink):
        return message_page("Not found", f"{permalink[:40]!r} is not a comparison id", 404)
    with app.store() as store:
        stored = get_comparison(store, permalink)
    if stored is not None:
        return stored
    job = app.queue.get(permalink)
    if job is None:
        return message_page("Not found", f"no {what} {permalink} is stored here; it may belong to "
                                         "another Parallax version or server", 404)
    if job.state == FAILED:
        return message_page("The analysis failed", job.error or "unknown error", 422)
    return progress_page(job, what)


def progress_page(job: Job, what: str) -> HTMLResponse:
    return HTMLResponse(page("progress.html.j2", job=job.status(), what=what, refresh=REFRESH_S),
                        headers={"refresh": str(REFRESH_S), "cache-control": "no-store"})


def _field(form, name: str, limit: int = MAX_FIELD_CHARS) -> str:
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    if len(value) > limit:
        raise InputError(name.replace("_", " "), f"is {len(value):,} characters; the limit is {limit:,}")
    return value


def _count_problem(count: int, limit: int) -> str | None:
    if count < MIN_ARTICLES:
        return (f"found {count} article{'s' if count != 1 else ''} to compare; paste or upload at least "
                f"{MIN_ARTICLES} (up to {limit})")
    if count > limit:
        return f"found {count} articles; a comparison takes at most {limit}"
    return None


def _title(stored: StoredComparison) -> str:
    return stored.title or "Comparison"


__all__ = ["OPEN_BOXES", "PERMALINK", "form_page", "lookup", "message_page", "progress_page", "router",
           "submit_comparison"]
