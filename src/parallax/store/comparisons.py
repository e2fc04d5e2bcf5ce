"""The SQL of stored comparisons (schema versions 5 and 6): the web app's permalinks.

    comparison_id(fingerprint, articles) -> str       the permalink id of a comparison
    put_comparison(store, stored)                      keep it (idempotent)
    get_comparison(store, id) -> StoredComparison | None

A comparison's id hashes the pipeline fingerprint and its articles (ids, titles) in order, so the
same articles pasted twice get the same permalink (and the second time, no new work), while
a new Parallax version, whose results may differ, makes a new one. Rows are never evicted:
a shared link keeps working.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parallax.model import Article
    from parallax.store.store import Store

# Hex digits of a permalink id: 64 bits, no collision in any realistic number of comparisons.
ID_CHARS = 16


@dataclass(frozen=True)
class StoredComparison:
    """A comparison as the web app keeps it: the JSON document and the rendered view."""

    id: str
    fingerprint: str
    article_ids: list[str]
    document: str  # JSON text, as `parallax compare --format json` writes it
    body: str  # the comparison view's HTML body
    created_at: float = 0.0
    title: str = ""  # the first article's headline ("" when none has one)


def comparison_id(fingerprint: str, articles: Sequence[Article]) -> str:
    """The permalink id: the fingerprint and each article's id, title and date, in order
    (the same text under another headline is shown under that headline)."""
    key = json.dumps([fingerprint, [[a.id, a.title, a.published] for a in articles]], separators=(",", ":"))
    return hashlib.sha256(key.encode()).hexdigest()[:ID_CHARS]


def put_comparison(store: Store, stored: StoredComparison) -> None:
    with store.transaction() as db:
        db.execute("INSERT OR IGNORE INTO comparisons (id, created_at, fingerprint, article_ids, document, body, "
                   "title) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (stored.id, stored.created_at or time.time(), stored.fingerprint,
                    json.dumps(stored.article_ids), stored.document, stored.body, stored.title))


def get_comparison(store: Store, comparison: str) -> StoredComparison | None:
    row = store.db.execute("SELECT id, fingerprint, article_ids, document, body, created_at, title "
                           "FROM comparisons WHERE id = ?", (comparison,)).fetchone()
    if row is None:
        return None
    return StoredComparison(row[0], row[1], json.loads(row[2]), row[3], row[4], row[5], row[6])


__all__ = ["ID_CHARS", "StoredComparison", "comparison_id", "get_comparison", "put_comparison"]
