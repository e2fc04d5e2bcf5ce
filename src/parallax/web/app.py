"""The FastAPI app: `create_app(settings)`; `parallax serve` runs it under uvicorn.

    from parallax.web import WebSettings, create_app
    app = create_app(WebSettings(corpus=Path("corpus.db")))

At start-up (the lifespan) the corpus's story grouping is extended with new ingests and
the Worker loads every model, so the first request is served
warm, and the job queue starts; at shutdown the queue finishes what it accepted. Pages are
in web.pages and web.corpus_pages, the JSON API in web.api; every response carries the
security headers and every request body is capped (web.security).
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from parallax import __version__
from parallax.errors import ParallaxError
from parallax.web import api, corpus_pages, pages
from parallax.web.jobs import JobQueue, QueueFull
from parallax.web.pages import message_page
from parallax.web.security import BodyLimit, SecurityHeaders
from parallax.web.settings import JOB_MEMORY, WebSettings
from parallax.web.state import AppState
from parallax.web.work import Worker

# Files served under /static/: a fixed table, so no request names a path on disk.
ASSETS = {
    "app.css": ("parallax.web", "static/app.css", "text/css"),
    "app.js": ("parallax.web", "static/app.js", "text/javascript"),
    "favicon.svg": ("parallax.web", "static/favicon.svg", "image/svg+xml"),
    "report.css": ("parallax.report", "templates/report.css", "text/css"),
    "report.js": ("parallax.report", "templates/report.js", "text/javascript"),
}
# Browsers may keep the assets an hour: they change only with a new Parallax.
ASSET_CACHE = "public, max-age=3600"


def create_app(settings: WebSettings | None = None) -> FastAPI:
    settings = settings if settings is not None else WebSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.corpus is not None:
            _group_new(settings)
        worker = Worker(settings)
        queue = JobQueue(settings.queue_limit, JOB_MEMORY)
        app.state.parallax = AppState(settings, worker, queue)
        try:
            yield
        finally:
            queue.close(last=worker.close)

    app = FastAPI(title="Parallax", summary="How news outlets cover the same story differently",
                  version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    _add_routes(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(QueueFull, _busy)
    app.add_exception_handler(ParallaxError, _bad_request)
    return app


def _group_new(settings: WebSettings) -> None:
    """Extend the corpus's story grouping with what was ingested since (as `parallax
    stories` does), so the pages list every article."""
    from parallax.store import open_existing
    from parallax.store.stories import group_new

    assert settings.corpus is not None
    with open_existing(settings.corpus) as store:
        group_new(store)


def app_factory() -> FastAPI:
    """The app from the resolved Config alone (defaults < file < PARALLAX_* environment):
    what each of uvicorn's worker processes builds under `parallax serve --workers N`. The
    Config's store, when one is named, is the served corpus."""
    from parallax.config import Config

    return create_app(WebSettings.from_config(Config.resolve()))


def _add_routes(app: FastAPI) -> None:
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(corpus_pages.router)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:  # what browsers ask for before they read a page's <link rel="icon">
        return asset("favicon.svg")

    @app.get("/static/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        if name not in ASSETS:
            return Response("no such asset", status_code=404, media_type="text/plain")
        package, path, media = ASSETS[name]
        body = resources.files(package).joinpath(path).read_bytes()
        return Response(body, media_type=media, headers={"cache-control": ASSET_CACHE})


async def _busy(request: Request, error: Exception) -> Response:
    assert isinstance(error, QueueFull)
    headers = {"retry-after": str(error.retry_after)}
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": str(error)}, status_code=503, headers=headers)
    return message_page("Busy", str(error), 503, headers)


async def _bad_request(request: Request, error: Exception) -> Response:
    status = getattr(error, "http_status", 400)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": str(error)}, status_code=status)
    return message_page("Cannot do that", str(error), status)


__all__ = ["ASSETS", "app_factory", "create_app"]
