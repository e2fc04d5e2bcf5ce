"""The web app's settings and its limits, each with its reason.

The defaults are stated in the README ("Security defaults"); `parallax serve` flags change
the host, port, store and workers, and `WebSettings` fields the rest (tests use small ones).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from parallax.config import Config

MB = 1024 * 1024

# A request body: ten articles of a generous 500 KB each, plus form overhead. Larger bodies
# get 413 before they are read, so a client cannot make the server buffer gigabytes.
MAX_BODY_BYTES = 6 * MB
# One uploaded file: a saved news page with its scripts stripped is rarely over 1 MB.
MAX_UPLOAD_BYTES = 2 * MB
# Articles in one comparison: the side-by-side view is unreadable beyond ten columns.
MIN_ARTICLES, MAX_ARTICLES = 2, 10
# Comparisons and analyses accepted but not yet finished, per worker process: at ~1-3 s each
# a full queue clears in under half a minute; beyond it a client gets 503 with Retry-After.
QUEUE_LIMIT = 8
# Finished jobs remembered for their progress page; their results live in the store.
JOB_MEMORY = 256
# Default bind address: this machine only, unless told otherwise.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# Rows a corpus page lists before it pages (stories, quotes).
PAGE_ROWS = 50


@dataclass(frozen=True)
class WebSettings:
    """What one app instance serves: the corpus store (None: paste-and-compare only; the
    comparisons' permalinks then live in the Config's default store) and its limits."""

    config: Config = field(default_factory=Config.resolve)
    corpus: Path | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    max_articles: int = MAX_ARTICLES
    queue_limit: int = QUEUE_LIMIT

    @classmethod
    def from_config(cls, config: Config) -> WebSettings:
        """Settings serving the Config's store as the corpus, when it names one."""
        return cls(config=config, corpus=Path(config.store).expanduser() if config.store else None)

    @property
    def store_path(self) -> Path:
        """Where comparisons are kept: the corpus store, else the Config's store."""
        return self.corpus if self.corpus is not None else Path(self.config.store_path())


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "JOB_MEMORY", "MAX_ARTICLES", "MAX_BODY_BYTES", "MAX_UPLOAD_BYTES",
           "MIN_ARTICLES", "PAGE_ROWS", "QUEUE_LIMIT", "WebSettings"]
