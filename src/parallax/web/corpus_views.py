"""Queries of a served corpus store, shared by its pages and the JSON API.

Outlet profiles and tracked quotes read the whole corpus, so each is computed once per
state of the store (its counts of articles, analyses and stories) and kept until the store
changes, instead of once per request.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from parallax.corpus.outlets import OutletProfile
from parallax.corpus.profiles import store_profiles
from parallax.corpus.quotes_command import MIN_OUTLETS, quote_record, select_quotes, track_quotes
from parallax.corpus.story_commands import representatives
from parallax.errors import UsageError
from parallax.model import Article
from parallax.store import Store, open_existing
from parallax.store.analyses import deep_fingerprint, no_analyses_error
from parallax.store.stories import StoryRow, list_stories, search_stories, story_members
from parallax.web.state import AppState

SORTS = {"size": "most articles first", "recent": "most recent first"}
# Characters of a search: a few words.
MAX_QUERY_CHARS = 200
_STORY_ID = re.compile(r"[0-9]{1,12}")

T = TypeVar("T")


@dataclass(frozen=True)
class StoryQuery:
    """A validated /stories query: words, date range, outlet, order."""

    words: str = ""
    since: str = ""
    until: str = ""
    outlet: str = ""
    sort: str = "size"

    @classmethod
    def checked(cls, words: str, since: str, until: str, outlet: str, sort: str) -> StoryQuery:
        """UsageError (a 400 naming the field and what is valid) for a bad field."""
        for name, value in (("since", since), ("until", until)):
            if value:
                try:
                    date.fromisoformat(value)
                except ValueError as error:
                    raise UsageError(f"{name}={value[:40]!r} is not a date; valid: YYYY-MM-DD") from error
        if sort not in SORTS:
            raise UsageError(f"sort={sort[:40]!r} is not an order; valid: {', '.join(SORTS)}")
        if len(words) > MAX_QUERY_CHARS:
            raise UsageError(f"the search is {len(words)} characters; the limit is {MAX_QUERY_CHARS}")
        return cls(words.strip(), since, until, outlet.strip(), sort)


def corpus_store(app: AppState) -> Store:
    assert app.settings.corpus is not None
    return open_existing(app.settings.corpus)


def story_rows(store: Store, query: StoryQuery) -> list[StoryRow]:
    rows = list_stories(store, query.since or None, query.until or None)
    if query.words:
        found = search_stories(store, query.words)
        rows = [row for row in rows if row.id in found]
    if query.outlet:
        rows = [row for row in rows if query.outlet in row.outlets]
    if query.sort == "recent":
        rows.sort(key=lambda row: row.last_seen or "", reverse=True)
    return rows


def story_record(store: Store, row: StoryRow) -> dict[str, Any]:
    """A story as `parallax stories --format json` prints it."""
    return {"id": row.id, "title": row.title, "first_seen": row.first_seen, "last_seen": row.last_seen,
            "outlets": row.outlets, "articles": story_members(store, row.id)}


def story_comparison_articles(store: Store, story_id: str) -> tuple[list[Article], list[Article]]:
    """A story's articles, and those its comparison takes (one per outlet, as `parallax
    story` does). UsageError for an id that is not a stored story."""
    if not _STORY_ID.fullmatch(story_id):
        raise UsageError(f"{story_id[:40]!r} is not a story id; valid: a number from the stories list")
    members = [a for a in map(store.get_article, story_members(store, story_id)) if a is not None]
    return members, representatives(members)


_cache: dict[str, tuple[tuple[int, ...], Any]] = {}
_cache_lock = threading.Lock()


def _store_state(store: Store) -> tuple[int, ...]:
    return tuple(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                 for table in ("articles", "analyses", "story_articles"))


def _cached(app: AppState, name: str, compute: Callable[[Store], T]) -> T:
    with corpus_store(app) as store:
        key = (hash(str(app.settings.corpus)), *_store_state(store))
        with _cache_lock:
            known = _cache.get(name)
        if known is not None and known[0] == key:
            return known[1]
        value = compute(store)
    with _cache_lock:
        _cache[name] = (key, value)
    return value


def outlet_profiles_cached(app: AppState) -> list[OutletProfile]:
    return _cached(app, "profiles", lambda store: store_profiles(store, app.settings.config))


def tracked_quotes(app: AppState, speaker: str | None) -> tuple[list[dict[str, Any]], int]:
    """The tracked quotes (`speaker`'s, if given) as `parallax quotes --format json` lists
    them, and how many quotes are tracked in all."""
    def track(store: Store):
        fingerprint = deep_fingerprint(store, app.settings.config)
        if fingerprint is None:
            raise no_analyses_error(store)
        return track_quotes(store, fingerprint)

    tracker = _cached(app, "quotes", track)
    chosen = select_quotes(tracker, speaker, 1 if speaker else MIN_OUTLETS)
    return [quote_record(quote) for quote in chosen], len(tracker)


__all__ = ["MAX_QUERY_CHARS", "SORTS", "StoryQuery", "corpus_store", "outlet_profiles_cached",
           "story_comparison_articles", "story_record", "story_rows", "tracked_quotes"]
