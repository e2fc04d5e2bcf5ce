"""The SQL of the story tables (schema version 3, see parallax.store.schema).

    group_new(store, settings=None) -> int        group the articles no story holds yet
    search_stories(store, words) -> set[str]      stories whose headlines hold the words
    list_stories(store, since=None, until=None)   the stories, largest first
    story_members(store, story_id)                its articles, in the order they joined
    story_titles(store) / story_of(store)         id -> title, article id -> story id

The grouper (corpus.stories.StoryGrouper) is online: each run adds only the ingested
articles no story holds yet, continuing from the grouper's state saved in `corpus_state`,
so a new ingest extends the grouping without recomputing it. A run writes its
assignments, the stories it touched and the new state in one transaction: a killed run
leaves the previous grouping whole, and the next run redoes the lost part.
"""
from __future__ import annotations

import base64
import json
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import numpy as np

from parallax.errors import UsageError
from parallax.store.corpus import iter_signatures

if TYPE_CHECKING:
    from parallax.corpus.stories import GroupingSettings
    from parallax.store.store import Store

STATE_NAME = "stories"
# Story ids per IN (...) statement: under SQLite's default limit of bound variables.
SQL_VARIABLES = 500
# A search is a few words; more add nothing but cost.
MAX_SEARCH_TERMS = 12
_SEARCH_TERM = re.compile(r"\w+")
# A state array is stored as base64 of its little-endian float32 bytes inside the JSON.
_ARRAY_KEY = "__float32__"


@dataclass
class StoryRow:
    """A stored story: what `parallax stories` lists."""

    id: str
    title: str
    first_seen: str | None
    last_seen: str | None
    size: int
    outlets: list[str]


def group_new(store: Store, settings: GroupingSettings | None = None) -> int:
    """Add every ingested article that no story holds yet to the grouping; returns how many."""
    from parallax.corpus.stories import StoryGrouper

    state = _load_state(store)
    grouper = StoryGrouper.from_state(state, settings) if state else StoryGrouper(settings)
    start = len(grouper)
    added, position = [], _next_position(store)
    for signature, story in grouper.add_many(iter_signatures(store, ungrouped=True)):
        added.append((signature.article_id, story, position))
        position += 1
    if not added:
        return 0
    touched = {story for _, story, _ in added} | set(range(start, len(grouper)))
    stories = grouper.stories()
    with store.transaction() as db:  # an upsert, not REPLACE: a replaced story would cascade to its articles
        db.executemany("INSERT INTO stories (id, title, first_seen, last_seen, size) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT(id) DO UPDATE SET title = excluded.title, first_seen = excluded.first_seen, "
                       "last_seen = excluded.last_seen, size = excluded.size",
                       [(_story_id(i), stories[i].title, _seconds(stories[i].first_seen), _seconds(stories[i].last_seen),
                         len(stories[i].articles)) for i in sorted(touched)])
        db.executemany("INSERT OR REPLACE INTO story_articles (article_id, story_id, position) VALUES (?, ?, ?)",
                       [(article, _story_id(story), pos) for article, story, pos in added])
        db.execute("INSERT OR REPLACE INTO corpus_state (name, data, updated_at) VALUES (?, ?, ?)",
                   (STATE_NAME, json.dumps(_plain(grouper.state()), separators=(",", ":")), time.time()))
        _index_headlines(db, [_story_id(i) for i in sorted(touched)])
    return len(added)


def _index_headlines(db: sqlite3.Connection, story_ids: list[str]) -> None:
    """Re-index the headlines of the stories a run touched (story_search, FTS5)."""
    for begin in range(0, len(story_ids), SQL_VARIABLES):
        chunk = story_ids[begin:begin + SQL_VARIABLES]
        marks = ",".join("?" * len(chunk))
        db.execute(f"DELETE FROM story_search WHERE story_id IN ({marks})", chunk)
        db.execute("INSERT INTO story_search (story_id, headlines) SELECT s.story_id, group_concat(a.title, ' | ') "
                   f"FROM story_articles s JOIN articles a ON a.id = s.article_id WHERE s.story_id IN ({marks}) "
                   "GROUP BY s.story_id", chunk)


def search_stories(store: Store, words: str) -> set[str]:
    """Ids of the stories whose headlines hold every word of `words` (FTS5, prefix match on
    the last word). The words are quoted, so FTS5 syntax in them is only text."""
    terms = _SEARCH_TERM.findall(words.lower())[:MAX_SEARCH_TERMS]
    if not terms:
        return set()
    query = " ".join(f'"{term}"' for term in terms) + "*"
    return {row[0] for row in store.db.execute("SELECT story_id FROM story_search WHERE story_search MATCH ?", (query,))}


