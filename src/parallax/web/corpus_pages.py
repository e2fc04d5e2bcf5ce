"""The corpus pages of a served store: /stories, /stories/{id}, /outlets, /outlets/{name},
/quotes. The queries live in web.corpus_views, shared with the JSON API."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from parallax.errors import UsageError
from parallax.web.corpus_views import (
    SORTS,
    StoryQuery,
    corpus_store,
    outlet_profiles_cached,
    story_comparison_articles,
    story_rows,
    tracked_quotes,
)
from parallax.web.pages import lookup, message_page, submit_comparison
from parallax.web.settings import PAGE_ROWS
from parallax.web.state import AppState, state
from parallax.web.views import page, profile_charts

router = APIRouter(include_in_schema=False)


def _no_corpus(app: AppState) -> Response | None:
    if app.settings.corpus is None:
        return message_page("No corpus", "this server was started without a corpus store; start it with "
                                         "`parallax serve --store DB` (a store `parallax ingest` filled)", 404)
    return None


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request, q: str = "", since: str = "", until: str = "", outlet: str = "",
            sort: str = "size", page_number: int = 1) -> Response:
    app = state(request)
    if (missing := _no_corpus(app)) is not None:
        return missing
    query = StoryQuery.checked(q, since, until, outlet, sort)
    with corpus_store(app) as store:
        rows = story_rows(store, query)
    first = max(0, (page_number - 1) * PAGE_ROWS)
    return HTMLResponse(page("stories.html.j2", query=query, rows=rows[first:first + PAGE_ROWS], total=len(rows),
                             page_number=max(1, page_number), pages=max(1, -(-len(rows) // PAGE_ROWS)),
                             sorts=SORTS))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: str) -> Response:
    app = state(request)
    if (missing := _no_corpus(app)) is not None:
        return missing
    try:
        with corpus_store(app) as store:
            members, compared = story_comparison_articles(store, story_id)
    except UsageError as error:
        return message_page("Not found", str(error), 404)
    context = {"story_id": story_id, "members": members, "compared": compared}
    if len(compared) < 2:
        return HTMLResponse(page("story.html.j2", body=None, **context))
    job = submit_comparison(app, compared, one_story=True)
    found = lookup(app, job.id, what="story comparison")
    if isinstance(found, Response):
        return found
    return HTMLResponse(page("story.html.j2", body=Markup(found.body), permalink=found.id, **context))


@router.get("/outlets", response_class=HTMLResponse)
def outlets(request: Request) -> Response:
    app = state(request)
    if (missing := _no_corpus(app)) is not None:
        return missing
    return HTMLResponse(page("outlets.html.j2", profiles=outlet_profiles_cached(app)))


@router.get("/outlets/{name}", response_class=HTMLResponse)
def outlet(request: Request, name: str) -> Response:
    app = state(request)
    if (missing := _no_corpus(app)) is not None:
        return missing
    profile = next((p for p in outlet_profiles_cached(app) if p.outlet == name), None)
    if profile is None:
        return message_page("Not found", f"no outlet {name[:80]!r} in this corpus; see the outlets page", 404)
    return HTMLResponse(page("outlet.html.j2", profile=profile, charts=profile_charts(profile)))


@router.get("/quotes", response_class=HTMLResponse)
def quotes(request: Request, speaker: str = "") -> Response:
    app = state(request)
    if (missing := _no_corpus(app)) is not None:
        return missing
    try:
        found, tracked = tracked_quotes(app, speaker.strip() or None)
    except UsageError as error:  # no deep-analysed article yet
        return message_page("No quotes yet", str(error), 404)
    return HTMLResponse(page("quotes.html.j2", quotes=found[:PAGE_ROWS], total=len(found), tracked=tracked,
                             speaker=speaker))


__all__ = ["router"]
