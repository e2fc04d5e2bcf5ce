"""What a browser or an API client sends -> Articles, with one clear message per bad input.

User input is only ever text: an upload's name is shown (its base name, cleaned) and its
suffix picks the reader, but it is never opened as a path; its bytes are decoded and
parsed like a file of that kind (parallax.ingest), within the upload size limit.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from pydantic import BaseModel, Field

from parallax.errors import InputError
from parallax.ingest import from_pasted, from_text
from parallax.ingest.files import check_size, decode
from parallax.ingest.readers import parse_document, record_to_article
from parallax.model import Article
from parallax.web.settings import MAX_ARTICLES, MAX_BODY_BYTES

# Upload suffixes and the reader each picks ("" sniffs HTML, as for a file without one).
UPLOAD_SUFFIXES = {".txt": ".txt", ".md": ".md", ".markdown": ".md", ".html": ".html", ".htm": ".html",
                   ".jsonl": ".jsonl"}
# Characters of a title, outlet or date field: anything longer is not a title.
MAX_FIELD_CHARS = 500
# Characters of a shown upload name.
MAX_NAME_CHARS = 80
_UNSAFE_NAME = re.compile(r"[^\w .()-]+")


class ArticleIn(BaseModel):
    """One article of an API request: the text verbatim (offsets in the answer index it)."""

    text: str = Field(min_length=1, max_length=MAX_BODY_BYTES)
    title: str = Field("", max_length=MAX_FIELD_CHARS)
    outlet: str = Field("", max_length=MAX_FIELD_CHARS)
    published: str | None = Field(None, max_length=MAX_FIELD_CHARS)


class AnalyzeRequest(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_ARTICLES)


class CompareRequest(BaseModel):
    articles: list[ArticleIn] = Field(min_length=2, max_length=MAX_ARTICLES)


@dataclass
class Parsed:
    """Articles read from a request, and one message per input that could not be read."""

    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, make) -> None:
        try:
            self.articles.extend(make())
        except InputError as error:
            self.errors.append(str(error))


def api_articles(items: list[ArticleIn]) -> Parsed:
    parsed = Parsed()
    for number, item in enumerate(items, 1):
        parsed.add(lambda: [api_article(item, f"article {number}")])
    return parsed


def api_article(item: ArticleIn, source: str) -> Article:
    """An API article, its text verbatim; an error names it by its place in the request."""
    try:
        return from_text(item.text, outlet=item.outlet, title=item.title, published=item.published, source=source)
    except InputError as error:
        raise InputError(source, error.problem) from error


@dataclass
class PastedArticle:
    """One article box of the paste form, as typed (kept to show the form again)."""

    text: str = ""
    title: str = ""
    outlet: str = ""


def pasted_article(box: PastedArticle, number: int) -> Article:
    """A pasted article, cleaned like a page of its kind; the form's title and outlet win."""
    article = from_pasted(box.text, outlet=box.outlet.strip(), source=f"article {number}")
    return replace(article, title=box.title.strip() or article.title)


def safe_name(filename: str | None) -> str:
    """An upload's name for messages: its base name, odd characters dropped, shortened."""
    base = re.split(r"[\\/]", filename or "")[-1]
    name = _UNSAFE_NAME.sub("_", base).strip(" ._") or "upload"
    return name[:MAX_NAME_CHARS]


def upload_articles(filename: str | None, data: bytes, max_bytes: int) -> list[Article]:
    """The articles of one uploaded file (a .jsonl gives one per line)."""
    name = safe_name(filename)
    suffix = UPLOAD_SUFFIXES.get("." + name.rsplit(".", 1)[-1].lower()) if "." in name else None
    if suffix is None:
        raise InputError(name, f"cannot read this kind of file; valid: {', '.join(sorted(UPLOAD_SUFFIXES))}")
    check_size(name, len(data), max_bytes, "upload")
    text = decode(data, name)
    stem = name.rsplit(".", 1)[0]
    if suffix != ".jsonl":
        return [parse_document(text, suffix, name, None, stem)]
    articles = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(where, f"not JSON ({error.msg}); expected one JSON object per line") from error
        articles.append(replace(record_to_article(record, where, None, stem), source=name))
    return articles


__all__ = ["AnalyzeRequest", "ArticleIn", "CompareRequest", "MAX_FIELD_CHARS", "Parsed", "PastedArticle",
           "UPLOAD_SUFFIXES", "api_article", "api_articles", "pasted_article", "safe_name", "upload_articles"]