def list_stories(store: Store, since: str | None = None, until: str | None = None) -> list[StoryRow]:
    """Stories active in [since, until] (ISO dates; undated stories only without a range),
    largest first, with the outlets that covered each."""
    where, params = [], []
    if since:
        where.append("last_seen >= ?")
        params.append(_seconds(since))
    if until:
        where.append("first_seen < ?")
        params.append(_seconds(until) + 86_400)  # the whole last day
    sql = "SELECT id, title, first_seen, last_seen, size FROM stories"
    sql += (" WHERE " + " AND ".join(where)) if where else ""
    rows = store.db.execute(sql + " ORDER BY size DESC, first_seen, CAST(id AS INTEGER)", params).fetchall()
    outlets = _outlets_by_story(store)
    return [StoryRow(id, title, _iso(first), _iso(last), size, outlets.get(id, []))
            for id, title, first, last, size in rows]


def story_members(store: Store, story_id: str) -> list[str]:
    """The article ids of a story, in the order they joined; UsageError for an unknown id."""
    rows = store.db.execute("SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY position",
                            (story_id,)).fetchall()
    if not rows:
        known = store.db.execute("SELECT count(*) FROM stories").fetchone()[0]
        hint = "run `parallax stories` first" if not known else f"valid ids: 1..{known} (see `parallax stories`)"
        raise UsageError(f"no story {story_id!r} in {store.path}; {hint}")
    return [row[0] for row in rows]


def story_titles(store: Store) -> dict[str, str]:
    return dict(store.db.execute("SELECT id, title FROM stories"))


def story_of(store: Store) -> dict[str, str]:
    """Article id -> story id, for every grouped article."""
    return dict(store.db.execute("SELECT article_id, story_id FROM story_articles"))


def iter_story_articles(store: Store) -> Iterator[tuple[str, str, int]]:
    """(story_id, article_id, position) rows, story by story."""
    yield from store.db.execute("SELECT story_id, article_id, position FROM story_articles "
                                "ORDER BY CAST(story_id AS INTEGER), position")


def _outlets_by_story(store: Store) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for story, outlet in store.db.execute(
            "SELECT DISTINCT s.story_id, a.outlet FROM story_articles s JOIN articles a ON a.id = s.article_id "
            "ORDER BY s.story_id, a.outlet"):
        out.setdefault(story, []).append(outlet)
    return out


def _story_id(index: int) -> str:
    return str(index + 1)  # `parallax story 1` is the first story


def _next_position(store: Store) -> int:
    return store.db.execute("SELECT coalesce(max(position) + 1, 0) FROM story_articles").fetchone()[0]


def _seconds(iso: str | None) -> float | None:
    """Unix seconds of a date (the same key ingest sorts by); a date that is not ISO is a
    UsageError (--since / --until)."""
    from parallax.corpus.sources import published_timestamp

    seconds = published_timestamp(iso)
    if iso and seconds is None:
        raise UsageError(f"date {iso!r} is not an ISO date; expected e.g. 2016-09-25")
    return seconds


def _iso(seconds: float | None) -> str | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc).date().isoformat()


def _plain(value: Any) -> Any:
    """The grouper's state as JSON-able data: float arrays as tagged base64."""
    if isinstance(value, np.ndarray):
        array = np.ascontiguousarray(value, dtype="<f4")
        return {_ARRAY_KEY: base64.b64encode(array.tobytes()).decode("ascii"), "shape": list(array.shape)}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _arrays(value: Any) -> Any:
    if isinstance(value, dict):
        if _ARRAY_KEY in value:
            raw = base64.b64decode(value[_ARRAY_KEY])
            return np.frombuffer(raw, dtype="<f4").reshape(value["shape"]).astype(np.float32)
        return {key: _arrays(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_arrays(item) for item in value]
    return value


def _load_state(store: Store) -> dict[str, Any] | None:
    row = store.db.execute("SELECT data FROM corpus_state WHERE name = ?", (STATE_NAME,)).fetchone()
    return None if row is None else _arrays(json.loads(row[0]))


__all__ = ["StoryRow", "group_new", "iter_story_articles", "list_stories", "search_stories", "story_members", "story_of",
           "story_titles"]
