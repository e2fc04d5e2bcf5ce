"""What a format reader finds in one file, before it becomes an Article."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parallax.model import Article


@dataclass
class Page:
    """Cleaned body text plus the metadata a reader found (empty when not found)."""

    text: str
    title: str = ""
    outlet: str = ""  # as printed by the page itself ("Global Research"); may be empty
    url: str = ""
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    original_source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def choose_outlet(explicit: str | None, found: str, stem: str) -> str:
    """Outlet precedence: the caller's `outlet` argument, then the page's own, then the file name."""
    return explicit or found or stem


def to_article(page: Page, source: str, explicit_outlet: str | None, stem: str) -> Article:
    """The Article for `page`; its id is computed from the chosen outlet and the text."""
    return Article(
        text=page.text,
        title=page.title,
        outlet=choose_outlet(explicit_outlet, page.outlet, stem),
        url=page.url,
        authors=list(page.authors),
        published=page.published,
        original_source=page.original_source,
        meta=dict(page.meta),
        source=source,
    )
