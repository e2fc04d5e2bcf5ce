"""The shared vocabulary of Parallax: Article, Span, Analysis, Comparison.

Every result that points into text is a `Span`: character offsets into
`Article.text` (end exclusive), a label, a score and a few attributes.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1"

# Layer names of an Analysis, in the order they are produced and serialised.
LAYERS = ("sentences", "entities", "quotes", "claims", "techniques")

# Quote kinds (Span.label of a span in the "quotes" layer).
QUOTE_KINDS = ("direct", "partial", "indirect", "scare")

# Relations of a Link between two articles.
RELATIONS = ("same_quote", "same_fact", "conflict", "related")


@dataclass
class Span:
    """A labelled character range [start, end) of `Article.text`."""

    start: int
    end: int
    label: str = ""
    score: float = 1.0
    attrs: dict[str, Any] = field(default_factory=dict)

    def text(self, source: str) -> str:
        return source[self.start:self.end]

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def __len__(self) -> int:
        return self.end - self.start


def _normalise_for_id(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def article_id(outlet: str, text: str) -> str:
    """Stable id: a hash of the outlet and the whitespace-normalised text."""
    digest = hashlib.sha1(f"{outlet.lower()}\n{_normalise_for_id(text)}".encode("utf-8"))
    return digest.hexdigest()[:16]


@dataclass
class Article:
    """Clean body text plus metadata. `text` is what every offset indexes."""

    text: str
    title: str = ""
    outlet: str = ""
    url: str = ""
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    original_source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # where it was read from: a file path, or "path#record"
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = article_id(self.outlet, self.text)


@dataclass
class Analysis:
    """An Article plus named span layers, like spaCy's `doc.spans[key]`."""

    article: Article
    layers: dict[str, list[Span]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.article.text

    def __getitem__(self, layer: str) -> list[Span]:
        return self.layers.get(layer, [])

    def __setitem__(self, layer: str, spans: list[Span]) -> None:
        self.layers[layer] = sorted(spans, key=lambda s: (s.start, s.end))

    def snippet(self, span: Span) -> str:
        return self.article.text[span.start:span.end]


@dataclass
class Ref:
    """A character range in one of the compared articles (index into `analyses`)."""

    article: int
    start: int
    end: int


@dataclass
class Link:
    """Unit in article i <-> unit in article j, with relation, score and evidence."""

    relation: str
    a: Ref
    b: Ref
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class Comparison:
    """Analyses of 2..N articles on one story and what relates them.

    `conflicts`, `framing`, `omissions` are lists of plain dicts whose shapes are
    documented in parallax.comparison (and in the README's JSON schema): each one
    points into the texts with Ref-shaped dicts {"article", "start", "end"}.
    """

    analyses: list[Analysis]
    links: list[Link] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    framing: list[dict[str, Any]] = field(default_factory=list)
    coverage: dict[str, Any] = field(default_factory=dict)
    omissions: list[dict[str, Any]] = field(default_factory=list)
    outlets: list[dict[str, Any]] = field(default_factory=list)
